/**
 * What one event transfer ends in: its outcome (`created | updated | unchanged | skipped |
 * failed`), the target id, the losses of the conversion, and — when it failed — why, as data.
 *
 * @since 0.1.0
 */
import { formatMispError, type MispError, type MispErrorTag } from '../client/MispError.js'
import type { Loss } from '../convert/Loss.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * Which way events flow: from a MISP 2.3 server to a MISP 2.4/2.5 server, or back.
 *
 * @category model
 * @since 0.1.0
 */
export type DirectionName = '2.3->2.4' | '2.4->2.3'

/**
 * How one event transfer ended.
 *
 * - `created`: the target did not have the event; it has it now.
 * - `updated`: the target had an older copy; it has the source's version now.
 * - `unchanged`: the target's copy is as new as the source's (same or newer `timestamp`, or the
 *   target answered MISP's "not newer"): nothing was written. Not a failure.
 * - `skipped`: a policy left the event out (e.g. a sharing-group event with
 *   `sharingGroupEvents: 'skip'`); `reason` says which.
 * - `failed`: see `error`.
 *
 * In a dry run the outcome is what would have happened; nothing was written.
 *
 * @category model
 * @since 0.1.0
 */
export type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed'

/**
 * Every outcome, in report order.
 *
 * @category model
 * @since 0.1.0
 */
export const outcomes: ReadonlyArray<Outcome> = ['created', 'updated', 'unchanged', 'skipped', 'failed']

/**
 * A call to the source server failed (reading the event; a body that does not decode with the
 * source's model is an `UnexpectedResponse` with its `DecodeFailure`).
 *
 * @category model
 * @since 0.1.0
 */
export interface SourceFailed {
  readonly _tag: 'SourceFailed'
  /** `get`: reading the event; `tags`: reading a 2.3 source's tags (tag list, `searchtag`) */
  readonly step: 'get' | 'tags'
  readonly error: MispError
}

/**
 * A call to the target server failed: learning what the target's key may do (`permissions`: the
 * event was not written), the existence check, the create or the update, reading
 * the target's copy, its tags, attaching or detaching a tag, deleting a retracted attribute, or
 * publishing, unpublishing or deleting a copy (the arrival policy, excluded copies).
 *
 * @category model
 * @since 0.1.0
 */
export interface TargetFailed {
  readonly _tag: 'TargetFailed'
  readonly step:
    | 'permissions'
    | 'exists'
    | 'create'
    | 'update'
    | 'read'
    | 'tags'
    | 'attach-tag'
    | 'detach-tag'
    | 'delete-attribute'
    | 'add-attribute'
    | 'publish'
    | 'unpublish'
    | 'delete-event'
  readonly error: MispError
}

/**
 * What the tag and retraction step changed on the target's copy (in a dry run: what it would
 * change). Tag names; attributes by uuid, with the target's id.
 *
 * @category model
 * @since 0.2.0
 */
export interface EventChanges {
  /** tags attached to the target's copy */
  readonly tagsAttached: ReadonlyArray<string>
  /** tags removed from the target's copy (`tags: 'mirror'` only) */
  readonly tagsDetached: ReadonlyArray<string>
  /** tags that did not exist on the target and were created there first */
  readonly tagsCreated: ReadonlyArray<string>
  /** attributes deleted on the target because the source retracted them */
  readonly attributesDeleted: ReadonlyArray<{ readonly uuid: string; readonly id: string }>
}

/**
 * Whether a change set changes anything.
 *
 * @category utils
 * @since 0.2.0
 */
export const hasChanges = (c: EventChanges | undefined): boolean =>
  c !== undefined &&
  (c.tagsAttached.length > 0 || c.tagsDetached.length > 0 || c.attributesDeleted.length > 0)

/**
 * A change set for people: `tags attached: tlp:red; tags removed: tlp:amber; 1 retracted
 * attribute(s) deleted` (empty when nothing changed).
 *
 * @category utils
 * @since 0.2.0
 */
export const formatChanges = (c: EventChanges): string =>
  [
    c.tagsAttached.length === 0 ? '' : `tags attached: ${c.tagsAttached.join(', ')}`,
    c.tagsDetached.length === 0 ? '' : `tags removed: ${c.tagsDetached.join(', ')}`,
    c.attributesDeleted.length === 0 ? '' : `${c.attributesDeleted.length} retracted attribute(s) deleted`,
  ]
    .filter((x) => x !== '')
    .join('; ')

/**
 * The conversion threw. Conversions are total and never throw; this exists so that a bug there
 * is reported for the event instead of breaking the run.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConversionFailed {
  readonly _tag: 'ConversionFailed'
  readonly message: string
}

/**
 * The transfer log could not record the attempt. `outcome` is what happened on the target
 * before that (e.g. `created`): the event may be on the target, but without its record the
 * transfer does not count as done (and the watermark does not move past it).
 *
 * @category model
 * @since 0.1.0
 */
export interface LogFailed {
  readonly _tag: 'LogFailed'
  readonly logger: string
  readonly message: string
  /** the outcome the attempt had before its record failed */
  readonly outcome: Outcome
  /** the attempt's own failure, when `outcome` is `failed` */
  readonly cause?: SourceFailed | TargetFailed | ConversionFailed | Incomplete | NotPermitted | Unexpected
}

