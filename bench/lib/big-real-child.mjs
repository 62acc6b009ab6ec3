// Child process of bench/big-real.mjs: one measurement against a REAL MISP in a fresh process,
// printed as one JSON line with the process's peak RSS. Argv: mode, JSON of settings.
//   ingest   the server's own one-POST ingest: the converted event (fresh uuids) in one create
//   transfer connector.transfer(uuid) from the emulated source to the real server
//   count    the live attributes the server holds for a uuid (GET /events/view, objects' included)
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { Agent } from 'undici'
import { MispClient } from '../../dist/client/index.js'
import { downgrade, upgrade } from '../../dist/convert/index.js'
import { connect23to24, connect24to23 } from '../../dist/sync/index.js'
import * as V23 from '../../dist/v23/index.js'
import * as V24 from '../../dist/v24/index.js'

const [mode, json] = process.argv.slice(2)
const s = JSON.parse(json)
const rss = () => process.resourceUsage().maxRSS / 1024
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const cpuMs = () => {
  const d = process.cpuUsage(cpu0)
  return (d.user + d.system) / 1000
}
// a one-POST ingest of 150k attributes takes the server many minutes: an hour's budget, and no
// undici headers/body timeouts (they would cut it at 300 s whatever the budget)
const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 })
const timeout = { event: 3_600_000 }
const target = new MispClient({
  url: s.url,
  key: s.key,
  version: s.targetVersion,
  timeout,
  dispatcher,
  retry: 0,
})
const out = (o) =>
  process.stdout.write(
    `${JSON.stringify({ ...o, ms: performance.now() - t0, cpuMs: cpuMs(), maxRssMiB: rss() })}\n`,
  )

if (mode === 'ingest') {
  const raw = JSON.parse(readFileSync(s.file, 'utf8'))
  const converted =
    s.targetVersion === '2.4'
      ? upgrade(
          E.getOrElseW(() => {
            throw new Error('bad 2.3 event')
          })(V23.Event.decode(raw.Event)),
        )
      : downgrade(
          E.getOrElseW(() => {
            throw new Error('bad 2.4 event')
          })(V24.Event.decode(raw.Event)),
        )
  const fresh = (a) => ({ ...a, uuid: randomUUID() })
  const v = converted.value
  const event = {
    ...v,
    uuid: randomUUID(),
    info: `${v.info} (one-POST ingest)`,
    Attribute: (v.Attribute ?? []).map(fresh),
    ...(v.Object === undefined
      ? {}
      : { Object: v.Object.map((o) => ({ ...fresh(o), Attribute: (o.Attribute ?? []).map(fresh) })) }),
  }
  const sent =
    (event.Attribute ?? []).length + (event.Object ?? []).reduce((n, o) => n + (o.Attribute ?? []).length, 0)
  const t1 = performance.now()
  const r = await target.create(event)()
  out({
    outcome: E.isRight(r) ? r.right._tag : 'failed',
    error: E.isLeft(r) ? JSON.stringify(r.left).slice(0, 400) : undefined,
    uuid: event.uuid,
    sent,
    postMs: performance.now() - t1,
  })
} else if (mode === 'transfer') {
  const [from, connect] = s.targetVersion === '2.3' ? ['2.4', connect24to23] : ['2.3', connect23to24]
  const c = connect({
    from: new MispClient({ url: s.src, key: s.srcKey, version: from, timeout, dispatcher }),
    to: target,
    ...(s.pieces === undefined ? {} : { pieces: s.pieces }),
  })
  const r = await c.transfer(s.uuid)()
  out({
    outcome: r.outcome,
    reason: r.reason,
    error: r.error === undefined ? undefined : JSON.stringify(r.error).slice(0, 600),
    losses: r.losses.length,
  })
} else if (mode === 'count') {
  const got = await target.get(s.uuid)()
  if (E.isLeft(got)) out({ error: JSON.stringify(got.left).slice(0, 400) })
  else {
    const e = got.right
    const live = (a) => a.deleted !== true
    out({
      attributes:
        (e.Attribute ?? []).filter(live).length +
        (e.Object ?? []).filter(live).reduce((n, o) => n + (o.Attribute ?? []).filter(live).length, 0),
      indexCount: e.attribute_count,
      timestamp: e.timestamp,
      published: e.published,
    })
  }
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
process.exit(0)
