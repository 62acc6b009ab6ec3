/**
 * The engine both connectors share: one event (read → policy → convert → exists → create or
 * update → log), and a run (select → bounded concurrency → watermark → summary). A direction
 * brings only its own concerns as a {@link DirectionSpec}.
 *
 * @internal
 */
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { Loss } from '../../convert/Loss.js'
import type { Lossy } from '../../convert/Lossy.js'
import type * as V23 from '../../v23/index.js'
import type * as V24 from '../../v24/index.js'
import type { Connector, ConnectorOptions, SyncOptions } from '../Connector.js'
import { countOutcomes, lossesByKind, type RunError, type RunResult, type StopReason } from '../RunResult.js'
import { compareWatermarks, type Watermark } from '../StateStore.js'
import { parseSince } from '../since.js'
import { runLogger } from '../TransferLogger.js'
import { toTransferRecord } from '../TransferRecord.js'
import type { DirectionName, Outcome, TransferError, TransferResult } from '../TransferResult.js'
import { ContiguousPrefix } from './prefix.js'

const debug = createDebug('misp-bridge:sync')

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/** A source event as the list of changes names it. */
export interface SourceRow {
  readonly uuid: string
  /** unix seconds */
  readonly timestamp: number
}

/** What a direction brings to the engine: its clients and its own concerns. */
export interface DirectionSpec<S extends ApiVersion, T extends ApiVersion> {
  readonly name: DirectionName
  readonly from: MispClient<S>
  readonly to: MispClient<T>
  /** the source events changed at or after `since` (every event without it) */
  readonly changedSince: (
    since: number | undefined,
    call: CallOptions,
  ) => TE.TaskEither<MispError, ReadonlyArray<SourceRow>>
  /** the direction's own policy: a reason to skip the event, or `undefined` */
  readonly policy: (event: EventOf<S>) => string | undefined
  readonly convert: (event: EventOf<S>) => Lossy<EventOf<T>>
  /** wire JSON of a source event (for the archive) */
  readonly encodeSource: (event: EventOf<S>) => unknown
  /** wire JSON of a target event: the body the client sends */
  readonly encodeTarget: (event: EventOf<T>) => unknown
}

const DEFAULT_CONCURRENCY = 4
const MAX_CONCURRENCY = 64

interface Documents {
  source?: unknown
  sent?: unknown
  stored?: unknown
}

/** What an attempt found, before the common fields are added. */
interface Ending {
  readonly outcome: Outcome
  readonly targetId?: string
  readonly targetTimestamp?: number
  readonly reason?: string
  readonly error?: TransferError
}

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

const headerOf = (e: V23.Event | V24.Event): { readonly id?: string; readonly timestamp?: number } => ({
  ...(e.id === undefined ? {} : { id: e.id }),
  ...(e.timestamp === undefined ? {} : { timestamp: Number(e.timestamp) }),
})

const messageOf = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

const concurrencyOf = (...candidates: ReadonlyArray<number | undefined>): number => {
  for (const c of candidates)
    if (typeof c === 'number' && Number.isFinite(c))
      return Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(c)))
  return DEFAULT_CONCURRENCY
}

const sinceOf = (since: SyncOptions['since']): E.Either<string, number | undefined> =>
  since === undefined
    ? E.right(undefined)
    : pipe(
        parseSince(since),
        E.mapLeft((expected) => `since: expected ${expected}`),
      )

const rowMark = (r: SourceRow): Watermark => ({ timestamp: r.timestamp, uuid: r.uuid.toLowerCase() })

const watermarkOf = (
  before: Watermark | undefined,
  after: Watermark | undefined,
): { readonly before?: Watermark; readonly after?: Watermark } => ({
  ...(before === undefined ? {} : { before }),
  ...(after === undefined ? {} : { after }),
})

