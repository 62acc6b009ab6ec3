/**
 * A sync run, step by step: load the state → select → look up the target's index once → attempt
 * the events, at most `concurrency` at a time, in selection order, recording each and saving the
 * position and the retry set as the run goes → summary. A refused API key stops the run once,
 * with the reason, instead of failing every remaining event. The steps share what the run has
 * found so far (`runSoFar.ts`).
 *
 * @internal
 */
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { SyncOptions } from '../Connector.js'
import type { RunResult } from '../RunResult.js'
import { attemptAll } from './runAttempts.js'
import { lookUp, selectEvents } from './runSelect.js'
import { type RunContext, type RunPlan, type RunSoFar, startRun, summary } from './runSoFar.js'
import { runTags, withTargetFocus } from './runTags.js'
import { focusOn } from './tagMap.js'

export type { RunContext } from './runSoFar.js'

const debug = createDebug('misp-bridge:sync')

/** Loads the run's position and retry set; `false` when the store cannot (said in `run`). */
const loadState = async <S extends ApiVersion, T extends ApiVersion>(
  ctx: RunContext<S, T>,
  plan: RunPlan,
  run: RunSoFar,
): Promise<boolean> => {
  if (plan.state === undefined) return true
  const loaded = await plan.state.load(ctx.stateKey)()
  if (E.isLeft(loaded)) {
    run.errors.push(loaded.left)
    return false
  }
  run.before = loaded.right
  return true
}

/** One sync run. May reject only on a bug (the connector catches it). */
export const runSync = async <S extends ApiVersion, T extends ApiVersion>(
  ctx: RunContext<S, T>,
  o: SyncOptions,
): Promise<RunResult> => {
  const { spec, options } = ctx
  const { plan, run } = startRun(options, o)
  const finish = (): RunResult => summary(ctx, o, plan, run)
  if (E.isLeft(plan.since)) {
    run.errors.push({ _tag: 'InvalidOptions', message: plan.since.left })
    return finish()
  }
  if (!(await loadState(ctx, plan, run))) return finish()
  if (plan.aborted()) {
    run.stopped = 'aborted'
    return finish()
  }

  const tagsMode = options.tags ?? 'mirror'
  const tags = runTags(spec, plan.eventCall, ctx.recovery)
  // a full run (no position, no since, or a list of uuids) compares what timestamps can't show
  const compare = o.uuids !== undefined || (plan.since.right === undefined && run.before === undefined)
  if (!(await selectEvents(ctx, o, plan, run, tags, tagsMode))) return finish()
  // a 2.3 target's tags are read for the selected events only, when their tags are all known
  // (a 2.3 source's tag-only changes, added by the look-up, go to a 2.4/2.5 target: no tags to read there)
  const focus = run.selection.rows === undefined ? undefined : focusOn(run.selection.rows, tagsMode)
  const focused = focus === undefined ? tags : withTargetFocus(tags, spec, plan.eventCall, focus)
  const view = await lookUp(ctx, plan, run, focused, tagsMode, compare)
  if (E.isLeft(view)) return finish()

  debug('%s: %d event(s) selected%s', spec.name, run.selection.uuids.length, plan.dryRun ? ' (dry run)' : '')
  o.onProgress?.({
    _tag: 'Selected',
    total: run.selection.uuids.length,
    ...(run.before === undefined ? {} : { watermark: run.before }),
  })
  await attemptAll(ctx, o, plan, run, { tags: focused, tagsMode, compare, view: view.right })
  const result = finish()
  debug(
    '%s: %o in %d ms%s',
    spec.name,
    result.counts,
    result.durationMs,
    run.stopped === undefined ? '' : ` (stopped: ${run.stopped})`,
  )
  return result
}
