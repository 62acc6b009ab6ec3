/**
 * Tags (`Event::__attachTags@v2.4.199:7394-7420`) of the emulator's store: the `tags` table, event and attribute tag links.
 *
 * @internal
 */

import { toBool } from './lenient.js'
import type { Ev, Raw, Tag, TagLink } from './model.js'
import { asArray, isRecord, str } from './model.js'
import type { StoreCore } from './storeCore.js'

const tagColours = ['#fa4c22', '#15a7b8', '#0088cc', '#e2b93b', '#a94442', '#3c763d', '#7c4dff', '#ff6f00']

/**
 * A tag by name, created if missing — with the colour and exportable flag the event's tag gives,
 * as `Tag::captureTag@v2.5.1:318-334` does (a made-up colour without one).
 */
export function captureTag(
  s: StoreCore,
  name: string,
  given?: { readonly colour?: unknown; readonly exportable?: unknown },
): Tag {
  const found = s.tags.find((t) => t.name === name)
  if (found !== undefined) return found
  const id = s.next('tag')
  const colour = str(given?.colour)
  const tag: Tag = {
    id,
    name,
    colour:
      colour !== undefined && /^#[0-9a-f]{6}$/i.test(colour)
        ? colour
        : (tagColours[(id - 1) % tagColours.length] ?? '#0088cc'),
    exportable: toBool(given?.exportable) ?? true,
    is_galaxy: name.startsWith('misp-galaxy:'),
  }
  s.tags.push(tag)
  return tag
}

/**
 * The event tags of a REST add or edit on late 2.4/2.5: none without perm_tagger; a tag the server
 * lacks only with perm_tag_editor — else it is left out, silently (`Event::_edit@v2.5.1:4263-4281`,
 * `Tag::captureTag@v2.5.1:318-337`; `_add` alike).
 */
export function restTagLinks(s: StoreCore, raw: Raw): Array<TagLink> {
  const u = s.user.perm
  if (!u.siteAdmin && !u.tagger) return []
  return tagLinks(s, raw, 'eventTag', u.siteAdmin || u.tagEditor)
}

export function tagLinks(
  s: StoreCore,
  raw: Raw,
  kind: 'eventTag' | 'attributeTag',
  mayCreate = true,
): Array<TagLink> {
  const out: Array<TagLink> = []
  const entries = [
    ...asArray(raw['Tag']),
    ...asArray(raw['EventTag']).map((et) => (isRecord(et) ? et['Tag'] : et)),
  ]
  for (const t of entries) {
    const name = isRecord(t) ? str(t['name']) : str(t)
    if (name === undefined || name === '') continue
    if (!mayCreate && !s.tags.some((x) => x.name === name)) continue
    const tag = captureTag(s, name, isRecord(t) ? t : undefined)
    if (out.some((l) => l.tagId === tag.id)) continue
    out.push({
      id: s.next(kind),
      tagId: tag.id,
      local: isRecord(t) ? (toBool(t['local']) ?? false) : false,
    })
  }
  return out
}

// --- REST (`Event::__attachTags@v2.4.199:7394-7420`, seen on a real MISP 2.5.1) ----------------------------------------------------------------------------

/** A tag row with the number of visible events carrying it (`count` of `TagsController::index`). */
export interface TagRow {
  readonly tag: Tag
  readonly count: number
}

/**
 * `TagsController::index`: every tag ordered by name (`TagsController.php@v2.3.178:14-19`), with
 * `count` = the events carrying it that the user can see (2.3 counts only events it may see,
 * `:32-54`; 2.4 `EventTag::countForTags`).
 */
export function listTags(s: StoreCore): Array<TagRow> {
  return [...s.tags]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((tag) => ({
      tag,
      count: s.events.filter((e) => s.canSee(e) && e.tags.some((l) => l.tagId === tag.id)).length,
    }))
}

export type AddTagResult =
  | { readonly _tag: 'created'; readonly tag: Tag }
  | { readonly _tag: 'existing'; readonly tag: Tag }
  | { readonly _tag: 'invalid'; readonly message: string }

/**
 * `TagsController::add` for REST: `{"Tag": {name, colour}}` (late 2.4 also a bare `{name, colour}`,
 * `TagsController.php@v2.4.199:143-145`); a missing colour is made up; `name` must be non-empty and
 * unique, `colour` `#rrggbb` (`Tag.php@v2.3.178:33-50`). Late 2.4 answers a taken name with the
 * existing tag (`tagAddReturnsExisting`).
 */
