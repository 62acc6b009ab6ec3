/**
 * A connector moves events one way between two MISP servers: `transfer(uuid)` for one event,
 * `sync(options)` for every event changed since a point. Both return fp-ts `Task`s that never
 * reject: every failure is inside the result. Made by `connect23to24` and `connect24to23`.
 *
 * @since 0.1.0
 */
import type { Task } from 'fp-ts/lib/Task.js'
import type { MispClient } from '../client/MispClient.js'
import type { EventOf } from '../client/Results.js'
import type { ApiVersion } from '../client/ServerVersion.js'
import type { ConvertOptions } from '../convert/ConvertOptions.js'
import type { RunResult } from './RunResult.js'
import type { StateStore, Watermark } from './StateStore.js'
import type { SyncRules } from './SyncRules.js'
import type { Since } from './since.js'
import type { TransferLogger } from './TransferLogger.js'
import type { DirectionName, TransferResult } from './TransferResult.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * How a connector finds out whether the target already has an event:
 *
 * - `'lookup'` (default): `exists(uuid)` on the target, then create, or update only when the
 *   source's copy is newer than the target's (`timestamp`); an equal or older one is `unchanged`
 *   without a write.
 * - `'create-first'`: the seed tool's "POST and see": create, and on MISP's "already exists"
 *   answer (404 + `Location`) update the id it names; MISP's "not newer" answer is `unchanged`.
 *   For servers where the lookup is not available. A dry run always uses the lookup (it writes
 *   nothing).
 *
 * @category model
 * @since 0.1.0
 */
export type ExistenceCheck = 'lookup' | 'create-first'

/**
 * How hard a connector tries, within one run, a write whose answer was lost (a reset, a
 * 500/502/503/504, a timeout, a cut body) and a source read that keeps failing the same ways after
 * the client's own retries. After a lost write it waits, looks the event up by uuid and compares
 * timestamps: if the write landed, the event is done; if not, it sends again. A failed read is
 * read again after the wait. A refused write (validation, permission, "not locked") or read (not
 * found, forbidden) is never tried again in the run.
 *
 * @category model
 * @since 0.2.0
 */
export interface RecoveryOptions {
  /** how many times one create or update is sent at most (default 4, 1–20) */
  readonly writeAttempts?: number
  /**
   * how many times one source event is read at most while its reads fail transiently (default 3,
   * 1–20; each read is one client call with the client's own retries inside its time budget)
   */
  readonly readAttempts?: number
  /** milliseconds before each extra attempt, jittered 50–100 %; the last value repeats (default [250, 1000, 2000]) */
  readonly backoffMs?: ReadonlyArray<number>
}

/**
 * How big events are written (see docs/performance.md for the measurements behind the defaults).
 * An event with more live attributes than `threshold` is created with its first `size`
 * attributes and gets the others in edits of `size` each (objects whole), so no single request
 * runs for minutes; the last edit sets the source's timestamp and published state, once the copy
 * holds everything. A run cut between pieces leaves a copy older than its source: the next run
 * sends only what it lacks. Every write's time budget is at least the client's `event` budget, and
 * `baseMs + msPerAttribute ×` the attributes the copy holds after it.
 *
 * @category model
 * @since 0.3.0
 */
export interface PiecesOptions {
  /** write in pieces above this many live attributes (default 10,000) */
  readonly threshold?: number
  /** attributes per piece (default 10,000) */
  readonly size?: number
  /** a write's base time budget in milliseconds (default 300,000) */
  readonly baseMs?: number
  /** and milliseconds more per attribute the copy holds after the write (default 4) */
  readonly msPerAttribute?: number
  /**
   * MISP 2.3 only: how many `attributes/add` calls are in flight at once while a short copy is
   * completed (default 4, 1–16). A 2.3 add re-reads the whole event on the server (its
   * uniqueness check and counter cache), so one at a time leaves the server half idle; see
   * docs/performance.md.
   */
  readonly parallelAdds?: number
}

/**
 * What happens to an event's tags (TLP markings, galaxy clusters, …):
 *
 * - `'mirror'` (default): the target's copy carries exactly the source's exportable, non-local
 *   tags: missing ones are attached (and created on the target when it has no such tag), others
 *   removed — so a `tlp:red` → `tlp:amber` change at the source never leaves both. The target's
 *   own *local* tags are never touched.
 * - `'add-only'`: missing tags are attached, none is removed.
 * - `'none'`: tags are left alone (as before 0.2.0).
 *
 * @category model
 * @since 0.2.0
 */
export type TagsMode = 'mirror' | 'add-only' | 'none'

/**
 * What happens to attributes the source retracted (deleted, soft-deleted, or gone from a 2.3
 * event): `'mirror'` (default) deletes them on the target's copy too (a hard delete on 2.3, a
 * soft delete on 2.4/2.5); `'keep'` leaves them.
 *
 * @category model
 * @since 0.2.0
 */
export type RetractionsMode = 'mirror' | 'keep'

/**
 * How a copy's published state arrives on the target:
 *
 * - `'quiet'` (default): it follows the source **without alert e-mails** — the copy is written
 *   unpublished, then published with MISP's publish-without-e-mail call (`POST
 *   /events/publish/{id}`); a copy whose source was unpublished (without a new timestamp) is
 *   unpublished on 2.4/2.5. Where the target refuses the publish for this key (MISP 2.3: only a
 *   site admin or the creator organisation may; 2.4/2.5: `perm_publish` in the creator
 *   organisation, or a site admin), the copy stays unpublished and the run says so once.
 * - `'never'`: copies arrive (and stay) unpublished.
 * - `'as-source'`: the write carries `published` as the source has it: the target then e-mails its
 *   subscribed users and publishes onward, unless it sets `MISP.disablerestalert`
 *   (`Event::_add`/`_edit`).
 *
 * @category model
 * @since 0.3.0
 */
