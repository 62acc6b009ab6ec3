/**
 * Tags (TLP markings) and retractions (deleted attributes) cross the bridge, both ways, over
 * real HTTP between emulators of MISP 2.3.178 and MISP 2.4.199 / 2.5. The sources are changed the
 * way a user would change them — through the REST API (addTag, removeTag, attribute delete) — and
 * the targets are read back through the REST API too.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, test } from 'vitest'
import type { MispClient } from '../../src/client/index.js'
import { connect23to24, connect24to23, memoryStateStore, type StateStore } from '../../src/sync/index.js'
import { landed, lines, type Pair, startPair, T0, uuidOf, wire23, wire24 } from './support.js'

/** a write: any POST, PUT or DELETE but the read-only searches */
const WRITE = /^(PUT|DELETE) |^POST (?!\/events\/(restSearch|index)\b)/
const right = async <A>(te: () => Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(`expected Right, got ${JSON.stringify(r.left).slice(0, 400)}`)
  return r.right
}

/** A 2.3 event's tags, read as the bridge must: the tag list and `searchtag` per tag. */
const tags23 = async (c: MispClient<'2.3'>, uuid: string): Promise<Array<string>> => {
  const names: Array<string> = []
  for (const t of await right(c.tags())) {
    const rows = await right(c.eventsWithTag(t.id))
    if (rows.some((r) => String(r.uuid).toLowerCase() === uuid.toLowerCase())) names.push(t.name)
  }
  return names.sort()
}

/** A 2.4 event's tags (non-local), from its view. */
const tags24 = async (c: MispClient<'2.4'>, uuid: string): Promise<Array<string>> =>
  ((await right(c.get(uuid))).Tag ?? [])
    .filter((t) => t.local !== true)
    .map((t) => t.name)
    .sort()

const attributeUuids = (e: {
  Attribute?: ReadonlyArray<{ uuid: string }>
  Object?: ReadonlyArray<{ Attribute?: ReadonlyArray<{ uuid: string }> }>
}) =>
  [...(e.Attribute ?? []), ...(e.Object ?? []).flatMap((o) => o.Attribute ?? [])]
    .map((a) => a.uuid.toLowerCase())
    .sort()

/**
 * The servers' clock: MISP timestamps are in seconds, so each change at a source happens in a
 * later second than the run before it (as it would between two real runs).
 */
let now = T0 + 1000
const clock = () => now
const later = () => {
  now += 10
}

let pair: Pair | undefined
afterEach(async () => {
  await pair?.close()
  pair = undefined
})

