/**
 * A sync run: load the state → select → read the target's index once → attempt the events, at
 * most `concurrency` at a time, in selection order → record each → save the position and the
 * retry set as the run goes (at most once a second, and at the end) → summary. A refused API key
 * stops the run once, with the reason, instead of failing every remaining event.
 *
 * @internal
 */
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { ConnectorOptions, SyncOptions } from '../Connector.js'
import {
  countOutcomes,
  lossesByKind,
  type RunError,
  type RunResult,
  type StopReason,
  sumChanges,
} from '../RunResult.js'
import type { Watermark } from '../StateStore.js'
import { parseSince } from '../since.js'
import type { TransferResult } from '../TransferResult.js'
import type { PublishGate } from './arrival.js'
import { attempt } from './attempt.js'
import { needsRead, permitGate } from './precheck.js'
import { Progress } from './progress.js'
import { sourceReader } from './reader.js'
import { record } from './record.js'
import { type RecoveryPolicy, stopsTheRun } from './recovery.js'
import type { Verdict } from './ruleCheck.js'
import { runTags, withTargetFocus } from './runTags.js'
import { type Selection, selectChanged, uniqueUuids, withRows } from './select.js'
import { rowVerdicts, type Sharing, withArrival } from './sharing.js'
import type { DirectionSpec } from './spec.js'
import { focusOn } from './tagMap.js'
import { tagsSettled } from './tagNames.js'
import { readTargetView, type TargetView, VIEW_THRESHOLD } from './targetView.js'

const debug = createDebug('misp-bridge:sync')

const DEFAULT_CONCURRENCY = 4
const MAX_CONCURRENCY = 64
/** the state is saved at most this often while a run goes (and always at its end) */
const SAVE_EVERY_MS = 1000

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

/** The MispError inside a transfer error, if any. */
const mispErrorOf = (r: TransferResult) =>
  r.error?._tag === 'SourceFailed' || r.error?._tag === 'TargetFailed' ? r.error : undefined

/** Everything a run needs from its connector. */
export interface RunContext<S extends ApiVersion, T extends ApiVersion> {
  readonly spec: DirectionSpec<S, T>
  readonly options: ConnectorOptions<S>
  readonly recovery: RecoveryPolicy
  readonly stateKey: string
  readonly sharing: Sharing
  /** the connector's memory of a refused quiet publish */
  readonly gate: PublishGate
}

