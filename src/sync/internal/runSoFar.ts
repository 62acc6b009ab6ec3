/**
 * What one sync run has found so far, shared by its steps (`run.ts`: load → select → look up →
 * attempt), and the summary made of it. A step that ends the run says why once (`stopOnce`).
 *
 * @internal
 */
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
import type { StateStore, Watermark } from '../StateStore.js'
import { parseSince } from '../since.js'
import type { TransferResult } from '../TransferResult.js'
import type { PublishGate } from './arrival.js'
import type { RecoveryPolicy } from './recovery.js'
import type { Verdict } from './ruleCheck.js'
import type { Selection } from './select.js'
import type { Sharing } from './sharing.js'
import type { DirectionSpec } from './spec.js'

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

/** What a run is asked, worked out once at its start. */
export interface RunPlan {
  readonly started: number
  readonly dryRun: boolean
  /** `since` as unix seconds (a duration counts back from the start of the run) */
  readonly since: E.Either<string, number | undefined>
  /** the state store, unless the run is given its uuids (then it neither reads nor moves it) */
  readonly state: StateStore | undefined
  /** for listing and look-ups: the run's signal */
  readonly listCall: CallOptions
  /** for an event's requests: the run's signal only with `cancel-running` */
  readonly eventCall: CallOptions
  /** (a function: the signal fires while the run awaits) */
  readonly aborted: () => boolean
}

/** What a run has found so far (each step adds to it). */
export interface RunSoFar {
  readonly errors: Array<RunError>
  /** by the event's place in the selection; `undefined`: not attempted */
  readonly results: Array<TransferResult | undefined>
  before: Watermark | undefined
  after: Watermark | undefined
  stopped: StopReason | undefined
  selection: Selection
  /** the rules' verdicts on the listed rows, by lower-case uuid */
  verdicts: ReadonlyMap<string, Verdict>
}

const sinceOf = (since: SyncOptions['since']): E.Either<string, number | undefined> =>
  since === undefined
    ? E.right(undefined)
    : pipe(
        parseSince(since),
        E.mapLeft((expected) => `since: expected ${expected}`),
      )

/** The plan of a run with these options, and an empty record. */
export const startRun = <S extends ApiVersion>(
  options: ConnectorOptions<S>,
  o: SyncOptions,
): { readonly plan: RunPlan; readonly run: RunSoFar } => {
  const listCall: CallOptions = o.signal === undefined ? {} : { signal: o.signal }
  return {
    plan: {
      started: Date.now(),
      dryRun: o.dryRun === true,
      since: sinceOf(o.since),
      state: o.uuids === undefined ? options.state : undefined,
      listCall,
      eventCall: o.onAbort === 'cancel-running' ? listCall : {},
      aborted: () => o.signal?.aborted === true,
    },
    run: {
      errors: [],
      results: [],
      before: undefined,
      after: undefined,
      stopped: undefined,
      selection: { uuids: [], retrying: new Set() },
      verdicts: new Map(),
    },
  }
}

/** Stops the run for `reason`, saying why once: `false` when it was already stopped. */
export const stopOnce = (run: RunSoFar, reason: StopReason, error: RunError): boolean => {
  if (run.stopped !== undefined) return false
  run.stopped = reason
  run.errors.push(error)
  return true
}

/** The run's summary. */
export const summary = <S extends ApiVersion, T extends ApiVersion>(
  ctx: RunContext<S, T>,
  o: SyncOptions,
  plan: RunPlan,
  run: RunSoFar,
): RunResult => {
  const events = run.results.filter((r): r is TransferResult => r !== undefined)
  const notAttempted = run.selection.uuids.filter((_, i) => run.results[i] === undefined)
  const counts = countOutcomes(events)
  const mark = run.after ?? run.before
  const { since } = plan
  return {
    direction: ctx.spec.name,
    from: ctx.spec.from.url,
    to: ctx.spec.to.url,
    dryRun: plan.dryRun,
    startedAt: new Date(plan.started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - plan.started,
    ...(E.isRight(since) && since.right !== undefined ? { since: since.right } : {}),
    ...(o.uuids === undefined ? {} : { uuids: o.uuids }),
    ...(plan.state === undefined
      ? {}
      : {
          watermark: {
            ...(run.before === undefined ? {} : { before: run.before }),
            ...(mark === undefined ? {} : { after: mark }),
          },
        }),
    selected: run.selection.uuids.length,
    counts,
    notAttempted,
    ...(run.stopped === undefined ? {} : { stopped: run.stopped }),
    lossesByKind: lossesByKind(events),
    changes: sumChanges(events),
    errors: run.errors,
    ...(ctx.gate.refused === undefined ? {} : { notices: [ctx.gate.refused] }),
    ok:
      counts.failed === 0 &&
      notAttempted.length === 0 &&
      run.errors.length === 0 &&
      run.stopped === undefined,
    events,
  }
}
