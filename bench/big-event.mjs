#!/usr/bin/env node
// Big event (issue #8): one event of N attributes (default 150,000) end to end through a
// connector — `transfer(uuid)`: lookup on the target, GET from the source, convert, create on the
// target — 2.4.199 → 2.3.178 and 2.3.178 → 2.5. Reports the transfer's time and the peak RSS
// (process.resourceUsage().maxRSS) of the process running it, against a baseline on the same
// bytes: JSON.parse + JSON.stringify of the source event in a fresh process of its own. The
// emulators run in a third process (bench/lib/big-host.mjs), so the measured process holds only
// what the library holds: the source's answer, the decoded and converted event, the request body
// and the target's answer (MISP answers a create with the whole stored event).
//
//   npm run build && node bench/big-event.mjs [--attributes 150000] [--seed 1]
//       [--direction down|up|both] [--heap <MiB for every child, default 4096>]
//   (down: 2.4.199 → 2.3.178, up: 2.3.178 → 2.5)
//   ./dev big-event [same options]        (npm run bench:big-event -- [options])
//
// Every child runs with --max-old-space-size (--heap): a 150k-attribute event is tens of MB of
// JSON and the default old-space limit can be too small for the emulator holding source and target.
// The clients get a one-hour budget for whole-event calls (the default is 5 minutes) and an undici
// Agent without headers/body timeouts: undici's default 300 s headers timeout ends a create the
// server takes longer to answer, whatever the client's budget (UND_ERR_HEADERS_TIMEOUT).
// Time: wall time of the transfer, and CPU time of the transfer's process — the library's own work,
// since the emulators run in another process. The emulator's create checks each attribute for a
// duplicate value against every attribute before it (quadratic, like MISP's valueIsUnique check
// without its index): at 150k attributes the servers' part dominates the wall time (minutes).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { options } from './lib/args.mjs'
import { commandLine, fmt, machineLine, table } from './lib/machine.mjs'
import { bigEvent } from './lib/syncEvents.mjs'

const o = options(
  { attributes: 150_000, seed: 1, direction: 'both', heap: 4096 },
  'node bench/big-event.mjs [--attributes N] [--seed S] [--direction down|up|both] [--heap MiB]',
)
const DIRECTIONS = {
  down: {
    label: '2.4.199 → 2.3.178',
    source: '2.4.199',
    target: '2.3.178',
    events: '2.4',
    connector: '2.4->2.3',
  },
  up: { label: '2.3.178 → 2.5', source: '2.3.178', target: '2.5', events: '2.3', connector: '2.3->2.4' },
}
const names = o.direction === 'both' ? Object.keys(DIRECTIONS) : [o.direction]
const here = (f) => new URL(f, import.meta.url).pathname
const nodeArgs = [`--max-old-space-size=${o.heap}`]

/** A child process that prints one JSON line. */
const measure = (...args) =>
  JSON.parse(
    execFileSync(process.execPath, [...nodeArgs, here('./lib/big-measure.mjs'), ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  )

/** The emulator host: started, its URLs read; `ask(line)` answers one JSON line. */
const host = async (d, file) => {
  const child = spawn(process.execPath, [...nodeArgs, here('./lib/big-host.mjs'), d.source, d.target, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const read = async () => JSON.parse((await lines.next()).value)
  const urls = await read()
  return {
    urls,
    ask: async (line) => {
      child.stdin.write(`${line}\n`)
      return read()
    },
    exit: () =>
      new Promise((resolve) => {
        child.on('exit', resolve)
        child.stdin.end('exit\n')
      }),
  }
}

console.log(
  `# big event: ${fmt(o.attributes)} attributes, seed ${o.seed}, children with --max-old-space-size=${o.heap}`,
)
console.log(`machine: ${machineLine()}`)
console.log(`command: ${commandLine()}\n`)
const dir = mkdtempSync(join(tmpdir(), 'misp-bridge-big-'))
const rows = []
let failed = false
try {
  for (const name of names) {
    const d = DIRECTIONS[name]
    const file = join(dir, `${d.events}.json`)
    writeFileSync(file, JSON.stringify(bigEvent(d.events, o.attributes, o.seed)))
    const mb = statSync(file).size / 1e6
    const base = measure('baseline', file)
    const t0 = performance.now()
    const h = await host(d, file)
    const hostStartMs = performance.now() - t0
    const r = measure('transfer', d.connector, JSON.stringify(h.urls))
    console.log(`${d.label}: transfer ${JSON.stringify(r)}`)
    const v = await h.ask('verify') // (waits until the target has finished the create)
    await h.exit()
    const ok = r.outcome === 'created' && v.stored && v.targetEvents === 1
    failed ||= !ok
    console.log(
      `${d.label}: ${fmt(mb, 1)} MB of JSON; emulators up (source seeded) in ${fmt(hostStartMs)} ms; ` +
        `transfer ${r.outcome}${r.error ? ` ${r.error}` : ''} in ${fmt(r.ms)} ms (CPU ${fmt(r.cpuMs)} ms), ${fmt(r.losses)} losses, ` +
        `peak RSS ${fmt(r.maxRssMiB, 1)} MiB (${fmt(r.startRssMiB, 1)} MiB before it); target holds ${fmt(v.attributes)} attributes ` +
        `(emulator host peak RSS ${fmt(v.hostMaxRssMiB, 1)} MiB); baseline parse+stringify ${fmt(base.ms)} ms (CPU ${fmt(base.cpuMs)} ms), ` +
        `peak RSS ${fmt(base.maxRssMiB, 1)} MiB`,
    )
    rows.push([
      d.label,
      fmt(o.attributes),
      fmt(mb, 1),
      r.outcome,
      fmt(r.ms / 1000, 1),
      fmt(r.cpuMs),
      fmt(r.maxRssMiB, 1),
      fmt(base.ms),
      fmt(base.maxRssMiB, 1),
      `**${fmt(r.maxRssMiB / base.maxRssMiB, 2)}**`,
      fmt(v.attributes),
    ])
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
console.log('')
table(
  [
    'direction',
    'attributes',
    'source JSON (MB)',
    'outcome',
    'transfer wall (s)',
    'transfer CPU (ms)',
    'transfer peak RSS (MiB)',
    'parse+stringify (ms)',
    'parse+stringify peak RSS (MiB)',
    'RSS ratio',
    'attributes on target',
  ],
  rows,
)
process.exit(failed ? 1 : 0)
