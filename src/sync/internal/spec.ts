/**
 * The shapes the engine's steps share: what a direction brings ({@link DirectionSpec}), a source
 * row, the documents an attempt archives, and how an attempt ends.
 *
 * @internal
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { Lossy } from '../../convert/Lossy.js'
import type * as V23 from '../../v23/index.js'
import type * as V24 from '../../v24/index.js'
import type { DirectionName, Outcome, TransferError } from '../TransferResult.js'

/** A source event as the list of changes names it. */
export interface SourceRow {
  readonly uuid: string
  /** unix seconds */
  readonly timestamp: number
  /** the tags the event carries across (sorted), when the listing knows them */
  readonly tags?: ReadonlyArray<string>
  /** how many attributes the event has, when the listing says (2.4/2.5 `attribute_count`) */
  readonly attributes?: number
  /** the creator organisation, when the listing says (for the sharing rules) */
  readonly org?: { readonly name?: string; readonly uuid?: string }
  /** whether the event is published, when the listing says */
  readonly published?: boolean
}

/** What a direction brings to the engine: its clients and its own concerns. */
export interface DirectionSpec<S extends ApiVersion, T extends ApiVersion> {
  readonly name: DirectionName
  readonly from: MispClient<S>
  readonly to: MispClient<T>
  /**
   * the source events changed at or after `since` (every event without it); a row names the
   * tags the event carries across when the listing has them (2.4/2.5 index rows do; for a 2.3
   * source the run adds them from the source's tag map)
   */
  readonly changedSince: (
    since: number | undefined,
    call: CallOptions,
  ) => TE.TaskEither<MispError, ReadonlyArray<SourceRow>>
  /** the direction's own policy: a reason to skip the event, or `undefined` */
  readonly policy: (event: EventOf<S>) => string | undefined
  readonly convert: (event: EventOf<S>) => Lossy<EventOf<T>>
  /** wire JSON of a source event (for the archive) */
  readonly encodeSource: (event: EventOf<S>) => unknown
  /** wire JSON of a target event: the body the client sends */
  readonly encodeTarget: (event: EventOf<T>) => unknown
}

/** The JSON an attempt archives. */
export interface Documents {
  source?: unknown
  sent?: unknown
  stored?: unknown
}

/** What an attempt found, before the common fields are added. */
export interface Ending {
  readonly outcome: Outcome
  readonly targetId?: string
  readonly targetTimestamp?: number
  readonly reason?: string
  readonly error?: TransferError
}

/** The `id` and `timestamp` of an event of either version. */
export const headerOf = (
  e: V23.Event | V24.Event,
): { readonly id?: string; readonly timestamp?: number } => ({
  ...(e.id === undefined ? {} : { id: e.id }),
  ...(e.timestamp === undefined ? {} : { timestamp: Number(e.timestamp) }),
})

/** A thrown value, for people. */
export const messageOf = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

/** A MISP flag in any wire form, or `undefined`. */
export const flag = (u: unknown): boolean | undefined =>
  u === true || u === 1 || u === '1' ? true : u === false || u === 0 || u === '0' ? false : undefined
