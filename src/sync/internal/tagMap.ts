/**
 * The tags of every event of a MISP 2.3 server, read the only way 2.3 offers (its event JSON has
 * no tags, misp-versions.md §6): the tag list, then the index filtered by each tag that is in use
 * (`searchtag`). One request plus one per tag in use, whatever the number of events.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { ApiVersion } from '../../client/ServerVersion.js'

/** Tag names by lower-case event uuid (sorted lists). */
export type TagsByEvent = ReadonlyMap<string, ReadonlyArray<string>>

/** How many `searchtag` reads run at the same time. */
const PARALLEL = 4

/** Reads the tags of every event a server shows. */
export const readTagsByEvent = async <V extends ApiVersion>(
  client: MispClient<V>,
  call: CallOptions,
): Promise<E.Either<MispError, TagsByEvent>> => {
  const listed = await client.tags(call)()
  if (E.isLeft(listed)) return listed
  const inUse = listed.right.filter((t) => t.count === undefined || t.count > 0)
  const byEvent = new Map<string, Set<string>>()
  let next = 0
  let failure: MispError | undefined
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const tag = inUse[next++]
      if (tag === undefined) return
      const rows = await client.eventsWithTag(tag.id, call)()
      if (E.isLeft(rows)) {
        failure ??= rows.left
        return
      }
      for (const r of rows.right) {
        const k = String(r.uuid).toLowerCase()
        const names = byEvent.get(k) ?? new Set<string>()
        names.add(tag.name)
        byEvent.set(k, names)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, inUse.length) }, worker))
  if (failure !== undefined) return E.left(failure)
  return E.right(new Map([...byEvent].map(([k, v]) => [k, [...v].sort()])))
}
