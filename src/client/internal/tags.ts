/**
 * The tag calls of the client (§6 of misp-versions.md): the tag list, creating a tag, attaching
 * and detaching an event's tag, and the events that carry a tag. Sources per release are cited
 * as `file@tag:line`; §12 facts were seen on a real MISP 2.5.1.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeFailure } from '../../DecodeFailure.js'
import type { CallOptions } from '../MispClientOptions.js'
import type { MispError, MispErrorBody } from '../MispError.js'
import type { AttachResult, DetachResult, TagEntry } from '../Results.js'
import { failureOf, jsonOf, locationOf } from './answers.js'
import { idOrUuidOf, isRecord, numericIdOf, shown } from './args.js'
import type { Core, Result } from './core.js'
import { decodeRows } from './events.js'
import type { AnyRow } from './flavours.js'
import type { Answer, Transport } from './transport.js'

// ---------------------------------------------------------------------------------------------
// tag rows
// ---------------------------------------------------------------------------------------------

const idString = (u: unknown): string | undefined =>
  typeof u === 'number' ? numericIdOf(u) : typeof u === 'string' ? numericIdOf(u) : undefined

const flag = (u: unknown): boolean | undefined =>
  typeof u === 'boolean' ? u : u === 1 || u === '1' ? true : u === 0 || u === '0' ? false : undefined

const count = (u: unknown): number | undefined => {
  const n = typeof u === 'number' ? u : typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : Number.NaN
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}

/** One tag row (`{id, name, colour, exportable, count, …}`), or `undefined` without id and name. */
const tagEntryOf = (u: unknown): TagEntry | undefined => {
  if (!isRecord(u)) return undefined
  const id = idString(u['id'])
  const name = u['name']
  if (id === undefined || typeof name !== 'string' || name === '') return undefined
  const colour = u['colour']
  const exportable = flag(u['exportable'])
  const n = count(u['count'])
  return {
    id,
    name,
    ...(typeof colour === 'string' ? { colour } : {}),
    ...(exportable === undefined ? {} : { exportable }),
    ...(n === undefined ? {} : { count: n }),
  }
}

/** The rows of a `{"Tag": [...]}` answer (`TagsController::index`, `_serialize` of `Tag`). */
const tagList = (c: Core, a: Answer): E.Either<MispError, ReadonlyArray<TagEntry>> => {
  const json = jsonOf(a)
  if (E.isLeft(json)) return json
  const list = isRecord(json.right) ? json.right['Tag'] : undefined
  if (!Array.isArray(list))
    return E.left(
      c.shape(a, decodeFailure('TagList', [{ path: 'Tag', expected: 'an array of tags', actual: list }])),
    )
  const rows = list.map(tagEntryOf)
  const bad = rows.flatMap((r, i) =>
    r === undefined
      ? [{ path: `Tag[${i}]`, expected: '{id: NumericString, name: string}', actual: list[i] }]
      : [],
  )
  return bad.length > 0 ? E.left(c.shape(a, decodeFailure('TagList', bad))) : E.right(rows as Array<TagEntry>)
}

// ---------------------------------------------------------------------------------------------
// tags
// ---------------------------------------------------------------------------------------------

/** Pages a 2.3 server is asked for at most (50 tags each): far beyond any real tag list. */
const MAX_PAGES_23 = 2000

/**
 * See `MispClient.tags`.
 *
 * - 2.4/2.5: `GET /tags/index` → `{"Tag": [...]}`, every tag in one answer: the REST index drops
 *   the page limit (`TagsController.php@v2.4.199:67-69`; §12).
 * - 2.3 and 2.4 < 2.4.55: the same action paginates for REST too, 50 tags a page ordered by
 *   name (`TagsController.php@v2.3.178:14-19,27-31`): `GET /tags/index/page:N` until a page is short,
 *   empty, repeats known ids, or is past the end (CakePHP ≥ 2.3 answers 404 there).
 */
