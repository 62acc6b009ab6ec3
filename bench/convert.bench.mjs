#!/usr/bin/env node
// Benchmark: decode → convert → encode against JSON.parse + JSON.stringify of the same bytes,
// in the same process, for synthetic events of 1k, 10k and 100k attributes; then peak RSS of each
// in a fresh child process. Run after `npm run build`: `node --expose-gc bench/convert.bench.mjs`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeEvent23, decodeEvent24, downgrade, upgrade } from '../dist/index.js'
import { event23, event24 } from './events.mjs'
import { baseline, convertDown, convertUp, down, up } from './pipeline.mjs'

/** How many losses the conversion reports for a parsed event (outside any timing). */
const lossesOf = (mode, parsed) => {
  const e = (mode === 'down' ? decodeEvent24 : decodeEvent23)(parsed)
  if (e._tag === 'Left') throw new Error('bench input does not decode')
  return (mode === 'down' ? downgrade : upgrade)(e.right).losses.length
}

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number)
const gc = globalThis.gc ?? (() => {})
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
// main-thread CPU time (Node ≥ 23.9): unlike wall time, it does not count the time other
// processes hold the cores, which on a shared 2-core machine is most of the run-to-run noise.
// Its clock is coarse (shown only where the baseline takes ≥ 50 ms) and it leaves out the GC's
// helper threads, so wall time stays the figure of record.
const threadCpu = process.threadCpuUsage ? () => process.threadCpuUsage() : undefined
/** wall ms, and main-thread CPU ms (NaN where Node cannot tell) */
const time = (fn, bytes) => {
  gc()
  const c0 = threadCpu?.()
  const t0 = process.hrtime.bigint()
  fn(bytes)
  const wall = Number(process.hrtime.bigint() - t0) / 1e6
  const c1 = threadCpu?.()
  return { wall, cpu: c0 && c1 ? (c1.user - c0.user + c1.system - c0.system) / 1000 : Number.NaN }
}

const rows = []
const dir = mkdtempSync(join(tmpdir(), 'misp-bridge-bench-'))
try {
  for (const n of SIZES) {
    const runs = n >= 100_000 ? 9 : n >= 10_000 ? 15 : 41
    for (const [name, make, fn, convert] of [
      ['2.4→2.3', event24, down, convertDown],
      ['2.3→2.4', event23, up, convertUp],
    ]) {
      const bytes = JSON.stringify(make(n))
      for (let w = 0; w < 3; w++) {
        baseline(bytes)
        fn(bytes)
      }
      const tb = [] // JSON.parse + JSON.stringify of the input bytes
      const tc = [] // decode → convert → encode, on a value parsed outside the timing
      const tp = [] // bytes → bytes: parse, decode → convert → encode, stringify
      const cb = [] // the same as tb and tc, main-thread CPU time
      const cc = []
      for (let r = 0; r < runs; r++) {
        const b = time(baseline, bytes)
        const parsed = JSON.parse(bytes)
        const c = time(convert, parsed)
        tb.push(b.wall)
        tc.push(c.wall)
        cb.push(b.cpu)
        cc.push(c.cpu)
        tp.push(time(fn, bytes).wall)
      }
      const file = join(dir, `${name.replace(/\W/g, '')}-${n}.json`)
      writeFileSync(file, bytes)
      const rss = (mode) =>
        JSON.parse(
          execFileSync(process.execPath, [new URL('./rss-child.mjs', import.meta.url).pathname, mode, file], {
            encoding: 'utf8',
          }),
        ).maxRssKiB
      const rssBase = median([rss('baseline'), rss('baseline'), rss('baseline')])
      const rssPipe = median([
        rss(fn === down ? 'down' : 'up'),
        rss(fn === down ? 'down' : 'up'),
        rss(fn === down ? 'down' : 'up'),
      ])
      rows.push({
        name,
        n,
        losses: lossesOf(fn === down ? 'down' : 'up', JSON.parse(bytes)),
        mb: bytes.length / 1e6,
        base: median(tb),
        conv: median(tc),
        pipe: median(tp),
        cpuBase: median(cb),
        cpuConv: median(cc),
        rssBase,
        rssPipe,
      })
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const f = (x, d = 1) => x.toFixed(d)
console.log(`node ${process.version}, ${process.platform}/${process.arch}; medians of in-process runs (ms)`)
console.log('')
console.log(
  '| direction | attributes | JSON MB | A: parse+stringify | B: decode→convert→encode | B/A | C: bytes→bytes (parse, B, stringify) | C/A | B µs/attribute | peak RSS A | peak RSS C | RSS C/A | B/A main-thread CPU | losses reported |',
)
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.n.toLocaleString('en')} | ${f(r.mb)} | ${f(r.base)} | ${f(r.conv)} | **${f(r.conv / r.base, 2)}** | ${f(r.pipe)} | ${f(r.pipe / r.base, 2)} | ${f((r.conv * 1000) / r.n, 2)} | ${f(r.rssBase / 1024)} MiB | ${f(r.rssPipe / 1024)} MiB | ${f(r.rssPipe / r.rssBase, 2)} | ${r.cpuBase >= 50 ? f(r.cpuConv / r.cpuBase, 2) : '–'} | ${r.losses.toLocaleString('en')} |`,
  )
console.log('')
for (const name of ['2.4→2.3', '2.3→2.4']) {
  const rs = rows.filter((r) => r.name === name)
  const small = rs[0]
  const large = rs[rs.length - 1]
  if (small && large && small !== large)
    console.log(
      `${name}: per-attribute cost of B at ${large.n.toLocaleString('en')} vs ${small.n.toLocaleString('en')} attributes: ×${f(large.conv / large.n / (small.conv / small.n), 2)} (C: ×${f(large.pipe / large.n / (small.pipe / small.n), 2)})`,
    )
}
