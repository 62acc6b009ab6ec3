/**
 * Attributes and objects of the emulator's store: reading them from a body (each version's
 * whitelist), validating, and merging an edit's attributes into a stored event (`Event::_edit@v2.4.199:4075-4160`, `Attribute.php@v2.3.178:101-145`).
 *
 * @internal
 */

import { toBool, toInt } from './lenient.js'
import type { Attr, Ev, Obj, Raw } from './model.js'
import { allAttributes, asArray, isRecord, str, uuidPattern } from './model.js'
import type { StoreCore } from './storeCore.js'
import { tagLinks } from './storeTags.js'
import { defaultCategory, defaultToIds } from './typeDefaults.js'
import { type AttributeCandidate, type FieldErrors, validateAttribute } from './validate.js'

/**
 * Reads one incoming attribute (only the fields this version knows: its whitelist). With
 * `stored` (an edit of an existing attribute), a field the body leaves out keeps its stored
 * value, as MISP's attribute edit does (CakePHP updates only the fields it is given; `Event::_edit@v2.4.199:4075-4160`).
 */
export function readAttribute(
  s: StoreCore,
  raw: Raw,
  inObject: boolean,
  stored?: Attr,
): AttributeCandidate & { raw: Raw } {
  const p = s.profile
  const type = str(raw['type']) ?? stored?.type ?? ''
  const distribution = toInt(raw['distribution']) ?? stored?.distribution ?? (p.era === '2.4' ? 5 : undefined)
  return {
    raw,
    type,
    category:
      str(raw['category']) ?? stored?.category ?? (p.era === '2.4' ? (defaultCategory(type) ?? '') : ''),
    value: str(raw['value']) ?? stored?.value ?? '',
    distribution,
    sharing_group_id:
      distribution === 4 ? (toInt(raw['sharing_group_id']) ?? stored?.sharing_group_id ?? 0) : 0,
    inObject,
  }
}

/**
 * An event's attributes by (type, category, value), so that the duplicate check of each attribute
 * of a 150,000-attribute create is a lookup, not a scan (MISP asks its database). Kept up to date
 * as attributes are appended; an attribute edited in place is noted again (`noteAttribute`), and
 * candidates are checked against their current fields, so a stale entry never counts.
 */
const duplicateIndex = new WeakMap<Ev, { seen: number; readonly keys: Map<string, Array<Attr>> }>()
const duplicateKey = (type: string, category: string, value: string): string =>
  `${type}\u0000${category}\u0000${value.trim()}`

const indexOf = (ev: Ev): { seen: number; readonly keys: Map<string, Array<Attr>> } => {
  let entry = duplicateIndex.get(ev)
  if (entry === undefined || entry.seen > ev.attributes.length) {
    entry = { seen: 0, keys: new Map() }
    duplicateIndex.set(ev, entry)
  }
  for (; entry.seen < ev.attributes.length; entry.seen++) note(entry, ev.attributes[entry.seen]!)
  return entry
}

const note = (entry: { readonly keys: Map<string, Array<Attr>> }, a: Attr): void => {
  const k = duplicateKey(a.type, a.category, a.value)
  const list = entry.keys.get(k)
  if (list === undefined) entry.keys.set(k, [a])
  else if (!list.includes(a)) list.push(a)
}

/** Notes an event attribute whose fields were changed in place (an edit). */
export function noteAttribute(ev: Ev, a: Attr): void {
  const entry = duplicateIndex.get(ev)
  if (entry !== undefined) note(entry, a)
}

export function isDuplicate(ev: Ev, c: AttributeCandidate, exceptUuid: string | undefined): boolean {
  const candidates = indexOf(ev).keys.get(duplicateKey(c.type, c.category, c.value)) ?? []
  return candidates.some(
    (a) =>
      !a.deleted &&
      a.uuid !== exceptUuid &&
      a.type === c.type &&
      a.category === c.category &&
      a.value.trim() === c.value.trim(),
  )
}

