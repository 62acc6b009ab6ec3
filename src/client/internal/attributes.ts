/**
 * The attribute calls of the client: deleting one attribute (a retraction), adding one (MISP 2.3).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../MispClientOptions.js'
import type { AddAttributeResult, DeleteAttributeResult } from '../Results.js'
import { errorBodyOf, failureOf, isLoginLocation, locationOf } from './answers.js'
import { idOrUuidOf, isRecord, numericIdOf, shown } from './args.js'
import type { Core, Result } from './core.js'
import type { Transport } from './transport.js'

/**
 * 2.3's REST answer to a delete, whatever happened: `redirect(array('action' => 'index'))`
 * (`AttributesController.php@v2.3.178:867-869`), which CakePHP's router writes as
 * `<baseurl>/attributes` — the `/:controller` route of the index action; seen on a real 2.3.178:
 * `302 Location: http://…/attributes`. `/attributes/index` (the same action, spelt out) counts too.
 */
const toAttributeIndex = (location: string | undefined): boolean =>
  location !== undefined &&
  /\/attributes(?:\/index)?\/?(?:[?#]|$)/.test(location) &&
  !isLoginLocation(location)

/** 2.4.43–2.4.50's REST answer to a soft delete (`AttributesController.php@v2.4.43:873`). */
const toEventView = (location: string | undefined): boolean =>
  location !== undefined && /\/events\/view\/\d+\/?(?:[?#]|$)/.test(location)

/**
 * See `MispClient.deleteAttribute`.
 *
 * - 2.4/2.5: `POST /attributes/delete/{idOrUuid}` soft-deletes: 200 `{"message": "Attribute
 *   deleted."}` (`AttributesController.php@v2.4.199:1015-1071`, seen on a real MISP 2.5.1); an attribute that is missing
 *   or already deleted is a 404 "Invalid attribute" (`:1024-1035`) → `NotFound`.
 * - 2.3 (and 2.4 before v2.4.51): the same request deletes for good (2.4.43+: softly), and REST
 *   answers every outcome — deleted or not
 *   there — with a redirect to the attribute index, `<baseurl>/attributes` on a real 2.3.178
 *   (`AttributesController.php@v2.3.178:841-871`; `/attributes/index` is accepted as well).
 *   So the attribute is first looked up (`GET /attributes/view/{id}`: 404 "Invalid attribute" when
 *   missing, `:802-806`); only an existing one is deleted. A redirect to the login page stays an
 *   `AuthenticationFailed`; the 405 of a refused delete (`:898-907`) a `Forbidden`.
 *
 * The delete itself is a write: never retried.
 */
export const deleteAttribute = async (
  c: Core,
  t: Transport,
  attributeId: unknown,
  options: CallOptions | undefined,
): Result<DeleteAttributeResult> => {
  const planned = `attributes/delete/${shown(attributeId)}`
  const id = c.is23 ? numericIdOf(attributeId) : idOrUuidOf(attributeId)
  if (id === undefined)
    return c.invalid(
      'POST',
      planned,
      'attributeId',
      c.is23 ? 'expected a numeric attribute id' : 'expected a numeric attribute id or a UUID',
    )
  // 2.3 and 2.4 < 2.4.51 answer every REST delete with a redirect: look the attribute up first
  const caps = c.is23 ? undefined : await c.capabilities(t)
  if (caps !== undefined && E.isLeft(caps)) return caps
  if (caps === undefined || !caps.right.attributeDeleteAnswers) {
    const view = await t.send({
      method: 'GET',
      path: `attributes/view/${id}`,
      idempotent: true,
      timeoutMs: c.budget(options, 'lookup'),
      signal: options?.signal,
    })()
    if (E.isLeft(view)) return view
    if (view.right.status === 404) return E.right({ _tag: 'NotFound' })
    const v = view.right
    const found =
      v.status === 200 &&
      v.body._tag === 'Json' &&
      isRecord(v.body.value) &&
      isRecord(v.body.value['Attribute'])
    if (!found) return E.left(failureOf(v))
  }
  const answer = await t.send({
    method: 'POST',
    path: `attributes/delete/${id}`,
    idempotent: false,
    timeoutMs: c.budget(options, 'lookup'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  // 2.3 (and 2.4 before v2.4.51) answer a REST delete with a redirect
  const location = locationOf(a)
  if (a.status >= 300 && a.status < 400 && (toAttributeIndex(location) || toEventView(location)))
    return E.right({ _tag: 'Deleted' })
  if (c.is23) return E.left(failureOf(a))
  if (a.status === 404) return E.right({ _tag: 'NotFound' })
  const message = a.body._tag === 'Json' && isRecord(a.body.value) ? a.body.value['message'] : undefined
  if (a.status === 200 && typeof message === 'string' && /deleted/i.test(message))
    return E.right({ _tag: 'Deleted' })
  return E.left(failureOf(a))
}

/**
 * See `MispClient.addAttribute`: MISP 2.3's `POST /attributes/add/{eventId}` with one attribute
 * (`AttributesController::add@v2.3.178:102-262`): 200 `{"response": {"Attribute": {…}}}`; an
 * attribute uuid already stored answers 404 "Attribute already exists, …" (`:190-197`); a
 * validation failure 404 "Could not save the attribute. …" (`:245-252`) → `ValidationFailed`-like
 * failure as MISP said it.
 */
export const addAttribute = async (
  c: Core,
  t: Transport,
  eventId: unknown,
  attribute: unknown,
  options: CallOptions | undefined,
): Result<AddAttributeResult> => {
  const planned = `attributes/add/${shown(eventId)}`
  const id = numericIdOf(eventId)
  if (id === undefined) return c.invalid('POST', planned, 'eventId', 'expected a numeric event id')
  if (!c.is23)
    return c.invalid(
      'POST',
      planned,
      'attribute',
      'addAttribute is for MISP 2.3 (a 2.4/2.5 event edit adds attributes: use update)',
    )
  if (!isRecord(attribute) || typeof attribute['uuid'] !== 'string')
    return c.invalid('POST', planned, 'attribute', 'expected an attribute with a uuid')
  const { id: _id, event_id: _eventId, ...body } = attribute
  const answer = await t.send({
    method: 'POST',
    path: planned,
    body: { Attribute: body },
    idempotent: false,
    timeoutMs: c.budget(options, 'lookup'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  const json = a.body._tag === 'Json' && isRecord(a.body.value) ? a.body.value : undefined
  if (
    a.status === 404 &&
    typeof json?.['name'] === 'string' &&
    /^Attribute already exists/.test(json['name'])
  )
    return E.right({ _tag: 'AlreadyExists' })
  const response = json?.['response']
  const saved = isRecord(response) && isRecord(response['Attribute']) ? response['Attribute'] : undefined
  if (a.status === 200 && saved !== undefined && saved['id'] !== undefined)
    return E.right({ _tag: 'Added', id: String(saved['id']) })
  // not the event's creator org (nor a site admin): UnauthorizedException, a 401 with MISP's JSON
  // body — a refusal of this add, not of the key (`:121-123`)
  const refused = errorBodyOf(a.body)
  if (
    a.status === 401 &&
    refused !== undefined &&
    /permission/i.test(String(refused['name'] ?? refused['message'] ?? ''))
  )
    return E.left({ _tag: 'Forbidden', request: a.request, status: a.status, body: refused })
  return E.left(failureOf(a))
}
