/**
 * The event calls of the client: existence, read, create, update and the index (MISP's `EventsController.php`). Each function runs inside `Core.run` with the client's transport.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import { NumericString, Uuid } from '../../codecs/wire.js'
import { decodeFailure } from '../../DecodeFailure.js'
import { unwrapEvent } from '../../decode.js'
import type { CallOptions, Timeouts } from '../MispClientOptions.js'
import type { MispError } from '../MispError.js'
import type { CreateResult, Exists, UpdateResult } from '../Results.js'
import {
  alreadyExists,
  errorBodyOf,
  failureOf,
  isNotNewer,
  jsonOf,
  okWithErrorBody,
  redirectedToView,
  trailingId,
} from './answers.js'
import { idOrUuidOf, isRecord, numericIdOf, sameUuid, shown, sinceOf, UUID_RE } from './args.js'
import type { Core, Result } from './core.js'
import type { AnyEvent, AnyRow } from './flavours.js'
import type { Answer, Transport } from './transport.js'

// ---------------------------------------------------------------------------------------------
// exists
// ---------------------------------------------------------------------------------------------

/** See `MispClient.exists`. */
export const exists = async (
  c: Core,
  t: Transport,
  uuid: unknown,
  options: CallOptions | undefined,
): Result<Exists> => {
  if (typeof uuid !== 'string' || !UUID_RE.test(uuid))
    return c.invalid('HEAD', `events/view/${shown(uuid)}`, 'uuid', 'expected a UUID')
  if (c.is23) return existsByView(c, t, uuid, options)
  const caps = await c.capabilities(t)
  if (E.isLeft(caps)) return caps
  if (caps.right.head) {
    const head = await t.send({
      method: 'HEAD',
      path: `events/view/${uuid}`,
      idempotent: true,
      timeoutMs: c.budget(options, 'lookup'),
      signal: options?.signal,
    })()
    if (E.isLeft(head)) return head
    if (head.right.status === 404) return E.right({ exists: false })
    if (head.right.status !== 200) return E.left(failureOf(head.right))
  }
  if (!caps.right.restSearchUuidMetadata) return existsByView(c, t, uuid, options)
  const found = await existsBySearch(c, t, uuid, options)
  if (E.isLeft(found)) return found
  // HEAD said yes but the search did not show it: ask the view, which is exact.
  if (!found.right.exists && caps.right.head) return existsByView(c, t, uuid, options)
  return found
}

const existsBySearch = async (
  c: Core,
  t: Transport,
  uuid: string,
  options: CallOptions | undefined,
): Result<Exists> => {
  const found = await restSearch(c, t, { uuid, metadata: true }, 'lookup', options)
  if (E.isLeft(found)) return found
  const { answer: a, items: response } = found.right
  const match = response.findIndex(
    (item) => isRecord(item) && isRecord(item['Event']) && sameUuid(item['Event']['uuid'], uuid),
  )
  if (match === -1) return E.right({ exists: false })
  return existsFrom(c, a, (response[match] as Record<string, unknown>)['Event'], `response[${match}].Event`)
}

/**
 * `POST /events/restSearch` (JSON) with `filters`, a read (retried) within the `budget` class:
 * the answer and its items.
 */
