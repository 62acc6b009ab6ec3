#!/usr/bin/env node
// Big event into a REAL MISP (issue 15): one event of N attributes (default 150,000) from an
// emulated source through `transfer(uuid)` into a real MISP 2.5.1 (up: 2.3.178 → 2.5.1) or a real
// MISP 2.3.178 (down: 2.4.199 → 2.3.178), against the server's own one-POST ingest of the same
// converted event (fresh uuids). For each: wall time, the count of live attributes the server
// holds afterwards (GET /events/view), and the peak RSS of the process that ran it.
//
//   npm run build && node bench/big-real.mjs --direction up|down [--attributes 150000] [--seed 1]
//       [--url URL --key KEY] [--threshold N --size N] [--base-ms MS] [--parallel-adds N] [--ingest true|false] [--heap MiB]
//   (URL/KEY default to MISP_REAL_25_URL/KEY for up, MISP_REAL_23_URL/KEY for down)
//
// Use a PRIVATE real server (../shared/real-misp/misp-real copied with other ports, see
// docs/performance.md): a 150k create keeps a MISP busy for minutes.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { options } from './lib/args.mjs'
import { commandLine, fmt, machineLine } from './lib/machine.mjs'
import { bigEvent } from './lib/syncEvents.mjs'

const o = options(
  {
    attributes: 150_000,
    seed: 1,
    direction: 'up',
    url: '',
    key: '',
    threshold: 0,
    size: 0,
    'base-ms': 0,
    'parallel-adds': 0,
    ingest: 'true',
    heap: 4096,
  },
  'node bench/big-real.mjs --direction up|down [--attributes N] [--seed S] [--url U --key K] [--threshold N --size N] [--base-ms MS] [--parallel-adds N] [--ingest true|false]',
)
const d =
  o.direction === 'down'
    ? {
        label: '2.4.199 (emulated) → real MISP 2.3.178',
        source: '2.4.199',
        events: '2.4',
        targetVersion: '2.3',
        env: 'MISP_REAL_23',
      }
    : {
        label: '2.3.178 (emulated) → real MISP 2.5.1',
        source: '2.3.178',
        events: '2.3',
        targetVersion: '2.4',
        env: 'MISP_REAL_25',
      }
const url = o.url || process.env[`${d.env}_URL`]
const key = o.key || process.env[`${d.env}_KEY`]
if (!url || !key) {
  console.error(`no server: --url/--key or ${d.env}_URL/${d.env}_KEY`)
  process.exit(2)
}
const pieces =
  o.threshold > 0 || o.size > 0 || o['base-ms'] > 0 || o['parallel-adds'] > 0
    ? {
        ...(o.threshold > 0 ? { threshold: o.threshold } : {}),
        ...(o.size > 0 ? { size: o.size } : {}),
        ...(o['base-ms'] > 0 ? { baseMs: o['base-ms'] } : {}),
        ...(o['parallel-adds'] > 0 ? { parallelAdds: o['parallel-adds'] } : {}),
      }
    : undefined
const here = (f) => new URL(f, import.meta.url).pathname
const nodeArgs = [`--max-old-space-size=${o.heap}`]
const child = (mode, settings) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [...nodeArgs, here('./lib/big-real-child.mjs'), mode, JSON.stringify(settings)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  )

console.log(
  `# big event into a real MISP: ${fmt(o.attributes)} attributes, seed ${o.seed}, ${d.label} (${url})`,
)
console.log(`machine: ${machineLine()}`)
console.log(`command: ${commandLine()}`)
console.log(`pieces: ${pieces === undefined ? 'defaults' : JSON.stringify(pieces)}\n`)
const dir = mkdtempSync(join(tmpdir(), 'misp-bridge-big-real-'))
const file = join(dir, `${d.events}.json`)
const event = bigEvent(d.events, o.attributes, o.seed)
writeFileSync(file, JSON.stringify(event))
console.log(`source JSON: ${fmt(statSync(file).size / 1e6, 1)} MB`)
const target = { url, key, targetVersion: d.targetVersion }
let failed = false
try {
  if (o.ingest !== 'false') {
    const ing = child('ingest', { ...target, file })
    const held = child('count', { ...target, uuid: ing.uuid })
    console.log(
      `one-POST ingest: ${ing.outcome}${ing.error ? ` ${ing.error}` : ''} in ${fmt(ing.postMs / 1000, 1)} s; ` +
        `sent ${fmt(ing.sent)}, server holds ${fmt(held.attributes)} (index count ${held.indexCount}); peak RSS ${fmt(ing.maxRssMiB, 1)} MiB`,
    )
  }
  const host = spawn(process.execPath, [...nodeArgs, here('./lib/big-host.mjs'), d.source, d.source, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: host.stdout })[Symbol.asyncIterator]()
  const urls = JSON.parse((await lines.next()).value)
  const r = child('transfer', { ...target, src: urls.src, srcKey: urls.key, uuid: urls.uuid, pieces })
  host.stdin.end('exit\n')
  const held = child('count', { ...target, uuid: urls.uuid })
  console.log(
    `bridge transfer: ${r.outcome}${r.error ? ` ${r.error}` : ''} in ${fmt(r.ms / 1000, 1)} s (CPU ${fmt(r.cpuMs / 1000, 1)} s), ` +
      `peak RSS ${fmt(r.maxRssMiB, 1)} MiB; server holds ${fmt(held.attributes)} (index count ${held.indexCount}), ` +
      `timestamp ${held.timestamp}, published ${held.published}\n  reason: ${r.reason}`,
  )
  failed = r.outcome !== 'created'
} finally {
  rmSync(dir, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