/** One sync run. May reject only on a bug (the connector catches it). */
export const runSync = async <S extends ApiVersion, T extends ApiVersion>(
  ctx: RunContext<S, T>,
  o: SyncOptions,
): Promise<RunResult> => {
  const { spec, options } = ctx
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
  let selection: Selection = { uuids: [], retrying: new Set() }
  const results: Array<TransferResult | undefined> = []
  const { gate } = ctx
  let verdicts: ReadonlyMap<string, Verdict> = new Map()

  const since = sinceOf(o.since) // once: a duration counts back from the start of the run
  const finish = (): RunResult => {
    const events = results.filter((r): r is TransferResult => r !== undefined)
    const notAttempted = selection.uuids.filter((_, i) => results[i] === undefined)
    const counts = countOutcomes(events)
    const mark = after ?? before
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
      ...(state === undefined
        ? {}
        : {
            watermark: {
              ...(before === undefined ? {} : { before }),
              ...(mark === undefined ? {} : { after: mark }),
            },
          }),
      selected: selection.uuids.length,
      counts,
      notAttempted,
      ...(stopped === undefined ? {} : { stopped }),
      lossesByKind: lossesByKind(events),
      changes: sumChanges(events),
      errors,
      ...(gate.refused === undefined ? {} : { notices: [gate.refused] }),
      ok: counts.failed === 0 && notAttempted.length === 0 && errors.length === 0 && stopped === undefined,
      events,
    }
  }

  if (E.isLeft(since)) {
    errors.push({ _tag: 'InvalidOptions', message: since.left })
    return finish()
  }
  if (state !== undefined) {
    const loaded = await state.load(ctx.stateKey)()
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
  const tagsMode = options.tags ?? 'mirror'
  const tags = runTags(spec, eventCall, ctx.recovery)
  // a full run (no position, no since, or a list of uuids) compares what timestamps can't show
  const compare = o.uuids !== undefined || (since.right === undefined && before === undefined)
  if (o.uuids !== undefined) selection = { uuids: uniqueUuids(o.uuids), retrying: new Set() }
  else {
    const selected = await selectChanged(
      spec,
      since.right,
      before,
      listCall,
      (tagsMode !== 'none' || ctx.sharing.rules?.needsTags === true) && spec.from.apiVersion === '2.3'
        ? tags.source23
        : undefined,
    )
    if (E.isLeft(selected)) {
      if (selected.left._tag === 'Aborted' && aborted()) stopped = 'aborted'
      else if (stopsTheRun(selected.left)) {
        stopped = 'authentication-failed'
        errors.push({ _tag: 'AuthenticationFailed', side: 'source', error: selected.left })
      } else errors.push({ _tag: 'ListFailed', error: selected.left })
      return finish()
    }
    // the rules, where the index rows tell (their own tags); then the tags a copy should carry
    verdicts = rowVerdicts(ctx.sharing, [...(selected.right.rows ?? []), ...(selected.right.others ?? [])])
    const { rows: chosen, others } = selected.right
    selection = {
      ...selected.right,
      ...(chosen === undefined ? {} : { rows: withArrival(chosen, ctx.sharing.arrival) }),
      ...(others === undefined ? {} : { others: withArrival(others, ctx.sharing.arrival) }),
    }
    const excluded = [...verdicts.values()].filter((v) => v._tag === 'Excluded').length
    if (excluded > 0) debug('%s: %d listed event(s) excluded by the rules (not read)', spec.name, excluded)
  }
  // a 2.3 target's tags are read for the selected events only, when their tags are all known
  // (a 2.3 source's tag-only changes, added below, go to a 2.4/2.5 target: no tags to read there)
  const focus = selection.rows === undefined ? undefined : focusOn(selection.rows, tagsMode)
  const runTagReaders = focus === undefined ? tags : withTargetFocus(tags, spec, eventCall, focus)
  // look up: the target's index, once, when there are enough events to make it pay — or when
  // the source's tags must be compared with the target's (a 2.3 source's tag changes do not
  // move its timestamps, so its rows at or before the position are compared too)
  const tagOnly =
    tagsMode !== 'none' &&
    spec.from.apiVersion === '2.3' &&
    (selection.others?.some((r) => r.tags !== undefined) ?? false)
  let view: TargetView<T> | undefined
  if (
    (selection.uuids.length >= VIEW_THRESHOLD || tagOnly) &&
    (options.existence !== 'create-first' || dryRun)
  ) {
    // a 2.3 target's tags are read up front only in a full run, which compares every copy's
    // tags; otherwise when an event needs them
    const read = await readTargetView(
      spec.to,
      listCall,
      tagsMode !== 'none' && compare ? runTagReaders.target23 : undefined,
    )
    if (E.isRight(read)) {
      view = read.right
      const current = view
      const changedTags = (selection.others ?? []).filter((r) => {
        const there = current.tags(r.uuid)
        return (
          r.tags !== undefined &&
          there !== undefined &&
          current.exists(r.uuid).exists &&
          !tagsSettled(tagsMode, r.tags, there)
        )
      })
      if (changedTags.length > 0) {
        debug('%s: %d event(s) whose tags changed at the source', spec.name, changedTags.length)
        const rest = (selection.others ?? []).filter((r) => !changedTags.includes(r))
        selection = withRows([...(selection.rows ?? []), ...changedTags], rest, selection.retrying)
      }
    } else if (stopsTheRun(read.left)) {
      stopped = 'authentication-failed'
      errors.push({ _tag: 'AuthenticationFailed', side: 'target', error: read.left })
      return finish()
    } else debug('%s: the target index failed (%s); looking events up one by one', spec.name, read.left._tag)
  }
  const { uuids, rows } = selection
  debug('%s: %d event(s) selected%s', spec.name, uuids.length, dryRun ? ' (dry run)' : '')
  o.onProgress?.({
    _tag: 'Selected',
    total: uuids.length,
    ...(before === undefined ? {} : { watermark: before }),
  })

  // attempt, at most `concurrency` at a time, in selection order; save the state as it moves
  const progress =
    rows === undefined || state === undefined || dryRun
      ? undefined
      : new Progress(rows, before, selection.others)
  let dirty = false
  let lastSave = 0
  let saving: Promise<void> = Promise.resolve()
  const save = (force: boolean): Promise<void> => {
    saving = saving.then(async () => {
      if (progress === undefined || state === undefined || !dirty) return
      if (!force && Date.now() - lastSave < SAVE_EVERY_MS) return
      const mark = progress.current()
      dirty = false
      lastSave = Date.now()
      if (mark === undefined) return
      const saved = await state.save(ctx.stateKey, mark)()
      if (E.isLeft(saved)) {
        errors.push(saved.left)
        stopped ??= 'state-failed'
      } else after = mark
    })
    return saving
  }

  // with tags carried, the target's key must be allowed to tag: asked once, before the first write
  const permit = permitGate(spec.to, listCall, tagsMode, ctx.recovery)
  /** (a function: other workers change it while this one awaits) */
  const stoppedNow = (): StopReason | undefined => stopped
  const reader = sourceReader(
    spec,
    rows,
    (j) =>
      rows !== undefined &&
      verdicts.get(rows[j]!.uuid.toLowerCase())?._tag !== 'Excluded' &&
      needsRead(spec, options, compare, view, rows[j]!),
  )
  const verdictOf = (uuid: string): Verdict | undefined => verdicts.get(uuid.toLowerCase())
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    for (;;) {
      if (aborted()) stopped ??= 'aborted'
      if (stopped !== undefined) return
      const i = next++
      if (i >= uuids.length) return
      const uuid = uuids[i]!
      const tried = await attempt({
        spec,
        options,
        recovery: ctx.recovery,
        uuid,
        row: rows?.[i],
        view,
        retrying: selection.retrying.has(uuid.toLowerCase()),
        compare,
        tags: runTagReaders,
        reader,
        index: i,
        dryRun,
        call: eventCall,
        permit,
        sharing: ctx.sharing,
        gate,
        ...(verdictOf(uuid) === undefined ? {} : { verdict: verdictOf(uuid)! }),
      })
      if (tried.refused !== undefined) {
        // the target's key may not do what the run needs: nothing of this event was written;
        // stop once, with the reason (the events not started are not attempted)
        if (stoppedNow() === undefined) {
          stopped = tried.refused._tag === 'AuthenticationFailed' ? 'authentication-failed' : 'not-permitted'
          errors.push(tried.refused)
        }
        return
      }
      const r = await record(spec, options, tried)
      results[i] = r
      done++
      o.onProgress?.({ _tag: 'Done', result: r, done, total: uuids.length })
      const cause = mispErrorOf(r)
      if (cause !== undefined && stopsTheRun(cause.error) && stoppedNow() === undefined) {
        // the key was refused: every other event would fail the same way; stop once, with the reason
        stopped = 'authentication-failed'
        errors.push({
          _tag: 'AuthenticationFailed',
          side: cause._tag === 'SourceFailed' ? 'source' : 'target',
          error: cause.error,
        })
      }
      if (r.error?._tag === 'LogFailed') {
        if (stoppedNow() !== 'log-failed')
          errors.push({ _tag: 'LogError', logger: r.error.logger, message: r.error.message })
        stopped = 'log-failed'
      }
      // a LogFailed event is not "attempted" for the state: its record is missing
      if (
        progress !== undefined &&
        r.error?._tag !== 'LogFailed' &&
        progress.mark(i, r.outcome !== 'failed')
      ) {
        dirty = true
        await save(false)
      }
    }
  }
  const workers = Array.from(
    { length: Math.min(concurrencyOf(o.concurrency, options.concurrency), Math.max(1, uuids.length)) },
    worker,
  )
  await Promise.all(workers)
  await save(true)
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