export function addTagRest(s: StoreCore, body: unknown): AddTagResult {
  const p = s.profile
  const raw = isRecord(body) ? body : {}
  const inner = isRecord(raw['Tag'])
    ? isRecord(raw['Tag']['request'])
      ? raw['Tag']['request']
      : raw['Tag']
    : p.has('tagAddAnswersTag')
      ? raw
      : {}
  const name = str(inner['name'])?.trim() ?? ''
  const colour = str(inner['colour']) ?? tagColours[s.tags.length % tagColours.length] ?? '#0088cc'
  const taken = s.tags.find((t) => t.name === name)
  if (taken !== undefined && p.has('tagAddReturnsExisting')) return { _tag: 'existing', tag: taken }
  const problems = [
    ...(name === '' ? ['[name]: This field cannot be left empty.'] : []),
    ...(taken !== undefined ? ['[name]: A similar name already exists.'] : []),
    ...(!/^#[0-9a-f]{6}$/i.test(colour) ? ['[colour]: Colour has to be in the RGB format (#FFFFFF)'] : []),
  ]
  if (problems.length > 0) return { _tag: 'invalid', message: `Could not add the Tag. ${problems[0]}` }
  const id = s.next('tag')
  // late 2.4/2.5 store the given exportable flag (`Tag` columns, MYSQL.sql@v2.5.1); 2.3 has no such column
  const exportable = p.has('tagAddAnswersTag') ? (toBool(inner['exportable']) ?? true) : true
  const tag: Tag = { id, name, colour, exportable, is_galaxy: name.startsWith('misp-galaxy:') }
  s.tags.push(tag)
  return { _tag: 'created', tag }
}

/** `{saved, success|errors}` as addTag/removeTag answer (HTTP 200 either way). */
export type SavedAnswer =
  | { readonly saved: true; readonly success: string; readonly check_publish?: boolean }
  | { readonly saved: false; readonly errors: string }

const refused = (errors: string): SavedAnswer => ({ saved: false, errors })
const noPermission = refused("You don't have permission to do that.")

/** The tag a request names: a numeric id as given, a name looked up (exactly, trimmed). */
const tagRef = (s: StoreCore, ref: unknown): { readonly id: number } | undefined => {
  const r = typeof ref === 'number' ? String(ref) : typeof ref === 'string' ? ref.trim() : ''
  if (/^\d+$/.test(r)) return { id: Number(r) }
  const found = r === '' ? undefined : s.tags.find((t) => t.name === r)
  return found === undefined ? undefined : { id: found.id }
}

/** The tag of an addTag/removeTag body: `{"Event": {"tag"}}`, and since 2.4.102 also `{"tag"}`/`{"tag_id"}`. */
const bodyTag = (s: StoreCore, body: unknown): unknown => {
  let data: unknown = isRecord(body) && body['request'] !== undefined ? body['request'] : body
  if (!s.profile.has('addTagBodyRearranged'))
    return isRecord(data) && isRecord(data['Event']) ? data['Event']['tag'] : undefined
  // RequestRearrangeTool (EventsController.php@v2.4.199:3816-3825): request/Event unwrapped, tag_id → tag
  if (isRecord(data) && data['Event'] !== undefined) data = data['Event']
  return isRecord(data) ? (data['tag'] ?? data['tag_id']) : undefined
}

/**
 * Who may (un)tag: 2.3 anyone with perm_tagger unless the event is another org's and
 * distribution 0 (`EventsController.php@v2.3.178:2832`); late 2.4 `ACLComponent::canModifyTag`
 * (`@v2.4.199:1035-1055`): site admin, or perm_tagger/perm_sync and `canModifyEvent` (creator org
 * or the event's own user).
 */
const mayTag = (s: StoreCore, ev: Ev): boolean => {
  const u = s.user
  if (u.perm.siteAdmin) return true
  // 2.3: `(... || !perm_tagger) && !siteAdmin` refuses (`EventsController.php@v2.3.178:2832`); late
  // 2.4 refuses a key without perm_tagger in its ACL, before the action (see routesTags.ts)
  if (s.profile.era === '2.3')
    return u.perm.tagger && (ev.org_id === u.orgId || ev.orgc_id === u.orgId || ev.distribution !== 0)
  return ev.orgc_id === u.orgId || ev.user_id === u.id
}

/** Late 2.4: a global tag change unpublishes the event and stamps it now (`tagTimestampBump`). */
const touch = (s: StoreCore, ev: Ev): void => {
  if (!s.profile.has('tagTimestampBump')) return
  ev.published = false
  ev.timestamp = s.clock()
}

/** `{"Event": {"id": …}}` of a 2.3 addTag body, as text. */
const bodyEventId = (body: unknown): string | undefined => {
  const e = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['Event'] : undefined
  const id = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)['id'] : undefined
  return typeof id === 'string' || typeof id === 'number' ? String(id).trim() : undefined
}

