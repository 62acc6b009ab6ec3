/**
 * What a sync run ends in: every event's result, counts per outcome, the events it did not get
 * to, the losses by kind, the watermark before and after, and the run-level errors. Also its
 * JSON form (`misp-bridge sync --json`, `docs/sync-output.md`).
 *
 * @since 0.1.0
 */
import { formatMispError, type MispError } from '../client/MispError.js'
import type { Loss } from '../convert/Loss.js'
import type { StateError, Watermark } from './StateStore.js'
import type { LogError } from './TransferLogger.js'
import {
  type ChangeCounts,
  countChanges,
  DEFAULT_LOSS_SAMPLE,
  type LossSummary,
  type RecordedError,
  recordError,
  summariseLosses,
} from './TransferRecord.js'
import {
  type DirectionName,
  type EventChanges,
  type Outcome,
  outcomes,
  type TransferResult,
} from './TransferResult.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * The source's list of changed events could not be read.
 *
 * @category model
 * @since 0.1.0
 */
export interface ListFailed {
  readonly _tag: 'ListFailed'
  readonly error: MispError
}

/**
 * An option of the run is not valid (e.g. a `since` that is not a time); nothing was done.
 *
 * @category model
 * @since 0.1.0
 */
export interface InvalidOptions {
  readonly _tag: 'InvalidOptions'
  readonly message: string
}

/**
 * The server refused the API key (403 "Authentication failed", 401, or a login page) part-way:
 * the run stopped once, instead of failing every remaining event the same way.
 *
 * @category model
 * @since 0.2.0
 */
export interface AuthenticationRefused {
  readonly _tag: 'AuthenticationFailed'
  /** which server refused it */
  readonly side: 'source' | 'target'
  readonly error: MispError
}

/**
 * The target's API key may not do what the run needs — found before the first write, so
 * nothing was written: with tags carried (`tags` not `'none'`), a key without MISP's tagger
 * permission (perm_tagger) would create events and then fail to mark them, leaving e.g. a
 * `tlp:red` event on the target without its marking. MISP 2.3's stock "Sync user" role is such a
 * key (`INSTALL/MYSQL.sql@v2.3.178:536`).
 *
 * @category model
 * @since 0.3.0
 */
export interface KeyNotPermitted {
  readonly _tag: 'KeyNotPermitted'
  readonly side: 'target'
  /** the missing permission, as MISP names it */
  readonly permission: 'perm_tagger'
  /** the key's role, when the server says (2.4/2.5) */
  readonly role?: string
  /** what to do about it, for people */
  readonly fix: string
}

/**
 * A failure of the run as a whole, beside the events' own failures: the list could not be read,
 * the state could not be loaded or saved, the transfer log failed (the run stopped starting
 * events), an option was invalid, or something unexpected threw.
 *
 * @category model
 * @since 0.1.0
 */
export type RunError =
  | ListFailed
  | AuthenticationRefused
  | KeyNotPermitted
  | StateError
  | LogError
  | InvalidOptions
  | { readonly _tag: 'Unexpected'; readonly message: string }

/**
 * Why a run stopped before it attempted every selected event.
 *
 * @category model
 * @since 0.1.0
 */
export type StopReason = 'aborted' | 'log-failed' | 'state-failed' | 'authentication-failed' | 'not-permitted'

/**
 * The result of a sync run.
 *
 * @category model
 * @since 0.1.0
 */
export interface RunResult {
  readonly direction: DirectionName
  /** the source and target base URLs (no credentials) */
  readonly from: string
  readonly to: string
  readonly dryRun: boolean
  readonly startedAt: string
  readonly finishedAt: string
  readonly durationMs: number
  /** the `since` of the run (unix seconds), when given */
  readonly since?: number
  /** the uuids asked for, when the run was given a list */
  readonly uuids?: ReadonlyArray<string>
  /** the state store's watermark before and after the run, when a store was used */
  readonly watermark?: { readonly before?: Watermark; readonly after?: Watermark }
  /** how many events the run selected */
  readonly selected: number
  readonly counts: Readonly<Record<Outcome, number>>
  /** the uuids of selected events that were not attempted (the run stopped first) */
  readonly notAttempted: ReadonlyArray<string>
  readonly stopped?: StopReason
  readonly lossesByKind: Readonly<Partial<Record<Loss['_tag'], number>>>
  /** tags attached / removed / created and retracted attributes deleted on the target, over all events */
  readonly changes: ChangeCounts
  readonly errors: ReadonlyArray<RunError>
  /**
   * what the run says once rather than per event, with the fix (e.g. the target refused to publish
   * copies quietly for this key: they arrived unpublished); not failures
   */
  readonly notices?: ReadonlyArray<string>
  /** no event failed, every selected event was attempted, the run was not stopped and had no error */
  readonly ok: boolean
  /** every attempted event's result, in the order they were selected */
  readonly events: ReadonlyArray<TransferResult>
}