/** Builds (or, with `into`, updates) an attribute; returns the validation errors instead when invalid. */
export function buildAttribute(
  s: StoreCore,
  ev: Ev,
  raw: Raw,
  objectId: number,
  now: number,
  validate: boolean,
  into?: Attr,
): { readonly ok: Attr } | { readonly errors: FieldErrors } {
  const p = s.profile
  const c = readAttribute(s, raw, objectId !== 0, into)
  if (validate) {
    const errors = validateAttribute(c, p, isDuplicate(ev, c, into?.uuid), s.sharingGroupExists)
    if (Object.keys(errors).length > 0) return { errors }
  }
  const rawId = toInt(raw['id'])
  const attr: Attr = into ?? {
    // seeds keep their ids (the caller passes only free ones); REST input never chooses ids
    id: !validate && rawId !== undefined ? rawId : s.next('attribute'),
    event_id: ev.id,
    object_id: objectId,
    object_relation: null,
    uuid: str(raw['uuid']) ?? s.newUuid(),
    type: '',
    category: '',
    to_ids: false,
    distribution: 0,
    sharing_group_id: 0,
    timestamp: now,
    comment: '',
    value: '',
    deleted: false,
    disable_correlation: false,
    first_seen: null,
    last_seen: null,
    tags: [],
  }
  s.bump('attribute', attr.id)
  attr.type = c.type
  attr.category = c.category
  attr.value = c.value.trim()
  attr.to_ids = toBool(raw['to_ids']) ?? (into !== undefined ? into.to_ids : defaultToIds(c.type))
  attr.distribution = c.distribution ?? 0
  attr.sharing_group_id = c.sharing_group_id
  // a missing timestamp is "now" (`Event::_edit@v2.4.199:4075-4160`, also for attributes); other omitted fields keep
  // the stored value on an edit (`attr` is the stored attribute then) or take the default
  attr.timestamp = toInt(raw['timestamp']) ?? now
  attr.comment = str(raw['comment']) ?? attr.comment
  if (objectId !== 0) attr.object_relation = str(raw['object_relation']) ?? attr.object_relation
  if (p.has('attributeDeleted')) attr.deleted = toBool(raw['deleted']) ?? attr.deleted
  if (p.has('disableCorrelation'))
    attr.disable_correlation = toBool(raw['disable_correlation']) ?? attr.disable_correlation
  if (p.has('seenFields')) {
    if ('first_seen' in raw) attr.first_seen = str(raw['first_seen']) ?? null
    if ('last_seen' in raw) attr.last_seen = str(raw['last_seen']) ?? null
  }
  if (p.has('attributeTags')) {
    const links = tagLinks(s, raw, 'attributeTag')
    for (const l of links) if (!attr.tags.some((t) => t.tagId === l.tagId)) attr.tags.push(l)
  }
  const data = str(raw['data'])
  if (data !== undefined) attr.data = data
  if (into !== undefined && objectId === 0) noteAttribute(ev, attr)
  return { ok: attr }
}

export function attributeIdFree(s: StoreCore, id: number): boolean {
  return !s.events.some((e) => allAttributes(e).some((a) => a.id === id))
}

export function buildObject(
  s: StoreCore,
  ev: Ev,
  raw: Raw,
  now: number,
  validate: boolean,
  free: (id: number) => boolean = (id) => attributeIdFree(s, id),
  objectFree: (id: number) => boolean = (id) => !s.events.some((e) => e.objects.some((o) => o.id === id)),
): Obj {
  const distribution = toInt(raw['distribution']) ?? 5
  const rawId = toInt(raw['id'])
  const obj: Obj = {
    id: !validate && rawId !== undefined && objectFree(rawId) ? rawId : s.next('object'),
    event_id: ev.id,
    uuid: str(raw['uuid']) ?? s.newUuid(),
    name: str(raw['name']) ?? '',
    meta_category: str(raw['meta-category']) ?? str(raw['meta_category']) ?? '',
    description: str(raw['description']) ?? null,
    template_uuid: str(raw['template_uuid']) ?? '',
    template_version: toInt(raw['template_version']) ?? 1,
    timestamp: toInt(raw['timestamp']) ?? now,
    distribution,
    sharing_group_id: distribution === 4 ? (toInt(raw['sharing_group_id']) ?? 0) : 0,
    comment: str(raw['comment']) ?? '',
    deleted: toBool(raw['deleted']) ?? false,
    first_seen: s.profile.has('seenFields') ? (str(raw['first_seen']) ?? null) : null,
    last_seen: s.profile.has('seenFields') ? (str(raw['last_seen']) ?? null) : null,
    attributes: [],
  }
  s.bump('object', obj.id)
  for (const a of asArray(raw['Attribute'])) {
    if (!isRecord(a)) continue
    const aid = toInt(a['id'])
    const input = !validate && aid !== undefined && !free(aid) ? { ...a, id: undefined } : a
    const built = buildAttribute(s, ev, input, obj.id, now, validate)
    if ('ok' in built) obj.attributes.push(built.ok)
  }
  return obj
}