export const tags = async (
  c: Core,
  t: Transport,
  options: CallOptions | undefined,
): Result<ReadonlyArray<TagEntry>> => {
  const read = (path: string) =>
    t.send({
      method: 'GET',
      path,
      idempotent: true,
      timeoutMs: c.budget(options, 'index'),
      signal: options?.signal,
    })()
  if (!c.is23) {
    const caps = await c.capabilities(t)
    if (E.isLeft(caps)) return caps
    if (caps.right.tagIndexUnpaged) {
      const answer = await read('tags/index')
      return E.isLeft(answer) ? answer : tagList(c, answer.right)
    }
  }
  const all: Array<TagEntry> = []
  const seen = new Set<string>()
  let pageSize = 0
  const TAG_PAGE_23 = 50
  for (let page = 1; page <= MAX_PAGES_23; page++) {
    const answer = await read(`tags/index/page:${page}`)
    if (E.isLeft(answer)) return answer
    if (page > 1 && answer.right.status === 404) break
    const rows = tagList(c, answer.right)
    if (E.isLeft(rows)) return rows
    const fresh = rows.right.filter((r) => !seen.has(r.id))
    for (const r of fresh) {
      seen.add(r.id)
      all.push(r)
    }
    if (page === 1) pageSize = rows.right.length
    // a page shorter than the first, or than MISP's 50 (`'limit' => 50`), is the last one
    if (fresh.length === 0 || rows.right.length < pageSize || rows.right.length < TAG_PAGE_23) break
  }
  return E.right(all)
}

// ---------------------------------------------------------------------------------------------
// createTag
// ---------------------------------------------------------------------------------------------

/** MISP's own TLP colours (the `tlp` taxonomy), used when a TLP tag is created without one. */
const TLP_COLOURS: Readonly<Record<string, string>> = {
  'tlp:red': '#CC0033',
  'tlp:amber': '#FFC000',
  'tlp:amber+strict': '#FFC000',
  'tlp:green': '#339900',
  'tlp:white': '#FFFFFF',
  'tlp:clear': '#FFFFFF',
}

/** The colour of a tag created without one: the TLP colour, else one derived from the name (FNV-1a). */
export const defaultTagColour = (name: string): string => {
  const tlp = TLP_COLOURS[name.trim().toLowerCase()]
  if (tlp !== undefined) return tlp
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return `#${(h & 0xffffff).toString(16).padStart(6, '0')}`
}

const COLOUR_RE = /^#[0-9a-f]{6}$/i
const NAME_TAKEN = /already exists/i

/**
 * See `MispClient.createTag`.
 *
 * - 2.4/2.5: `POST /tags/add {"Tag": {name, colour}}` → 200 `{"Tag": {…}}`; a name that exists
 *   answers with the existing tag (`TagsController.php@v2.4.199:140-185`; §12).
 * - 2.3: the same request; REST success is a redirect to `/tags/view/{id}`
 *   (`TagsController.php@v2.3.178:70-90`), whose id is taken from `Location`. A taken name is a
 *   405 "Could not add the Tag. [name]: A similar name already exists." (the `isUnique` rule,
 *   `Tag.php@v2.3.178:33-41`): the existing tag is then looked up in the tag list and returned.
 */
