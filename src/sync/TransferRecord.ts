/**
 * The transfer log's record of one event attempt: plain JSON, one line of the JSON Lines log
 * (`docs/sync-output.md`). It names the event by uuid, says when, which way, what happened and
 * why, and summarises the conversion's losses in bounded space.
 *
 * @since 0.1.0
 */
import type { MispErrorTag } from '../client/MispError.js'
import { countByKind, formatLoss, type Loss } from '../convert/Loss.js'
import {
  type DirectionName,
  type EventChanges,
  formatTransferError,
  mispErrorTagOf,
  type Outcome,
  type TransferError,
  type TransferResult,
} from './TransferResult.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * The losses of one conversion in bounded space: an event can hold 100 000 attributes, each with
 * a loss, so a record carries the total, the count per kind and a few losses rendered by
 * `formatLoss`, the most significant first. The full list goes to the archive (`<uuid>/<at>-losses.json`) and stays in
 * the `TransferResult`.
 *
 * @category model
 * @since 0.1.0
 */
export interface LossSummary {
  readonly total: number
  readonly byKind: Readonly<Partial<Record<Loss['_tag'], number>>>
  /** some losses, most significant first, one line each (`formatLoss`); `total - sample.length` more are not shown */
  readonly sample: ReadonlyArray<string>
}

/**
 * A failure as the log records it: the kind, the step and the server error's tag when it came
 * from a server, and the message for people (never containing an API key).
 *
 * @category model
 * @since 0.1.0
 */
export interface RecordedError {
  readonly kind: TransferError['_tag']
  readonly step?: string
  readonly tag?: MispErrorTag
  readonly message: string
}

/**
 * One event attempt as the transfer log records it.
 *
 * @category model
 * @since 0.1.0
 */
export interface TransferRecord {
  /** when the attempt ended (ISO-8601, UTC) */
  readonly at: string
  readonly uuid: string
  readonly direction: DirectionName
  readonly outcome: Outcome
  /** present (and `true`) only in a dry run: nothing was written to the target */
  readonly dryRun?: true
  /** the source and target base URLs (no credentials) */
  readonly from: string
  readonly to: string
  readonly sourceId?: string
  readonly sourceTimestamp?: number
  readonly targetId?: string
  readonly targetTimestamp?: number
  readonly reason?: string
  readonly durationMs: number
  readonly losses: LossSummary
  /** how many tags were attached / removed / created and retracted attributes deleted on the target (present when any; the archive's `changes` file has the lists) */
  readonly changes?: ChangeCounts
  readonly error?: RecordedError
}

/**
 * Counts of what the tag and retraction step changed on the target.
 *
 * @category model
 * @since 0.2.0
 */
export interface ChangeCounts {
  readonly tagsAttached: number
  readonly tagsDetached: number
  readonly tagsCreated: number
  readonly attributesDeleted: number
}

/**
 * The counts of a change set.
 *
 * @category constructors
 * @since 0.2.0
 */
export const countChanges = (c: EventChanges): ChangeCounts => ({
  tagsAttached: c.tagsAttached.length,
  tagsDetached: c.tagsDetached.length,
  tagsCreated: c.tagsCreated.length,
  attributesDeleted: c.attributesDeleted.length,
})

/**
 * How many losses a record shows in `losses.sample` unless told otherwise.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_LOSS_SAMPLE = 10

/**
 * How much a loss matters to a reader of the log, most first: data that did not arrive (a dropped
 * attribute or object, a refused policy, a field the target cannot hold or the model does not
 * know), then changes of shape and sharing, and last the instance-local fields every transfer
 * drops (ids, counters), which say nothing about the event.
 *
 * @category utils
 * @since 0.1.0
 */
export const lossRank = (l: Loss): number => {
  switch (l._tag) {
    case 'AttributeDropped':
    case 'ObjectDropped':
    case 'PolicyRejected':
      return 0
    case 'FieldsDropped':
      return l.reason === 'not-in-target' || l.reason === 'unknown'
        ? 1
        : l.reason === 'not-transferred'
          ? 4
          : 5
    case 'ObjectFlattened':
    case 'DistributionChanged':
      return 2
    case 'ValueChanged':
      return 3
  }
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * Summarises losses: total, count per kind, and `sample` of them rendered — the most significant
 * first ({@link lossRank}), in their order within a rank.
 *
 * @category constructors
 * @since 0.1.0
 */
export const summariseLosses = (
  losses: ReadonlyArray<Loss>,
  sample: number = DEFAULT_LOSS_SAMPLE,
): LossSummary => {
  const n = Math.max(0, Math.floor(sample))
  const picked: Array<Loss> = []
  for (let rank = 0; rank <= 5 && picked.length < n; rank++)
    for (const l of losses) {
      if (picked.length >= n) break
      if (lossRank(l) === rank) picked.push(l)
    }
  return { total: losses.length, byKind: countByKind(losses), sample: picked.map(formatLoss) }
}

/**
 * A transfer error as the log records it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const recordError = (e: TransferError): RecordedError => {
  const tag = mispErrorTagOf(e)
  return {
    kind: e._tag,
    ...(e._tag === 'SourceFailed' || e._tag === 'TargetFailed' ? { step: e.step } : {}),
    ...(tag === undefined ? {} : { tag }),
    message: formatTransferError(e),
  }
}

/**
 * The record of a transfer result.
 *
 * @category constructors
 * @since 0.1.0
 */
export const toTransferRecord = (
  r: TransferResult,
  context: { readonly at: Date; readonly from: string; readonly to: string; readonly lossSample?: number },
): TransferRecord => ({
  at: context.at.toISOString(),
  uuid: r.uuid,
  direction: r.direction,
  outcome: r.outcome,
  ...(r.dryRun ? { dryRun: true as const } : {}),
  from: context.from,
  to: context.to,
  ...(r.sourceId === undefined ? {} : { sourceId: r.sourceId }),
  ...(r.sourceTimestamp === undefined ? {} : { sourceTimestamp: r.sourceTimestamp }),
  ...(r.targetId === undefined ? {} : { targetId: r.targetId }),
  ...(r.targetTimestamp === undefined ? {} : { targetTimestamp: r.targetTimestamp }),
  ...(r.reason === undefined ? {} : { reason: r.reason }),
  durationMs: r.durationMs,
  losses: summariseLosses(r.losses, context.lossSample),
  ...(r.changes === undefined ? {} : { changes: countChanges(r.changes) }),
  ...(r.error === undefined ? {} : { error: recordError(r.error) }),
})
