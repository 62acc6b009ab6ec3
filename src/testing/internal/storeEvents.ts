/**
 * Events of the emulator's store: MISP's create (`EventsController.php@v2.3.178:1000-1014`, `Event.php@v2.3.178:1336-1344`), edit (`Event::_edit@v2.4.199:4075-4160`), the seed that bypasses
 * the REST rules, and `filterEventIdsForPush` (`EventsController.php@v2.4.199:4275-4302`).
 *
 * @internal
 */

import { toBool, toInt } from './lenient.js'
import type { AttributeErrors, CreateResult, EditResult, Ev, Org, Raw } from './model.js'
import { allAttributes, asArray, editReasons, isRecord, str, unwrapEvent, uuidPattern } from './model.js'
import {
  attributeIdFree,
  buildAttribute,
  buildObject,
  mergeAttribute,
  mergeObject,
} from './storeAttributes.js'
import type { StoreCore } from './storeCore.js'
import { mergeAttributes23 } from './storeEdit23.js'
import { captureOrg, captureSharingGroup, orgFrom } from './storeOrgs.js'
import { restTagLinks, tagLinks } from './storeTags.js'
import { validateEventFields } from './validate.js'

// --- create (`EventsController.php@v2.3.178:1000-1014`, `Event.php@v2.3.178:1336-1344`) ---------------------------------------------------------------------

/** `Event::_add` as the REST `add` action runs it. */
export function create(s: StoreCore, body: unknown): CreateResult {
  const p = s.profile
  const u = s.user
  const now = s.clock()
  const raw = unwrapEvent(body, p) ?? {}
  const uuid = str(raw['uuid'])
  // `Event.php@v2.3.178:1336-1344`: an existing uuid answers with its local id; nothing is written.
  if (uuid !== undefined) {
    const existing = s.findByUuid(uuid)
    if (existing !== undefined) return { _tag: 'duplicate', id: existing.id }
  }
  // 2.3: a missing distribution is the column's default 0 (`Model::create()` loads the schema
  // defaults, `INSTALL/MYSQL.sql@v2.3.178` events.distribution DEFAULT '0'); 2.3 has no default
  // for threat level, analysis or date — it refuses an event without them (real 2.3.178)
  const era23 = p.era === '2.3'
  const distribution = toInt(raw['distribution']) ?? (era23 ? 0 : 1)
  let sharingGroupId = distribution === 4 ? (toInt(raw['sharing_group_id']) ?? 0) : 0
  if (distribution === 4 && p.has('sharingGroups') && u.perm.sync && !s.sharingGroupExists(sharingGroupId)) {
    const sg = captureSharingGroup(s, raw['SharingGroup'])
    if (sg !== undefined) sharingGroupId = sg.id
  }
  const fields = {
    info: raw['info'],
    distribution,
    threat_level_id: raw['threat_level_id'] ?? (era23 ? undefined : '4'),
    analysis: raw['analysis'] ?? (era23 ? undefined : '0'),
    date: raw['date'] ?? (era23 ? undefined : s.today()),
    sharing_group_id: sharingGroupId,
  }
  const errors = validateEventFields(fields, p, s.sharingGroupExists)
  if (uuid !== undefined && !uuidPattern.test(uuid)) errors['uuid'] = ['Please provide a valid RFC 4122 UUID']
  if (Object.keys(errors).length > 0) return { _tag: 'invalid', errors }

  const orgc = creatorOrg(s, raw)
  const published = (toBool(raw['published']) ?? false) && u.perm.publish
  const ev: Ev = {
    id: s.next('event'),
    uuid: uuid ?? s.newUuid(),
    info: String(fields.info ?? '').trim(),
    date: String(fields.date),
    threat_level_id: toInt(fields.threat_level_id) ?? 4,
    analysis: toInt(fields.analysis) ?? 0,
    distribution,
    published,
    timestamp: toInt(raw['timestamp']) ?? now,
    publish_timestamp: toInt(raw['publish_timestamp']) ?? (published ? now : 0),
    sighting_timestamp: 0,
    proposal_email_lock: false,
    locked: toBool(raw['locked']) ?? false,
    org_id: u.orgId,
    orgc_id: orgc.id,
    sharing_group_id: sharingGroupId,
    disable_correlation: p.has('disableCorrelation') ? (toBool(raw['disable_correlation']) ?? false) : false,
    extends_uuid: p.has('extendsUuid') ? (str(raw['extends_uuid']) ?? '') : '',
    protected: p.has('protectedEvents') ? (toBool(raw['protected']) ?? null) : null,
    user_id: u.id,
    tags: p.has('eventTags') ? restTagLinks(s, raw) : [],
    attributes: [],
    objects: [],
  }
  const attributeErrors: AttributeErrors = new Map()
  asArray(raw['Attribute']).forEach((a, k) => {
    if (!isRecord(a)) return
    const built = buildAttribute(s, ev, a, 0, now, true)
    if ('ok' in built) ev.attributes.push(built.ok)
    else attributeErrors.set(k, built.errors)
  })
  if (p.has('objects')) {
    for (const o of asArray(raw['Object'])) if (isRecord(o)) ev.objects.push(buildObject(s, ev, o, now, true))
  }
  s.events.push(ev)
  s.indexEvent(ev)
  return { _tag: 'created', event: ev, attributeErrors }
}

