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

/** The target's events by lower-case uuid. */
export interface TargetView<T extends ApiVersion> {
  /** what the index says of an event: `{ exists: false }` when the index does not list it */
  readonly exists: (uuid: string) => Exists
  /** the event's index row, when listed */
  readonly row: (uuid: string) => IndexEntryOf<T> | undefined
  readonly size: number
}

/** Below this many selected events, per-event lookups are cheaper than the whole index. */
export const VIEW_THRESHOLD = 4

/** Reads the target's index once. */
export const readTargetView = async <T extends ApiVersion>(
  to: MispClient<T>,
  call: CallOptions,
): Promise<E.Either<MispError, TargetView<T>>> => {
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
    row: (uuid) => rows.get(uuid.toLowerCase()),
    exists: (uuid) => {
      const r = rows.get(uuid.toLowerCase())
      return r === undefined
        ? { exists: false }
        : { exists: true, id: String(r.id), timestamp: String(r.timestamp) }
    },
  })
}