describe.each(['2.4.199', '2.5'] as const)('MISP %s → MISP 2.3.178', (v24) => {
  test('tags carried (not local ones), a tag swap mirrored, a retraction mirrored, a second run writes nothing', async () => {
    const a = wire24(1, {
      Tag: [
        { name: 'tlp:red', colour: '#CC0033', exportable: true },
        { name: 'misp-galaxy:threat-actor="Sofacy"', colour: '#0088cc', exportable: true },
        { name: 'internal:triage', colour: '#ffffff', exportable: true, local: true },
      ],
    })
    const b = wire24(2, { Tag: [] })
    pair = await startPair(v24, { events24: [a, b], clock })
    const p = pair
    const A = uuidOf(a)
    const state: StateStore = memoryStateStore()
    const make = (o: { state?: StateStore } = {}) =>
      connect24to23({ from: p.c24, to: p.c23, concurrency: 2, ...o })

    // run 1: created, with the source's exportable non-local tags (the galaxy cluster as a plain tag)
    const run1 = await make({ state }).sync()()
    expect(run1.ok).toBe(true)
    expect(run1.counts.created).toBe(2)
    expect(await tags23(p.c23, A)).toEqual(['misp-galaxy:threat-actor="Sofacy"', 'tlp:red'])
    expect(await tags23(p.c23, uuidOf(b))).toEqual([])
    const created = run1.events.find((e) => e.uuid === A)!
    expect(created.changes?.tagsAttached).toEqual(['misp-galaxy:threat-actor="Sofacy"', 'tlp:red'])
    expect(run1.changes.tagsAttached).toBe(2)

    // a user swaps tlp:red for tlp:amber at the source (on 2.4/2.5 this bumps the event's timestamp)
    later()
    p.e24.untagEvent(A, 'tlp:red')
    p.e24.tagEvent(A, 'tlp:amber')
    const run2 = await make({ state }).sync()()
    expect(run2.ok).toBe(true)
    expect(run2.selected).toBe(1)
    expect(run2.events[0]).toMatchObject({ uuid: A, outcome: 'updated' })
    expect(run2.events[0]?.changes).toMatchObject({ tagsAttached: ['tlp:amber'], tagsDetached: ['tlp:red'] })
    expect(await tags23(p.c23, A)).toEqual(['misp-galaxy:threat-actor="Sofacy"', 'tlp:amber'])

    // the source retracts an attribute (a soft delete)
    const source = await right(p.c24.get(A))
    const retracted = source.Attribute?.find((x) => x.type === 'domain') as NonNullable<
      typeof source.Attribute
    >[number]
    later()
    p.e24.deleteAttribute(retracted.uuid)
    expect(p.e24.attributeState(retracted.uuid)).toBe('deleted')
    const run3 = await make({ state }).sync()()
    expect(run3.ok).toBe(true)
    expect(run3.events[0]?.changes?.attributesDeleted).toEqual([
      expect.objectContaining({ uuid: retracted.uuid.toLowerCase() }),
    ])
    const target = await right(p.c23.get(A))
    expect(attributeUuids(target)).not.toContain(retracted.uuid.toLowerCase())
    expect(attributeUuids(target).length).toBeGreaterThan(0)

    // a second run (incremental, then full without state) writes nothing
    const before = p.e23.requests.length
    const run4 = await make({ state }).sync()()
    expect(run4.ok).toBe(true)
    expect(run4.selected).toBe(0)
    const run5 = await make().sync()()
    expect(run5.ok).toBe(true)
    expect(run5.counts).toMatchObject({ unchanged: 2, created: 0, updated: 0 })
    expect(landed(p.e23, before).filter((l) => WRITE.test(l))).toEqual([])
  })

  test('2.3 → 2.4: tags read from 2.3 and carried; a tag-only change and an attribute deletion (timestamps unchanged) are caught; a second run writes nothing', async () => {
    const a = wire23(1, { Tag: [{ name: 'tlp:red' }, { name: 'osint:source-type="blog-post"' }] })
    const b = wire23(2)
    pair = await startPair(v24, { events23: [a, b], clock })
    const p = pair
    const A = uuidOf(a)
    expect(await tags23(p.c23, A)).toEqual(['osint:source-type="blog-post"', 'tlp:red'])
    const state = memoryStateStore()
    const make = (o: { state?: StateStore } = {}) => connect23to24({ from: p.c23, to: p.c24, ...o })

    const run1 = await make({ state }).sync()()
    expect(run1.ok).toBe(true)
    expect(run1.counts.created).toBe(2)
    expect(await tags24(p.c24, A)).toEqual(['osint:source-type="blog-post"', 'tlp:red'])
    expect(await tags24(p.c24, uuidOf(b))).toEqual([])

    // a tag swap on 2.3 does not move the 2.3 event's timestamp; even an incremental run sees it
    const stamp = (await right(p.c23.get(A))).timestamp
    later()
    p.e23.untagEvent(A, 'tlp:red')
    p.e23.tagEvent(A, 'tlp:amber')
    expect((await right(p.c23.get(A))).timestamp).toBe(stamp)
    const run2 = await make({ state }).sync()()
    expect(run2.ok).toBe(true)
    expect(run2.events.map((e) => [e.uuid, e.outcome])).toEqual([[A, 'updated']])
    expect(run2.events[0]?.changes).toMatchObject({ tagsAttached: ['tlp:amber'], tagsDetached: ['tlp:red'] })
    expect(await tags24(p.c24, A)).toEqual(['osint:source-type="blog-post"', 'tlp:amber'])

    // an attribute deleted on 2.3 (a hard delete, the event's timestamp unchanged): a full run
    const src = await right(p.c23.get(A))
    const gone = src.Attribute?.[0] as NonNullable<typeof src.Attribute>[number]
    later()
    p.e23.deleteAttribute(gone.uuid)
    expect(p.e23.attributeState(gone.uuid)).toBe('absent')
    expect((await right(p.c23.get(A))).timestamp).toBe(stamp)
    const run3 = await make().sync()()
    expect(run3.ok).toBe(true)
    expect(run3.events.find((e) => e.uuid === A)).toMatchObject({ outcome: 'updated' })
    expect(run3.events.find((e) => e.uuid === A)?.changes?.attributesDeleted).toEqual([
      expect.objectContaining({ uuid: gone.uuid.toLowerCase() }),
    ])
    // soft-deleted on the 2.4 target: hidden from the view, still there with deleted: true
    expect(attributeUuids(await right(p.c24.get(A)))).not.toContain(gone.uuid.toLowerCase())
    expect(p.e24.attributeState(gone.uuid)).toBe('deleted')
    const withDeleted = await right(p.c24.get(A, { deleted: true }))
    expect(
      withDeleted.Attribute?.find((x) => x.uuid.toLowerCase() === gone.uuid.toLowerCase())?.deleted,
    ).toBe(true)

    // a second run, full and incremental, writes nothing
    const before = p.e24.requests.length
    const run4 = await make().sync()()
    expect(run4.ok).toBe(true)
    expect(run4.counts).toMatchObject({ unchanged: 2, updated: 0, created: 0 })
    const run5 = await make({ state }).sync()()
    expect(run5.ok).toBe(true)
    expect(landed(p.e24, before).filter((l) => WRITE.test(l))).toEqual([])
    // the incremental run costs the target one request (its index)
    const incremental = p.e24.requests.length
    await make({ state }).sync()()
    expect(p.e24.requests.length - incremental).toBeLessThanOrEqual(1)
  })

  test('tags: add-only never removes, none never touches tags; a dry run reports without writing', async () => {
    const a = wire24(1, { Tag: [{ name: 'tlp:red', exportable: true }] })
    pair = await startPair(v24, { events24: [a], clock })
    const p = pair
    const A = uuidOf(a)
    const dry = await connect24to23({ from: p.c24, to: p.c23 }).sync({ dryRun: true })()
    expect(dry.events[0]).toMatchObject({
      outcome: 'created',
      changes: { tagsAttached: ['tlp:red'], tagsCreated: ['tlp:red'] },
    })
    expect(landed(p.e23).filter((l) => WRITE.test(l))).toEqual([])

    await connect24to23({ from: p.c24, to: p.c23, tags: 'none' }).sync()()
    expect(await tags23(p.c23, A)).toEqual([])
    await connect24to23({ from: p.c24, to: p.c23 }).sync({ uuids: [A] })()
    expect(await tags23(p.c23, A)).toEqual(['tlp:red'])

    later()
    p.e24.untagEvent(A, 'tlp:red')
    p.e24.tagEvent(A, 'tlp:clear')
    const before = p.e23.requests.length
    const preview = await connect24to23({ from: p.c24, to: p.c23 }).sync({ dryRun: true })()
    expect(preview.events[0]?.changes).toMatchObject({
      tagsAttached: ['tlp:clear'],
      tagsDetached: ['tlp:red'],
    })
    expect(landed(p.e23, before).filter((l) => WRITE.test(l))).toEqual([])
    await connect24to23({ from: p.c24, to: p.c23, tags: 'add-only' }).sync()()
    expect(await tags23(p.c23, A)).toEqual(['tlp:clear', 'tlp:red'])
    await connect24to23({ from: p.c24, to: p.c23, tags: 'mirror' }).sync({ uuids: [A] })()
    expect(await tags23(p.c23, A)).toEqual(['tlp:clear'])
  })
})

