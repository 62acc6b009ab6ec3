/**
 * How each MISP version writes events, index rows and sharing groups (§2 of misp-versions.md,
 * field by field with its "since"; key order and 2.5.1 details from the real-server recording).
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import { attributeCount, numberer, type RenderContext, type RenderMode, renderOrg } from './renderBase.js'
import { relatedAttribute, relatedEvents, renderRelated } from './renderRelated.js'
import type { Attr, Ev, Obj, SharingGroup, TagLink } from './store.js'

export { attributeCount, numberer, type RenderContext, type RenderMode, renderOrg } from './renderBase.js'
export { eventRow23, relatedEvents } from './renderRelated.js'

type Json = Record<string, unknown>

// ---------------------------------------------------------------------------------------------
// organisations, tags, sharing groups
// ---------------------------------------------------------------------------------------------

const renderTag = (ctx: RenderContext, link: TagLink): Json | undefined => {
  const n = numberer(ctx)
  const tag = ctx.store.tag(link.tagId)
  if (tag === undefined) return undefined
  const o: Json = { id: n(tag.id), name: tag.name, colour: tag.colour, exportable: tag.exportable }
  if (ctx.profile.has('fullTagRows')) {
    o['user_id'] = n(0)
    o['hide_tag'] = false
    o['numerical_value'] = null
    o['is_galaxy'] = tag.is_galaxy
    o['is_custom_galaxy'] = false
    o['local_only'] = false
    o['local'] = link.local
    o['relationship_type'] = null
  }
  return o
}

/** Whether a tag is shown: 2.5 leaves non-exportable tags out of REST answers (`exportableTagsOnly`). */
export const shownTag = (ctx: RenderContext, tagId: number, mode: RenderMode | undefined): boolean =>
  mode === 'dump' || !ctx.profile.has('exportableTagsOnly') || ctx.store.tag(tagId)?.exportable !== false

const renderTags = (ctx: RenderContext, links: ReadonlyArray<TagLink>, mode?: RenderMode): Array<Json> =>
  links.flatMap((l) => {
    const t = shownTag(ctx, l.tagId, mode) ? renderTag(ctx, l) : undefined
    return t === undefined ? [] : [t]
  })

/** The sharing group columns (rec#28 `SharingGroup`). */
export const renderSharingGroupRow = (ctx: RenderContext, sg: SharingGroup): Json => {
  const n = numberer(ctx)
  return {
    id: n(sg.id),
    name: sg.name,
    releasability: sg.releasability,
    description: sg.description,
    uuid: sg.uuid,
    organisation_uuid: ctx.store.org(sg.org_id).uuid,
    org_id: n(sg.org_id),
    sync_user_id: n(sg.sync_user_id),
    active: sg.active,
    created: sg.created,
    modified: sg.modified,
    local: sg.local,
    roaming: sg.roaming,
  }
}

/** `POST /sharing_groups/add` answer (rec#28). */
export const renderSharingGroupAdded = (ctx: RenderContext, sg: SharingGroup): Json => {
  const n = numberer(ctx)
  return {
    SharingGroup: renderSharingGroupRow(ctx, sg),
    SharingGroupOrg: sg.orgs.map((o) => ({
      id: n(o.id),
      sharing_group_id: n(sg.id),
      org_id: n(o.org_id),
      extend: o.extend,
    })),
    SharingGroupServer: sg.servers.map((s) => ({
      id: n(s.id),
      sharing_group_id: n(sg.id),
      server_id: n(s.server_id),
      all_orgs: s.all_orgs,
    })),
    Organisation: renderOrg(ctx, ctx.store.org(sg.org_id), false),
  }
}

/**
 * `SharingGroup` inside an event: the full group for sync users and site admins, the short
 * `{id,name,releasability,description}` otherwise (§2.2, `Event.php@v2.4.0:1130-1145`; rec#29).
 */
