// A plain `node` import of every entry point of the package, by its name (run from the repo
// root, Node resolves `misp-bridge` to this package through its `exports`). Fails on
// directory imports such as 'fp-ts/Either' that TypeScript and vitest accept but Node does not.
const entries = [
  'misp-bridge',
  'misp-bridge/v23',
  'misp-bridge/v24',
  'misp-bridge/convert',
  'misp-bridge/client',
  'misp-bridge/sync',
  'misp-bridge/testing',
]
for (const e of entries) {
  const m = await import(e)
  if (Object.keys(m).length === 0) throw new Error(`${e} exports nothing`)
}
const { decodeEvent24, downgrade, encodeEvent23 } = await import('misp-bridge')
const e = decodeEvent24({
  Event: { uuid: '5a4c0c79-5cf4-4b2e-9d6c-7a2f950d210f', info: 'smoke', distribution: 4 },
})
if (e._tag !== 'Right') throw new Error('smoke event does not decode')
const out = encodeEvent23(downgrade(e.right).value)
if (out.Event.distribution !== '0') throw new Error('smoke downgrade did not narrow sharing')
console.log(`smoke: ${entries.length} entry points import under plain node ${process.version}`)