// --- edit of attributes and objects (`Event::_edit@v2.4.199:4075-4160`) ------------------------------------------

export function mergeAttribute(
  s: StoreCore,
  ev: Ev,
  raw: Raw,
  objectId: number,
  into: Array<Attr>,
  now: number,
): void {
  const uuid = str(raw['uuid'])
  const found = uuid === undefined ? undefined : s.findAttribute(uuid)
  if (found !== undefined) {
    if (found.ev !== ev) return // `Event::_edit@v2.4.199:4075-4160`: uuid of another event ⇒ skipped
    // a missing timestamp is "now", so accepted (`Event::_edit@v2.4.199:4075-4160`, as for the event)
    const incoming = toInt(raw['timestamp']) ?? now
    if (incoming <= found.attr.timestamp) return // not newer ⇒ silently skipped
    buildAttribute(s, ev, { ...raw, timestamp: incoming }, found.attr.object_id, now, true, found.attr)
    return
  }
  const foreignId = s.profile.has('editKeepsForeignAttributeId') ? toInt(raw['id']) : undefined
  if (foreignId !== undefined) {
    mergeForeignId(s, ev, raw, foreignId, into, now)
    return
  }
  const built = buildAttribute(s, ev, raw, objectId, now, true)
  if ('ok' in built) into.push(built.ok)
}

/**
 * MISP 2.3's edit of an attribute whose uuid is unknown but which carries an `id` (`EventsController.php@v2.3.178:1220-1262`,
 * `EventsController.php@v2.3.178:1220-1262`): the id is kept and CakePHP's `saveAssociated`
 * saves the attribute under it. If a stored attribute has that id — in any event — it is
 * overwritten (type, category, value, uuid, … are its fields' whitelist) and moved into the
 * edited event (`event_id` set to it); the event that held it loses it. A free id is taken by
 * the new attribute.
 */
export function mergeForeignId(
  s: StoreCore,
  ev: Ev,
  raw: Raw,
  id: number,
  into: Array<Attr>,
  now: number,
): void {
  const victim = s.findAttributeById(id)
  if (victim === undefined) {
    const built = buildAttribute(s, ev, raw, 0, now, true)
    if (!('ok' in built)) return
    built.ok.id = id
    s.bump('attribute', id)
    into.push(built.ok)
    return
  }
  const { attr, list } = victim
  // no timestamp comparison: to 2.3 the uuid is unknown, so this is a new attribute
  const built = buildAttribute(s, ev, raw, 0, now, true, attr)
  if (!('ok' in built)) return
  attr.uuid = str(raw['uuid']) ?? attr.uuid
  if (list !== into) {
    list.splice(list.indexOf(attr), 1)
    into.push(attr)
  }
  attr.event_id = ev.id
  attr.object_id = 0
  attr.object_relation = null
}

export function mergeObject(s: StoreCore, ev: Ev, raw: Raw, now: number): void {
  const uuid = str(raw['uuid'])
  const obj = uuid === undefined ? undefined : ev.objects.find((o) => o.uuid === uuid)
  if (obj === undefined) {
    ev.objects.push(buildObject(s, ev, raw, now, true))
    return
  }
  const incoming = toInt(raw['timestamp']) ?? now
  if (incoming <= obj.timestamp) return
  obj.timestamp = incoming
  obj.comment = str(raw['comment']) ?? obj.comment
  obj.deleted = toBool(raw['deleted']) ?? obj.deleted
  const d = toInt(raw['distribution'])
  if (d !== undefined) obj.distribution = d
  for (const a of asArray(raw['Attribute']))
    if (isRecord(a)) mergeAttribute(s, ev, a, obj.id, obj.attributes, now)
}

// --- delete (seen on a real MISP 2.5.1) ------------------------------------------------------------------------------

export type DeleteAttributeResult =
  | { readonly _tag: 'not-found' }
  | { readonly _tag: 'forbidden' }
  | { readonly _tag: 'deleted'; readonly ev: Ev; readonly attr: Attr }
  /** 2.3 REST: the outcome is not told, every answer is the same redirect */
  | { readonly _tag: 'not-deleted' }

