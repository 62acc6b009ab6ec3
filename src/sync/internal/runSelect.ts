/**
 * A run's first steps after loading its state: **select** the events (the uuids given, or what
 * changed since the position plus the retry set, with the rules' verdicts on the listed rows), then
 * **look up** the target's index once, when there are enough events to make it pay — or when a 2.3
 * source's tags must be compared with the target's (its tag changes do not move its timestamps, so
 * its rows at or before the position are compared too, and those whose tags changed are added).
 *
 * @internal
 */
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { SyncOptions, TagsMode } from '../Connector.js'
import { stopsTheRun } from './recovery.js'
import type { RunContext, RunPlan, RunSoFar } from './runSoFar.js'
import { stopOnce } from './runSoFar.js'
import type { RunTags } from './runTags.js'
import { selectChanged, uniqueUuids, withRows } from './select.js'
import { rowVerdicts, withArrival } from './sharing.js'
import { tagsSettled } from './tagNames.js'
import { readTargetView, type TargetView, VIEW_THRESHOLD } from './targetView.js'

const debug = createDebug('misp-bridge:sync')

/** Selects the run's events into `run.selection`; `false` when the run ends here (said in `run`). */
export const selectEvents = async <S extends ApiVersion, T extends ApiVersion>(
  ctx: RunContext<S, T>,
  o: SyncOptions,
  plan: RunPlan,
  run: RunSoFar,
  tags: RunTags,
  tagsMode: TagsMode,
): Promise<boolean> => {
  const { spec } = ctx
  if (o.uuids !== undefined) {
    run.selection = { uuids: uniqueUuids(o.uuids), retrying: new Set() }
    return true
  }
  const selected = await selectChanged(
    spec,
    E.isRight(plan.since) ? plan.since.right : undefined,
    run.before,
    plan.listCall,
    (tagsMode !== 'none' || ctx.sharing.rules?.needsTags === true) && spec.from.apiVersion === '2.3'
      ? tags.source23
      : undefined,
  )
  if (E.isLeft(selected)) {
    if (selected.left._tag === 'Aborted' && plan.aborted()) run.stopped = 'aborted'
    else if (stopsTheRun(selected.left))
      stopOnce(run, 'authentication-failed', {
        _tag: 'AuthenticationFailed',
        side: 'source',
        error: selected.left,
      })
    else run.errors.push({ _tag: 'ListFailed', error: selected.left })
    return false
  }
  // the rules, where the index rows tell (their own tags); then the tags a copy should carry
  const { rows, others } = selected.right
  run.verdicts = rowVerdicts(ctx.sharing, [...(rows ?? []), ...(others ?? [])])
  run.selection = {
    ...selected.right,
    ...(rows === undefined ? {} : { rows: withArrival(rows, ctx.sharing.arrival) }),
    ...(others === undefined ? {} : { others: withArrival(others, ctx.sharing.arrival) }),
  }
  const excluded = [...run.verdicts.values()].filter((v) => v._tag === 'Excluded').length
  if (excluded > 0) debug('%s: %d listed event(s) excluded by the rules (not read)', spec.name, excluded)
  return true
}

/**
 * Reads the target's index once when it pays (see the module's comment), adding to the selection
 * the listed events whose tags changed at a 2.3 source. `Left` when the run ends here (a refused
 * key, said in `run`); `Right(undefined)` when there is no index to go by (events are looked up one
 * by one).
 */
export const lookUp = async <S extends ApiVersion, T extends ApiVersion>(
  ctx: RunContext<S, T>,
  plan: RunPlan,
  run: RunSoFar,
  tags: RunTags,
  tagsMode: TagsMode,
  compare: boolean,
): Promise<E.Either<void, TargetView<T> | undefined>> => {
  const { spec, options } = ctx
  const { selection } = run
  const tagOnly =
    tagsMode !== 'none' &&
    spec.from.apiVersion === '2.3' &&
    (selection.others?.some((r) => r.tags !== undefined) ?? false)
  if (
    (selection.uuids.length < VIEW_THRESHOLD && !tagOnly) ||
    (options.existence === 'create-first' && !plan.dryRun)
  )
    return E.right(undefined)
  // a 2.3 target's tags are read up front only in a full run, which compares every copy's tags;
  // otherwise when an event needs them
  const read = await readTargetView(
    spec.to,
    plan.listCall,
    tagsMode !== 'none' && compare ? tags.target23 : undefined,
  )
  if (E.isLeft(read)) {
    if (stopsTheRun(read.left)) {
      stopOnce(run, 'authentication-failed', {
        _tag: 'AuthenticationFailed',
        side: 'target',
        error: read.left,
      })
      return E.left(undefined)
    }
    debug('%s: the target index failed (%s); looking events up one by one', spec.name, read.left._tag)
    return E.right(undefined)
  }
  const view = read.right
  const changedTags = (selection.others ?? []).filter((r) => {
    const there = view.tags(r.uuid)
    return (
      r.tags !== undefined &&
      there !== undefined &&
      view.exists(r.uuid).exists &&
      !tagsSettled(tagsMode, r.tags, there)
    )
  })
  if (changedTags.length > 0) {
    debug('%s: %d event(s) whose tags changed at the source', spec.name, changedTags.length)
    const rest = (selection.others ?? []).filter((r) => !changedTags.includes(r))
    run.selection = withRows([...(selection.rows ?? []), ...changedTags], rest, selection.retrying)
  }
  return E.right(view)
}
