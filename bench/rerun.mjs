#!/usr/bin/env node
// Re-runs with nothing changed (issue #8): for each size, N events on the source are synced once
// (no faults, file state store), then measured: a re-run with the state file, and a full run
// without state (every source event selected). Prints the requests each server received and the
// writes to the target per run — the target: at most a small constant number of requests
// to each server (≤ 5, the same for 200 events as for 20,000), 0 writes.
//
// With --own-tags K the target also holds K events of its own, each with a tag of its own (as a
// real target has tags the source never carries): a full run to MISP 2.3 reads the tags the
// source's events carry one by one and the target's own ones in one search.
//
//   npm run build && node bench/rerun.mjs [--events 200,20000] [--direction down|up|both]
//       [--concurrency 8] [--seed 1] [--own-tags 0]
//   ./dev bench-rerun [same options]       (npm run bench:rerun -- [options])
//   (down: 2.4.199 → 2.3.178, up: 2.3.178 → 2.5; the first sync of 20,000 events takes minutes)
import { join } from 'node:path'
import * as client from '../dist/client/index.js'
import * as bridge from '../dist/index.js'
import * as sync from '../dist/sync/index.js'
import * as testing from '../dist/testing/index.js'
import { options } from './lib/args.mjs'
import { commandLine, fmt, machineLine, table } from './lib/machine.mjs'
import { routesText } from './lib/requests.mjs'
import { directions, measuredRun, rerunCosts, startDirection, tempDir } from './lib/soak.mjs'
import { smallEvents } from './lib/syncEvents.mjs'

const o = options(
  { events: '200,20000', direction: 'both', concurrency: 8, seed: 1, 'own-tags': 0 },
  'node bench/rerun.mjs [--events 200,20000] [--direction down|up|both] [--concurrency C] [--seed S] [--own-tags K]',
)
const ownTags = Number(o['own-tags'])
const lib = { ...bridge, ...client, ...sync, ...testing }
const all = directions(lib)
const names = o.direction === 'both' ? Object.keys(all) : [o.direction]
const sizes = String(o.events).split(',').map(Number)

console.log(
  `# re-runs with nothing changed: ${sizes.join(', ')} events, concurrency ${o.concurrency}, ${ownTags} tags of the target's own`,
)
console.log(`machine: ${machineLine()}`)
console.log(`command: ${commandLine()}\n`)
const rows = []
for (const name of names) {
  const dir = all[name]
  for (const n of sizes) {
    const tmp = await tempDir()
    const pair = await startDirection(lib, dir, smallEvents(dir.source.events, n, o.seed))
    try {
      // the target's own events (not locked: created there), each with a tag of its own
      const own = smallEvents(dir.target.api === '2.3' ? '2.3' : '2.4', ownTags, o.seed + 1000)
      for (const e of own) e.Event.locked = false
      pair.tgt.seed(own)
      for (const [i, e] of own.entries()) pair.tgt.tagEvent(e.Event.uuid, `own:tag-${i}`)
      const stateFile = join(tmp.path, 'state.json')
      const make = (withState = true, logger = lib.memoryLogger()) =>
        dir.connect({
          from: pair.from,
          to: pair.to,
          logger,
          concurrency: o.concurrency,
          ...(withState ? { state: lib.fileStateStore(stateFile) } : {}),
        })
      const first = await measuredRun(pair, make())
      if (!first.result.ok) throw new Error(`${dir.label}: the first sync of ${n} events failed`)
      console.log(`${dir.label}, ${fmt(n)} events: first sync ${fmt(first.ms / 1000, 1)} s`)
      for (const [label, r] of Object.entries(await rerunCosts(lib, pair, make))) {
        console.log(
          `  ${label}: source: ${routesText(r.source.byRoute) || '—'}; target: ${routesText(r.target.byRoute) || '—'}`,
        )
        rows.push([
          dir.label,
          fmt(n),
          label,
          fmt(r.selected),
          fmt(r.source.requests),
          fmt(r.target.requests),
          fmt(r.target.writes),
          fmt(r.ms),
        ])
      }
    } finally {
      await pair.close()
      await tmp.remove()
    }
  }
}
console.log('')
table(
  [
    'direction',
    'events',
    'run',
    'selected',
    'requests to source',
    'requests to target',
    'writes to target',
    'ms',
  ],
  rows,
)