/** `Event.php@v2.4.199:3462-3471`: who the creator org of a created event is, per version and role. */
export function creatorOrg(s: StoreCore, raw: Raw): Org {
  const p = s.profile
  const u = s.user
  const own = s.org(u.orgId)
  if (p.era === '2.3') {
    // 2.3: `orgc` honoured only for sync users (EventsController.php@v2.3.178:994); missing ⇒ org.
    const name = str(raw['orgc'])
    return u.perm.sync && name !== undefined && name !== '' ? captureOrg(s, { name }, true) : own
  }
  if (!u.perm.sync && p.has('orgcStrippedForNonSync')) return own
  return orgFrom(s, raw['Orgc'], raw['orgc'], p.has('captureOrgNameFallback')) ?? own
}

// --- edit (`Event::_edit@v2.4.199:4075-4160`) -----------------------------------------------------------------------------

/** The REST `edit` action: URL event must exist; the body's uuid picks the event (`Event::_edit@v2.4.199:4075-4160`). */
export function edit(s: StoreCore, urlRef: string, body: unknown): EditResult {
  const p = s.profile
  const u = s.user
  const now = s.clock()
  const urlIsUuid = !/^\d+$/.test(urlRef)
  if (urlIsUuid && !(p.has('editByUuid') && uuidPattern.test(urlRef))) return { _tag: 'url-not-found' }
  const urlEvent = s.findEvent(urlRef)
  if (urlEvent === undefined || !s.canSee(urlEvent)) return { _tag: 'url-not-found' }
  // `Event::_edit@v2.4.199:4075-4160` (2.3): non-sync, non-owner REST users are redirected before any check.
  if (p.era === '2.3' && !u.perm.siteAdmin && !u.perm.sync && urlEvent.org_id !== u.orgId)
    return { _tag: 'redirect' }

  const raw = unwrapEvent(body, p) ?? {}
  const bodyUuid = str(raw['uuid'])
  // rule 1: by the body's uuid; without one, only late 2.4 falls back to the URL's event
  // (`editUrlIdFallback`), older releases cannot locate the event.
  const ev =
    bodyUuid !== undefined ? s.findByUuid(bodyUuid) : p.has('editUrlIdFallback') ? urlEvent : undefined
  if (ev === undefined) return { _tag: 'failed', id: urlEvent.id, reason: editReasons.notFound }
  // rule 2: strictly newer; a missing timestamp means "now".
  const incoming = toInt(raw['timestamp']) ?? now
  if (incoming <= ev.timestamp) return { _tag: 'failed', id: ev.id, reason: editReasons.notNewer }
  // rule 3: creator org, or sync user on a locked event, or site admin.
  if (!(u.orgId === ev.orgc_id || (u.perm.sync && ev.locked) || u.perm.siteAdmin))
    return { _tag: 'failed', id: ev.id, reason: editReasons.notAuthorised }
  // rule 4: omitted fields keep their stored values.
  const distribution = toInt(raw['distribution']) ?? ev.distribution
  const fields = {
    info: raw['info'] ?? ev.info,
    distribution,
    threat_level_id: raw['threat_level_id'] ?? ev.threat_level_id,
    analysis: raw['analysis'] ?? ev.analysis,
    date: raw['date'] ?? ev.date,
    sharing_group_id: distribution === 4 ? (raw['sharing_group_id'] ?? ev.sharing_group_id) : 0,
  }
  const errors = validateEventFields(fields, p, s.sharingGroupExists)
  if (Object.keys(errors).length > 0) return { _tag: 'invalid', id: ev.id, errors }

  const wasPublished = ev.published
  ev.info = String(fields.info).trim()
  ev.date = String(fields.date)
  ev.threat_level_id = toInt(fields.threat_level_id) ?? ev.threat_level_id
  ev.analysis = toInt(fields.analysis) ?? ev.analysis
  ev.distribution = distribution
  ev.sharing_group_id = toInt(fields.sharing_group_id) ?? 0
  ev.timestamp = incoming
  const published = toBool(raw['published']) ?? (p.has('unpublishOnEdit') ? false : ev.published)
  ev.published = published && u.perm.publish
  const pts = toInt(raw['publish_timestamp'])
  if (pts !== undefined) ev.publish_timestamp = pts
  else if (ev.published && !wasPublished) ev.publish_timestamp = now
  ev.locked = toBool(raw['locked']) ?? ev.locked
  if (p.has('disableCorrelation'))
    ev.disable_correlation = toBool(raw['disable_correlation']) ?? ev.disable_correlation
  if (p.has('extendsUuid')) ev.extends_uuid = str(raw['extends_uuid']) ?? ev.extends_uuid
  if (p.has('eventTags')) {
    for (const l of restTagLinks(s, raw)) if (!ev.tags.some((t) => t.tagId === l.tagId)) ev.tags.push(l)
  }
  // rule 5: per attribute, by uuid; absent attributes are kept.
  if (p.era === '2.3') mergeAttributes23(s, ev, raw['Attribute'], now)
  else
    for (const a of asArray(raw['Attribute']))
      if (isRecord(a)) mergeAttribute(s, ev, a, 0, ev.attributes, now)
  if (p.has('objects')) {
    for (const o of asArray(raw['Object'])) if (isRecord(o)) mergeObject(s, ev, o, now)
  }
  return { _tag: 'updated', event: ev }
}