const isDone = (r: TransferResult): boolean => r.outcome !== 'failed'

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/** Builds a connector from a direction and the user's options. */
export const makeConnector = <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  options: ConnectorOptions<S>,
): Connector<S, T> => {
  const existence = options.existence ?? 'lookup'
  const stateKey = `${spec.name} ${spec.from.url} -> ${spec.to.url}`

  // -------------------------------------------------------------------------------------------
  // one event
  // -------------------------------------------------------------------------------------------

  const failedAt = (step: 'exists' | 'create' | 'update', error: MispError): Ending => ({
    outcome: 'failed',
    error: { _tag: 'TargetFailed', step, error },
  })

  /** Whether the target has the event (and how new its copy is). */
  const lookup = async (uuid: string, call: CallOptions): Promise<E.Either<Ending, Exists>> => {
    const found = await spec.to.exists(uuid, call)()
    return E.isLeft(found) ? E.left(failedAt('exists', found.left)) : found
  }

  /**
   * With the lookup and the source's index row, an event whose target copy is as new as the row
   * is `unchanged` without downloading it: a full run over unchanged events costs one lookup
   * each. (`timestamps: 'decrement'` copies are one second older than their source.)
   */
  const precheck = async (
    uuid: string,
    row: SourceRow,
    call: CallOptions,
  ): Promise<E.Either<Ending, Exists>> => {
    const found = await lookup(uuid, call)
    if (E.isLeft(found) || !found.right.exists) return found
    const targetTimestamp = Number(found.right.timestamp)
    const expected = row.timestamp - (options.convert?.timestamps === 'decrement' ? 1 : 0)
    return targetTimestamp >= expected
      ? E.left({
          outcome: 'unchanged',
          targetId: found.right.id,
          targetTimestamp,
          reason: `the target's copy is as new as the source's index row (timestamp ${targetTimestamp} ≥ ${expected}); not downloaded`,
        })
      : found
  }

  /** The target part: exists → create, or update when newer; or create → already exists → update. */
  const write = async (
    value: EventOf<T>,
    uuid: string,
    dryRun: boolean,
    call: CallOptions,
    docs: Documents,
    known: Exists | undefined,
  ): Promise<Ending> => {
    const update = async (id: string, targetTimestamp?: number): Promise<Ending> => {
      const before = targetTimestamp === undefined ? {} : { targetTimestamp }
      const u = await spec.to.update(value, { ...call, id })()
      if (E.isLeft(u)) return { ...failedAt('update', u.left), targetId: id, ...before }
      if (u.right._tag === 'NotNewer')
        return {
          outcome: 'unchanged',
          targetId: u.right.id,
          ...before,
          reason: 'the target answered "not newer than the local copy"',
        }
      docs.stored = spec.encodeTarget(u.right.event)
      return { outcome: 'updated', targetId: u.right.id, ...before }
    }

    const create = async (): Promise<Ending> => {
      const c = await spec.to.create(value, call)()
      if (E.isLeft(c)) return failedAt('create', c.left)
      if (c.right._tag === 'AlreadyExists') return update(c.right.id)
      docs.stored = spec.encodeTarget(c.right.event)
      return { outcome: 'created', targetId: c.right.id }
    }

    if (existence === 'create-first' && !dryRun) return create()
    let found = known
    if (found === undefined) {
      const looked = await lookup(uuid, call)
      if (E.isLeft(looked)) return looked.left
      found = looked.right
    }
    if (!found.exists) return dryRun ? { outcome: 'created' } : create()
    const targetTimestamp = Number(found.timestamp)
    const sending = headerOf(value as V23.Event | V24.Event).timestamp
    if (sending !== undefined && sending <= targetTimestamp)
      return {
        outcome: 'unchanged',
        targetId: found.id,
        targetTimestamp,
        reason: `the target's copy is as new (timestamp ${targetTimestamp} ≥ ${sending})`,
      }
    if (dryRun) return { outcome: 'updated', targetId: found.id, targetTimestamp }
    return update(found.id, targetTimestamp)
  }

  /** One attempt, without logging: never rejects. `row` is the event's index row in a sync. */
  const attempt = async (
    uuid: string,
    row: SourceRow | undefined,
    dryRun: boolean,
    call: CallOptions,
  ): Promise<{ readonly result: TransferResult; readonly docs: Documents }> => {
    const started = Date.now()
    const docs: Documents = {}
    let losses: ReadonlyArray<Loss> = []
    let source: { readonly id?: string; readonly timestamp?: number } =
      row === undefined ? {} : { timestamp: row.timestamp }
    const end = (ending: Ending) => ({
      result: {
        uuid,
        direction: spec.name,
        outcome: ending.outcome,
        ...(source.id === undefined ? {} : { sourceId: source.id }),
        ...(source.timestamp === undefined ? {} : { sourceTimestamp: source.timestamp }),
        ...(ending.targetId === undefined ? {} : { targetId: ending.targetId }),
        ...(ending.targetTimestamp === undefined ? {} : { targetTimestamp: ending.targetTimestamp }),
        losses,
        ...(ending.error === undefined ? {} : { error: ending.error }),
        ...(ending.reason === undefined ? {} : { reason: ending.reason }),
        dryRun,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
      },
      docs,
    })
    try {
      let known: Exists | undefined
      if (row !== undefined && (existence === 'lookup' || dryRun)) {
        const checked = await precheck(uuid, row, call)
        if (E.isLeft(checked)) return end(checked.left)
        known = checked.right
      }
      const got = await spec.from.get(uuid, call)()
      if (E.isLeft(got))
        return end({ outcome: 'failed', error: { _tag: 'SourceFailed', step: 'get', error: got.left } })
      const event = got.right
      source = headerOf(event as V23.Event | V24.Event)
      docs.source = spec.encodeSource(event)
      const skip = spec.policy(event) ?? options.skip?.(event)
      if (skip !== undefined) return end({ outcome: 'skipped', reason: skip })
      let converted: Lossy<EventOf<T>>
      try {
        converted = spec.convert(event)
      } catch (e) {
        return end({ outcome: 'failed', error: { _tag: 'ConversionFailed', message: messageOf(e) } })
      }
      losses = converted.losses
      docs.sent = spec.encodeTarget(converted.value)
      return end(await write(converted.value, uuid, dryRun, call, docs, known))
    } catch (e) {
      return end({ outcome: 'failed', error: { _tag: 'Unexpected', message: messageOf(e) } })
    }
  }

  /** One attempt and its record: the attempt counts only once the logger has it. */
  const attemptAndLog = async (
    uuid: string,
    row: SourceRow | undefined,
    dryRun: boolean,
    call: CallOptions,
  ): Promise<TransferResult> => {
    const { result, docs } = await attempt(uuid, row, dryRun, call)
    debug(
      '%s %s: %s%s (%d ms)%s',
      spec.name,
      uuid,
      result.outcome,
      dryRun ? ' (dry run)' : '',
      result.durationMs,
      result.error === undefined ? '' : ` ${result.error._tag}`,
    )
    const logger = options.logger
    if (logger === undefined) return result
    const record = toTransferRecord(result, {
      at: new Date(),
      from: spec.from.url,
      to: spec.to.url,
      ...(options.lossSample === undefined ? {} : { lossSample: options.lossSample }),
    })
    const logged = await runLogger(logger, { record, losses: result.losses, ...docs })
    if (E.isRight(logged)) return result
    debug('%s %s: the logger failed: %s', spec.name, uuid, logged.left.message)
    const cause = result.error
    return {
      ...result,
      outcome: 'failed',
      error: {
        _tag: 'LogFailed',
        logger: logged.left.logger,
        message: logged.left.message,
        outcome: result.outcome,
        ...(cause === undefined || cause._tag === 'LogFailed' ? {} : { cause }),
      },
    }
  }

  const transfer: Connector<S, T>['transfer'] =
    (uuid, o = {}) =>
    () =>
      attemptAndLog(uuid, undefined, o.dryRun === true, o.signal === undefined ? {} : { signal: o.signal })

  // -------------------------------------------------------------------------------------------
  // a run
  // -------------------------------------------------------------------------------------------

  const runSync = async (o: SyncOptions): Promise<RunResult> => {
    const started = Date.now()
    const dryRun = o.dryRun === true
    /** (a function: the signal fires while the run awaits) */
    const aborted = (): boolean => o.signal?.aborted === true
    const errors: Array<RunError> = []
    const listCall: CallOptions = o.signal === undefined ? {} : { signal: o.signal }
    const eventCall: CallOptions = o.onAbort === 'cancel-running' ? listCall : {}
    const state = o.uuids === undefined ? options.state : undefined
    let before: Watermark | undefined
    let after: Watermark | undefined
    let stopped: StopReason | undefined
    let uuids: ReadonlyArray<string> = []
    let rows: ReadonlyArray<SourceRow> | undefined
    const results: Array<TransferResult | undefined> = []

    const since = sinceOf(o.since) // once: a duration counts back from the start of the run
    const finish = (): RunResult => {
      const events = results.filter((r): r is TransferResult => r !== undefined)
      const notAttempted = uuids.filter((_, i) => results[i] === undefined)
      const counts = countOutcomes(events)
      return {
        direction: spec.name,
        from: spec.from.url,
        to: spec.to.url,
        dryRun,
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        ...(E.isRight(since) && since.right !== undefined ? { since: since.right } : {}),
        ...(o.uuids === undefined ? {} : { uuids: o.uuids }),
        ...(state === undefined ? {} : { watermark: watermarkOf(before, after ?? before) }),
        selected: uuids.length,
        counts,
        notAttempted,
        ...(stopped === undefined ? {} : { stopped }),
        lossesByKind: lossesByKind(events),
        errors,
        ok: counts.failed === 0 && notAttempted.length === 0 && errors.length === 0 && stopped === undefined,
        events,
      }
    }

    if (E.isLeft(since)) {
      errors.push({ _tag: 'InvalidOptions', message: since.left })
      return finish()
    }
    if (state !== undefined) {
      const loaded = await state.load(stateKey)()
      if (E.isLeft(loaded)) {
        errors.push(loaded.left)
        return finish()
      }
      before = loaded.right
    }

    // select
    if (aborted()) {
      stopped = 'aborted'
      return finish()
    }
    if (o.uuids !== undefined) {
      const seen = new Set<string>()
      uuids = o.uuids.filter((u) => {
        const k = u.toLowerCase()
        if (seen.has(k)) return false
        seen.add(k)
        return true
      })
    } else {
      const floor = Math.max(since.right ?? 0, before?.timestamp ?? 0)
      const listed = await spec.changedSince(floor === 0 ? undefined : floor, listCall)()
      if (E.isLeft(listed)) {
        if (listed.left._tag === 'Aborted' && aborted()) stopped = 'aborted'
        else errors.push({ _tag: 'ListFailed', error: listed.left })
        return finish()
      }
      const seen = new Set<string>()
      rows = listed.right
        .filter((r) => {
          const k = r.uuid.toLowerCase()
          if (seen.has(k)) return false
          seen.add(k)
          return (
            (since.right === undefined || r.timestamp >= since.right) &&
            (before === undefined || compareWatermarks(rowMark(r), before) > 0)
          )
        })
        .slice()
        .sort((a, b) => compareWatermarks(rowMark(a), rowMark(b)))
      uuids = rows.map((r) => r.uuid)
    }
    debug('%s: %d event(s) selected%s', spec.name, uuids.length, dryRun ? ' (dry run)' : '')
    o.onProgress?.({
      _tag: 'Selected',
      total: uuids.length,
      ...(before === undefined ? {} : { watermark: before }),
    })

    // run, at most `concurrency` at a time, in selection order
    // the watermark moves over the done prefix; `after` is only what the store has saved
    const prefix = new ContiguousPrefix(uuids.length)
    let requested = 0
    const moveWatermark = async (): Promise<void> => {
      if (state === undefined || rows === undefined || dryRun || prefix.length <= requested) return
      requested = prefix.length
      const mark = rowMark(rows[requested - 1]!)
      const saved = await state.save(stateKey, mark)()
      if (E.isLeft(saved)) {
        errors.push(saved.left)
        stopped ??= 'state-failed'
      } else if (after === undefined || compareWatermarks(mark, after) > 0) after = mark
    }
    let next = 0
    let done = 0
    const worker = async (): Promise<void> => {
      for (;;) {
        if (aborted()) stopped ??= 'aborted'
        if (stopped !== undefined) return
        const i = next++
        if (i >= uuids.length) return
        const r = await attemptAndLog(uuids[i]!, rows?.[i], dryRun, eventCall)
        results[i] = r
        done++
        o.onProgress?.({ _tag: 'Done', result: r, done, total: uuids.length })
        if (r.error?._tag === 'LogFailed') {
          if (stopped !== 'log-failed')
            errors.push({ _tag: 'LogError', logger: r.error.logger, message: r.error.message })
          stopped = 'log-failed'
        }
        if (prefix.mark(i, isDone(r))) await moveWatermark()
      }
    }
    const workers = Array.from(
      { length: Math.min(concurrencyOf(o.concurrency, options.concurrency), Math.max(1, uuids.length)) },
      worker,
    )
    await Promise.all(workers)
    const result = finish()
    debug(
      '%s: %o in %d ms%s',
      spec.name,
      result.counts,
      result.durationMs,
      stopped === undefined ? '' : ` (stopped: ${stopped})`,
    )
    return result
  }

  const sync: Connector<S, T>['sync'] =
    (o = {}) =>
    async () => {
      try {
        return await runSync(o)
      } catch (e) {
        const now = new Date().toISOString()
        return {
          direction: spec.name,
          from: spec.from.url,
          to: spec.to.url,
          dryRun: o.dryRun === true,
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
          selected: 0,
          counts: countOutcomes([]),
          notAttempted: [],
          lossesByKind: {},
          errors: [{ _tag: 'Unexpected', message: messageOf(e) }],
          ok: false,
          events: [],
        }
      }
    }

  return { direction: spec.name, from: spec.from, to: spec.to, stateKey, transfer, sync }
}
