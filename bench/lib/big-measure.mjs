// Child process of bench/big-event.mjs: one measurement in a fresh process, printed as one JSON
// line with the process's peak RSS. Modes:
//   baseline <file>                      JSON.parse + JSON.stringify of the event's bytes
//   transfer <direction> <json-of-urls>  one connector.transfer(uuid) through the public API
import { readFileSync } from 'node:fs'
import { MispClient } from '../../dist/client/index.js'
import { connect23to24, connect24to23 } from '../../dist/sync/index.js'

const [mode, arg1, arg2] = process.argv.slice(2)
const rss = () => process.resourceUsage().maxRSS / 1024
const t0 = performance.now()
if (mode === 'baseline') {
  const bytes = readFileSync(arg1, 'utf8')
  const t1 = performance.now()
  const out = JSON.stringify(JSON.parse(bytes))
  process.stdout.write(
    `${JSON.stringify({ ms: performance.now() - t1, outBytes: out.length, maxRssMiB: rss() })}\n`,
  )
} else if (mode === 'transfer') {
  const h = JSON.parse(arg2)
  const [from, to] = arg1 === '2.4->2.3' ? ['2.4', '2.3'] : ['2.3', '2.4']
  const connect = arg1 === '2.4->2.3' ? connect24to23 : connect23to24
  const c = connect({
    from: new MispClient({ url: h.src, key: h.key, version: from }),
    to: new MispClient({ url: h.tgt, key: h.key, version: to }),
  })
  const r = await c.transfer(h.uuid)()
  process.stdout.write(
    `${JSON.stringify({
      ms: performance.now() - t0,
      outcome: r.outcome,
      error: r.error === undefined ? undefined : JSON.stringify(r.error).slice(0, 500),
      losses: r.losses.length,
      maxRssMiB: rss(),
    })}\n`,
  )
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
