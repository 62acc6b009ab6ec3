/**
 * A target key that may not tag (MISP 2.3's stock "Sync user"), with tags carried: the run finds
 * it out before the first write, writes nothing and says so once, with the fix; with
 * `tags: 'none'` the same key works (issue 14, item 2). Against the emulator's stock roles, and
 * against the real MISP 2.3.178 when `MISP_REAL_23_URL`/`MISP_REAL_23_SYNC_KEY` are set.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import {
  connect23to24,
  connect24to23,
  formatRunError,
  formatRunResult,
  formatTransferError,
} from '../../src/sync/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { lines, uuidOf, wire23, wire24 } from './support.js'

const WRITE = /^(PUT|DELETE) |^POST (?!\/events\/(restSearch|index|filterEventIdsForPush)\b)/

const open: Array<MispEmulator> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})

const source = async (n: number) => {
  const events = Array.from({ length: n }, (_, i) =>
    wire24(i + 1, { Tag: [{ name: 'tlp:red', colour: '#CC0033', exportable: true }] }),
  )
  const e24 = await startMispEmulator({ version: '2.5', events })
  open.push(e24)
  return { events, c24: new MispClient({ url: e24.url, key: e24.apiKey, version: '2.4', retry: 0 }) }
}

describe('MISP 2.5 → MISP 2.3.178 with the stock "Sync user" key (perm_sync, no perm_tagger)', () => {
  test('tags mirrored: nothing written, one error naming the fix; tags none: created', async () => {
    const { events, c24 } = await source(3)
    const e23 = await startMispEmulator({ version: '2.3.178', role: 'sync' })
    open.push(e23)
    const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })

    const run = await connect24to23({ from: c24, to: c23 }).sync()()
    expect(run.ok).toBe(false)
    expect(run.stopped).toBe('not-permitted')
    expect(run.events).toEqual([])
    expect(run.notAttempted).toHaveLength(3)
    expect(run.errors).toEqual([
      expect.objectContaining({ _tag: 'KeyNotPermitted', permission: 'perm_tagger' }),
    ])
    expect(lines(e23).filter((l) => WRITE.test(l))).toEqual([])
    expect(e23.events()).toEqual([])
    const said = formatRunResult(run)
    expect(said.match(/may not tag/g)).toHaveLength(1)
    expect(formatRunError(run.errors[0]!)).toMatch(/tagger permission.*--tags none/)

    const none = await connect24to23({ from: c24, to: c23, tags: 'none' }).sync()()
    expect(none.ok).toBe(true)
    expect(none.counts.created).toBe(3)
    for (const e of events) expect(e23.event(uuidOf(e))).toBeDefined()
  })

  test('a dry run says the same, and a key that may tag ("Org Admin") runs', async () => {
    const { c24 } = await source(1)
    const sync = await startMispEmulator({ version: '2.3.178', role: 'sync' })
    const admin = await startMispEmulator({ version: '2.3.178', role: 'org-admin' })
    open.push(sync, admin)
    const to = (e: MispEmulator) => new MispClient({ url: e.url, key: e.apiKey, version: '2.3', retry: 0 })
    const dry = await connect24to23({ from: c24, to: to(sync) }).sync({ dryRun: true })()
    expect(dry.stopped).toBe('not-permitted')
    const ok = await connect24to23({ from: c24, to: to(admin) }).sync()()
    expect(ok.ok).toBe(true)
    expect(ok.events[0]?.changes?.tagsAttached).toEqual(['tlp:red'])
  })
})

describe('MISP 2.3.178 → MISP 2.5 with a key that may tag but not create tags (stock "Publisher")', () => {
  test('an event carrying a tag the target lacks fails unwritten; one whose tags exist is created with them', async () => {
    const lacking = wire23(1)
    const known = wire23(2)
    const e23 = await startMispEmulator({ version: '2.3.178', events: [lacking, known] })
    const e25 = await startMispEmulator({ version: '2.5', role: 'publisher' })
    open.push(e23, e25)
    e23.tagEvent(uuidOf(lacking), 'tlp:red')
    e23.tagEvent(uuidOf(known), 'tlp:green')
    e25.seed([wire24(9, { Tag: [{ name: 'tlp:green', colour: '#339900', exportable: true }] })]) // tlp:green exists there
    const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
    const c25 = new MispClient({ url: e25.url, key: e25.apiKey, version: '2.4', retry: 0 })
    const run = await connect23to24({ from: c23, to: c25 }).sync()()
    const failed = run.events.find((e) => e.uuid === uuidOf(lacking))
    expect(failed).toMatchObject({
      outcome: 'failed',
      error: { _tag: 'NotPermitted', permission: 'perm_tag_editor', role: 'Publisher', tags: ['tlp:red'] },
    })
    expect(formatTransferError(failed!.error!)).toMatch(/lacks tlp:red .*perm_tag_editor/)
    expect(e25.event(uuidOf(lacking))).toBeUndefined()
    expect(run.events.find((e) => e.uuid === uuidOf(known))?.outcome).toBe('created')
    expect(e25.eventTags(uuidOf(known)).map((t) => t.name)).toEqual(['tlp:green'])
  })
})

describe('the gate under transient faults: a key whose permissions are unknown writes nothing', () => {
  const quick = { backoffMs: [1] }
  const probe = { path: /^\/(tags\/delete|jobs\/index|events\/filterEventIdsForPush)/ }

  test('a probe failing once is asked again: the "Sync user" key is still refused before any write', async () => {
    const { c24 } = await source(3)
    const e23 = await startMispEmulator({ version: '2.3.178', role: 'sync' })
    open.push(e23)
    e23.inject({ kind: 'status', status: 500 }, { times: 2, match: probe })
    const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
    const run = await connect24to23({ from: c24, to: c23, recovery: quick }).sync()()
    expect(run.stopped).toBe('not-permitted')
    expect(lines(e23).filter((l) => WRITE.test(l))).toEqual([])
    expect(e23.events()).toEqual([])
  })

  test('probes that keep failing: every event fails at "permissions", unwritten; the next run asks again', async () => {
    const { events, c24 } = await source(3)
    const e23 = await startMispEmulator({ version: '2.3.178', role: 'sync' })
    open.push(e23)
    e23.inject({ kind: 'status', status: 503 }, { times: Infinity, match: probe })
    const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
    const connector = connect24to23({ from: c24, to: c23, recovery: quick })
    const run = await connector.sync({ concurrency: 1 })()
    expect(run.ok).toBe(false)
    expect(run.events.map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed'])
    for (const e of run.events) {
      expect(e.error).toMatchObject({ _tag: 'TargetFailed', step: 'permissions' })
      expect(formatTransferError(e.error!)).toMatch(/^target permissions failed/)
    }
    expect(lines(e23).filter((l) => WRITE.test(l))).toEqual([])
    expect(e23.events()).toEqual([])
    // one event after the other, each asked (3 reads each, never a write): no unknown answer is kept
    expect(lines(e23).filter((l) => l === 'GET /tags/delete/0')).toHaveLength(9)
    e23.clearFaults()
    const next = await connector.sync({ uuids: events.map(uuidOf) })()
    expect(next.stopped).toBe('not-permitted')
    expect(e23.events()).toEqual([])
  })

  test('a key that may tag, its probes failing for the first event only: that one waits, the others arrive marked', async () => {
    const { events, c24 } = await source(3)
    const e23 = await startMispEmulator({ version: '2.3.178', role: 'org-admin' })
    open.push(e23)
    // three reads of the first question fail (the recovery's readAttempts): unknown for that event
    e23.inject({ kind: 'status', status: 500 }, { times: 3, match: probe })
    const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
    const run = await connect24to23({ from: c24, to: c23, recovery: quick }).sync({ concurrency: 1 })()
    expect(run.events.map((e) => e.outcome)).toEqual(['failed', 'created', 'created'])
    expect(run.events[0]?.error).toMatchObject({ _tag: 'TargetFailed', step: 'permissions' })
    expect(e23.event(uuidOf(events[0]!))).toBeUndefined()
    for (const e of events.slice(1)) expect(e23.eventTags(uuidOf(e)).map((t) => t.name)).toEqual(['tlp:red'])
    const again = await connect24to23({ from: c24, to: c23 }).sync()()
    expect(again.counts.created).toBe(1)
  })

  test.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %d: 40 percent of every request to a "Sync user" target fails; never a copy on it',
    async (seed) => {
      const { c24 } = await source(6)
      const e23 = await startMispEmulator({ version: '2.3.178', role: 'sync' })
      open.push(e23)
      e23.injectRate({ kind: 'status', status: 503 }, 0.4, seed)
      const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
      const run = await connect24to23({ from: c24, to: c23, recovery: quick }).sync({ concurrency: 3 })()
      expect(run.ok).toBe(false)
      expect(lines(e23).filter((l) => WRITE.test(l))).toEqual([])
      expect(e23.events()).toEqual([])
    },
  )
})

describe('transfer(uuid) with the 2.3 "Sync user" key', () => {
  test('fails with NotPermitted, nothing written', async () => {
    const { events, c24 } = await source(1)
    const e23 = await startMispEmulator({ version: '2.3.178', role: 'sync' })
    open.push(e23)
    const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
    const r = await connect24to23({ from: c24, to: c23 }).transfer(uuidOf(events[0]!))()
    expect(r).toMatchObject({ outcome: 'failed', error: { _tag: 'NotPermitted', permission: 'perm_tagger' } })
    expect(e23.events()).toEqual([])
  })
})

const env = process.env
const real = env['MISP_REAL_23_URL'] !== undefined && env['MISP_REAL_23_SYNC_KEY'] !== undefined
if (!real)
  console.log('permissions.emulator.test: MISP_REAL_23_URL/MISP_REAL_23_SYNC_KEY unset: real 2.3 skipped')

describe.skipIf(!real)('real MISP 2.3.178, the "Sync user" key', () => {
  test('tags mirrored: nothing written; tags none: created', async () => {
    const { events, c24 } = await source(2)
    const key = env['MISP_REAL_23_SYNC_KEY']!
    const c23 = new MispClient({ url: env['MISP_REAL_23_URL']!, key, version: '2.3', retry: 0 })
    const run = await connect24to23({ from: c24, to: c23 }).sync()()
    expect(run.stopped).toBe('not-permitted')
    expect(JSON.stringify(run)).not.toContain(key)
    for (const e of events) {
      const there = await c23.exists(uuidOf(e))()
      expect(E.isRight(there) && there.right.exists).toBe(false)
    }
    const none = await connect24to23({ from: c24, to: c23, tags: 'none' }).sync({
      uuids: events.map(uuidOf),
    })()
    expect(none.ok).toBe(true)
    expect(none.counts.created).toBe(2)
  })
})