export const createTag = async (
  c: Core,
  t: Transport,
  tag: unknown,
  options: CallOptions | undefined,
): Result<TagEntry> => {
  const name = isRecord(tag) && typeof tag['name'] === 'string' ? tag['name'].trim() : ''
  if (name === '') return c.invalid('POST', 'tags/add', 'tag.name', 'expected a non-empty tag name')
  const given = isRecord(tag) ? tag['colour'] : undefined
  if (given !== undefined && (typeof given !== 'string' || !COLOUR_RE.test(given)))
    return c.invalid('POST', 'tags/add', 'tag.colour', 'expected an RGB colour like #ffc000')
  const colour = typeof given === 'string' ? given : defaultTagColour(name)
  const exportable = isRecord(tag) ? tag['exportable'] : undefined
  if (exportable !== undefined && typeof exportable !== 'boolean')
    return c.invalid('POST', 'tags/add', 'tag.exportable', 'expected true or false')
  const answer = await t.send({
    method: 'POST',
    path: 'tags/add',
    // 2.3 tags have no exportable column (MYSQL.sql@v2.3.178:269-274): not sent there
    body: { Tag: { name, colour, ...(exportable === undefined || c.is23 ? {} : { exportable }) } },
    idempotent: false,
    timeoutMs: c.budget(options, 'lookup'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  if (a.status >= 200 && a.status < 300) {
    const json = jsonOf(a)
    if (E.isLeft(json)) return json
    const entry = tagEntryOf(isRecord(json.right) ? json.right['Tag'] : undefined)
    return entry === undefined ? E.left(c.missing(a, 'Tag.id', 'Tag')) : E.right(entry)
  }
  const location = locationOf(a)
  const viewed = location === undefined ? undefined : /\/tags\/view\/(\d+)\/?(?:[?#]|$)/.exec(location)?.[1]
  if (a.status >= 300 && a.status < 400 && viewed !== undefined) return E.right({ id: viewed, name, colour })
  const error = failureOf(a)
  if (
    a.status === 405 &&
    'body' in error &&
    NAME_TAKEN.test(`${error.body?.name ?? ''} ${error.body?.message ?? ''}`)
  ) {
    const list = await tags(c, t, options)
    if (E.isLeft(list)) return list
    const found = list.right.find((x) => x.name === name)
    if (found !== undefined) return E.right(found)
  }
  return E.left(error)
}

// ---------------------------------------------------------------------------------------------
// attachTag, detachTag
// ---------------------------------------------------------------------------------------------

/** `{saved, success|errors}`: how addTag/removeTag answer, with HTTP 200 either way. */
const savedAnswer = (a: Answer): { readonly saved: boolean; readonly text: string } | undefined => {
  if (a.status !== 200 || a.body._tag !== 'Json' || !isRecord(a.body.value)) return undefined
  const saved = a.body.value['saved']
  if (typeof saved !== 'boolean') return undefined
  const text = a.body.value[saved ? 'success' : 'errors']
  return { saved, text: typeof text === 'string' ? text : JSON.stringify(text ?? '') }
}

/** The error of a `saved: false` answer: a missing tag or event is `NotFound`, a refusal `Forbidden`. */
const unsaved = (a: Answer, text: string): MispError => {
  const body: MispErrorBody = { saved: false, errors: text }
  if (/^Invalid (?:Tag|event|Tag Collection)\.?$|^Tag not found/i.test(text.trim()))
    return { _tag: 'NotFound', request: a.request, status: a.status, body }
  if (/permission/i.test(text)) return { _tag: 'Forbidden', request: a.request, status: a.status, body }
  return { _tag: 'ValidationFailed', request: a.request, status: a.status, body }
}

/**
 * See `MispClient.attachTag`. By numeric tag id in the URL where there is one:
 *
 * - 2.3: `POST /events/addTag/{eventId}/{tagId}` (`EventsController.php@v2.3.178:2817-2851`).
 * - 2.4/2.5: `POST /events/addTag/{eventId}/{tagId}/local:0`, the form MISP's OpenAPI documents
 *   (`tagEvent`); a numeric id skips the name lookup (`EventsController.php@v2.4.199:3858`).
 *
 * Without a numeric id, by name in the body — never in the URL, where CakePHP reads `tlp:amber`
 * as the named parameter `tlp` and MISP answers "Invalid Tag." (§12): 2.4.102+ `{"tag": name}`
 * (`RequestRearrangeTool`, `EventsController.php@v2.4.199:3816-3825`; §12), 2.3 and older 2.4
 * `{"Event": {"tag": name}}` (`EventsController.php@v2.3.178:2821`, `@v2.4.0:2536`).
 */
export const attachTag = async (
  c: Core,
  t: Transport,
  eventId: unknown,
  tag: unknown,
  options: CallOptions | undefined,
): Result<AttachResult> => {
  const planned = `events/addTag/${shown(eventId)}`
  const event = c.is23 ? numericIdOf(eventId) : idOrUuidOf(eventId)
  if (event === undefined)
    return c.invalid(
      'POST',
      planned,
      'eventId',
      c.is23 ? 'expected a numeric event id' : 'expected a numeric event id or a UUID',
    )
  const tagId = isRecord(tag) ? numericIdOf(tag['id']) : undefined
  const name = isRecord(tag) && typeof tag['name'] === 'string' ? tag['name'].trim() : ''
  if (tagId === undefined && name === '')
    return c.invalid('POST', planned, 'tag', 'expected a tag with a numeric id or a name')
  let bare = false
  if (tagId === undefined && !c.is23) {
    const caps = await c.capabilities(t)
    if (E.isLeft(caps)) return caps
    bare = caps.right.tagInBody
  }
  const call =
    tagId !== undefined
      ? { path: c.is23 ? `events/addTag/${event}/${tagId}` : `events/addTag/${event}/${tagId}/local:0` }
      : { path: `events/addTag/${event}`, body: bare ? { tag: name } : { Event: { tag: name } } }
  const answer = await t.send({
    method: 'POST',
    ...call,
    idempotent: false,
    timeoutMs: c.budget(options, 'lookup'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  const r = savedAnswer(a)
  if (r === undefined) return E.left(failureOf(a))
  if (r.saved) return E.right({ _tag: 'Attached' })
  if (/already attached/i.test(r.text)) return E.right({ _tag: 'AlreadyAttached' })
  return E.left(unsaved(a, r.text))
}

/**
 * See `MispClient.detachTag`: `POST /events/removeTag/{eventId}/{tagId}` with a numeric tag id in
 * every release (a name there answers "Invalid Tag.", §12). "Invalid event - tag combination."
 * (`EventsController.php@v2.3.178:2878`, `@v2.4.199:4057`) is `NotAttached`.
 */
export const detachTag = async (
  c: Core,
  t: Transport,
  eventId: unknown,
  tagId: unknown,
  options: CallOptions | undefined,
): Result<DetachResult> => {
  const planned = `events/removeTag/${shown(eventId)}/${shown(tagId)}`
  const event = c.is23 ? numericIdOf(eventId) : idOrUuidOf(eventId)
  if (event === undefined) return c.invalid('POST', planned, 'eventId', 'expected a numeric event id')
  const tag = numericIdOf(tagId)
  if (tag === undefined) return c.invalid('POST', planned, 'tagId', 'expected a numeric tag id')
  const answer = await t.send({
    method: 'POST',
    path: `events/removeTag/${event}/${tag}`,
    idempotent: false,
    timeoutMs: c.budget(options, 'lookup'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  const a = answer.right
  const r = savedAnswer(a)
  if (r === undefined) return E.left(failureOf(a))
  if (r.saved) return E.right({ _tag: 'Detached' })
  if (/tag combination/i.test(r.text)) return E.right({ _tag: 'NotAttached' })
  return E.left(unsaved(a, r.text))
}

// ---------------------------------------------------------------------------------------------
// eventsWithTag
// ---------------------------------------------------------------------------------------------

/**
 * See `MispClient.eventsWithTag`: the event index filtered by a tag id, or by any of several
 * (`a|b|c`: MISP ORs the pieces).
 *
 * - 2.3: `GET /events/index/searchtag:{id}` (`EventsController::index@v2.3.178:389-441`; the REST
 *   index is not paginated, `:503`).
 * - 2.4/2.5: `POST /events/index {"tag": "{id}"}` — `tag` is one of the index's filters, a
 *   numeric value matching `Tag.id` (`EventsController.php@v2.4.199:686,462-520`).
 *
 * An unknown tag id gives no rows (MISP filters on `Event.id = -1`).
 */
export const eventsWithTag = async (
  c: Core,
  t: Transport,
  tagId: unknown,
  options: CallOptions | undefined,
): Result<ReadonlyArray<AnyRow>> => {
  const ids = Array.isArray(tagId) ? tagId.map(numericIdOf) : [numericIdOf(tagId)]
  if (ids.length === 0 || ids.some((id) => id === undefined))
    return c.invalid(
      c.is23 ? 'GET' : 'POST',
      'events/index',
      'tagId',
      'expected a numeric tag id or a non-empty list of them',
    )
  const tag = ids.join('|')
  const answer = await t.send({
    method: c.is23 ? 'GET' : 'POST',
    path: c.is23 ? `events/index/searchtag:${tag}` : 'events/index',
    ...(c.is23 ? {} : { body: { tag } }),
    idempotent: true,
    timeoutMs: c.budget(options, 'index'),
    signal: options?.signal,
  })()
  if (E.isLeft(answer)) return answer
  return decodeRows(c, answer.right)
}