const renderEventSharingGroup = (ctx: RenderContext, sg: SharingGroup, full: boolean): Json => {
  const n = numberer(ctx)
  if (!full)
    return { id: n(sg.id), name: sg.name, releasability: sg.releasability, description: sg.description }
  return {
    ...renderSharingGroupRow(ctx, sg),
    Organisation: renderOrg(ctx, ctx.store.org(sg.org_id), false),
    SharingGroupOrg: sg.orgs.map((o) => ({
      id: n(o.id),
      sharing_group_id: n(sg.id),
      org_id: n(o.org_id),
      extend: o.extend,
      Organisation: renderOrg(ctx, ctx.store.org(o.org_id), false),
    })),
    SharingGroupServer: sg.servers.map((s) => ({
      id: n(s.id),
      sharing_group_id: n(sg.id),
      server_id: n(s.server_id),
      all_orgs: s.all_orgs,
      Server: { id: n(s.server_id), url: ctx.baseUrl, name: ctx.baseUrl },
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// attributes and objects
// ---------------------------------------------------------------------------------------------

const visibleAttribute = (ctx: RenderContext, ev: Ev, a: Attr, mode: RenderMode): boolean => {
  if (a.deleted) return mode === 'dump' || ctx.includeDeleted === true
  const u = ctx.store.user
  if (mode === 'dump' || u.perm.siteAdmin || ev.org_id === u.orgId) return true
  if (a.distribution === 4) return ctx.store.inSharingGroup(a.sharing_group_id)
  return a.distribution !== 0
}

const renderAttribute = (ctx: RenderContext, a: Attr, fullSg: boolean, ev?: Ev, mode?: RenderMode): Json => {
  const p = ctx.profile
  const n = numberer(ctx)
  const o: Json = {
    id: n(a.id),
    type: a.type,
    category: a.category,
    to_ids: a.to_ids,
    uuid: a.uuid,
    event_id: n(a.event_id),
    distribution: n(a.distribution),
    timestamp: n(a.timestamp),
    comment: a.comment,
  }
  if (p.era === '2.4') o['sharing_group_id'] = n(a.sharing_group_id)
  if (p.has('attributeDeleted')) o['deleted'] = a.deleted
  if (p.has('disableCorrelation')) o['disable_correlation'] = a.disable_correlation
  if (p.has('objects')) {
    o['object_id'] = n(a.object_id)
    o['object_relation'] = a.object_relation
  }
  if (p.has('seenFields')) {
    o['first_seen'] = a.first_seen
    o['last_seen'] = a.last_seen
  }
  o['value'] = a.value
  if (a.data !== undefined) o['data'] = a.data
  if (p.has('attributeGalaxy')) o['Galaxy'] = []
  if (p.has('sharingGroups')) {
    const sg = a.distribution === 4 ? ctx.store.sharingGroup(a.sharing_group_id) : undefined
    if (sg !== undefined) o['SharingGroup'] = renderEventSharingGroup(ctx, sg, fullSg)
    else if (!p.has('attributeEmptySharingGroupRemoved')) o['SharingGroup'] = []
  }
  o['ShadowAttribute'] = []
  const attributeTags = p.has('attributeTags') ? renderTags(ctx, a.tags, mode) : []
  if (attributeTags.length > 0) o['Tag'] = attributeTags
  if (p.era === '2.3' && ev !== undefined && mode !== undefined) {
    const related = relatedAttribute(ctx, ev, a, mode)
    if (related.length > 0) o['RelatedAttribute'] = related
  }
  return o
}

/**
 * The order of an event's attributes. MISP 2.3.178 sorts them by category, then type
 * (`Event.php@v2.3.178:287`, the `hasMany` Attribute `order`; MySQL's utf8_general_ci compares
 * case-insensitively; equal keys come in id order, InnoDB's primary key); 2.5.1's `fetchEvent`
 * asks for none (`'order' => false`, `Event.php@v2.5.1:2012`), which is id order.
 */
const attributeOrder =
  (p: Profile) =>
  (x: Attr, y: Attr): number => {
    if (p.era === '2.3') {
      const byKey =
        x.category.toLowerCase().localeCompare(y.category.toLowerCase(), 'en') ||
        x.type.toLowerCase().localeCompare(y.type.toLowerCase(), 'en')
      if (byKey !== 0) return byKey
    }
    return x.id - y.id
  }

const renderObject = (ctx: RenderContext, ev: Ev, obj: Obj, mode: RenderMode, fullSg: boolean): Json => {
  const n = numberer(ctx)
  const o: Json = {
    id: n(obj.id),
    name: obj.name,
    'meta-category': obj.meta_category,
    description: obj.description,
    template_uuid: obj.template_uuid,
    template_version: n(obj.template_version),
    event_id: n(obj.event_id),
    uuid: obj.uuid,
    timestamp: n(obj.timestamp),
    distribution: n(obj.distribution),
    sharing_group_id: n(obj.sharing_group_id),
    comment: obj.comment,
    deleted: obj.deleted,
  }
  if (ctx.profile.has('seenFields')) {
    o['first_seen'] = obj.first_seen
    o['last_seen'] = obj.last_seen
  }
  o['ObjectReference'] = []
  o['Attribute'] = [...obj.attributes]
    .filter((a) => visibleAttribute(ctx, ev, a, mode))
    .sort((x, y) => x.id - y.id)
    .map((a) => renderAttribute(ctx, a, fullSg, ev, mode))
  return o
}

// ---------------------------------------------------------------------------------------------
// events
// ---------------------------------------------------------------------------------------------

/**
 * An event as `GET /events/view/{id}` renders it for this version (§2; 2.5.1 key order from rec#1),
 * bare (without the `{"Event": …}` envelope).
 */
export const renderEvent = (ctx: RenderContext, ev: Ev, mode: RenderMode): Json => {
  const p = ctx.profile
  const s = ctx.store
  const n = numberer(ctx)
  const u = s.user
  const fullSg = u.perm.sync || u.perm.siteAdmin || mode === 'dump'
  const o: Json = { id: n(ev.id) }
  if (p.era === '2.3') {
    // §2.1: org/orgc name strings, shown when MISP.showorg (default on) or to site admins.
    o['org'] = s.org(ev.org_id).name
    o['date'] = ev.date
    o['threat_level_id'] = n(ev.threat_level_id)
    o['info'] = ev.info
    o['published'] = ev.published
    o['uuid'] = ev.uuid
    o['attribute_count'] = n(attributeCount(ev))
    o['analysis'] = n(ev.analysis)
    o['timestamp'] = n(ev.timestamp)
    o['distribution'] = n(ev.distribution)
    o['proposal_email_lock'] = ev.proposal_email_lock
    o['orgc'] = s.org(ev.orgc_id).name
    o['locked'] = ev.locked
    o['publish_timestamp'] = n(ev.publish_timestamp)
  } else {
    o['orgc_id'] = n(ev.orgc_id)
    o['org_id'] = n(ev.org_id)
    o['date'] = ev.date
    o['threat_level_id'] = n(ev.threat_level_id)
    o['info'] = ev.info
    o['published'] = ev.published
    o['uuid'] = ev.uuid
    o['attribute_count'] = n(attributeCount(ev))
    o['analysis'] = n(ev.analysis)
    o['timestamp'] = n(ev.timestamp)
    o['distribution'] = n(ev.distribution)
    o['proposal_email_lock'] = ev.proposal_email_lock
    o['locked'] = ev.locked
    o['publish_timestamp'] = n(ev.publish_timestamp)
    o['sharing_group_id'] = n(ev.sharing_group_id)
    if (p.has('disableCorrelation')) o['disable_correlation'] = ev.disable_correlation
    if (p.has('extendsUuid')) o['extends_uuid'] = ev.extends_uuid
    if (p.has('protectedEvents')) o['protected'] = ev.protected
    if (p.has('eventCreatorEmail') && (u.perm.siteAdmin || mode === 'dump'))
      o['event_creator_email'] = u.email
    o['Org'] = renderOrg(ctx, s.org(ev.org_id), true)
    o['Orgc'] = renderOrg(ctx, s.org(ev.orgc_id), true)
    const sg = ev.distribution === 4 ? s.sharingGroup(ev.sharing_group_id) : undefined
    if (sg !== undefined) o['SharingGroup'] = renderEventSharingGroup(ctx, sg, fullSg)
  }
  const metadata = mode === 'metadata'
  if (!metadata) {
    o['Attribute'] = [...ev.attributes]
      .filter((a) => visibleAttribute(ctx, ev, a, mode))
      .sort(attributeOrder(p))
      .map((a) => renderAttribute(ctx, a, fullSg, ev, mode))
    o['ShadowAttribute'] = []
  }
  o['RelatedEvent'] = relatedEvents(ctx, ev, mode).map((r) => renderRelated(ctx, r, mode))
  if (p.has('galaxy')) o['Galaxy'] = []
  if (!metadata && p.has('objects'))
    o['Object'] = ev.objects
      .filter((x) => mode === 'dump' || ctx.includeDeleted === true || !x.deleted)
      .map((x) => renderObject(ctx, ev, x, mode, fullSg))
  if (!metadata && p.has('eventReports')) o['EventReport'] = []
  if (p.has('protectedEvents')) o['CryptographicKey'] = []
  // §11 / rec#23: `Tag` is omitted when the event has none.
  const eventTags = p.has('eventTags') ? renderTags(ctx, ev.tags, mode) : []
  if (eventTags.length > 0) o['Tag'] = eventTags
  return o
}
