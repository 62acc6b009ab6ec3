/**
 * Big events arrive whole, or the run says they did not (issue 15), over real HTTP: a create or
 * an edit cut part-way (the emulator's `cut-write`: the event and its first K attributes saved,
 * then no answer) is never reported done and is completed; a copy `unchanged` by its timestamp
 * but short is completed by a full run; big events go in pieces, and a run cut between pieces is
 * resumed by the next one, which sends only what the copy lacks.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import { connect23to24, connect24to23, memoryStateStore } from '../../src/sync/index.js'
import type { MispEmulator } from '../../src/testing/index.js'
import { lines, type Pair, startPair, T0, wire23, wire24 } from './support.js'

const CREATE = /^\/events(\/add)?$/
const EDIT = /^\/events\/(edit\/)?\d+$/
const fast = { backoffMs: [1] }

let pair: Pair | undefined
afterEach(async () => {
  await pair?.close()
  pair = undefined
})

/** `n` ip-dst attributes with distinct values, at timestamp `ts`. */
const attributes = (n: number, ts: number, from = 0) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k
    return {
      uuid: randomUUID(),
      type: 'ip-dst',
      category: 'Network activity',
      value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      to_ids: true,
      distribution: '5',
      comment: '',
      timestamp: String(ts),
    }
  })

/** A 2.3 event of `n` attributes. */
const big23 = (n: number, ts = T0 + 1) =>
  wire23(1, { timestamp: String(ts), Attribute: attributes(n, ts).map((a) => ({ ...a, distribution: '1' })) })

/** A 2.4 event of `n` attributes: `n - 30` of its own and 10 objects of 3. */
const big24 = (n: number, ts = T0 + 1) =>
  wire24(1, {
    timestamp: String(ts),
    Attribute: attributes(n - 30, ts),
    Object: Array.from({ length: 10 }, (_, o) => ({
      uuid: randomUUID(),
      name: 'domain-ip',
      'meta-category': 'network',
      distribution: '5',
      sharing_group_id: '0',
      timestamp: String(ts),
      deleted: false,
      Attribute: [0, 1, 2].map((k) => ({
        uuid: randomUUID(),
        type: 'ip-dst',
        category: 'Network activity',
        object_relation: 'ip',
        value: `172.16.${o}.${k}`,
        to_ids: true,
        distribution: '5',
        sharing_group_id: '0',
        comment: '',
        timestamp: String(ts),
      })),
    })),
  })

/** Live attributes of a stored event (objects' included). */
const held = (e: MispEmulator, uuid: string): number => {
  const ev = e.event(uuid) as
    | { Attribute?: Array<{ deleted?: unknown }>; Object?: Array<{ Attribute?: Array<unknown> }> }
    | undefined
  if (ev === undefined) return 0
  return (
    (ev.Attribute ?? []).filter((a) => a.deleted !== true).length +
    (ev.Object ?? []).reduce((s, o) => s + (o.Attribute ?? []).length, 0)
  )
}

const directions = [
  {
    name: '2.3 → 2.5',
    v24: '2.5' as const,
    make: (n: number) => ({ events23: [big23(n)] }),
    source: (p: Pair) => p.e23,
    target: (p: Pair) => p.e24,
    connect: (p: Pair, o: Record<string, unknown> = {}) =>
      // as-source: the last piece's edit carries the published state itself (the default, 'quiet',
      // publishes afterwards — refused for the emulator's sync key; see arrival.emulator.test.ts)
      connect23to24({
        from: p.c23,
        to: p.c24,
        recovery: fast,
        concurrency: 1,
        arrival: { publish: 'as-source' },
        ...o,
      }),
  },
  {
    name: '2.4.199 → 2.3',
    v24: '2.4.199' as const,
    // a 2.3 copy is completed by attributes/add, which only a site admin (or the creator org) may use
    make: (n: number) => ({ events24: [big24(n)], role23: 'site-admin' as const }),
    source: (p: Pair) => p.e24,
    target: (p: Pair) => p.e23,
    connect: (p: Pair, o: Record<string, unknown> = {}) =>
      connect24to23({ from: p.c24, to: p.c23, recovery: fast, concurrency: 1, ...o }),
  },
]