/**
 * `EventsController::addTag` (2.3: `@v2.3.178:2817-2851`; late: `@v2.4.199:3814-3990`). `urlTag` is
 * the positional tag of the URL — a tag name with a colon never gets there: CakePHP reads
 * `tlp:amber` as the named parameter `tlp` (why a real MISP 2.5.1 answered "Invalid Tag." for a name in the URL).
 */
export function attachTagRest(
  s: StoreCore,
  eventRef: string | undefined,
  urlTag: string | undefined,
  body: unknown,
  local: boolean,
): SavedAnswer {
  const era24 = s.profile.era === '2.4'
  const ref = urlTag ?? bodyTag(s, body)
  // 2.3 takes the event id from the body's `Event.id` when the URL has none (`{"Event": {"id",
  // "tag"}}`, `EventsController.php@v2.3.178:2828`; real 2.3.178 attaches with it, rec 6g)
  const bodyId = era24 ? undefined : bodyEventId(body)
  const idRef = era24 || (eventRef !== undefined && /^\d+$/.test(eventRef)) ? eventRef : bodyId
  const ev = idRef === undefined ? undefined : era24 || /^\d+$/.test(idRef) ? s.findEvent(idRef) : undefined
  if (era24 && ev === undefined) return refused('Invalid event.')
  if (!era24) {
    // 2.3 resolves the name before it reads the event
    const tag = tagRef(s, ref)
    if (tag === undefined && !/^\d+$/.test(String(ref ?? '').trim())) return refused('Invalid Tag.')
    if (ev === undefined) return s.user.perm.siteAdmin ? { saved: true, success: 'Tag added.' } : noPermission
    if (!mayTag(s, ev)) return noPermission
    if (tag === undefined || s.tag(tag.id) === undefined) return refused('Invalid Tag.')
    if (ev.tags.some((l) => l.tagId === tag.id)) return refused('Tag is already attached to this event.')
    ev.tags.push({ id: s.next('eventTag'), tagId: tag.id, local: false })
    return { saved: true, success: 'Tag added.' }
  }
  if (ev === undefined) return refused('Invalid event.')
  if (!mayTag(s, ev)) return noPermission
  const tag = tagRef(s, ref)
  if (tag === undefined) return refused('Invalid Tag.')
  if (s.tag(tag.id) === undefined) return refused('Tag not found.')
  if (ev.tags.some((l) => l.tagId === tag.id)) return refused('Tag is already attached to this event.')
  ev.tags.push({ id: s.next('eventTag'), tagId: tag.id, local })
  if (!local) touch(s, ev)
  return { saved: true, success: 'Tag added.', check_publish: true }
}

/**
 * `EventsController::removeTag` (2.3: `@v2.3.178:2853-2884`; late: `@v2.4.199:3992-4064`): an
 * unknown name is "Invalid Tag." in late 2.4; in 2.3 it falls through to "Invalid event - tag
 * combination.", as does a tag the event does not carry.
 */
export function detachTagRest(
  s: StoreCore,
  eventRef: string | undefined,
  urlTag: string | undefined,
  body: unknown,
): SavedAnswer {
  const era24 = s.profile.era === '2.4'
  const ref = urlTag ?? bodyTag(s, body)
  const refText = typeof ref === 'string' || typeof ref === 'number' ? String(ref).trim() : ''
  if (era24 && refText === '') return refused('Invalid Tag.')
  const tag = tagRef(s, ref)
  if (era24 && tag === undefined) return refused('Invalid Tag.')
  const ev = eventRef !== undefined && /^\d+$/.test(eventRef) ? s.findEvent(eventRef) : undefined
  if (!era24 && (ev === undefined || !mayTag(s, ev)) && !s.user.perm.siteAdmin) return noPermission
  const link = ev === undefined || tag === undefined ? undefined : ev.tags.find((l) => l.tagId === tag.id)
  if (ev === undefined || link === undefined) return refused('Invalid event - tag combination.')
  if (era24 && !mayTag(s, ev)) return noPermission
  ev.tags.splice(ev.tags.indexOf(link), 1)
  if (!era24) return { saved: true, success: 'Tag removed.' }
  if (!link.local) touch(s, ev)
  return { saved: true, success: 'Tag removed.', check_publish: !link.local }
}
