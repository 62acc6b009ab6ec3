#!/usr/bin/env node
import * as client from '../dist/client/index.js'
// Throughput (issue #8): N small 2.4 events synced 2.4.199 → 2.3.178 at each concurrency, against
// the raw floor measured in the same process: the same number of bare `POST /events/add` requests
// (the converted events' bytes, built before the timing) sent with global fetch by as many
// workers to a fresh 2.3.178 emulator. Fresh emulators for every measurement; the emulators run
// in this process too (both sides pay for them). The sync is a connector with the default client
// (retries, budgets), default options, no logger and no state store; it is timed from `sync()` to
// its result, i.e. index + lookup + read + convert + create per event. Prints events/s and the
// ratio sync/raw; the target is ≥ 0.5 at concurrency 8.
//
// A second floor, "same requests", sends bare what MISP 2.3 needs for the same outcome: the create,
// then one `POST /events/addTag/{id}/{tagId}` per tag the event carries (MISP 2.3's create ignores
// tags, misp-versions.md §6), the event id read from the create's answer and the tags created
// before the timing. With `--tags none` it equals the creates floor.
//
//   npm run build && node --expose-gc bench/throughput.mjs [--events 2000] [--concurrency 1,4,8,16]
//       [--seed 1] [--repeat 1]
//   ./dev bench-throughput [same options]     (npm run bench:throughput -- [options])
//
// With --repeat R each (concurrency, kind) is measured R times alternately and the median is shown.
import * as bridge from '../dist/index.js'
import * as sync from '../dist/sync/index.js'
import * as testing from '../dist/testing/index.js'
import { options } from './lib/args.mjs'
import { commandLine, fmt, machineLine, table } from './lib/machine.mjs'
import { smallEvents } from './lib/syncEvents.mjs'

const o = options(
  { events: 2000, concurrency: '1,4,8,16', seed: 1, repeat: 1, tags: 'mirror' },
  'node --expose-gc bench/throughput.mjs [--events N] [--concurrency 1,4,8,16] [--seed S] [--repeat R] [--tags mirror|none]',
)
const levels = String(o.concurrency).split(',').map(Number)
const gc = globalThis.gc ?? (() => {})
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const events = smallEvents('2.4', o.events, o.seed)
/** The bodies a sync sends to the 2.3 target: each event decoded, downgraded and encoded. */
const bodies = events.map((w) => {
  const d = bridge.decodeEvent24(w)
  if (d._tag === 'Left')
    throw new Error(`generated event does not decode: ${bridge.formatDecodeFailure(d.left)}`)
  return JSON.stringify(bridge.encodeEvent23(bridge.downgrade(d.right).value))
})

/**
 * Runs `each(i)` for every event with `c` workers, after a GC; the milliseconds it took and how
 * many of the calls said they failed.
 */
const timedWorkers = async (c, each) => {
  let next = 0
  let bad = 0
  gc()
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (let i = next++; i < bodies.length; i = next++) if (!(await each(i))) bad++
    }),
  )
  return { ms: performance.now() - t0, bad }
}

/** Events per second of `count` bare creates with `c` fetch workers, on a fresh 2.3.178. */
const raw = async (c) => {
  const tgt = await testing.startMispEmulator({ version: '2.3.178', role: 'org-admin' })
  try {
    const url = new URL('events/add', tgt.url)
    const headers = {
      Authorization: tgt.apiKey,
      Accept: 'application/json',
      'Content-Type': 'application/json',
    }
    const { ms, bad } = await timedWorkers(c, async (i) => {
      const res = await fetch(url, { method: 'POST', headers, body: bodies[i] })
      await res.text()
      return res.status === 200
    })
    if (bad > 0 || tgt.events().length !== bodies.length)
      throw new Error(`raw floor: ${bad} creates failed, ${tgt.events().length} stored`)
    return { ms, perSecond: (bodies.length / ms) * 1000, requests: tgt.requests.length }
  } finally {
    await tgt.close()
  }
}

/** The crossing tag names of each generated event, as the sync carries them. */
const eventTags = events.map((w) =>
  o.tags === 'none' ? [] : [...new Set((w.Event.Tag ?? []).map((t) => t.name))].sort(),
)
const tagCount = eventTags.reduce((n, t) => n + t.length, 0)

/**
 * Events per second of the same requests bare: per event the create, then an addTag per tag, with
 * `c` fetch workers on a fresh 2.3.178 whose tags exist before the timing.
 */
