#!/usr/bin/env node
// Sharing rules at scale (issue #13): N events on the source, a share of them tagged tlp:red and
// excluded by the rules {"tags": {"NOT": ["tlp:red"]}}, the rest tlp:green. Runs a first sync and
// a full re-run (no state) and prints, per run, the events read from the source — in all, and of
// the excluded ones (the target: 0: the index decides, an excluded event is never downloaded) —
// the requests to each server and the writes to the target (the re-run: 0).
//
//   npm run build && node bench/rules.mjs [--events 10000] [--excluded 0.9] [--direction down|up|both]
//       [--concurrency 8] [--seed 1]
//   npm run bench:rules -- [options]
//   (down: 2.4.199 → 2.3.178, up: 2.3.178 → 2.5)
import * as client from '../dist/client/index.js'
import * as bridge from '../dist/index.js'
import * as sync from '../dist/sync/index.js'
import * as testing from '../dist/testing/index.js'
import { options } from './lib/args.mjs'
import { commandLine, fmt, machineLine, table } from './lib/machine.mjs'
import { directions, measuredRun, startDirection } from './lib/soak.mjs'
import { smallEvents } from './lib/syncEvents.mjs'

const o = options(
  { events: 10000, excluded: 0.9, direction: 'both', concurrency: 8, seed: 1 },
  'node bench/rules.mjs [--events N] [--excluded 0.9] [--direction down|up|both] [--concurrency C] [--seed S]',
)
const lib = { ...bridge, ...client, ...sync, ...testing }
const all = directions(lib)
const names = o.direction === 'both' ? Object.keys(all) : [o.direction]
const n = Number(o.events)
const share = Number(o.excluded)
const rules = { tags: { NOT: ['tlp:red'] } }

console.log(
  `# sharing rules: ${fmt(n)} events, ${Math.round(share * 100)} % excluded by ${JSON.stringify(rules)}`,
)
console.log(`machine: ${machineLine()}`)
console.log(`command: ${commandLine()}\n`)

/** The source's event reads since `from`, as uuids: one by one (view) or in batches (restSearch). */
const readUuids = (emulator, from) => {
  const out = []
  for (const r of emulator.requests.slice(from)) {
    const view = /^\/events\/view\/([0-9a-f-]{36})/i.exec(r.path)
    if (r.method === 'GET' && view !== null) out.push(view[1].toLowerCase())
    if (r.path.startsWith('/events/restSearch')) {
      const u = r.body?.uuid ?? r.body?.request?.uuid
      for (const x of Array.isArray(u) ? u : u === undefined ? [] : [u]) out.push(String(x).toLowerCase())
    }
  }
  return out
}

const rows = []
for (const name of names) {
  const dir = all[name]
  const events = smallEvents(dir.source.events, n, o.seed)
  const excluded = new Set()
  events.forEach((e, i) => {
    const red = i < Math.round(n * share)
    e.Event.Tag = [
      { name: red ? 'tlp:red' : 'tlp:green', colour: red ? '#CC0033' : '#33FF00', exportable: true },
    ]
    if (red) excluded.add(e.Event.uuid.toLowerCase())
  })
  const pair = await startDirection(lib, dir, events)
  try {
    const make = () => dir.connect({ from: pair.from, to: pair.to, rules, concurrency: o.concurrency })
    for (const label of ['first sync', 're-run (full, no state)']) {
      const s0 = pair.src.requests.length
      const t0 = pair.tgt.requests.length
      const run = await measuredRun(pair, make())
      const reads = readUuids(pair.src, s0)
      // the emulator's key is a sync user's: it may not publish the copies (another organisation's
      // events), so each new connector meets one refused quiet publish (a 405, nothing written)
      const refused = pair.tgt.requests
        .slice(t0)
        .filter((r) => r.status === 405 && r.path.startsWith('/events/publish/')).length
      const readExcluded = reads.filter((u) => excluded.has(u)).length
      console.log(
        `${dir.label} ${label}: ${JSON.stringify(run.result.counts)}; source reads ${reads.length} (excluded ${readExcluded}); target writes ${run.target.writes - refused} (+${refused} refused publish)`,
      )
      rows.push([
        dir.label,
        label,
        fmt(n),
        fmt(run.result.counts.skipped),
        fmt(reads.length),
        fmt(readExcluded),
        fmt(run.source.requests),
        fmt(run.target.requests),
        fmt(run.target.writes - refused),
        fmt(refused),
        fmt(run.ms / 1000, 1),
      ])
      if (readExcluded > 0) process.exitCode = 1
    }
  } finally {
    await pair.close()
  }
}
console.log('')
table(
  [
    'direction',
    'run',
    'events',
    'excluded (skipped)',
    'events read',
    'excluded events read',
    'requests to source',
    'requests to target',
    'writes to target',
    'refused publishes (405)',
    's',
  ],
  rows,
)