/**
 * `POST /attributes/delete/{id}`.
 *
 * - 2.3 (and 2.4 before soft deletes, v2.4.43): a hard delete by numeric id
 *   (`AttributesController::__delete@v2.3.178:883-923`). The event keeps its timestamp (no event
 *   save); its `attribute_count` drops (`counterCache`, `Attribute.php@v2.3.178:350-358`; here
 *   counted at rendering). A locked event needs the user's org as owner and perm_sync, another
 *   one the user's org as creator (`:898-907`).
 * - 2.4.43+: a soft delete by id or uuid of a live attribute (`AttributesController.php@v2.4.199:1024-1035`):
 *   `deleted`, attribute timestamp now, the event unpublished and stamped now
 *   (`Attribute::deleteAttribute@v2.4.199:3016-3074`, `Event::unpublishEvent`; seen on a real MISP 2.5.1); same
 *   permission rule (`:3027-3038`).
 */
export function deleteAttributeRest(
  s: StoreCore,
  ref: string,
  options?: { readonly asOwner?: boolean },
): DeleteAttributeResult {
  s.touch()
  const soft = s.profile.has('attributeDeleted')
  const found = /^\d+$/.test(ref)
    ? s.findAttributeById(Number(ref))
    : soft && uuidPattern.test(ref)
      ? s.findAttributeByUuid(ref)
      : undefined
  if (found === undefined || (soft && found.attr.deleted))
    return soft ? { _tag: 'not-found' } : { _tag: 'not-deleted' }
  const ev = s.events.find((e) => e.id === found.attr.event_id)
  if (ev === undefined) return { _tag: 'not-found' }
  const u = s.user
  const allowed =
    options?.asOwner === true ||
    u.perm.siteAdmin ||
    (ev.locked ? ev.org_id === u.orgId && u.perm.sync : ev.orgc_id === u.orgId)
  if (!allowed) return { _tag: 'forbidden' }
  if (!soft) {
    found.list.splice(found.list.indexOf(found.attr), 1)
    return { _tag: 'deleted', ev, attr: found.attr }
  }
  const now = s.clock()
  found.attr.deleted = true
  found.attr.timestamp = now
  ev.published = false
  ev.timestamp = now
  return { _tag: 'deleted', ev, attr: found.attr }
}

/** What MISP 2.3's REST `attributes/add/{eventId}` did. */
export type AddAttributeResult =
  | { readonly _tag: 'added'; readonly attr: Attr }
  | { readonly _tag: 'exists'; readonly id: number }
  | { readonly _tag: 'invalid'; readonly errors: Readonly<Record<string, ReadonlyArray<string>>> }
  | { readonly _tag: 'forbidden' }
  | { readonly _tag: 'not-found' }

/**
 * MISP 2.3's `POST /attributes/add/{eventId}` with one attribute (`AttributesController::add@v2.3.178:102-262`):
 * only the creator org's users with `perm_modify`, or a site admin (`:121-123`); the event is
 * unpublished and stamped with the clock first (`:124-126`); an attribute uuid already stored
 * anywhere is refused ("Attribute already exists", `:190-197`); a new attribute keeps its
 * timestamp (`:198-202`).
 */
export function addAttributeRest(s: StoreCore, eventRef: string, body: unknown): AddAttributeResult {
  s.touch()
  const ev = /^\d+$/.test(eventRef) ? s.findEvent(eventRef) : undefined
  if (ev === undefined) return { _tag: 'not-found' }
  const u = s.user
  if (!u.perm.siteAdmin && ev.orgc_id !== u.orgId) return { _tag: 'forbidden' }
  const now = s.clock()
  ev.timestamp = now
  ev.published = false
  const raw = isRecord(body) && isRecord(body['Attribute']) ? body['Attribute'] : isRecord(body) ? body : {}
  const uuid = str(raw['uuid'])
  const existing = uuid === undefined ? undefined : s.findAttributeByUuid(uuid)
  if (existing !== undefined) return { _tag: 'exists', id: existing.attr.id }
  const built = buildAttribute(s, ev, { ...raw, id: undefined }, 0, now, true)
  if (!('ok' in built)) return { _tag: 'invalid', errors: built.errors }
  ev.attributes.push(built.ok)
  return { _tag: 'added', attr: built.ok }
}
