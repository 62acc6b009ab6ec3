#!/usr/bin/env node
import * as client from '../dist/client/index.js'
// Soak (issue #8): N small events between two MISP emulators, each direction on its own —
// 2.4.199 → 2.3.178 and 2.3.178 → 2.5 — with a fraction of the requests to BOTH servers failing
// (500, 502, 503, reset, reset-after-write, truncated JSON, 200 ms hang; seeded), the sync re-run
// with a file state store and a JSON Lines log until a run has no failure (at most --max-runs).
// Then, faults off: every source event on the target exactly once (by uuid) with the source's
// content (bench/lib/content.mjs), the log has one line per attempt, 0 lost, 0 duplicated; and
// what re-runs with nothing changed cost each server (with the state file; without state).
// Prints runs to converge, requests per run and wall time per direction. Exit status 1 when a
// check fails or a direction does not converge.
//
//   npm run build && node bench/soak.mjs [--events 1000] [--fault-rate 0.1] [--seed 1]
//       [--concurrency 4] [--max-runs 40] [--retry <client retry limit, default: the client's>]
//       [--direction down|up|both] [--json]
//   (down: 2.4.199 → 2.3.178, up: 2.3.178 → 2.5)
//   ./dev soak [same options]            (npm run bench:soak -- [options])
//
// Uses only the public API from the build (dist/). The clients are as a user makes them
// (default retries and budgets) unless --retry is given. The fault schedule is seeded per server;
// with --concurrency > 1 the order in which requests arrive varies, so the same seed gives
// similar, not identical, runs (--concurrency 1 is reproducible).
import * as bridge from '../dist/index.js'
import * as sync from '../dist/sync/index.js'
import * as testing from '../dist/testing/index.js'
import { options } from './lib/args.mjs'
import { commandLine, fmt, machineLine, table } from './lib/machine.mjs'
import { routesText } from './lib/requests.mjs'
import { directions, soakDirection } from './lib/soak.mjs'

const o = options(
  {
    events: 1000,
    'fault-rate': 0.1,
    seed: 1,
    concurrency: 4,
    'max-runs': 40,
    retry: -1,
    direction: 'both',
    json: false,
  },
  'node bench/soak.mjs [--events N] [--fault-rate R] [--seed S] [--concurrency C] [--max-runs M] [--retry N] [--direction down|up|both] [--json]',
)
const lib = { ...bridge, ...client, ...sync, ...testing }
const names = o.direction === 'both' ? Object.keys(directions(lib)) : [o.direction]
if (!names.every((n) => n in directions(lib))) {
  console.error(`--direction: one of ${Object.keys(directions(lib)).join(', ')}, both`)
  process.exit(2)
}

console.log(
  `# soak: ${o.events} events, fault rate ${o['fault-rate']} on both servers, seed ${o.seed}, concurrency ${o.concurrency}`,
)
console.log(`machine: ${machineLine()}`)
console.log(`command: ${commandLine()}\n`)

let failed = false
const reports = []
for (const name of names) {
  console.log(`## ${directions(lib)[name].label}`)
  const report = await soakDirection(lib, name, {
    events: o.events,
    faultRate: o['fault-rate'],
    seed: o.seed,
    concurrency: o.concurrency,
    maxRuns: o['max-runs'],
    clientOptions: o.retry >= 0 ? { retry: o.retry } : {},
    onRun: (r) =>
      console.log(
        `run ${r.run}: selected ${r.selected}, attempted ${r.attempted}, ` +
          `created ${r.counts.created} updated ${r.counts.updated} unchanged ${r.counts.unchanged} ` +
          `skipped ${r.counts.skipped} failed ${r.counts.failed}${r.errors.length ? `, run errors ${r.errors.join(' ')}` : ''}; ` +
          `requests source ${r.source.requests} (${r.source.faulted} faulted), target ${r.target.requests} ` +
          `(${r.target.faulted} faulted, ${r.target.writes} writes); ${fmt(r.ms)} ms` +
          (r.failures.length === 0 ? '' : `\n  failed: ${[...new Set(r.failures)].join('; ')}`),
      ),
  })
  reports.push(report)
  const v = report.verified
  const ok =
    report.converged &&
    v.lost === 0 &&
    v.duplicated === 0 &&
    v.contentMismatch === 0 &&
    v.undecodable === 0 &&
    v.extra === 0 &&
    report.log.lines === report.log.attempts &&
    report.log.stray === 0
  failed ||= !ok
  const reqs = report.runs.map((r) => r.source.requests + r.target.requests)
  console.log(
    `\n${report.converged ? `converged in ${report.runsToConverge} run(s)` : `NOT converged in ${report.runs.length} runs`}, ` +
      `wall time ${fmt(report.wallMs / 1000, 1)} s; requests per run (both servers): ${reqs.join(', ')}`,
  )
  console.log(
    `target: ${v.sourceEvents} source events, lost ${v.lost}, duplicated ${v.duplicated}, ` +
      `content differs ${v.contentMismatch}, source undecodable ${v.undecodable}, extra ${v.extra}; ` +
      `log lines ${report.log.lines} / attempts ${report.log.attempts} (not of a source event: ${report.log.stray}) ` +
      `→ ${ok ? 'OK' : 'FAILED'}`,
  )
  for (const p of v.problems) console.log(`  ${p}`)
  console.log('\nre-runs with nothing changed (faults off):')
  table(
    ['run', 'selected', 'outcomes', 'requests to source', 'requests to target', 'writes to target', 'ms'],
    Object.entries(report.rerun).map(([k, r]) => [
      k,
      r.selected,
      Object.entries(r.counts)
        .filter(([, n]) => n > 0)
        .map(([x, n]) => `${x} ${n}`)
        .join(', ') || '—',
      r.source.requests,
      r.target.requests,
      r.target.writes,
      fmt(r.ms),
    ]),
  )
  for (const [k, r] of Object.entries(report.rerun))
    console.log(
      `  ${k}: source: ${routesText(r.source.byRoute) || '—'}; target: ${routesText(r.target.byRoute) || '—'}`,
    )
  console.log('')
}

if (o.json) console.log(JSON.stringify(reports, (k, v) => (k === 'byRoute' ? undefined : v), 2))
console.log('## summary')
table(
  [
    'direction',
    'events',
    'runs to converge',
    'requests per run',
    'wall time (s)',
    'lost',
    'duplicated',
    'content differs',
    'log lines = attempts',
  ],
  reports.map((r) => [
    r.name,
    r.events,
    r.converged ? r.runsToConverge : `> ${r.runs.length}`,
    r.runs.map((x) => x.source.requests + x.target.requests).join(' '),
    fmt(r.wallMs / 1000, 1),
    r.verified.lost,
    r.verified.duplicated,
    r.verified.contentMismatch,
    `${r.log.lines} = ${r.log.attempts}${r.log.lines === r.log.attempts ? '' : ' ✗'}`,
  ]),
)
process.exit(failed ? 1 : 0)