// ---------------------------------------------------------------------------------------------
// destructors
// ---------------------------------------------------------------------------------------------

/**
 * Counts results per outcome (every outcome present, zero when none).
 *
 * @category destructors
 * @since 0.1.0
 */
export const countOutcomes = (events: ReadonlyArray<TransferResult>): Record<Outcome, number> => {
  const counts = Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<Outcome, number>
  for (const e of events) counts[e.outcome]++
  return counts
}

/**
 * Adds up the losses of every event by kind.
 *
 * @category destructors
 * @since 0.1.0
 */
export const lossesByKind = (
  events: ReadonlyArray<TransferResult>,
): Readonly<Partial<Record<Loss['_tag'], number>>> => {
  const out: Partial<Record<Loss['_tag'], number>> = {}
  for (const e of events) for (const l of e.losses) out[l._tag] = (out[l._tag] ?? 0) + 1
  return out
}

/**
 * Sums the tag and retraction changes of a run's events.
 *
 * @category destructors
 * @since 0.2.0
 */
export const sumChanges = (events: ReadonlyArray<TransferResult>): ChangeCounts => {
  const total = { tagsAttached: 0, tagsDetached: 0, tagsCreated: 0, attributesDeleted: 0 }
  for (const e of events)
    if (e.changes !== undefined) {
      const c = countChanges(e.changes)
      total.tagsAttached += c.tagsAttached
      total.tagsDetached += c.tagsDetached
      total.tagsCreated += c.tagsCreated
      total.attributesDeleted += c.attributesDeleted
    }
  return total
}

/**
 * Renders a run error for people.
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatRunError = (e: RunError): string => {
  switch (e._tag) {
    case 'ListFailed':
      return `cannot list the source's events: ${formatMispError(e.error)}`
    case 'AuthenticationFailed':
      return `the ${e.side} refused the API key, the run stopped: ${formatMispError(e.error)}`
    case 'KeyNotPermitted':
      return `the ${e.side}'s API key${e.role === undefined ? '' : ` (role "${e.role}")`} may not tag events (MISP's ${e.permission}); nothing was written: ${e.fix}`
    case 'StateError':
      return `state store ${e.store}: ${e.message}`
    case 'LogError':
      return `transfer log ${e.logger} failed, the run stopped: ${e.message}`
    case 'InvalidOptions':
      return `invalid options: ${e.message}`
    case 'Unexpected':
      return `unexpected failure: ${e.message}`
  }
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/**
 * One event in the JSON report: the result with its losses summarised and its error rendered.
 *
 * @category model
 * @since 0.1.0
 */
export interface EventReport {
  readonly uuid: string
  readonly outcome: Outcome
  readonly dryRun?: true
  readonly sourceId?: string
  readonly sourceTimestamp?: number
  readonly targetId?: string
  readonly targetTimestamp?: number
  readonly reason?: string
  readonly startedAt: string
  readonly durationMs: number
  readonly losses: LossSummary
  readonly changes?: EventChanges
  readonly error?: RecordedError
}

/**
 * The JSON document of a run (`misp-bridge sync --json`): plain JSON, stable field names.
 *
 * @category model
 * @since 0.1.0
 */
export interface RunReport extends Omit<RunResult, 'events' | 'errors'> {
  readonly errors: ReadonlyArray<{ readonly kind: RunError['_tag']; readonly message: string }>
  readonly events: ReadonlyArray<EventReport>
}

/**
 * The JSON report of a run, with at most `lossSample` losses rendered per event.
 *
 * @category destructors
 * @since 0.1.0
 */
export const toRunReport = (r: RunResult, lossSample: number = DEFAULT_LOSS_SAMPLE): RunReport => {
  const { events, errors, ...rest } = r
  return {
    ...rest,
    errors: errors.map((e) => ({ kind: e._tag, message: formatRunError(e) })),
    events: events.map((e) => ({
      uuid: e.uuid,
      outcome: e.outcome,
      ...(e.dryRun ? { dryRun: true as const } : {}),
      ...(e.sourceId === undefined ? {} : { sourceId: e.sourceId }),
      ...(e.sourceTimestamp === undefined ? {} : { sourceTimestamp: e.sourceTimestamp }),
      ...(e.targetId === undefined ? {} : { targetId: e.targetId }),
      ...(e.targetTimestamp === undefined ? {} : { targetTimestamp: e.targetTimestamp }),
      ...(e.reason === undefined ? {} : { reason: e.reason }),
      startedAt: e.startedAt,
      durationMs: e.durationMs,
      losses: summariseLosses(e.losses, lossSample),
      ...(e.changes === undefined ? {} : { changes: e.changes }),
      ...(e.error === undefined ? {} : { error: recordError(e.error) }),
    })),
  }
}
