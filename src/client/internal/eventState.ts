/**
 * The client's event-state calls: publish (without alert e-mails), unpublish, delete.
 *
 * - `POST /events/publish/{id}` publishes **without** e-mail in every release
 *   (`EventsController::publish@v2.3.178:1479-1521`, `@v2.5.1:3078-3127`); `events/alert` is the
 *   e-mailing one. Who may: a site admin, or a user whose role has `perm_publish` in the event's
 *   creator organisation (2.3 compares `orgc` names, 2.4/2.5 `orgc_id`; `ACLComponent::
 *   canPublishEvent@v2.5.1:1013-1025`). A refusal is a 405 → `Forbidden`. 2.3 answers success
 *   with a redirect to `/events/view/{id}`, 2.4/2.5 with `saveSuccessResponse` (seen on the real
 *   2.3.178 and 2.5.1 servers).
 * - `POST /events/unpublish/{id}` (2.4/2.5 only; `@v2.5.1:2987-3029`): the event's timestamp does
 *   not move. MISP 2.3 has no such call.
 * - `POST /events/delete/{id}`: 200 `{"message": "Event deleted."}` (2.3) or a
 *   `saveSuccessResponse` (2.5).
 *
 * Writes: never retried.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../MispClientOptions.js'
import type { EventStateResult } from '../Results.js'
import { failureOf, locationOf } from './answers.js'
import { isRecord, numericIdOf, shown } from './args.js'
import type { Core, Result } from './core.js'
import type { Transport } from './transport.js'

const toEventView = (location: string | undefined): boolean =>
  location !== undefined && /\/events\/view\/\d+\/?(?:[?#]|$)/.test(location)

const call = async (
  c: Core,
  t: Transport,
  action: 'publish' | 'unpublish' | 'delete',
  eventId: unknown,
  options: CallOptions | undefined,
): Result<EventStateResult> => {
  const planned = `events/${action}/${shown(eventId)}`
  const id = numericIdOf(eventId)
  if (id === undefined) return c.invalid('POST', planned, 'eventId', 'expected a numeric event id')
  if (action === 'unpublish' && c.is23)
    return c.invalid('POST', planned, 'version', 'MISP 2.3 has no unpublish call (events/unpublish)')
  const answer = await t.send({
    method: 'POST',
    path: `events/${action}/${id}`,
    idempotent: false,
    timeoutMs: c.budget(options, 'lookup'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  if (a.status >= 300 && a.status < 400 && toEventView(locationOf(a))) return E.right({ _tag: 'Done' })
  if (a.status === 404) return E.right({ _tag: 'NotFound' })
  if (a.status === 200 && a.body._tag === 'Json' && isRecord(a.body.value)) {
    const v = a.body.value
    const said = typeof v['message'] === 'string' ? v['message'] : ''
    if (v['success'] === true || v['saved'] === true || /deleted|published/i.test(said))
      if (v['saved'] !== false && v['success'] !== false) return E.right({ _tag: 'Done' })
  }
  return E.left(failureOf(a))
}

/** See `MispClient.publish`. */
export const publish = (c: Core, t: Transport, eventId: unknown, options?: CallOptions) =>
  call(c, t, 'publish', eventId, options)

/** See `MispClient.unpublish`. */
export const unpublish = (c: Core, t: Transport, eventId: unknown, options?: CallOptions) =>
  call(c, t, 'unpublish', eventId, options)

/** See `MispClient.deleteEvent`. */
export const deleteEvent = (c: Core, t: Transport, eventId: unknown, options?: CallOptions) =>
  call(c, t, 'delete', eventId, options)
