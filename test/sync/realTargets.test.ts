/**
 * The fixes of issue 14 against **real** MISP servers: a retraction and a tag swap mirrored to a
 * real 2.3.178 (item 1: real 2.3 answers `POST /attributes/delete/{id}` with `302 Location:
 * <base>/attributes`; the event must end `updated` with its tag changes in the same run), tags
 * created once at concurrency 4 (item 5) in the source's colour (item 4), also on a real 2.5.1.
 * Skipped unless `MISP_REAL_23_URL`/`MISP_REAL_23_KEY` and `MISP_REAL_25_URL`/`MISP_REAL_25_KEY`
 * (the site admins' keys, `../shared/real-misp`) are set. Fresh uuids and tag names: nothing here
 * depends on what else is on those servers.
 */
import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import { connect23to24, connect24to23 } from '../../src/sync/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { uuidOf, wire23, wire24 } from './support.js'

const env = process.env
const real = env['MISP_REAL_23_URL'] !== undefined && env['MISP_REAL_23_KEY'] !== undefined
if (!real) console.log('realTargets.test: MISP_REAL_23_URL/MISP_REAL_23_KEY unset: real 2.3 skipped')

const open: Array<MispEmulator> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})

describe.skipIf(!real)('MISP 2.5 (emulator) → real MISP 2.3.178, site admin key', () => {
  test('a retraction and a tag swap: updated in one run, the attribute gone, the tags swapped', async () => {
    const first = `misp-bridge-test:first="${randomUUID()}"`
    const second = `misp-bridge-test:second="${randomUUID()}"`
    const now = Math.floor(Date.now() / 1000)
    let clock = now
    const event = wire24(1, {
      timestamp: String(now - 100),
      Tag: [{ name: first, colour: '#0088cc', exportable: true }],
    })
    const e25 = await startMispEmulator({ version: '2.5', events: [event], clock: () => clock })
    open.push(e25)
    const c25 = new MispClient({ url: e25.url, key: e25.apiKey, version: '2.4', retry: 0 })
    const c23 = new MispClient({
      url: env['MISP_REAL_23_URL']!,
      key: env['MISP_REAL_23_KEY']!,
      version: '2.3',
    })
    const uuid = uuidOf(event)

    const run1 = await connect24to23({ from: c25, to: c23 }).sync({ uuids: [uuid] })()
    expect(run1.events[0]).toMatchObject({ outcome: 'created' })
    const created = await c23.get(uuid)()
    if (E.isLeft(created)) throw new Error(JSON.stringify(created.left))
    const before = (created.right.Attribute ?? []).length
    expect(before).toBeGreaterThan(0)
    // the created tag took the source's colour (issue 14, item 4)
    const tags = await c23.tags()()
    expect(E.isRight(tags) && tags.right.find((t) => t.name === first)?.colour?.toLowerCase()).toBe('#0088cc')

    // at the source: an attribute retracted, the tag swapped (each bumps the event's timestamp)
    clock += 10
    const domain = (await c25.get(uuid)()) as E.Right<{
      Attribute?: ReadonlyArray<{ uuid: string; type: string }>
    }>
    const retracted = domain.right.Attribute?.find((a) => a.type === 'domain')
    expect(retracted).toBeDefined()
    e25.deleteAttribute(retracted!.uuid)
    e25.untagEvent(uuid, first)
    e25.tagEvent(uuid, second)

    const run2 = await connect24to23({ from: c25, to: c23 }).sync({ uuids: [uuid] })()
    expect(run2.ok).toBe(true)
    expect(run2.events[0]).toMatchObject({ outcome: 'updated' })
    expect(run2.events[0]?.changes).toMatchObject({
      tagsAttached: [second],
      tagsDetached: [first],
      attributesDeleted: [expect.objectContaining({ uuid: retracted!.uuid.toLowerCase() })],
    })
    const after = await c23.get(uuid)()
    if (E.isLeft(after)) throw new Error(JSON.stringify(after.left))
    expect((after.right.Attribute ?? []).map((a) => a.uuid.toLowerCase())).not.toContain(
      retracted!.uuid.toLowerCase(),
    )

    // a third run writes nothing
    const run3 = await connect24to23({ from: c25, to: c23 }).sync({ uuids: [uuid] })()
    expect(run3.events[0]?.outcome).toBe('unchanged')
  })

  test('8 events sharing a tag the target lacks, concurrency 4: one tag created, counted once, in its colour', async () => {
    const name = `misp-bridge-test:shared="${randomUUID()}"`
    const events = Array.from({ length: 8 }, (_, i) =>
      wire24(i + 1, { Tag: [{ name, colour: '#123abc', exportable: true }] }),
    )
    const e25 = await startMispEmulator({ version: '2.5', events })
    open.push(e25)
    const c25 = new MispClient({ url: e25.url, key: e25.apiKey, version: '2.4', retry: 0 })
    const c23 = new MispClient({
      url: env['MISP_REAL_23_URL']!,
      key: env['MISP_REAL_23_KEY']!,
      version: '2.3',
    })
    const run = await connect24to23({ from: c25, to: c23, concurrency: 4 }).sync({
      uuids: events.map(uuidOf),
    })()
    expect(run.ok).toBe(true)
    expect(run.counts.created).toBe(8)
    expect(run.changes.tagsCreated).toBe(1)
    expect(run.changes.tagsAttached).toBe(8)
    const tags = await c23.tags()()
    expect(
      E.isRight(tags) && tags.right.filter((t) => t.name === name).map((t) => t.colour?.toLowerCase()),
    ).toEqual(['#123abc'])
  })
})

const real25 = env['MISP_REAL_25_URL'] !== undefined && env['MISP_REAL_25_KEY'] !== undefined
if (!real25) console.log('realTargets.test: MISP_REAL_25_URL/MISP_REAL_25_KEY unset: real 2.5 skipped')

describe.skipIf(!real25)('MISP 2.3.178 (emulator) → real MISP 2.5.1, site admin key', () => {
  test("a tag the target lacks is created with the 2.3 source's colour", async () => {
    const name = `misp-bridge-test:colour="${randomUUID()}"`
    const events = [wire23(1), wire23(2)]
    const e23 = await startMispEmulator({ version: '2.3.178', events })
    open.push(e23)
    for (const e of events) e23.tagEvent(uuidOf(e), name)
    const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
    const listed = (await c23.tags()()) as E.Right<ReadonlyArray<{ name: string; colour?: string }>>
    const colour = listed.right.find((t) => t.name === name)?.colour
    const c25 = new MispClient({
      url: env['MISP_REAL_25_URL']!,
      key: env['MISP_REAL_25_KEY']!,
      version: '2.4',
    })
    const run = await connect23to24({ from: c23, to: c25, concurrency: 2 }).sync({
      uuids: events.map(uuidOf),
    })()
    expect(run.ok).toBe(true)
    const tags = await c25.tags()()
    expect(E.isRight(tags) && tags.right.find((t) => t.name === name)?.colour?.toLowerCase()).toBe(
      colour?.toLowerCase(),
    )
  })
})
