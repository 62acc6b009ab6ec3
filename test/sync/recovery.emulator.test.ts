/**
 * Recovery inside a run, over real HTTP: a write whose answer was lost is reconciled by a lookup
 * (never duplicated, never applied twice), a cut read is read again, a refused key stops the run
 * once, and failures wait in the retry set while the watermark moves on.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import {
  connect23to24,
  connect24to23,
  fileStateStore,
  jsonLinesLog,
  memoryLogger,
  memoryStateStore,
} from '../../src/sync/index.js'
import {
  copies,
  lines,
  type Pair,
  readLog,
  startPair,
  T0,
  tempDir,
  uuidOf,
  wire23,
  wire24,
} from './support.js'

const CREATE = /^\/events(\/add)?$/
const EDIT = /^\/events\/(edit\/)?[0-9a-f-]+$/
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
const fast = { backoffMs: [1] }

let dir: Awaited<ReturnType<typeof tempDir>>
let pair: Pair | undefined
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(async () => {
  await pair?.close()
  pair = undefined
  await dir.remove()
})

describe('a write whose answer was lost is reconciled within the run', () => {
  test('2.3 → 2.5: create committed, answer lost (reset-after-write): created once, in this run', async () => {
    const events = range(3).map((n) => wire23(n))
    pair = await startPair('2.5', { events23: events })
    const p = pair
    p.e24.inject({ kind: 'reset-after-write' }, { times: 1, match: { method: 'POST', path: CREATE } })
    const memory = memoryLogger()
    const run = await connect23to24({
      from: p.c23,
      to: p.c24,
      logger: memory,
      recovery: fast,
      concurrency: 1,
    }).sync()()
    expect(run.ok).toBe(true)
    expect(run.counts.created).toBe(3)
    const first = run.events[0]!
    expect(first.outcome).toBe('created')
    expect(first.reason).toMatch(/create's answer was lost .*the lookup shows the create landed/)
    expect(first.targetId).toMatch(/^\d+$/)
    for (const e of events) expect(copies(p.e24, uuidOf(e))).toBe(1)
    // exactly one create per event: the lost one was not sent again
    expect(lines(p.e24).filter((l) => /^POST \/events(\/add)?$/.test(l))).toHaveLength(3)
    expect(memory.records).toHaveLength(3)
  })

  test('2.4.199 → 2.3: a 502 on create that did not land: looked up, sent again, created once', async () => {
    const events = range(2).map((n) => wire24(n))
    pair = await startPair('2.4.199', { events24: events })
    const p = pair
    p.e23.inject({ kind: 'status', status: 502 }, { times: 2, match: { method: 'POST', path: CREATE } })
    const run = await connect24to23({ from: p.c24, to: p.c23, recovery: fast, concurrency: 1 }).sync()()
    expect(run.ok).toBe(true)
    expect(run.counts.created).toBe(2)
    expect(run.events[0]?.reason).toMatch(/create's answer was lost .*\(2 times\); created/)
    for (const e of events) expect(copies(p.e23, uuidOf(e))).toBe(1)
    expect(lines(p.e23).filter((l) => /^POST \/events(\/add)?$/.test(l))).toHaveLength(4)
  })

  test('2.3 → 2.4.199: an edit committed, answer lost: updated, the edit not sent twice', async () => {
    const events = range(2).map((n) => wire23(n))
    pair = await startPair('2.4.199', { events23: events })
    const p = pair
    const state = memoryStateStore()
    const make = () => connect23to24({ from: p.c23, to: p.c24, state, recovery: fast, concurrency: 1 })
    expect((await make().sync()()).counts.created).toBe(2)
    const a = uuidOf(events[0]!)
    p.e23.setEvent(a, (e) => {
      e['info'] = 'edited on 2.3'
      e['timestamp'] = String(T0 + 100)
    })
    p.e24.inject({ kind: 'reset-after-write' }, { times: 1, match: { method: 'POST', path: EDIT } })
    p.e24.inject({ kind: 'reset-after-write' }, { times: 1, match: { method: 'PUT', path: EDIT } })
    const from = p.e24.requests.length
    const run = await make().sync()()
    expect(run.ok).toBe(true)
    expect(run.counts).toMatchObject({ updated: 1, failed: 0 })
    expect(run.events[0]?.reason).toMatch(/edit's answer was lost .*the lookup shows the edit landed/)
    expect(p.e24.event(a)?.['info']).toBe('edited on 2.3')
    expect(
      lines(p.e24, from).filter((l) => /^(POST|PUT) \/events\/(edit\/)?[0-9a-f-]+$/.test(l)),
    ).toHaveLength(1)
  })

  test('a write that keeps failing is sent at most writeAttempts times, then the event fails', async () => {
    const events = range(1).map((n) => wire24(n))
    pair = await startPair('2.4.199', { events24: events })
    const p = pair
    p.e23.inject({ kind: 'status', status: 500 }, { times: 10, match: { method: 'POST', path: CREATE } })
    const run = await connect24to23({
      from: p.c24,
      to: p.c23,
      recovery: { writeAttempts: 3, backoffMs: [1] },
    }).sync()()
    expect(run.counts.failed).toBe(1)
    expect(run.events[0]?.reason).toMatch(/gave up/)
    expect(lines(p.e23).filter((l) => /^POST \/events(\/add)?$/.test(l))).toHaveLength(3)
  })
})

describe('reads', () => {
  test('a cut (truncated) JSON answer to a read is read again within the run', async () => {
    const events = range(3).map((n) => wire24(n))
    pair = await startPair('2.5', { events24: events })
    const p = pair
    const from = new MispClient({
      url: p.e24.url,
      key: p.e24.apiKey,
      version: '2.4',
      retry: { limit: 2, baseDelay: 1 },
    })
    p.e24.inject(
      { kind: 'truncated-json' },
      { times: 1, match: { method: 'GET', path: /^\/events\/view\// } },
    )
    const run = await connect24to23({ from, to: p.c23, recovery: fast }).sync()()
    expect(run.ok).toBe(true)
    expect(run.counts.created).toBe(3)
  })

  test('a read that fails past the client’s retries is read again by the engine, within readAttempts', async () => {
    const events = range(3).map((n) => wire23(n))
    pair = await startPair('2.4.199', { events23: events })
    const p = pair
    // the pair's clients do not retry: every failure reaches the engine
    const view = /^\/events\/view\/[0-9a-f-]+$/
    p.e23.inject({ kind: 'status', status: 503 }, { times: 1, match: { method: 'GET', path: view } })
    p.e23.inject({ kind: 'reset' }, { times: 1, match: { method: 'GET', path: view } })
    const run = await connect23to24({ from: p.c23, to: p.c24, recovery: fast, concurrency: 1 }).sync()()
    expect(run.ok).toBe(true)
    expect(run.counts.created).toBe(3)
    for (const e of events) expect(copies(p.e24, uuidOf(e))).toBe(1)
    // the first event was read three times (503, reset, then its event), the others once
    expect(lines(p.e23).filter((l) => /^GET \/events\/view\//.test(l))).toHaveLength(5)
    expect(run.events.every((e) => e.outcome === 'created')).toBe(true)
  })

  test('a read that keeps failing ends the event after readAttempts reads; a refused key is not read again', async () => {
    const events = range(2).map((n) => wire23(n))
    pair = await startPair('2.4.199', { events23: events })
    const p = pair
    const first = /^\/events\/view\/[0-9a-f-]+$/
    p.e23.inject({ kind: 'status', status: 502 }, { times: 10, match: { method: 'GET', path: first } })
    const run = await connect23to24({
      from: p.c23,
      to: p.c24,
      recovery: { readAttempts: 2, backoffMs: [1] },
      concurrency: 1,
    }).sync()()
    expect(run.counts.failed).toBe(2)
    expect(run.events[0]?.error).toMatchObject({ _tag: 'SourceFailed', step: 'get' })
    expect(lines(p.e23).filter((l) => /^GET \/events\/view\//.test(l))).toHaveLength(4)

    p.e23.clearFaults()
    p.e23.inject({ kind: 'login-page' }, { times: 1, match: { method: 'GET', path: first } })
    const before = p.e23.requests.length
    const refused = await connect23to24({ from: p.c23, to: p.c24, recovery: fast, concurrency: 1 }).sync()()
    // a refused key is an answer, not a transient failure: read once, and the run stops
    expect(refused.stopped).toBe('authentication-failed')
    expect(lines(p.e23, before).filter((l) => /^GET \/events\/view\//.test(l))).toHaveLength(1)
  })
})

describe('a refused key stops the run once', () => {
  test('2.4.199 → 2.3: the target starts answering with its login page after 2 events', async () => {
    const events = range(6).map((n) => wire24(n))
    pair = await startPair('2.4.199', { events24: events })
    const p = pair
    const logFile = join(dir.path, 'log.jsonl')
    const state = fileStateStore(join(dir.path, 'state.json'))
    const make = () =>
      connect24to23({
        from: p.c24,
        to: p.c23,
        logger: jsonLinesLog(logFile),
        state,
        recovery: fast,
        concurrency: 1,
      })
    const run1 = await make().sync({
      onProgress: (x) => {
        if (x._tag === 'Done' && x.done === 2)
          p.e23.inject({ kind: 'login-page' }, { times: Number.POSITIVE_INFINITY })
      },
    })()
    expect(run1.ok).toBe(false)
    expect(run1.stopped).toBe('authentication-failed')
    expect(run1.errors).toEqual([expect.objectContaining({ _tag: 'AuthenticationFailed', side: 'target' })])
    expect(run1.counts).toMatchObject({ created: 2, failed: 1 })
    expect(run1.notAttempted).toHaveLength(3)
    // one failed write, no lookups or retries after the refusal
    const log = await readLog(logFile)
    expect(log).toHaveLength(3)

    p.e23.clearFaults()
    const run2 = await make().sync()()
    expect(run2.ok).toBe(true)
    expect(run2.counts).toMatchObject({ created: 4, failed: 0 })
    for (const e of events) expect(copies(p.e23, uuidOf(e))).toBe(1)
  })
})

describe('failures wait in the retry set while newer events advance', () => {
  test('2.3 → 2.4.199: a failed event is retried by the next run, which also takes the new events only', async () => {
    const events = range(5).map((n) => wire23(n))
    pair = await startPair('2.4.199', { events23: events })
    const p = pair
    const state = memoryStateStore()
    const make = () =>
      connect23to24({ from: p.c23, to: p.c24, state, recovery: { writeAttempts: 1 }, concurrency: 1 })
    p.e24.inject({ kind: 'status', status: 500 }, { times: 1, match: { method: 'POST', path: CREATE } })
    // the first create fails: event 1
    const run1 = await make().sync()()
    expect(run1.counts).toMatchObject({ created: 4, failed: 1 })
    const failedUuid = run1.events.find((e) => e.outcome === 'failed')!.uuid
    expect(run1.watermark?.after?.uuid).toBe(uuidOf(events[4]!).toLowerCase())
    expect(run1.watermark?.after?.retry).toEqual([{ uuid: failedUuid.toLowerCase(), timestamp: T0 + 1 }])

    // two new events arrive on the source
    const newer = [wire23(10), wire23(11)]
    p.e23.seed(newer)
    const run2 = await make().sync()()
    expect(run2.ok).toBe(true)
    expect(run2.selected).toBe(3) // the retry set and the two new events, not the 4 done ones
    expect(run2.events.map((e) => e.uuid)).toEqual([failedUuid, ...newer.map(uuidOf)])
    expect(run2.counts).toMatchObject({ created: 3, failed: 0 })
    expect(run2.watermark?.after).toEqual({ timestamp: T0 + 11, uuid: uuidOf(newer[1]!).toLowerCase() })
    for (const e of [...events, ...newer]) expect(copies(p.e24, uuidOf(e))).toBe(1)
  })

  test('a retry-set event that left the source is dropped from the set (skipped), not failed forever', async () => {
    const events = range(3).map((n) => wire23(n))
    pair = await startPair('2.4.199', { events23: events })
    const p = pair
    const state = memoryStateStore([
      [
        `2.3->2.4 ${p.c23.url} -> ${p.c24.url}`,
        {
          timestamp: T0 + 3,
          uuid: uuidOf(events[2]!).toLowerCase(),
          retry: [{ uuid: '5a4c0c79-0000-4000-8000-00000000dead', timestamp: T0 }],
        },
      ],
    ])
    const run = await connect23to24({ from: p.c23, to: p.c24, state }).sync()()
    expect(run.selected).toBe(1)
    expect(run.events[0]?.outcome).toBe('skipped')
    expect(run.events[0]?.reason).toMatch(/no longer has this event/)
    expect(run.watermark?.after?.retry).toBeUndefined()
  })
})