// --- seed (bypasses the REST rules) --------------------------------------------------------

/**
 * Stores a wire event (2.3 or 2.4 shape, wrapped or bare) as given: ids kept when free, missing
 * uuids/ids/timestamps filled in, organisations, tags and sharing groups captured. With
 * `replace`, the event takes the place (and id) of that stored event.
 */
export function seed(s: StoreCore, input: unknown, replace?: Ev): Ev {
  const raw = isRecord(input) ? (isRecord(input['Event']) ? unwrapEvent(input, s.profile) : input) : undefined
  if (raw === undefined) throw new TypeError('misp-bridge/testing: seed expects event objects')
  const now = s.clock()
  const uuid = str(raw['uuid']) ?? s.newUuid()
  const clash = s.findByUuid(uuid)
  if (clash !== undefined && clash !== replace)
    throw new Error(`misp-bridge/testing: an event with uuid ${uuid} is already stored (id ${clash.id})`)
  const rawId = toInt(raw['id'])
  const id =
    replace?.id ?? (rawId !== undefined && s.findEvent(String(rawId)) === undefined ? rawId : s.next('event'))
  s.bump('event', id)
  const owner = orgFrom(s, raw['Org'], raw['org'], true) ?? s.org(s.user.orgId)
  const creator = orgFrom(s, raw['Orgc'], raw['orgc'], true) ?? owner
  const distribution = toInt(raw['distribution']) ?? 1
  let sgId = toInt(raw['sharing_group_id']) ?? 0
  if (distribution === 4) {
    const sg = captureSharingGroup(s, raw['SharingGroup'])
    if (sg !== undefined) sgId = sg.id
  }
  const published = toBool(raw['published']) ?? false
  const ev: Ev = {
    id,
    uuid,
    info: str(raw['info']) ?? '',
    date: str(raw['date']) ?? s.today(),
    threat_level_id: toInt(raw['threat_level_id']) ?? 4,
    analysis: toInt(raw['analysis']) ?? 0,
    distribution,
    published,
    timestamp: toInt(raw['timestamp']) ?? now,
    publish_timestamp: toInt(raw['publish_timestamp']) ?? (published ? now : 0),
    sighting_timestamp: toInt(raw['sighting_timestamp']) ?? 0,
    proposal_email_lock: toBool(raw['proposal_email_lock']) ?? false,
    locked: toBool(raw['locked']) ?? false,
    org_id: owner.id,
    orgc_id: creator.id,
    sharing_group_id: distribution === 4 ? sgId : 0,
    disable_correlation: toBool(raw['disable_correlation']) ?? false,
    extends_uuid: str(raw['extends_uuid']) ?? '',
    protected: toBool(raw['protected']) ?? null,
    user_id: s.user.id,
    tags: tagLinks(s, raw, 'eventTag'),
    attributes: [],
    objects: [],
  }
  const keep = new Set(replace === undefined ? [] : allAttributes(replace).map((a) => a.id))
  const keepObjects = new Set(replace === undefined ? [] : replace.objects.map((o) => o.id))
  const objectFree = (oid: number): boolean =>
    keepObjects.has(oid) || !s.events.some((e) => e.objects.some((o) => o.id === oid))
  const free = (aid: number): boolean => keep.has(aid) || attributeIdFree(s, aid)
  for (const a of asArray(raw['Attribute'])) {
    if (!isRecord(a)) continue
    const aid = toInt(a['id'])
    const built = buildAttribute(
      s,
      ev,
      { ...a, id: aid !== undefined && free(aid) ? aid : undefined },
      0,
      now,
      false,
    )
    if ('ok' in built) ev.attributes.push(built.ok)
  }
  for (const o of asArray(raw['Object']))
    if (isRecord(o)) ev.objects.push(buildObject(s, ev, o, now, false, free, objectFree))
  if (replace !== undefined) {
    const i = s.events.indexOf(replace)
    s.events.splice(i, 1, ev)
  } else {
    s.events.push(ev)
    s.events.sort((a, b) => a.id - b.id)
  }
  s.indexEvent(ev)
  return ev
}

// --- filterEventIdsForPush (`EventsController.php@v2.4.199:4275-4302`) ----------------------------------------------------------

/**
 * `EventsController::filterEventIdsForPush` (2.3.178:3077-3102, 2.4.199:4275-4302): the incoming
 * uuids (a later entry for the same uuid overwrites an earlier one, PHP array semantics) minus
 * those stored with a timestamp ≥ the incoming one, minus those stored and not locked.
 */
export function filterForPush(s: StoreCore, body: unknown): Array<string> {
  const incoming = new Map<string, number>()
  for (const item of asArray(body)) {
    const e = isRecord(item) ? (isRecord(item['Event']) ? item['Event'] : item) : undefined
    const uuid = e === undefined ? undefined : str(e['uuid'])
    if (e === undefined || uuid === undefined) continue
    incoming.set(uuid, toInt(e['timestamp']) ?? 0)
  }
  for (const [uuid, ts] of [...incoming]) {
    const stored = s.findEvent(uuid)
    if (stored === undefined) continue
    if (stored.timestamp >= ts || !stored.locked) incoming.delete(uuid)
  }
  return [...incoming.keys()]
}
