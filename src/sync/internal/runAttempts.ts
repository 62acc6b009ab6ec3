/**
 * A run's attempt step: the selected events, at most `concurrency` at a time, in selection order;
 * each recorded; the position and the retry set saved as they move (at most once a second, and at
 * the end). An event that shows the run cannot go on (a refused key, a logger that fails, a key
 * that may not do what the run needs) stops it once, with the reason: the events not started are
 * not attempted.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { SyncOptions, TagsMode } from '../Connector.js'
import type { StateStore } from '../StateStore.js'
import type { TransferResult } from '../TransferResult.js'
import { attempt } from './attempt.js'
import { needsRead, permitGate } from './precheck.js'
import { Progress } from './progress.js'
import { sourceReader } from './reader.js'
import { record } from './record.js'
import { stopsTheRun } from './recovery.js'
import type { RunContext, RunPlan, RunSoFar } from './runSoFar.js'
import { stopOnce } from './runSoFar.js'
import type { RunTags } from './runTags.js'
import type { TargetView } from './targetView.js'

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

/** The MispError inside a transfer error, if any. */
const mispErrorOf = (r: TransferResult) =>
  r.error?._tag === 'SourceFailed' || r.error?._tag === 'TargetFailed' ? r.error : undefined

/**
 * Keeps the run's state: `mark` records an attempted event, and saves when the state changed
 * and a second has passed since the last save; `flush` saves what is left. Saves run one at a
 * time; a failed save stops the run (`state-failed`).
 */
const stateKeeper = (store: StateStore, key: string, progress: Progress, run: RunSoFar) => {
  let dirty = false
  let lastSave = 0
  let saving: Promise<void> = Promise.resolve()
  const save = (force: boolean): Promise<void> => {
    saving = saving.then(async () => {
      if (!dirty || (!force && Date.now() - lastSave < SAVE_EVERY_MS)) return
      const mark = progress.current()
      dirty = false
      lastSave = Date.now()
      if (mark === undefined) return
      const saved = await store.save(key, mark)()
      if (E.isLeft(saved)) {
        run.errors.push(saved.left)
        run.stopped ??= 'state-failed'
      } else run.after = mark
    })
    return saving
  }
  return {
    mark: async (i: number, ok: boolean): Promise<void> => {
      if (!progress.mark(i, ok)) return
      dirty = true
      await save(false)
    },
    flush: () => save(true),
  }
}

/** Stops the run when event `r` shows it cannot go on (see the module's comment). */
const stopsAfter = (run: RunSoFar, r: TransferResult): void => {
  const cause = mispErrorOf(r)
  if (cause !== undefined && stopsTheRun(cause.error))
    // the key was refused: every other event would fail the same way
    stopOnce(run, 'authentication-failed', {
      _tag: 'AuthenticationFailed',
      side: cause._tag === 'SourceFailed' ? 'source' : 'target',
      error: cause.error,
    })
  if (r.error?._tag === 'LogFailed') {
    if (run.stopped !== 'log-failed')
      run.errors.push({ _tag: 'LogError', logger: r.error.logger, message: r.error.message })
    run.stopped = 'log-failed'
  }
}

/** Attempts the selected events (see the module's comment). */
export const attemptAll = async <S extends ApiVersion, T extends ApiVersion>(
  ctx: RunContext<S, T>,
  o: SyncOptions,
  plan: RunPlan,
  run: RunSoFar,
  step: {
    readonly tags: RunTags
    readonly tagsMode: TagsMode
    readonly compare: boolean
    readonly view: TargetView<T> | undefined
  },
): Promise<void> => {
  const { spec, options } = ctx
  const { uuids, rows, retrying, others } = run.selection
  const { view, compare } = step
  const keeper =
    rows === undefined || plan.state === undefined || plan.dryRun
      ? undefined
      : stateKeeper(plan.state, ctx.stateKey, new Progress(rows, run.before, others), run)
  // with tags carried, the target's key must be allowed to tag: asked once, before the first write
  const permit = permitGate(spec.to, plan.listCall, step.tagsMode, ctx.recovery)
  const verdictOf = (uuid: string) => run.verdicts.get(uuid.toLowerCase())
  const reader = sourceReader(
    spec,
    rows,
    (j) =>
      rows !== undefined &&
      verdictOf(rows[j]!.uuid)?._tag !== 'Excluded' &&
      needsRead(spec, options, compare, view, rows[j]!),
  )
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    for (;;) {
      if (plan.aborted()) run.stopped ??= 'aborted'
      if (run.stopped !== undefined) return
      const i = next++
      if (i >= uuids.length) return
      const uuid = uuids[i]!
      const verdict = verdictOf(uuid)
      const tried = await attempt({
        spec,
        options,
        recovery: ctx.recovery,
        uuid,
        row: rows?.[i],
        view,
        retrying: retrying.has(uuid.toLowerCase()),
        compare,
        tags: step.tags,
        reader,
        index: i,
        dryRun: plan.dryRun,
        call: plan.eventCall,
        permit,
        sharing: ctx.sharing,
        gate: ctx.gate,
        ...(verdict === undefined ? {} : { verdict }),
      })
      if (tried.refused !== undefined) {
        // the target's key may not do what the run needs: nothing of this event was written
        stopOnce(
          run,
          tried.refused._tag === 'AuthenticationFailed' ? 'authentication-failed' : 'not-permitted',
          tried.refused,
        )
        return
      }
      const r = await record(spec, options, tried)
      run.results[i] = r
      done++
      o.onProgress?.({ _tag: 'Done', result: r, done, total: uuids.length })
      stopsAfter(run, r)
      // a LogFailed event is not "attempted" for the state: its record is missing
      if (r.error?._tag !== 'LogFailed') await keeper?.mark(i, r.outcome !== 'failed')
    }
  }
  await Promise.all(
    Array.from(
      { length: Math.min(concurrencyOf(o.concurrency, options.concurrency), Math.max(1, uuids.length)) },
      worker,
    ),
  )
  await keeper?.flush()
}
