// Child process of bench/big-event.mjs: one measurement in a fresh process, printed as one JSON
// line with the process's peak RSS. Modes:
//   baseline <file>                      JSON.parse + JSON.stringify of the event's bytes
//   transfer <direction> <json-of-urls>  one connector.transfer(uuid) through the public API
// Time is wall time and this process's CPU time (user + system): the emulators run elsewhere, so
// the CPU time is the library's own work (and the HTTP client's), the wall time includes the
// servers'.
import { readFileSync } from 'node:fs'
import { Agent } from 'undici'
import { MispClient } from '../../dist/client/index.js'
import { connect23to24, connect24to23 } from '../../dist/sync/index.js'

const [mode, arg1, arg2] = process.argv.slice(2)
const rss = () => process.resourceUsage().maxRSS / 1024
const startRssMiB = process.memoryUsage().rss / 2 ** 20 // the library loaded, nothing done yet
const t0 = performance.now()
const cpu0 = process.cpuUsage()
/** CPU time of this process since the start of the measurement (user + system), ms. */
const cpuMs = () => {
  const d = process.cpuUsage(cpu0)
  return (d.user + d.system) / 1000
}
if (mode === 'baseline') {
  const bytes = readFileSync(arg1, 'utf8')
  const t1 = performance.now()
  const c1 = process.cpuUsage()
  const out = JSON.stringify(JSON.parse(bytes))
  const d = process.cpuUsage(c1)
  process.stdout.write(
    `${JSON.stringify({ ms: performance.now() - t1, cpuMs: (d.user + d.system) / 1000, outBytes: out.length, maxRssMiB: rss() })}\n`,
  )
} else if (mode === 'transfer') {
  const h = JSON.parse(arg2)
  const [from, to] = arg1 === '2.4->2.3' ? ['2.4', '2.3'] : ['2.3', '2.4']
  const connect = arg1 === '2.4->2.3' ? connect24to23 : connect23to24
  // a whole-event call may take the server many minutes for 150k attributes: an hour's budget
  // and undici's own 300 s headers/body timeouts (under the global fetch) would cut it short
  const timeout = { event: 3_600_000 }
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 })
  const c = connect({
    from: new MispClient({ url: h.src, key: h.key, version: from, timeout, dispatcher }),
    to: new MispClient({ url: h.tgt, key: h.key, version: to, timeout, dispatcher }),
  })
  const r = await c.transfer(h.uuid)()
  process.stdout.write(
    `${JSON.stringify({
      ms: performance.now() - t0,
      cpuMs: cpuMs(),
      outcome: r.outcome,
      error: r.error === undefined ? undefined : JSON.stringify(r.error).slice(0, 500),
      losses: r.losses.length,
      startRssMiB,
      maxRssMiB: rss(),
    })}\n`,
  )
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