const rawSameRequests = async (c) => {
  const tgt = await testing.startMispEmulator({ version: '2.3.178', role: 'org-admin' })
  try {
    const headers = {
      Authorization: tgt.apiKey,
      Accept: 'application/json',
      'Content-Type': 'application/json',
    }
    for (const name of new Set(eventTags.flat())) {
      // MISP 2.3 answers a tag create with a redirect to the tag's page: the ids come from the list
      const res = await fetch(new URL('tags/add', tgt.url), {
        method: 'POST',
        headers,
        body: JSON.stringify({ Tag: { name, colour: '#33FF00' } }),
      })
      await res.text()
    }
    const listed = await (await fetch(new URL('tags/index', tgt.url), { headers })).json()
    const tagIds = new Map(listed.Tag.map((t) => [t.name, String(t.id)]))
    const add = new URL('events/add', tgt.url)
    const { ms, bad } = await timedWorkers(c, async (i) => {
      const res = await fetch(add, { method: 'POST', headers, body: bodies[i] })
      const id = (await res.json())?.Event?.id
      if (res.status !== 200 || id === undefined) return false
      let ok = true
      for (const name of eventTags[i]) {
        const t = await fetch(new URL(`events/addTag/${id}/${tagIds.get(name)}`, tgt.url), {
          method: 'POST',
          headers,
          body: '{}',
        })
        ok = t.status === 200 && (await t.json()).saved === true && ok
      }
      return ok
    })
    const attached = tgt.events().reduce((n, e) => n + tgt.eventTags(String(e.Event?.id ?? e.id)).length, 0)
    if (bad > 0 || tgt.events().length !== bodies.length || attached !== tagCount)
      throw new Error(
        `same-requests floor: ${bad} failed, ${tgt.events().length} stored, ${attached}/${tagCount} tags`,
      )
    return { ms, perSecond: (bodies.length / ms) * 1000 }
  } finally {
    await tgt.close()
  }
}

/** Events per second of a sync of the same events at concurrency `c`, fresh 2.4.199 → 2.3.178. */
const viaSync = async (c) => {
  const src = await testing.startMispEmulator({ version: '2.4.199', events })
  const tgt = await testing.startMispEmulator({ version: '2.3.178', role: 'org-admin' })
  try {
    const connector = sync.connect24to23({
      from: new client.MispClient({ url: src.url, key: src.apiKey, version: '2.4' }),
      to: new client.MispClient({ url: tgt.url, key: tgt.apiKey, version: '2.3' }),
      tags: o.tags,
    })
    gc()
    const t0 = performance.now()
    const r = await connector.sync({ concurrency: c })()
    const ms = performance.now() - t0
    if (!r.ok || r.counts.created !== events.length)
      throw new Error(`sync: ${JSON.stringify(r.counts)} ${r.errors.map((e) => e._tag).join(' ')}`)
    return {
      ms,
      perSecond: (events.length / ms) * 1000,
      requests: src.requests.length + tgt.requests.length,
    }
  } finally {
    await Promise.all([src.close(), tgt.close()])
  }
}

console.log(
  `# throughput: ${o.events} small events 2.4.199 → 2.3.178 (seed ${o.seed}), repeat ${o.repeat}, tags ${o.tags} (${tagCount} tags on the events)`,
)
console.log(`machine: ${machineLine()}`)
console.log(`command: ${commandLine()}\n`)
await raw(4) // warm-up: JIT, sockets
await rawSameRequests(4)
await viaSync(4)
const rows = []
for (const c of levels) {
  const r = []
  const q = []
  const s = []
  for (let k = 0; k < o.repeat; k++) {
    r.push(await raw(c))
    q.push(await rawSameRequests(c))
    s.push(await viaSync(c))
  }
  const rawPs = median(r.map((x) => x.perSecond))
  const samePs = median(q.map((x) => x.perSecond))
  const syncPs = median(s.map((x) => x.perSecond))
  const row = [
    c,
    fmt(rawPs),
    fmt(samePs),
    fmt(syncPs),
    `**${fmt(syncPs / rawPs, 2)}**`,
    `**${fmt(syncPs / samePs, 2)}**`,
    fmt(median(r.map((x) => x.ms))),
    fmt(median(q.map((x) => x.ms))),
    fmt(median(s.map((x) => x.ms))),
    fmt(s[0].requests / o.events, 2),
  ]
  rows.push(row)
  console.log(
    `concurrency ${c}: creates floor ${row[1]} events/s, same-requests floor ${row[2]} events/s, sync ${row[3]} events/s; sync/creates ${fmt(syncPs / rawPs, 2)}, sync/same requests ${fmt(syncPs / samePs, 2)}`,
  )
}
console.log('')
table(
  [
    'concurrency',
    'creates floor (events/s)',
    'same-requests floor (events/s)',
    'sync (events/s)',
    'sync/creates floor',
    'sync/same-requests floor',
    'creates floor (ms)',
    'same-requests floor (ms)',
    'sync (ms)',
    'sync requests per event',
  ],
  rows,
)