const onlyUuid = (p: Pair, d: (typeof directions)[number]): string => {
  const [e] = d.source(p).events()
  return e?.['uuid'] as string
}

describe.each(directions)('$name', (d) => {
  /** a pair with one source event of `n` attributes, and a first run with `pieces` */
  const firstRun = async (n: number, pieces: Record<string, number>) => {
    pair = await startPair(d.v24, d.make(n))
    const p = pair
    const uuid = onlyUuid(p, d)
    const target = d.target(p)
    const from = target.requests.length
    const run = await d.connect(p, { pieces }).sync()()
    return { uuid, target, from, run }
  }

  /** a pair with one source event of `n` attributes, and its copy created by a first run */
  const copied = async (n: number) => {
    pair = await startPair(d.v24, d.make(n))
    const p = pair
    const uuid = onlyUuid(p, d)
    const target = d.target(p)
    const state = memoryStateStore()
    expect((await d.connect(p, { state }).sync()()).counts.created).toBe(1)
    return { p, uuid, target, state }
  }

  test('a create cut after 500 of 2,000 attributes is not reported done: the run completes it (2,000, one event)', async () => {
    pair = await startPair(d.v24, d.make(2000))
    const p = pair
    const uuid = onlyUuid(p, d)
    const target = d.target(p)
    target.inject({ kind: 'cut-write', keep: 500 }, { match: { method: 'POST', path: CREATE } })
    const run = await d.connect(p).sync()()
    expect(run.ok).toBe(true)
    expect(run.events[0]).toMatchObject({ outcome: 'created' })
    expect(run.events[0]?.reason).toMatch(
      /create's answer was lost .*lacked 1500 of 2000 attributes; sent them again: the copy is whole/,
    )
    expect(held(target, uuid)).toBe(2000)
    expect(target.events()).toHaveLength(1)
    // the next run: nothing to do
    const again = await d.connect(p).sync()()
    expect(again.events[0]?.outcome).toBe('unchanged')
    expect(held(target, uuid)).toBe(2000)
  })

  test('a cut create whose completion fails too ends failed, stays in the retry set, and the next run completes it', async () => {
    pair = await startPair(d.v24, d.make(2000))
    const p = pair
    const uuid = onlyUuid(p, d)
    const target = d.target(p)
    const state = memoryStateStore()
    target.inject({ kind: 'cut-write', keep: 500 }, { match: { method: 'POST', path: CREATE } })
    // the completion: an edit (2.3: led by an attribute the copy holds; then attributes/add)
    const completion = d.v24 === '2.5' ? EDIT : /^\/(events\/(edit\/)?\d+|attributes\/add\/\d+)$/
    target.inject({ kind: 'status', status: 503 }, { times: Infinity, match: { path: completion } })
    const run1 = await d.connect(p, { state }).sync()()
    expect(run1.events[0]).toMatchObject({ outcome: 'failed' })
    expect(held(target, uuid)).toBe(500)
    target.clearFaults()
    const saved = [...state.watermarks.values()][0]
    expect(saved?.retry?.map((r) => r.uuid)).toEqual([uuid.toLowerCase()])
    // the next (incremental) run: the copy is as new by its timestamp, but it is in the retry set
    const run2 = await d.connect(p, { state }).sync()()
    expect(run2.ok).toBe(true)
    expect(run2.events[0]).toMatchObject({ outcome: 'updated' })
    expect(run2.events[0]?.reason).toMatch(/lacked 1500 of 2000/)
    expect(held(target, uuid)).toBe(2000)
    expect(target.events()).toHaveLength(1)
    expect([...state.watermarks.values()][0]?.retry ?? []).toEqual([])
  })

  test.skipIf(d.v24 === '2.5')(
    '2.3: a short copy is completed by parallel adds under lost answers and 503s: whole, every uuid once',
    async () => {
      pair = await startPair(d.v24, d.make(600))
      const p = pair
      const uuid = onlyUuid(p, d)
      const target = d.target(p)
      // cut before any attribute, and the edit carrying one of them alone cut too: no attribute to
      // lead an edit with, so the copy is completed by adds
      target.inject({ kind: 'cut-write', keep: 0 }, { match: { method: 'POST', path: CREATE } })
      target.inject({ kind: 'cut-write', keep: 0 }, { match: { path: EDIT } })
      // lost answers after the add was stored, and plain failures: each add is sent again by uuid
      const add = { path: /^\/attributes\/add\// }
      target.inject({ kind: 'reset-after-write' }, { times: 10, match: add })
      target.inject({ kind: 'status', status: 503 }, { times: 10, match: add })
      const run = await d
        .connect(p, { pieces: { parallelAdds: 6 }, recovery: { ...fast, writeAttempts: 8 } })
        .sync()()
      target.clearFaults()
      expect(run.ok).toBe(true)
      expect(held(target, uuid)).toBe(600)
      const ev = target.event(uuid) as {
        Attribute: Array<{ uuid: string }>
        Object?: Array<{ Attribute: Array<{ uuid: string }> }>
      }
      const uuids = [...ev.Attribute, ...(ev.Object ?? []).flatMap((o) => o.Attribute)].map((a) => a.uuid)
      expect(new Set(uuids).size).toBe(uuids.length)
      expect(target.events()).toHaveLength(1)
      // one add per missing attribute, and the faulted ones again
      expect(lines(target).filter((l) => /^POST \/attributes\/add\//.test(l)).length).toBeGreaterThanOrEqual(
        500,
      )
    },
  )

  test('an update cut part-way (the new timestamp stored, 100 of 1,000 new attributes) is completed', async () => {
    const { p, uuid, target, state } = await copied(200)
    const before = held(target, uuid)
    d.source(p).setEvent(uuid, (e) => {
      e['timestamp'] = String(T0 + 50)
      const more = attributes(1000, T0 + 50, 5000)
      e['Attribute'] = [
        ...(e['Attribute'] as Array<unknown>),
        ...(d.v24 === '2.5' ? more.map((a) => ({ ...a, distribution: '1' })) : more),
      ]
    })
    // the edit's body: the 200 there (not newer: skipped by MISP) first, then the new ones
    target.inject({ kind: 'cut-write', keep: before + 100 }, { match: { path: EDIT } })
    const run = await d.connect(p, { state }).sync()()
    expect(run.ok).toBe(true)
    expect(run.events[0]).toMatchObject({ outcome: 'updated' })
    expect(run.events[0]?.reason).toMatch(
      /edit's answer was lost .*lacked \d+ of \d+ attributes; sent them again: the copy is whole/,
    )
    expect(held(target, uuid)).toBe(before + 1000)
  })

  test('a full run completes a copy that is as new by its timestamp but lacks attributes', async () => {
    const { p, uuid, target, state } = await copied(300)
    const whole = held(target, uuid)
    // what a cut write leaves behind: the copy keeps its timestamp, 120 attributes are gone
    target.setEvent(uuid, (e) => {
      e['Attribute'] = (e['Attribute'] as Array<unknown>).slice(0, -120)
    })
    expect(held(target, uuid)).toBe(whole - 120)
    // an incremental run selects nothing; a full run compares the counts and completes the copy
    expect((await d.connect(p, { state }).sync()()).selected).toBe(0)
    const full = await d.connect(p).sync()()
    expect(full.ok).toBe(true)
    expect(full.events[0]).toMatchObject({ outcome: 'updated' })
    expect(full.events[0]?.reason).toMatch(/lacked 120 of/)
    expect(held(target, uuid)).toBe(whole)
    expect((await d.connect(p).sync()()).events[0]?.outcome).toBe('unchanged')
  })

  test('an incremental run completes a copy a crash left short and stamped newer than its source', async () => {
    const { p, uuid, target, state } = await copied(300)
    const whole = held(target, uuid)
    // a run killed while completing a 2.3 copy: each attributes/add stamped it with the server's
    // clock, 120 attributes never came; the run did not save its position past the event
    target.setEvent(uuid, (e) => {
      e['Attribute'] = (e['Attribute'] as Array<unknown>).slice(0, -120)
      e['timestamp'] = String(Number(e['timestamp']) + 500)
    })
    for (const [k, w] of state.watermarks) await state.save(k, { timestamp: w.timestamp - 1, uuid: w.uuid })()
    const next = await d.connect(p, { state }).sync()()
    expect(next.selected).toBe(1)
    expect(next.ok).toBe(true)
    expect(next.events[0]).toMatchObject({ outcome: 'updated' })
    expect(next.events[0]?.reason).toMatch(/lacked 120 of/)
    expect(held(target, uuid)).toBe(whole)
  })

  test.skipIf(d.v24 === '2.5')(
    '2.3: an update adding 3 attributes is stored whole by its one edit, led by an attribute the copy holds',
    async () => {
      const { p, uuid, target, state } = await copied(20)
      const ts = T0 + 50
      d.source(p).setEvent(uuid, (e) => {
        e['Attribute'] = [...(e['Attribute'] as Array<unknown>), ...attributes(3, ts, 5000)]
        e['timestamp'] = String(ts)
      })
      const from = target.requests.length
      const run = await d.connect(p, { state, tags: 'none' }).sync()()
      expect(run.events[0]).toMatchObject({ outcome: 'updated' })
      expect(run.events[0]?.reason ?? '').not.toMatch(/lacked/)
      expect(held(target, uuid)).toBe(held(d.source(p), uuid))
      const edits = target.requests.slice(from).filter((r) => r.method === 'POST' && EDIT.test(r.path))
      expect(edits).toHaveLength(1)
      expect(lines(target, from).filter((l) => l.startsWith('POST /attributes/add'))).toEqual([])
      expect(Number(target.event(uuid)?.['timestamp'])).toBe(ts)
    },
  )

  /** a 2.3 target whose key may not add attributes, the create of 2,000 cut after `keep` */
  const cutFor23Key = async (keep: number) => {
    pair = await startPair(d.v24, { events24: [big24(2000)] })
    const p = pair
    const target = d.target(p)
    target.inject({ kind: 'cut-write', keep }, { match: { method: 'POST', path: CREATE } })
    return { p, uuid: onlyUuid(p, d), target }
  }

  for (const keep of [500, 0])
    test.skipIf(d.v24 === '2.5')(
      `a key that may not add attributes (2.3 "Sync user"), a create cut after ${keep} of 2000: completed by edits, led by an attribute the copy holds${keep === 0 ? ' (first one sent alone)' : ''}`,
      async () => {
        const { p, uuid, target } = await cutFor23Key(keep)
        const run = await d.connect(p, { tags: 'none' }).sync()()
        expect(run.ok).toBe(true)
        expect(run.events[0]).toMatchObject({ outcome: 'created' })
        expect(run.events[0]?.reason).toMatch(
          new RegExp(`lacked ${2000 - keep} of 2000 attributes; sent them again: the copy is whole`),
        )
        expect(held(target, uuid)).toBe(2000)
        expect(lines(target).filter((l) => l.includes('/attributes/add/'))).toEqual([])
        // without the leading attribute, MISP 2.3's edit would have kept one of the new ones
        const edits = target.requests.filter((r) => r.method === 'POST' && EDIT.test(r.path))
        const sent = (e: (typeof edits)[number] | undefined) =>
          (e?.body as { Event?: { Attribute?: Array<{ uuid: string }> } } | undefined)?.Event?.Attribute ?? []
        const held0 = (d.source(p).event(uuid)?.['Attribute'] as Array<{ uuid: string }> | undefined)?.[0]
          ?.uuid
        if (keep === 0) {
          expect(sent(edits[0]).map((a) => a.uuid)).toEqual([held0])
          expect(sent(edits[1])[0]?.uuid).toBe(held0)
        } else expect(sent(edits[0])[0]?.uuid).toBe(held0)
        expect((await d.connect(p, { tags: 'none' }).sync()()).events[0]?.outcome).toBe('unchanged')
      },
    )

  test.skipIf(d.v24 === '2.5')(
    'the same, the lone attribute not kept either: failed (adds refused), never reported done',
    async () => {
      const { p, uuid, target } = await cutFor23Key(0)
      target.inject({ kind: 'cut-write', keep: 0 }, { match: { path: EDIT } })
      const run = await d.connect(p, { tags: 'none' }).sync()()
      expect(run.events[0]).toMatchObject({
        outcome: 'failed',
        error: { _tag: 'TargetFailed', step: 'add-attribute', error: { _tag: 'Forbidden' } },
      })
      expect(run.events[0]?.reason).toMatch(/lacked 2000 of 2000 attributes; 0 added, then an add failed/)
      expect(run.stopped).toBeUndefined()
      expect(held(target, uuid)).toBe(0)
    },
  )

  test.skipIf(d.v24 !== '2.5')(
    'in pieces: never current while short, a cut between pieces resumed by the next run with only what is missing',
    async () => {
      pair = await startPair(d.v24, d.make(1000))
      const p = pair
      const uuid = onlyUuid(p, d)
      const target = d.target(p)
      const state = memoryStateStore()
      const pieces = { threshold: 300, size: 200 }
      const sourceTs = Number(d.source(p).event(uuid)?.['timestamp'])
      // the create and two edits land, then every edit fails
      target.inject({ kind: 'hang', ms: 1 }, { times: 2, match: { path: EDIT } })
      target.inject({ kind: 'status', status: 503 }, { times: 50, match: { path: EDIT } })
      const run1 = await d.connect(p, { state, pieces }).sync()()
      expect(run1.events[0]).toMatchObject({ outcome: 'failed' })
      expect(run1.events[0]?.reason).toMatch(/piece 3 of 4/)
      expect(held(target, uuid)).toBe(600)
      // the short copy is older than its source and not published
      const short = target.event(uuid)
      expect(Number(short?.['timestamp'])).toBeLessThan(sourceTs)
      expect(short?.['published']).toBe(false)
      target.clearFaults()
      const from = target.requests.length
      const run2 = await d.connect(p, { state, pieces }).sync()()
      expect(run2.ok).toBe(true)
      expect(run2.events[0]).toMatchObject({ outcome: 'updated' })
      expect(held(target, uuid)).toBe(1000)
      expect(target.events()).toHaveLength(1)
      const copy = target.event(uuid)
      expect(Number(copy?.['timestamp'])).toBe(sourceTs)
      expect(copy?.['published']).toBe(true)
      // run 2 sent only the 400 missing attributes: two pieces and the last edit (none left for it)
      const sent = target.requests
        .slice(from)
        .filter((r) => r.method !== 'GET' && EDIT.test(r.path))
        .map((r) => {
          const e = (
            r.body as {
              Event: { Attribute?: Array<unknown>; Object?: Array<{ Attribute?: Array<unknown> }> }
            }
          ).Event
          return (
            (e.Attribute ?? []).length + (e.Object ?? []).reduce((s, o) => s + (o.Attribute ?? []).length, 0)
          )
        })
      expect(sent).toEqual([200, 200, 0])
      expect((await d.connect(p, { state, pieces }).sync()()).selected).toBe(0)
    },
  )

  test.skipIf(d.v24 !== '2.5')(
    'in pieces from the start: created whole, every request below the piece size',
    async () => {
      const { uuid, target, from, run } = await firstRun(1000, { threshold: 300, size: 250 })
      expect(run.ok).toBe(true)
      expect(run.events[0]).toMatchObject({ outcome: 'created' })
      expect(run.events[0]?.reason).toMatch(/1000 attributes in 4 pieces; the copy is whole/)
      expect(held(target, uuid)).toBe(1000)
      const writes = lines(target, from).filter(
        (l) => /^(POST|PUT) \/events/.test(l) && !/restSearch|index|Tag/.test(l),
      )
      expect(writes).toHaveLength(5) // a create, 3 edits, the last edit
    },
  )

  test.skipIf(d.v24 === '2.5')(
    'a 2.3 target gets a big event in one create (a 2.3.178 edit does not store new attributes)',
    async () => {
      const { uuid, target, from, run } = await firstRun(1000, { threshold: 300, size: 250 })
      expect(run.events[0]).toMatchObject({ outcome: 'created' })
      expect(held(target, uuid)).toBe(1000)
      expect(lines(target, from).filter((l) => /^POST \/events(\/add|\/edit\/\d+)?$/.test(l))).toEqual([
        'POST /events',
      ])
    },
  )
})
