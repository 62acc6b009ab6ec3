/**
 * Reading several events in one request: `POST /events/restSearch` with a list of uuids
 * (`RestSearchComponent`, the `uuid` filter since v2.4.55; a list is an OR of its items). MISP
 * 2.3's restSearch has no uuid filter: there, and before 2.4.55, each event is read with its own
 * `GET /events/view/{uuid}`.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../MispClientOptions.js'
import { UUID_RE } from './args.js'
import type { Core, Result } from './core.js'
import { get, restSearch } from './events.js'
import type { AnyEvent } from './flavours.js'
import type { Transport } from './transport.js'

/** See `MispClient.getMany`. */
export const getMany = async (
  c: Core,
  t: Transport,
  uuids: unknown,
  options: CallOptions | undefined,
): Result<ReadonlyArray<AnyEvent>> => {
  if (!Array.isArray(uuids) || !uuids.every((u) => typeof u === 'string' && UUID_RE.test(u)))
    return c.invalid('POST', 'events/restSearch', 'uuids', 'expected an array of UUIDs')
  if (uuids.length === 0) return E.right([])
  const caps = c.is23 ? undefined : await c.capabilities(t)
  if (caps !== undefined && E.isLeft(caps)) return caps
  if (caps === undefined || !caps.right.restSearchUuidMetadata) {
    // one view each; a missing event is simply not in the answer
    const found: Array<AnyEvent> = []
    for (const u of uuids as ReadonlyArray<string>) {
      const one = await get(c, t, u, options)
      if (E.isRight(one)) found.push(one.right)
      else if (one.left._tag !== 'NotFound') return one
    }
    return E.right(found)
  }
  const found = await restSearch(c, t, { uuid: uuids }, 'event', options)
  if (E.isLeft(found)) return found
  const events: Array<AnyEvent> = []
  for (const item of found.right.items) {
    const decoded = c.flavour.decodeEvent(item)
    if (E.isLeft(decoded)) return E.left(c.shape(found.right.answer, decoded.left))
    events.push(decoded.right)
  }
  return E.right(events)
}