export type PublishArrival = 'quiet' | 'never' | 'as-source'

/**
 * How a copy lands on the target.
 *
 * @category model
 * @since 0.3.0
 */
export interface ArrivalOptions {
  /** the copy's published state (default `'quiet'`, see {@link PublishArrival}) */
  readonly publish?: PublishArrival
  /**
   * tags added to every copy (e.g. `source:misp-2.3`): attached on arrival and kept by the
   * `'mirror'` tags mode; needs a tags mode other than `'none'`
   */
  readonly tags?: ReadonlyArray<string>
}

/**
 * What happens to the copy of an event the rules exclude after it was copied (e.g. reclassified
 * `tlp:green` → `tlp:red` at the source): `'keep'` (default) leaves it as it is, and it is not
 * updated again while excluded; `'unpublish'` unpublishes it (2.4/2.5 targets; 2.3 has no such
 * call); `'delete'` deletes it. Only copies the bridge made (`locked`) are touched, never the
 * target's own events.
 *
 * @category model
 * @since 0.3.0
 */
export type ExcludedCopies = 'keep' | 'unpublish' | 'delete'

/**
 * Options shared by both connectors.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConnectorOptions<S extends ApiVersion> {
  /** receives one record per event attempt (and may archive its JSON); none by default */
  readonly logger?: TransferLogger
  /** keeps the watermark between `sync` runs; none by default (every run starts from `since`) */
  readonly state?: StateStore
  /** how the target's copy is found (default `'lookup'`) */
  readonly existence?: ExistenceCheck
  /** the conversion's options: distribution policy (default `'organisation-only'`) and timestamps */
  readonly convert?: ConvertOptions
  /** your own policy: return a reason to skip an event (it ends `skipped`), or `undefined` */
  readonly skip?: (event: EventOf<S>) => string | undefined
  /** events transferred at the same time by `sync` unless it says otherwise (default 4) */
  readonly concurrency?: number
  /** what happens to tags (default `'mirror'`, see {@link TagsMode}) */
  readonly tags?: TagsMode
  /** what happens to attributes the source retracted (default `'mirror'`, see {@link RetractionsMode}) */
  readonly retractions?: RetractionsMode
  /** recovery of lost write answers and failing source reads, within a run (see {@link RecoveryOptions}) */
  readonly recovery?: RecoveryOptions
  /** how big events are written, in pieces (see {@link PiecesOptions}) */
  readonly pieces?: PiecesOptions
  /** losses rendered per event in log records and reports (default 10, most significant first; all are in the archive) */
  readonly lossSample?: number
  /**
   * which events cross, in MISP's push-rules dialect with names (see {@link SyncRules}); an
   * excluded event ends `skipped` with the rule and the value as its reason
   */
  readonly rules?: SyncRules
  /** how copies arrive: published quietly by default, extra tags (see {@link ArrivalOptions}) */
  readonly arrival?: ArrivalOptions
  /** what happens to copies of events the rules exclude later (default `'keep'`, see {@link ExcludedCopies}) */
  readonly excludedCopies?: ExcludedCopies
}

/**
 * What a sync run is told.
 *
 * @category model
 * @since 0.1.0
 */
export interface SyncOptions {
  /**
   * only events whose source `timestamp` is at or after this: unix seconds, a `Date`, or a string
   * (`'7d'`, `'12h'`, `'2024-11-27'`, `'2024-11-27T10:00:00Z'`, `'1732699200'`; see `parseSince`)
   */
  readonly since?: Since
  /**
   * only these events, in this order (the index is not read, the state store is neither read
   * nor moved)
   */
  readonly uuids?: ReadonlyArray<string>
  /** read and convert, look the target up, but write nothing to it (nor to the state store) */
  readonly dryRun?: boolean
  /** events transferred at the same time (default: the connector's, else 4) */
  readonly concurrency?: number
  /**
   * stops the run: no event is started after it fires; the events not started are reported in
   * `notAttempted`. What happens to the running ones is `onAbort`'s choice.
   */
  readonly signal?: AbortSignal
  /**
   * `'finish-running'` (default): running events finish normally. `'cancel-running'`: their
   * requests are cancelled too (they end `failed` with an `Aborted` error; a create that was
   * cancelled in flight may still have been applied — the next run finds it by uuid).
   */
  readonly onAbort?: 'finish-running' | 'cancel-running'
  /** called as the run progresses (e.g. for a progress line) */
  readonly onProgress?: (progress: SyncProgress) => void
}

/**
 * The run selected its events; or one event ended.
 *
 * @category model
 * @since 0.1.0
 */
export type SyncProgress =
  | { readonly _tag: 'Selected'; readonly total: number; readonly watermark?: Watermark }
  | { readonly _tag: 'Done'; readonly result: TransferResult; readonly done: number; readonly total: number }

/**
 * Options of one `transfer`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TransferOptions {
  readonly dryRun?: boolean
  /** cancels the transfer's requests */
  readonly signal?: AbortSignal
}

/**
 * A one-way connection between a source and a target MISP.
 *
 * @category model
 * @since 0.1.0
 */
export interface Connector<S extends ApiVersion, T extends ApiVersion> {
  readonly direction: DirectionName
  readonly from: MispClient<S>
  readonly to: MispClient<T>
  /** the key of this connection's watermark in a state store */
  readonly stateKey: string
  /** transfers one event by uuid (logged like any attempt; the watermark does not move) */
  readonly transfer: (uuid: string, options?: TransferOptions) => Task<TransferResult>
  /** transfers every event changed since a point (or the listed ones) */
  readonly sync: (options?: SyncOptions) => Task<RunResult>
}