/**
 * The target's API key may not do what this event needs, found before anything of it was
 * written: no tagging at all (perm_tagger; MISP 2.3's stock "Sync user"), or — on 2.4/2.5 — tags
 * the target lacks that the key may not create (perm_tag_editor: MISP would drop them from the
 * event silently, `Tag::captureTag@v2.5.1:318-337`). The event is not written rather than left
 * on the target without the markings its source carries.
 *
 * @category model
 * @since 0.3.0
 */
export interface NotPermitted {
  readonly _tag: 'NotPermitted'
  /** the missing permission, as MISP names it */
  readonly permission: 'perm_tagger' | 'perm_tag_editor'
  /** the key's role, when the server says (2.4/2.5) */
  readonly role?: string
  /** `perm_tag_editor`: the tags the target lacks */
  readonly tags?: ReadonlyArray<string>
  /** what to do about it, for people */
  readonly fix: string
}

/**
 * Something the transfer did not expect threw (a bug guard: a transfer's `Task` never rejects).
 *
 * @category model
 * @since 0.1.0
 */
export interface Unexpected {
  readonly _tag: 'Unexpected'
  readonly message: string
}

/**
 * The target's copy does not hold every attribute that was sent, and the bridge could not
 * complete it: the missing attributes were sent again and the target still does not hold them
 * (it refuses them, e.g. MISP's validation drops them), or completing it was cut short. The event
 * stays in the retry set; a copy is never reported done while it is short.
 *
 * @category model
 * @since 0.3.0
 */
export interface Incomplete {
  readonly _tag: 'Incomplete'
  /** live attributes the copy should hold (what the converted event carries) */
  readonly sent: number
  /** how many of them the copy holds */
  readonly held: number
  /** the uuids of (up to 10 of) the missing attributes */
  readonly missing: ReadonlyArray<string>
}

/**
 * Why an event transfer failed.
 *
 * @category model
 * @since 0.1.0
 */
export type TransferError =
  | SourceFailed
  | TargetFailed
  | ConversionFailed
  | Incomplete
  | NotPermitted
  | LogFailed
  | Unexpected

/**
 * The result of one event transfer.
 *
 * @category model
 * @since 0.1.0
 */
export interface TransferResult {
  readonly uuid: string
  readonly direction: DirectionName
  readonly outcome: Outcome
  /** the event's local id on the source, when it was read */
  readonly sourceId?: string
  /** the source event's `timestamp` (unix seconds), when known */
  readonly sourceTimestamp?: number
  /** the event's local id on the target, when known */
  readonly targetId?: string
  /** the target copy's `timestamp` before this transfer, when it existed */
  readonly targetTimestamp?: number
  /** what the conversion dropped or changed (empty when nothing, or when it did not run) */
  readonly losses: ReadonlyArray<Loss>
  /** tags attached or detached and attributes deleted on the target's copy, when any */
  readonly changes?: EventChanges
  /** why it failed (`outcome: 'failed'`) */
  readonly error?: TransferError
  /** why it was skipped or left unchanged, in words */
  readonly reason?: string
  /** a dry run: nothing was written to the target */
  readonly dryRun: boolean
  /** when the attempt started (ISO-8601) */
  readonly startedAt: string
  readonly durationMs: number
}

// ---------------------------------------------------------------------------------------------
// destructors
// ---------------------------------------------------------------------------------------------

/**
 * The `MispError` tag of a failure that came from a server, if it did.
 *
 * @category destructors
 * @since 0.1.0
 */
export const mispErrorTagOf = (e: TransferError): MispErrorTag | undefined =>
  e._tag === 'SourceFailed' || e._tag === 'TargetFailed' ? e.error._tag : undefined

/**
 * Renders a transfer error for people, one or more lines. Never contains an API key (the
 * client removes it from every error it makes).
 *
 * @example
 * formatTransferError({ _tag: 'TargetFailed', step: 'create', error })
 * // 'target create failed: HTTP 500: … — POST http://127.0.0.1:4001/events/add'
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatTransferError = (e: TransferError): string => {
  switch (e._tag) {
    case 'SourceFailed':
      return `source ${e.step} failed: ${formatMispError(e.error)}`
    case 'TargetFailed':
      return `target ${e.step} failed: ${formatMispError(e.error)}`
    case 'ConversionFailed':
      return `conversion failed: ${e.message}`
    case 'NotPermitted':
      return e.permission === 'perm_tagger'
        ? `the target's API key${e.role === undefined ? '' : ` (role "${e.role}")`} may not tag events (MISP's perm_tagger); nothing was written: ${e.fix}`
        : `the target lacks ${(e.tags ?? []).join(', ')} and its API key${e.role === undefined ? '' : ` (role "${e.role}")`} may not create tags (MISP's perm_tag_editor): the event was not written, it would have lost these markings; ${e.fix}`
    case 'Incomplete':
      return `the target's copy holds ${e.held} of the ${e.sent} attributes sent; missing e.g. ${e.missing.join(', ')}`
    case 'LogFailed':
      return `transfer log failed (${e.logger}) after outcome ${e.outcome}: ${e.message}${
        e.cause === undefined ? '' : `; the attempt itself: ${formatTransferError(e.cause)}`
      }`
    case 'Unexpected':
      return `unexpected failure: ${e.message}`
  }
}
