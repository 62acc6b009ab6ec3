/**
 * How each MISP version writes the rows of its event index (§5.2: `json/index.ctp@v2.3.178`,
 * `@v2.4.0`; late rows from the real-server recording, rec#16, rec#19).
 *
 * @since 0.1.0
 */

import { shownTag } from './render.js'
import { attributeCount, numberer, type RenderContext, renderOrg } from './renderBase.js'
import { eventRow23 } from './renderRelated.js'
import type { Ev } from './store.js'

type Json = Record<string, unknown>

// ---------------------------------------------------------------------------------------------
// index rows
// ---------------------------------------------------------------------------------------------

/** `GET /events/index` row: 2.3 bare columns (§5.2, `json/index.ctp@v2.3.178`); 2.4 + Org/Orgc/EventTag (rec#16). */
export const renderIndexRow = (ctx: RenderContext, ev: Ev): Json => {
  const p = ctx.profile
  const s = ctx.store
  const n = numberer(ctx)
  if (p.era === '2.3') return eventRow23(ctx, ev)
  const o: Json = {
    id: n(ev.id),
    org_id: n(ev.org_id),
    date: ev.date,
    info: ev.info,
    uuid: ev.uuid,
    published: ev.published,
    analysis: n(ev.analysis),
    attribute_count: n(attributeCount(ev)),
    orgc_id: n(ev.orgc_id),
    timestamp: n(ev.timestamp),
    distribution: n(ev.distribution),
    sharing_group_id: n(ev.sharing_group_id),
    proposal_email_lock: ev.proposal_email_lock,
    locked: ev.locked,
    threat_level_id: n(ev.threat_level_id),
    publish_timestamp: n(ev.publish_timestamp),
  }
  if (p.has('sightingTimestamp')) o['sighting_timestamp'] = n(ev.sighting_timestamp)
  if (p.has('disableCorrelation')) o['disable_correlation'] = ev.disable_correlation
  if (p.has('extendsUuid')) o['extends_uuid'] = ev.extends_uuid
  if (p.has('protectedEvents')) o['protected'] = ev.protected
  o['Org'] = renderOrg(ctx, s.org(ev.org_id), false)
  o['Orgc'] = renderOrg(ctx, s.org(ev.orgc_id), false)
  const sg = ev.distribution === 4 ? s.sharingGroup(ev.sharing_group_id) : undefined
  if (sg !== undefined) o['SharingGroup'] = { id: n(sg.id), name: sg.name }
  const full = p.has('fullTagRows')
  o['EventTag'] = ev.tags.flatMap((l) => {
    const tag = s.tag(l.tagId)
    if (tag === undefined || !shownTag(ctx, tag.id, 'view')) return []
    const et: Json = { id: n(l.id), event_id: n(ev.id), tag_id: n(tag.id) }
    if (full) {
      et['local'] = l.local
      et['relationship_type'] = ''
    }
    const t: Json = { id: n(tag.id), name: tag.name, colour: tag.colour }
    if (full) t['is_galaxy'] = tag.is_galaxy
    et['Tag'] = t
    return [et]
  })
  return o
}

/** `minimal` index row (2.4.72+; shape of rec#19, §11: `orgc_uuid`, not `Orgc{uuid}`). */
export const renderMinimalRow = (ctx: RenderContext, ev: Ev): Json => {
  const n = numberer(ctx)
  return {
    id: n(ev.id),
    timestamp: n(ev.timestamp),
    sighting_timestamp: n(ev.sighting_timestamp),
    published: ev.published,
    uuid: ev.uuid,
    orgc_uuid: ctx.store.org(ev.orgc_id).uuid,
  }
}