describe('a full run to MISP 2.3 reads only the tags its events can carry', () => {
  const v24 = '2.4.199' as const
  /**
   * A pair whose 2.4 source holds one event per tag name, and whose 2.3 target holds `own` events
   * of its own (not locked), each with a tag of its own that the source never carries.
   */
  const start = async (names: ReadonlyArray<string>, own: number) => {
    const events = names.map((name, i) => wire24(i + 1, { Tag: [{ name, exportable: true }] }))
    pair = await startPair(v24, { events24: events, clock })
    const natives = Array.from({ length: own }, (_, i) => wire23(100 + i, { locked: false }))
    pair.e23.seed(natives)
    for (const [i, e] of natives.entries()) pair.e23.tagEvent(uuidOf(e), `own:tag-${i}`)
    return { p: pair, events, natives }
  }

  test('2.4.199 → 2.3: the source’s tags one by one, the target’s own tags in one search; an extra tag on a copy is caught', async () => {
    const { p, events, natives: own } = await start(['tlp:green', 'tlp:amber'], 8)
    const a = events[0]!
    expect((await connect24to23({ from: p.c24, to: p.c23 }).sync()()).counts.created).toBe(2)

    // nothing changed: a full run (no state) reads the index, the tag list, one search per
    // carried tag (2) and one for the 8 others — not one per tag in use (10)
    const before = p.e23.requests.length
    const full = await connect24to23({ from: p.c24, to: p.c23 }).sync()()
    expect(full.counts).toMatchObject({ unchanged: 2, updated: 0, failed: 0 })
    const asked = landed(p.e23, before)
    expect(asked.filter((l) => l.startsWith('GET /events/index/searchtag:'))).toHaveLength(3)
    expect(asked.filter((l) => WRITE.test(l))).toEqual([])
    expect(asked.length).toBeLessThanOrEqual(5)

    // an analyst tags a copy on 2.3 with one of the target's own tags: the full run finds it
    // (the one search over the others shows a copy) and, mirroring, removes it
    p.e23.tagEvent(uuidOf(a), 'own:tag-3')
    const mirrored = await connect24to23({ from: p.c24, to: p.c23 }).sync()()
    expect(mirrored.events.find((e) => e.uuid === uuidOf(a))?.changes?.tagsDetached).toEqual(['own:tag-3'])
    expect(await tags23(p.c23, uuidOf(a))).toEqual(['tlp:green'])
    // the target's own event keeps its tag
    expect(await tags23(p.c23, uuidOf(own[3]!))).toEqual(['own:tag-3'])
  })

  test('with state, a changed marking: the copy’s old tag is found among 40 of the target’s own by halving', async () => {
    const { p, events } = await start(['tlp:green', 'tlp:white'], 40)
    const [a, b] = [events[0]!, events[1]!]
    const state = memoryStateStore()
    const make = () => connect24to23({ from: p.c24, to: p.c23, state })
    expect((await make().sync()()).counts.created).toBe(2)

    later()
    p.e24.untagEvent(uuidOf(a), 'tlp:green')
    p.e24.tagEvent(uuidOf(a), 'tlp:amber')
    const before = p.e23.requests.length
    const run = await make().sync()()
    expect(run.selected).toBe(1)
    // 42 tags in use on the target: the old way read every one (42 searches); halving finds
    // tlp:green among the 41 the changed event does not carry in about 2·log2(41) searches
    const searches = lines(p.e23, before).filter((l) => l.startsWith('GET /events/index/searchtag:'))
    expect(searches.length).toBeLessThan(20)
    expect(run.events[0]?.changes).toMatchObject({ tagsAttached: ['tlp:amber'], tagsDetached: ['tlp:green'] })
    expect(await tags23(p.c23, uuidOf(a))).toEqual(['tlp:amber'])
    expect(await tags23(p.c23, uuidOf(b))).toEqual(['tlp:white'])
  })

  test('transfer(uuid): the copy’s tags are read for that event alone', async () => {
    const { p, events } = await start(['tlp:green', 'tlp:white'], 40)
    const a = events[0]!
    const connector = connect24to23({ from: p.c24, to: p.c23 })
    expect((await connector.sync()()).counts.created).toBe(2)
    later()
    p.e24.untagEvent(uuidOf(a), 'tlp:green')
    p.e24.tagEvent(uuidOf(a), 'tlp:amber')
    const before = p.e23.requests.length
    const r = await connector.transfer(uuidOf(a))()
    const searches = lines(p.e23, before).filter((l) => l.startsWith('GET /events/index/searchtag:'))
    // the whole map would be 42 searches (every tag in use)
    expect(searches.length).toBeLessThan(20)
    expect(r).toMatchObject({
      outcome: 'updated',
      changes: { tagsAttached: ['tlp:amber'], tagsDetached: ['tlp:green'] },
    })
    expect(await tags23(p.c23, uuidOf(a))).toEqual(['tlp:amber'])
    expect(await tags23(p.c23, uuidOf(events[1]!))).toEqual(['tlp:white'])
  })

  test('add-only: a copy’s extra tag is kept, and a full run writes nothing', async () => {
    const a = wire24(1, { Tag: [{ name: 'tlp:green', exportable: true }] })
    pair = await startPair(v24, { events24: [a], clock })
    const p = pair
    const make = () => connect24to23({ from: p.c24, to: p.c23, tags: 'add-only' })
    expect((await make().sync()()).counts.created).toBe(1)
    p.e23.tagEvent(uuidOf(a), 'analyst:seen')
    const source = p.e24.requests.length
    const target = p.e23.requests.length
    const full = await make().sync()()
    expect(full.events[0]).toMatchObject({ outcome: 'unchanged' })
    // the copy counts fewer attributes than the source (the sha512 the conversion drops): a full
    // run reads the event to tell a short copy from a lossy one — once, and the copy not at all
    expect(lines(p.e24, source).filter((l) => /restSearch|events\/view/.test(l))).toHaveLength(1)
    expect(lines(p.e23, target).filter((l) => /events\/view/.test(l))).toEqual([])
    expect(landed(p.e23, target).filter((l) => WRITE.test(l))).toEqual([])
    expect(await tags23(p.c23, uuidOf(a))).toEqual(['analyst:seen', 'tlp:green'])
  })
})
