/**
 * What the client's calls answer when they succeed: MISP's ordinary outcomes ("already exists",
 * "not newer") are results, not errors.
 *
 * @since 0.1.0
 */
import type * as V23 from '../v23/index.js'
import type * as V24 from '../v24/index.js'
import type { ApiVersion } from './ServerVersion.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * The event model of a wire format: `V23.Event` for `'2.3'`, `V24.Event` for `'2.4'`.
 *
 * @category model
 * @since 0.1.0
 */
export type EventOf<V extends ApiVersion> = V extends '2.3' ? V23.Event : V24.Event

/**
 * An index row of a wire format, with its `timestamp` (which the client guarantees).
 *
 * @category model
 * @since 0.1.0
 */
export type IndexEntryOf<V extends ApiVersion> = (V extends '2.3' ? V23.IndexRow : V24.IndexRow) & {
  readonly timestamp: string
}

/**
 * Whether an event exists on the server, and if so its local numeric `id` and its `timestamp`
 * (unix seconds, as MISP writes them: decimal strings).
 *
 * @category model
 * @since 0.1.0
 */
export type Exists =
  | { readonly exists: false }
  | { readonly exists: true; readonly id: string; readonly timestamp: string }

/**
 * The event was created: its new local `id` and the event as the server stored it. `errors` is
 * MISP's top-level `errors` member when the server dropped some attributes (MISP < 2.5 lists
 * them; 2.5.1 drops them silently).
 *
 * @category model
 * @since 0.1.0
 */
export interface Created<E> {
  readonly _tag: 'Created'
  readonly id: string
  readonly event: E
  readonly errors?: unknown
}

/**
 * The server already has an event with this uuid (MISP's 404 + `Location`): nothing was written;
 * `id` is its local id, ready for `update`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AlreadyExists {
  readonly _tag: 'AlreadyExists'
  readonly id: string
}

/**
 * The outcome of `create`.
 *
 * @category model
 * @since 0.1.0
 */
export type CreateResult<E> = Created<E> | AlreadyExists

/**
 * The event was updated: its local `id` and the event as the server stored it.
 *
 * @category model
 * @since 0.1.0
 */
export interface Updated<E> {
  readonly _tag: 'Updated'
  readonly id: string
  readonly event: E
  readonly errors?: unknown
}

/**
 * The server's copy is as new as the one sent, or newer (its `timestamp` is not older): nothing
 * was written. For a sync this means "unchanged", not "failed".
 *
 * @category model
 * @since 0.1.0
 */
export interface NotNewer {
  readonly _tag: 'NotNewer'
  readonly id: string
}

/**
 * The outcome of `update`.
 *
 * @category model
 * @since 0.1.0
 */
export type UpdateResult<E> = Updated<E> | NotNewer

/**
 * A tag as the server lists it (`GET /tags/index`): its local `id` (a decimal string), `name`, and
 * what the server says besides — `colour`, `exportable` (MISP 2.4+; 2.3 has no such column) and
 * `count`, the number of events carrying it that the key's user can see.
 *
 * @category model
 * @since 0.1.0
 */
export interface TagEntry {
  readonly id: string
  readonly name: string
  readonly colour?: string
  readonly exportable?: boolean
  /** events carrying it, when the server says */
  readonly count?: number
}

/**
 * The outcome of `attachTag`: the tag was attached, or the event already carried it (nothing was
 * written).
 *
 * @category model
 * @since 0.1.0
 */
export type AttachResult = { readonly _tag: 'Attached' } | { readonly _tag: 'AlreadyAttached' }

/**
 * The outcome of `detachTag`: the tag was removed, or the event did not carry it (MISP's "Invalid
 * event - tag combination.", also its answer for an event it does not have).
 *
 * @category model
 * @since 0.1.0
 */
export type DetachResult = { readonly _tag: 'Detached' } | { readonly _tag: 'NotAttached' }

/**
 * The outcome of `deleteAttribute`: deleted (MISP 2.3: for good; 2.4/2.5: soft-deleted, `deleted:
 * true`), or no such (live) attribute on the server.
 *
 * @category model
 * @since 0.1.0
 */
export type DeleteAttributeResult = { readonly _tag: 'Deleted' } | { readonly _tag: 'NotFound' }

/**
 * The outcome of `addAttribute`: added (with its new local id), or an attribute with this uuid is
 * already stored (MISP 2.3 refuses a second one: adding is idempotent by uuid).
 *
 * @category model
 * @since 0.3.0
 */
export type AddAttributeResult =
  | { readonly _tag: 'Added'; readonly id: string }
  | { readonly _tag: 'AlreadyExists' }

/**
 * What `publish`, `unpublish` or `deleteEvent` did: `Done`, or `NotFound` (no such event, or not
 * visible to this key). A refusal (no `perm_publish`, another organisation's event) is a
 * `Forbidden` error.
 *
 * @category model
 * @since 0.3.0
 */
export type EventStateResult = { readonly _tag: 'Done' } | { readonly _tag: 'NotFound' }