export const restSearch = async (
  c: Core,
  t: Transport,
  filters: Readonly<Record<string, unknown>>,
  budget: keyof Timeouts,
  options: CallOptions | undefined,
): Result<{ readonly answer: Answer; readonly items: ReadonlyArray<unknown> }> => {
  const answer = await t.send({
    method: 'POST',
    path: 'events/restSearch',
    body: { returnFormat: 'json', ...filters },
    idempotent: true,
    timeoutMs: c.budget(options, budget),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const items = searchItems(c, answer.right)
  return E.isLeft(items) ? items : E.right({ answer: answer.right, items: items.right })
}

/**
 * The items of a restSearch answer (`{"response": [...]}`); MISP < 2.4.199 answers a search
 * without matches with 404 "No matches.": no items.
 */
export const searchItems = (c: Core, a: Answer): E.Either<MispError, ReadonlyArray<unknown>> => {
  if (a.status === 404) return E.right([])
  const json = jsonOf(a)
  if (E.isLeft(json)) return json
  const response = isRecord(json.right) ? json.right['response'] : undefined
  if (Array.isArray(response)) return E.right(response)
  return E.left(
    c.shape(
      a,
      decodeFailure('RestSearchResponse', [
        { path: 'response', expected: 'an array of {Event}', actual: response },
      ]),
    ),
  )
}

const existsByView = async (
  c: Core,
  t: Transport,
  uuid: string,
  options: CallOptions | undefined,
): Result<Exists> => {
  const answer = await t.send({
    method: 'GET',
    path: `events/view/${uuid}`,
    idempotent: true,
    timeoutMs: c.budget(options, 'event'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  if (answer.right.status === 404) return E.right({ exists: false })
  const json = jsonOf(answer.right)
  if (E.isLeft(json)) return json
  const event = unwrapEvent(json.right)
  if (E.isLeft(event))
    return E.left(
      c.shape(
        answer.right,
        decodeFailure(c.flavour.model, [{ path: 'Event', expected: event.left, actual: json.right }]),
      ),
    )
  if (!isRecord(event.right) || !sameUuid(event.right['uuid'], uuid)) return E.right({ exists: false })
  return existsFrom(c, answer.right, event.right, 'Event')
}

/** id and timestamp of an event object, checked with the model's leaf codecs only. */
const existsFrom = (c: Core, a: Answer, event: unknown, root: string): E.Either<MispError, Exists> => {
  const e = isRecord(event) ? event : {}
  const id = NumericString.decode(e['id'])
  const timestamp = NumericString.decode(e['timestamp'])
  const uuid = Uuid.decode(e['uuid'])
  if (E.isRight(id) && E.isRight(timestamp) && E.isRight(uuid))
    return E.right({ exists: true, id: id.right, timestamp: timestamp.right })
  return E.left(
    c.shape(
      a,
      decodeFailure(c.flavour.model, [
        ...(E.isLeft(id) ? [{ path: `${root}.id`, expected: 'NumericString', actual: e['id'] }] : []),
        ...(E.isLeft(timestamp)
          ? [{ path: `${root}.timestamp`, expected: 'NumericString', actual: e['timestamp'] }]
          : []),
        ...(E.isLeft(uuid) ? [{ path: `${root}.uuid`, expected: 'uuid', actual: e['uuid'] }] : []),
      ]),
    ),
  )
}

// ---------------------------------------------------------------------------------------------
// get
// ---------------------------------------------------------------------------------------------

/**
 * See `MispClient.get`. With `deleted` on a 2.4/2.5 server: `GET /events/view/{id}/deleted:1`,
 * which includes soft-deleted attributes (`EventsController::view@v2.4.199:1689-1711`: `deleted`
 * 1 = both; for a sync REST user `[0, 1]`; the named parameter exists since v2.4.43,
 * `EventsController.php@v2.4.43:665`). MISP 2.3 deletes for good: `deleted` changes nothing.
 */
export const get = async (
  c: Core,
  t: Transport,
  idOrUuid: unknown,
  options: (CallOptions & { readonly deleted?: boolean }) | undefined,
): Result<AnyEvent> => {
  const target = idOrUuidOf(idOrUuid)
  if (target === undefined)
    return c.invalid('GET', `events/view/${shown(idOrUuid)}`, 'idOrUuid', 'expected a numeric id or a UUID')
  const withDeleted = options?.deleted === true && !c.is23
  const answer = await t.send({
    method: 'GET',
    path: `events/view/${target}${withDeleted ? '/deleted:1' : ''}`,
    idempotent: true,
    timeoutMs: c.budget(options, 'event'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  return c.decodeEvent(answer.right)
}

// ---------------------------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------------------------

/** See `MispClient.create`. */
export const create = async (
  c: Core,
  t: Transport,
  event: unknown,
  options: CallOptions | undefined,
): Result<CreateResult<AnyEvent>> => {
  const path = c.flavour.createPath
  const checked = c.check('POST', path, event)
  if (E.isLeft(checked)) return checked
  const answer = await t.send({
    method: 'POST',
    path,
    body: c.flavour.body(checked.right),
    idempotent: false,
    timeoutMs: c.budget(options, 'event'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  const duplicate = alreadyExists(a)
  if (duplicate !== undefined) {
    if (duplicate.id !== undefined) return E.right({ _tag: 'AlreadyExists', id: duplicate.id })
    const found = await exists(c, t, checked.right.uuid, options)
    if (E.isLeft(found)) return found
    return found.right.exists ? E.right({ _tag: 'AlreadyExists', id: found.right.id }) : E.left(failureOf(a))
  }
  const redirected = redirectedToView(a)
  if (redirected !== undefined) return E.left(redirected)
  const okError = okWithErrorBody(a)
  if (okError !== undefined) return E.left(failureOf(a))
  const created = c.decodeEvent(a)
  if (E.isLeft(created)) return created
  const id = created.right.id
  if (id === undefined) return E.left(c.missing(a, 'Event.id'))
  return E.right({ _tag: 'Created', id, event: created.right, ...c.topErrors(a) })
}

// ---------------------------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------------------------

/** The URL id of an edit: the given id, the uuid where MISP takes it, else the looked-up id. */
const editTarget = async (
  c: Core,
  t: Transport,
  uuid: string,
  options: (CallOptions & { readonly id?: string | number }) | undefined,
): Result<string> => {
  const path = `events/edit/${uuid}`
  if (options?.id !== undefined) {
    const id = numericIdOf(options.id)
    return id !== undefined ? E.right(id) : c.invalid('PUT', path, 'id', 'expected a numeric local event id')
  }
  if (!c.is23) {
    const caps = await c.capabilities(t)
    if (E.isLeft(caps)) return caps
    if (caps.right.editByUuid) return E.right(uuid)
  }
  const found = await exists(c, t, uuid, options)
  if (E.isLeft(found)) return found
  if (!found.right.exists)
    return E.left({
      _tag: 'NotFound',
      request: c.request(c.flavour.editCall(uuid).method, path),
      status: 404,
      body: { name: `No event with uuid ${uuid} on the server: nothing to update (create it instead)` },
    })
  return E.right(found.right.id)
}

/** See `MispClient.update`. */
export const update = async (
  c: Core,
  t: Transport,
  event: unknown,
  options: (CallOptions & { readonly id?: string | number }) | undefined,
  planned: { readonly method: string; readonly path: string },
): Result<UpdateResult<AnyEvent>> => {
  const checked = c.check(planned.method, planned.path, event)
  if (E.isLeft(checked)) return checked
  const uuid = checked.right.uuid
  const target = await editTarget(c, t, uuid, options)
  if (E.isLeft(target)) return target
  const { method, path } = c.flavour.editCall(target.right)
  const answer = await t.send({
    method,
    path,
    body: c.flavour.body(checked.right),
    idempotent: false,
    timeoutMs: c.budget(options, 'event'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  const numericTarget = /^\d+$/.test(target.right) ? target.right : undefined
  if (isNotNewer(a)) {
    const body = errorBodyOf(a.body)
    const id = body?.id ?? numericTarget ?? (body?.url === undefined ? undefined : trailingId(body.url))
    if (id !== undefined) return E.right({ _tag: 'NotNewer', id })
    const found = await exists(c, t, uuid, options)
    if (E.isLeft(found)) return found
    return found.right.exists ? E.right({ _tag: 'NotNewer', id: found.right.id }) : E.left(failureOf(a))
  }
  if (a.status >= 300 || a.status < 200 || okWithErrorBody(a) !== undefined)
    return E.left(await c.refusal(t, a))
  const updated = c.decodeEvent(a)
  if (E.isLeft(updated)) return updated
  const id = updated.right.id ?? numericTarget
  if (id === undefined) return E.left(c.missing(a, 'Event.id'))
  return E.right({ _tag: 'Updated', id, event: updated.right, ...c.topErrors(a) })
}

// ---------------------------------------------------------------------------------------------
// index
// ---------------------------------------------------------------------------------------------

/** Decodes index rows and checks that each carries its `timestamp`. */
export const decodeRows = (c: Core, a: Answer): E.Either<MispError, ReadonlyArray<AnyRow>> => {
  const json = jsonOf(a)
  if (E.isLeft(json)) return json
  const rows = c.flavour.decodeIndex(json.right)
  if (E.isLeft(rows)) return E.left(c.shape(a, rows.left))
  const problems = rows.right.flatMap((r, i) =>
    r.timestamp === undefined
      ? [{ path: `index[${i}].timestamp`, expected: 'NumericString', actual: undefined }]
      : [],
  )
  if (problems.length > 0)
    return E.left(c.shape(a, decodeFailure(c.is23 ? 'V23.Index' : 'V24.Index', problems)))
  return rows
}

/** See `MispClient.index`. */
export const index = async (
  c: Core,
  t: Transport,
  options: (CallOptions & { readonly since?: unknown; readonly minimal?: boolean }) | undefined,
): Result<ReadonlyArray<AnyRow>> => {
  const given = options?.since
  const since =
    given === undefined
      ? undefined
      : given instanceof Date || typeof given === 'number' || typeof given === 'string'
        ? sinceOf(given)
        : undefined
  if (given !== undefined && since === undefined)
    return c.invalid(
      'POST',
      'events/index',
      'since',
      'expected unix seconds (a number or a decimal string) or a valid Date',
    )
  const body = {
    ...(since === undefined ? {} : { timestamp: String(since) }),
    ...(options?.minimal === true ? { minimal: true } : {}),
  }
  const answer = await t.send({
    method: c.is23 ? 'GET' : 'POST',
    path: 'events/index',
    ...(c.is23 ? {} : { body }),
    idempotent: true,
    timeoutMs: c.budget(options, 'index'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const rows = decodeRows(c, answer.right)
  if (E.isLeft(rows) || since === undefined) return rows
  return E.right(rows.right.filter((r) => Number(r.timestamp) >= since))
}
