/**
 * Golden conversions written by hand from the seed tool's README and misp-versions.md
 * (test/fixtures/pairs/README.md): exact output, and exactly these losses.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { downgrade } from '../../src/convert/downgrade.js'
import { formatLoss, type Loss } from '../../src/convert/Loss.js'
import { upgrade } from '../../src/convert/upgrade.js'
import { decodeEvent23, decodeEvent24, encodeEvent23, encodeEvent24 } from '../../src/decode.js'

const DIR = new URL('../fixtures/pairs/', import.meta.url)
const read = (c: string, f: string): unknown => JSON.parse(readFileSync(new URL(`${c}/${f}`, DIR), 'utf8'))
const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
/** JSON has no `undefined`: a loss's `from: undefined` is written without the key. */
const plain = (losses: ReadonlyArray<Loss>) => JSON.parse(JSON.stringify(losses)) as Array<unknown>
const sorted = (xs: ReadonlyArray<unknown>) => xs.map((x) => JSON.stringify(x)).sort()

describe.each(cases)('golden pair %s', (name) => {
  const meta = read(name, 'case.json') as { direction: 'downgrade' | 'upgrade'; options: object }
  test(`${meta.direction} gives exactly the expected event and losses`, () => {
    const input = read(name, 'input.json')
    const result =
      meta.direction === 'downgrade'
        ? (() => {
            const e = decodeEvent24(input)
            if (e._tag === 'Left') throw new Error('input does not decode')
            const r = downgrade(e.right, meta.options)
            return { event: encodeEvent23(r.value), losses: r.losses }
          })()
        : (() => {
            const e = decodeEvent23(input)
            if (e._tag === 'Left') throw new Error('input does not decode')
            const r = upgrade(e.right, meta.options)
            return { event: encodeEvent24(r.value), losses: r.losses }
          })()
    expect(JSON.parse(JSON.stringify(result.event))).toEqual(read(name, 'expected.json'))
    expect(sorted(plain(result.losses))).toEqual(sorted(read(name, 'losses.json') as Array<unknown>))
    for (const l of result.losses) expect(formatLoss(l)).toMatch(/^Event/)
  })
})

test('the seed README’s XML-shaped `Org: [{…}]` is not MISP’s JSON and is refused with its path', () => {
  const r = decodeEvent24({
    Event: { uuid: '56573fc3-0a54-4a4a-8fd4-0495c0a8fa0a', info: 'x', Org: [{ id: '1', name: 'ADMIN' }] },
  })
  expect(r._tag === 'Left' && r.left.problems.map((p) => p.path)).toEqual(['Event.Org'])
})

test('regression (found by the conservation law): an `Orgc` without a name is not lost silently', () => {
  // an empty `Orgc` carries nothing (issue #9: not a loss); one with content reports it
  const empty = decodeEvent24({ Event: { uuid: '00000000-0000-1000-8000-000000000000', info: '', Orgc: {} } })
  if (empty._tag === 'Left') throw new Error('does not decode')
  const r = downgrade(empty.right)
  expect(r.value.orgc).toBeUndefined()
  expect(r.losses.filter((l) => l._tag === 'FieldsDropped')).toEqual([])
  const nameless = decodeEvent24({
    Event: {
      uuid: '00000000-0000-1000-8000-000000000000',
      info: '',
      Orgc: { uuid: '5638f250-41e8-478a-9329-05430a00020f' },
    },
  })
  if (nameless._tag === 'Left') throw new Error('does not decode')
  expect(downgrade(nameless.right).losses).toContainEqual({
    _tag: 'FieldsDropped',
    path: 'Event.Orgc',
    reason: 'not-in-target',
    fields: { uuid: '5638f250-41e8-478a-9329-05430a00020f' },
  })
})
