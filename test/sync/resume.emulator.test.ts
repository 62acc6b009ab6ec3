/**
 * Resumable runs over real HTTP: an interrupted sync and a sync with injected failures, each run
 * again with the file state store, end with every source event on the target exactly once and a
 * log line for every attempt. Also: a failing logger stops the run loudly, the "POST and see"
 * path, dry runs, single transfers, explicit uuids and `since`.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  combineLoggers,
  connect23to24,
  connect24to23,
  directoryArchive,
  fileStateStore,
  jsonLinesLog,
  memoryLogger,
  memoryStateStore,
  type RunResult,
  transferLogger,
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
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
const attempted = (r: RunResult) => r.events.length

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

describe('an interrupted sync, run again', () => {
  test('2.3 → 2.5, finish-running: the rest is picked up, every event once, a log line per attempt', async () => {
    const events = range(12).map((n) => wire23(n))
    pair = await startPair('2.5', { events23: events })
    const p = pair
    const logFile = join(dir.path, 'log.jsonl')
    const stateFile = join(dir.path, 'state.json')
    p.e24.inject(
      { kind: 'hang', ms: 60 },
      { times: Number.POSITIVE_INFINITY, match: { method: 'POST', path: CREATE } },
    )
    const stop = new AbortController()
    const make = () =>
      connect23to24({
        from: p.c23,
        to: p.c24,
        logger: jsonLinesLog(logFile),
        state: fileStateStore(stateFile),
      })
    const run1 = await make().sync({
      concurrency: 2,
      signal: stop.signal,
      onProgress: (x) => {
        if (x._tag === 'Done' && x.done === 3) stop.abort()
      },
    })()
    expect(run1.stopped).toBe('aborted')
    expect(run1.ok).toBe(false)
    expect(attempted(run1)).toBeGreaterThanOrEqual(3)
    expect(attempted(run1)).toBeLessThan(12)
    expect(attempted(run1) + run1.notAttempted.length).toBe(12)
    expect(run1.events.every((e) => e.outcome === 'created')).toBe(true)
    expect(run1.watermark?.after).toBeDefined()
    expect((await readLog(logFile)).length).toBe(attempted(run1))

    p.e24.clearFaults()
    const run2 = await make().sync()()
    expect(run2.ok).toBe(true)
    expect(run2.watermark?.before).toEqual(run1.watermark?.after)
    expect(run2.selected).toBe(12 - (run1.events.length - 0)) // the watermark covers every event run 1 finished
    for (const e of events) expect(copies(p.e24, uuidOf(e))).toBe(1)
    expect(p.e24.events()).toHaveLength(12)
    expect((await readLog(logFile)).length).toBe(attempted(run1) + attempted(run2))
    expect(run2.watermark?.after?.uuid).toBe(uuidOf(events[11]!))
  })

  test('2.4.199 → 2.3, cancel-running: cancelled creates may have landed; the re-run finds them, no duplicates', async () => {
    const events = range(8).map((n) => wire24(n))
    pair = await startPair('2.4.199', { events24: events })
    const p = pair
    const memory = memoryLogger()
    const state = fileStateStore(join(dir.path, 'state.json'))
    p.e23.inject(
      { kind: 'hang', ms: 80 },
      { times: Number.POSITIVE_INFINITY, match: { method: 'POST', path: CREATE } },
    )
    const stop = new AbortController()
    const running = connect24to23({ from: p.c24, to: p.c23, logger: memory, state }).sync({
      concurrency: 3,
      signal: stop.signal,
      onAbort: 'cancel-running',
    })()
    // abort once a create has fully reached the server (its body read): it will land after the delay
    while (!p.e23.requests.some((r) => r.method === 'POST' && r.body !== undefined)) await sleep(2)
    stop.abort()
    const run1 = await running
    expect(run1.stopped).toBe('aborted')
    const cancelled = run1.events.filter((e) => e.outcome === 'failed')
    expect(cancelled.length).toBeGreaterThan(0)
    for (const e of cancelled) {
      const tag =
        e.error?._tag === 'TargetFailed' || e.error?._tag === 'SourceFailed' ? e.error.error._tag : undefined
      expect(tag).toBe('Aborted')
    }
    expect(memory.records).toHaveLength(attempted(run1))

    await sleep(150) // the emulator finishes the delayed creates the client walked away from
    p.e23.clearFaults()
    const run2 = await connect24to23({ from: p.c24, to: p.c23, logger: memory, state }).sync({
      concurrency: 3,
    })()
    expect(run2.ok).toBe(true)
    expect(run2.counts.failed).toBe(0)
    // creates that landed after the client gave up: found (never created twice), read again from
    // the retry set and given the tags the cancelled attempt never attached
    expect(run2.counts.updated).toBeGreaterThan(0)
    expect(run2.counts.created + run2.counts.updated + run2.counts.unchanged).toBe(attempted(run2))
    for (const e of events) expect(copies(p.e23, uuidOf(e))).toBe(1)
    expect(p.e23.events()).toHaveLength(8)
    expect(memory.records).toHaveLength(attempted(run1) + attempted(run2))
  })
})

describe('a sync with injected failures, run again', () => {
  test('2.4.199 → 2.3: half the target requests fail; the re-run completes, every event once', async () => {
    const events = range(10).map((n) => wire24(n))
    pair = await startPair('2.4.199', { events24: events })
    const p = pair
    const logFile = join(dir.path, 'log.jsonl')
    const state = fileStateStore(join(dir.path, 'state.json'))
    // one attempt per write (no in-run recovery here): the failures wait for the next run
    const make = () =>
      connect24to23({
        from: p.c24,
        to: p.c23,
        logger: jsonLinesLog(logFile),
        state,
        recovery: { writeAttempts: 1 },
        tags: 'none', // this test is about the retry set: only event writes meet the faults
      })
    p.e23.injectRate({ kind: 'status', status: 500 }, 0.5, 7) // seeded: the same requests fail every time
    const run1 = await make().sync({ concurrency: 1 })()
    expect(run1.counts.failed).toBeGreaterThan(0)
    expect(run1.counts.created).toBeGreaterThan(0)
    expect(run1.ok).toBe(false)
    expect(run1.notAttempted).toEqual([])
    for (const e of run1.events.filter((x) => x.outcome === 'failed'))
      expect(e.error?._tag === 'TargetFailed' && e.error.error._tag).toBe('HttpError')

    p.e23.clearFaults()
    const run2 = await make().sync({ concurrency: 3 })()
    expect(run2.ok).toBe(true)
    expect(run2.counts.failed).toBe(0)
    for (const e of events) expect(copies(p.e23, uuidOf(e))).toBe(1)
    expect(p.e23.events()).toHaveLength(10)
    const log = await readLog(logFile)
    expect(log).toHaveLength(attempted(run1) + attempted(run2))
    // every event's last record says it is done
    for (const e of events) {
      const last = log.filter((r) => r.uuid === uuidOf(e)).at(-1)
      expect(['created', 'unchanged']).toContain(last?.outcome)
    }
    // the watermark moved past the failures, which waited in the retry set: run 2 selects only them
    const failures = run1.events.filter((e) => e.outcome === 'failed').map((e) => e.uuid.toLowerCase())
    expect(run1.watermark?.after?.retry?.map((r) => r.uuid).sort()).toEqual([...failures].sort())
    expect(run2.selected).toBe(failures.length)
    expect(run2.watermark?.after?.retry).toBeUndefined()
  })
})

describe('a logger that fails makes the run fail loudly', () => {
  test('a log file that cannot be written: the event is failed (LogFailed), the run stops', async () => {
    const events = range(3).map((n) => wire23(n))
    pair = await startPair('2.4.199', { events23: events })
    const p = pair
    const notADir = join(dir.path, 'file')
    await writeFile(notADir, 'a file, not a directory')
    const state = memoryStateStore()
    const run = await connect23to24({
      from: p.c23,
      to: p.c24,
      logger: jsonLinesLog(join(notADir, 'log.jsonl')),
      state,
      concurrency: 1,
    }).sync()()
    expect(run.ok).toBe(false)
    expect(run.stopped).toBe('log-failed')
    expect(run.counts).toEqual({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 1 })
    const [first] = run.events
    expect(first?.error).toMatchObject({ _tag: 'LogFailed', outcome: 'created' })
    expect(first?.targetId).toMatch(/^\d+$/) // it did reach the target, but does not count as done
    expect(run.errors).toEqual([expect.objectContaining({ _tag: 'LogError' })])
    expect(run.notAttempted).toHaveLength(2)
    expect(state.watermarks.size).toBe(0)

    const memory = memoryLogger()
    const again = await connect23to24({
      from: p.c23,
      to: p.c24,
      logger: memory,
      state,
      concurrency: 1,
    }).sync()()
    expect(again.ok).toBe(true)
    expect(again.events.map((e) => e.outcome)).toEqual(['unchanged', 'created', 'created'])
    for (const e of events) expect(copies(p.e24, uuidOf(e))).toBe(1)
  })

  test('a custom logger that throws, and an archive that cannot be written, are failures too', async () => {
    pair = await startPair('2.5', { events24: [wire24(1)] })
    const p = pair
    const throwing = transferLogger('throws', async () => {
      throw new Error('disk on fire')
    })
    const r1 = await connect24to23({ from: p.c24, to: p.c23, logger: throwing }).sync()()
    expect(r1.events[0]?.error).toMatchObject({
      _tag: 'LogFailed',
      logger: 'throws',
      message: 'disk on fire',
    })
    const notADir = join(dir.path, 'file')
    await writeFile(notADir, 'x')
    const broken = combineLoggers(directoryArchive(join(notADir, 'archive')), memoryLogger())
    const r2 = await connect24to23({ from: p.c24, to: p.c23, logger: broken }).transfer(uuidOf(wire24(1)))()
    expect(r2.outcome).toBe('failed')
  })
})

describe('a state store that cannot save stops the run', () => {
  test('the first save fails: StateError, stopped, the rest not attempted', async () => {
    pair = await startPair('2.4.199', { events23: range(3).map((n) => wire23(n)) })
    const state = fileStateStore(join(dir.path, 'no-such-dir', 'state.json'))
    const run = await connect23to24({ from: pair.c23, to: pair.c24, state, concurrency: 1 }).sync()()
    expect(run.stopped).toBe('state-failed')
    expect(run.errors).toEqual([expect.objectContaining({ _tag: 'StateError', code: 'ENOENT' })])
    expect(run.counts.created).toBe(1)
    expect(run.notAttempted).toHaveLength(2)
    expect(run.watermark).toEqual({})
    expect(run.ok).toBe(false)
  })
})

describe('the "POST and see" path (existence: create-first)', () => {
  test('2.3 → 2.4.199: create, already exists → update, not newer → unchanged; no lookups', async () => {
    const older = wire23(1)
    const same = wire23(2)
    const fresh = wire23(3)
    pair = await startPair('2.4.199', { events23: [older, same, fresh] })
    const p = pair
    // the target already holds an older copy of `older` and the same version of `same`, locked
    p.e24.seed([
      { Event: { ...older.Event, timestamp: String(T0), locked: true, Attribute: [] } },
      { Event: { ...same.Event, locked: true } },
    ])
    const before = p.e24.requests.length
    const run = await connect23to24({
      from: p.c23,
      to: p.c24,
      existence: 'create-first',
      concurrency: 1,
      // the copies' tags and attributes are not compared here (that reads them): only the writes
      tags: 'none',
      retractions: 'keep',
    }).sync()()
    expect(run.ok).toBe(true)
    expect(run.events.map((e) => [e.uuid, e.outcome])).toEqual([
      [uuidOf(older), 'updated'],
      [uuidOf(same), 'unchanged'],
      [uuidOf(fresh), 'created'],
    ])
    expect(run.events[1]?.reason).toMatch(/not newer/)
    const calls = lines(p.e24, before)
    expect(
      calls.filter(
        (l) => l.startsWith('HEAD') || l.includes('restSearch') || l.startsWith('GET /events/view'),
      ),
    ).toEqual([])
    for (const e of [older, same, fresh]) expect(copies(p.e24, uuidOf(e))).toBe(1)
  })

  test('2.4.0 → 2.3: the same against a MISP 2.3 target (edit by numeric id from Location)', async () => {
    const older = wire24(1)
    const fresh = wire24(2)
    pair = await startPair('2.4.0', { events24: [older, fresh] })
    const p = pair
    p.e23.seed([
      {
        Event: {
          uuid: uuidOf(older),
          info: 'old copy',
          timestamp: String(T0 - 100),
          locked: true,
          orgc: 'X',
        },
      },
    ])
    const run = await connect24to23({
      from: p.c24,
      to: p.c23,
      existence: 'create-first',
      concurrency: 1,
    }).sync()()
    expect(run.events.map((e) => e.outcome)).toEqual(['updated', 'created'])
    expect(p.e23.event(uuidOf(older))?.['info']).toBe('2.4 event 1')
    expect(p.e23.events()).toHaveLength(2)
  })
})

describe('dry runs, single transfers, uuids and since', () => {
  test('a dry run reads and converts, writes nothing, and logs with dryRun', async () => {
    const events = [wire24(1), wire24(2)]
    pair = await startPair('2.5', { events24: events })
    const p = pair
    const memory = memoryLogger()
    const archive = join(dir.path, 'archive')
    const state = memoryStateStore()
    const before = p.e23.requests.length
    const run = await connect24to23({
      from: p.c24,
      to: p.c23,
      logger: combineLoggers(directoryArchive(archive), memory),
      state,
    }).sync({ dryRun: true })()
    expect(run.dryRun).toBe(true)
    expect(run.counts.created).toBe(2)
    expect(run.events.every((e) => e.dryRun && e.losses.length > 0)).toBe(true)
    expect(p.e23.events()).toEqual([])
    expect(lines(p.e23, before).filter((l) => !l.startsWith('GET '))).toEqual([])
    expect(memory.records.every((r) => r.dryRun === true)).toBe(true)
    expect(state.watermarks.size).toBe(0)
    const { readdir } = await import('node:fs/promises')
    const files = await readdir(join(archive, uuidOf(events[0]!)))
    expect(files.some((f) => f.endsWith('-dry-run.json'))).toBe(true)
    expect(files.some((f) => f.endsWith('-sent.json'))).toBe(false)

    // after a real run and an edit, a dry run says "updated" and still writes nothing
    await connect24to23({ from: p.c24, to: p.c23 }).sync()()
    p.e24.setEvent(uuidOf(events[0]!), (e) => {
      e['info'] = 'edited'
    })
    const dry = await connect24to23({ from: p.c24, to: p.c23 }).sync({ dryRun: true })()
    expect(dry.counts).toMatchObject({ updated: 1, unchanged: 1 })
    expect(p.e23.event(uuidOf(events[0]!))?.['info']).toBe('2.4 event 1')
  })

  test('transfer(uuid): created, then unchanged; an unknown or invalid uuid fails at the source', async () => {
    const e = wire23(1)
    pair = await startPair('2.4.199', { events23: [e] })
    const c = connect23to24({ from: pair.c23, to: pair.c24 })
    const first = await c.transfer(uuidOf(e))()
    expect(first).toMatchObject({
      outcome: 'created',
      uuid: uuidOf(e),
      sourceTimestamp: T0 + 1,
      dryRun: false,
    })
    expect((await c.transfer(uuidOf(e))()).outcome).toBe('unchanged')
    const unknown = await c.transfer('5f1c2a3e-0d4b-4c8e-9a1f-00000000dead')()
    expect(unknown.outcome).toBe('failed')
    expect(unknown.error?._tag === 'SourceFailed' && unknown.error.error._tag).toBe('NotFound')
    const invalid = await c.transfer('../../etc/passwd')()
    expect(invalid.error?._tag === 'SourceFailed' && invalid.error.error._tag).toBe('InvalidArgument')
  })

  test('uuids: only those (once each), the state is neither read nor moved; since: only newer events', async () => {
    const events = range(4).map((n) => wire23(n))
    pair = await startPair('2.4.0', { events23: events })
    const p = pair
    const state = memoryStateStore([
      [`2.3->2.4 ${p.c23.url} -> ${p.c24.url}`, { timestamp: T0 + 99, uuid: 'f' }],
    ])
    const c = connect23to24({ from: p.c23, to: p.c24, state })
    const [a, b] = events.map(uuidOf) as [string, string]
    const listed = await c.sync({ uuids: [a, a.toUpperCase(), b] })()
    expect(listed.events.map((e) => [e.uuid, e.outcome])).toEqual([
      [a, 'created'],
      [b, 'created'],
    ])
    expect(listed.watermark).toBeUndefined()
    expect(state.watermarks.get(c.stateKey)).toEqual({ timestamp: T0 + 99, uuid: 'f' })

    const since = await connect23to24({ from: p.c23, to: p.c24 }).sync({ since: T0 + 3 })()
    expect(since.since).toBe(T0 + 3)
    expect(since.events.map((e) => e.uuid)).toEqual(events.slice(2).map(uuidOf))
    // 2.3 has no timestamp filter: the whole index was read and compared here
    expect(lines(p.e23).filter((l) => l.includes('/events/index'))).toContain('GET /events/index')
    const recent = await connect23to24({ from: p.c23, to: p.c24 }).sync({ since: '2023-11-14T22:13:23Z' })()
    expect(recent.since).toBe(T0 + 3)
    expect(recent.events.map((e) => e.outcome)).toEqual(['unchanged', 'unchanged'])
    expect((await connect23to24({ from: p.c23, to: p.c24 }).sync({ since: '1d' })()).selected).toBe(0)
    const invalid = await c.sync({ since: Number.NaN })()
    expect(invalid.errors).toEqual([expect.objectContaining({ _tag: 'InvalidOptions' })])
  })

  test('an event saved in the second the run read the list, sorting before its position, is picked up by the next run', async () => {
    const low = '00000000-0000-4000-8000-00000000000a'
    const high = 'ffffffff-0000-4000-8000-00000000000b'
    pair = await startPair('2.5', { events24: [wire24(5, { uuid: high })] })
    const p = pair
    const state = memoryStateStore()
    const c = connect24to23({ from: p.c24, to: p.c23, state })
    expect((await c.sync()())?.events.map((e) => e.outcome)).toEqual(['created'])
    expect(state.watermarks.get(c.stateKey)).toEqual({ timestamp: T0 + 5, uuid: high })
    // saved just after that run read the list, in the same second: MISP stamps it T0 + 5
    p.e24.seed([wire24(5, { uuid: low })])
    const next = await c.sync()()
    expect(next.events.map((e) => [e.uuid, e.outcome])).toEqual([[low, 'created']])
    expect(state.watermarks.get(c.stateKey)).toEqual({ timestamp: T0 + 5, uuid: high, atSecond: [low] })
    expect((await c.sync()()).selected).toBe(0)
    expect(copies(p.e23, low)).toBe(1)

    // a state saved before atSecond existed: the position's second is compared once more
    const legacy = memoryStateStore([[c.stateKey, { timestamp: T0 + 5, uuid: high }]])
    const old = connect24to23({ from: p.c24, to: p.c23, state: legacy })
    const again = await old.sync()()
    expect(again.events.map((e) => [e.uuid, e.outcome])).toEqual([[low, 'unchanged']])
    expect((await old.sync()()).selected).toBe(0)
  })

  test('a source that cannot list its events is a run error, not an exception', async () => {
    pair = await startPair('2.4.199', { events24: [wire24(1)] })
    pair.e24.inject({ kind: 'status', status: 502 }, { times: 1, match: { path: /events\/index/ } })
    const run = await connect24to23({ from: pair.c24, to: pair.c23 }).sync()()
    expect(run.ok).toBe(false)
    expect(run.errors).toEqual([expect.objectContaining({ _tag: 'ListFailed' })])
    expect(run.stopped).toBeUndefined()
    expect(run.selected).toBe(0)
  })

  test('a source that refuses the key while listing stops the run with that reason', async () => {
    pair = await startPair('2.4.199', { events24: [wire24(1)] })
    pair.e24.inject({ kind: 'login-page' }, { times: 1, match: { path: /events\/index/ } })
    const run = await connect24to23({ from: pair.c24, to: pair.c23 }).sync()()
    expect(run.ok).toBe(false)
    expect(run.stopped).toBe('authentication-failed')
    expect(run.errors).toEqual([expect.objectContaining({ _tag: 'AuthenticationFailed', side: 'source' })])
    expect(run.selected).toBe(0)
  })
})
