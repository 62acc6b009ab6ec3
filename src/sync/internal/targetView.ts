/**
 * The target as one index read shows it: which events it has (by uuid), their ids and
 * timestamps. A run with many events reads the target's index once instead of looking each
 * event up, so a re-run over unchanged events costs one request to the target, whatever their
 * number. Where the index can't answer (it failed, or the run has only a few events), the
 * engine looks events up one by one.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { Exists, IndexEntryOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type * as V24 from '../../v24/index.js'
import { flag } from './spec.js'
import type { TagsByEvent } from './tagMap.js'
import { eventTagNames } from './tagNames.js'

/** The target's events by lower-case uuid. */
export interface TargetView<T extends ApiVersion> {
  /** what the index says of an event: `{ exists: false }` when the index does not list it */
  readonly exists: (uuid: string) => Exists
  /** the event's index row, when listed */
  readonly row: (uuid: string) => IndexEntryOf<T> | undefined
  /** the event's crossing (non-local) tags, sorted, when the view knows them */
  readonly tags: (uuid: string) => ReadonlyArray<string> | undefined
  /**
   * whether the target's event is a synced replica (`locked`): `false` for an event that was
   * created on the target itself, `undefined` when the index does not say
   */
  readonly locked: (uuid: string) => boolean | undefined
  /** the event's live attribute count as the index says, when it does */
  readonly attributeCount: (uuid: string) => number | undefined
  readonly size: number
}

/**
 * A run reads the target's index when it has at least this many events: one request answers
 * existence, timestamps, tags, attribute counts and whether each copy is a replica.
 */
export const VIEW_THRESHOLD = 1

/**
 * Reads the target's index once. With `tags23` (a 2.3 target's tag map), the view knows a 2.3
 * target's tags; a 2.4/2.5 target's index rows carry their own (`EventTag`).
 */
export const readTargetView = async <T extends ApiVersion>(
  to: MispClient<T>,
  call: CallOptions,
  tags23?: () => Promise<E.Either<MispError, TagsByEvent>>,
): Promise<E.Either<MispError, TargetView<T>>> => {
  let map: TagsByEvent | undefined
  if (to.apiVersion === '2.3' && tags23 !== undefined) {
    const read = await tags23()
    if (E.isLeft(read)) return read
    map = read.right
  }
  const listed = await to.index(call)()
  if (E.isLeft(listed)) return listed
  const rows = new Map<string, IndexEntryOf<T>>()
  for (const r of listed.right) {
    const k = String(r.uuid).toLowerCase()
    const seen = rows.get(k)
    // a uuid listed twice should not happen; keep the newest row
    if (seen === undefined || Number(seen.timestamp) < Number(r.timestamp)) rows.set(k, r)
  }
  return E.right({
    size: rows.size,
    tags: (uuid) => {
      if (map !== undefined) return map.get(uuid.toLowerCase()) ?? []
      if (to.apiVersion === '2.3') return undefined
      const r = rows.get(uuid.toLowerCase())
      return r === undefined ? undefined : eventTagNames(r as V24.IndexRow)
    },
    locked: (uuid) => flag((rows.get(uuid.toLowerCase()) as { locked?: unknown } | undefined)?.locked),
    attributeCount: (uuid) => {
      const n = Number(
        (rows.get(uuid.toLowerCase()) as { attribute_count?: unknown } | undefined)?.attribute_count,
      )
      return Number.isSafeInteger(n) && n >= 0 ? n : undefined
    },
    row: (uuid) => rows.get(uuid.toLowerCase()),
    exists: (uuid) => {
      const r = rows.get(uuid.toLowerCase())
      return r === undefined
        ? { exists: false }
        : { exists: true, id: String(r.id), timestamp: String(r.timestamp) }
    },
  })
}
