/**
 * Correlations as each MISP version writes them: `RelatedEvent` of an event and, in 2.3,
 * `RelatedAttribute` of an attribute.
 *
 * @since 0.1.0
 */
import { attributeCount, numberer, type RenderContext, type RenderMode, renderOrg } from './renderBase.js'
import type { Attr, Ev } from './store.js'
import { nonCorrelatingTypes } from './typeDefaults.js'

type Json = Record<string, unknown>

// ---------------------------------------------------------------------------------------------
// related events (correlations)
// ---------------------------------------------------------------------------------------------

const correlates = (a: Attr): boolean =>
  !a.deleted && !a.disable_correlation && !nonCorrelatingTypes.has(a.type)

const correlatingValues = (ev: Ev): Set<string> => {
  const values = new Set<string>()
  for (const a of ev.attributes) if (correlates(a)) values.add(a.value)
  for (const o of ev.objects) for (const a of o.attributes) if (correlates(a)) values.add(a.value)
  return values
}

/** Other (visible) events sharing a correlating attribute value with `ev`, in store order. */
export const relatedEvents = (ctx: RenderContext, ev: Ev, mode: RenderMode): Array<Ev> => {
  if (ev.disable_correlation) return []
  const mine = correlatingValues(ev)
  if (mine.size === 0) return []
  const index = ctx.store.correlations(correlates)
  const holders = new Set<Ev>()
  for (const v of mine) for (const other of index.get(v) ?? []) holders.add(other)
  if (holders.size <= 1) return []
  const related = ctx.store.events.filter(
    (other) =>
      other !== ev &&
      holders.has(other) &&
      !other.disable_correlation &&
      (mode === 'dump' || ctx.store.canSee(other)),
  )
  // 2.3 orders them `Event.date DESC` (`Event::getRelatedEvents@v2.3.178:406-412`); ties by id
  if (ctx.profile.era === '2.3')
    related.sort((x, y) => (x.date === y.date ? y.id - x.id : x.date < y.date ? 1 : -1))
  return related
}

/**
 * MISP 2.3.178's `RelatedAttribute` of an attribute: one `{id, org, info}` per other event holding
 * its value (the correlation's event id, that event's org and info), newest event id first
 * (`Event::getRelatedAttributes@v2.3.178:418-450`, merged into the attribute by
 * `JSONConverterTool::event2JSON@v2.3.178:20-27`; real 2.3.178 answers it on add and view).
 */
export const relatedAttribute = (ctx: RenderContext, ev: Ev, a: Attr, mode: RenderMode): Array<Json> => {
  if (!correlates(a)) return []
  const holders = ctx.store.correlations(correlates).get(a.value)
  if (holders === undefined || holders.size <= 1) return []
  return [...holders]
    .filter((other) => other !== ev && (mode === 'dump' || ctx.store.canSee(other)))
    .sort((x, y) => y.id - x.id)
    .map((other) => ({ id: String(other.id), org: ctx.store.org(other.org_id).name, info: other.info }))
}

/**
 * A 2.3.178 event row: the `events` columns in table order (`Event.*` without `user_id`), as
 * the REST index lists them and as `RelatedEvent` carries them (`json/index.ctp@v2.3.178`,
 * `JSONConverterTool::event2JSON@v2.3.178:30-41`; key order from real 2.3.178, rec 5a).
 */
export const eventRow23 = (ctx: RenderContext, ev: Ev): Json => {
  const n = numberer(ctx)
  const s = ctx.store
  return {
    id: n(ev.id),
    org: s.org(ev.org_id).name,
    date: ev.date,
    info: ev.info,
    published: ev.published,
    uuid: ev.uuid,
    attribute_count: n(attributeCount(ev)),
    analysis: n(ev.analysis),
    orgc: s.org(ev.orgc_id).name,
    timestamp: n(ev.timestamp),
    distribution: n(ev.distribution),
    proposal_email_lock: ev.proposal_email_lock,
    locked: ev.locked,
    threat_level_id: n(ev.threat_level_id),
    publish_timestamp: n(ev.publish_timestamp),
  }
}

export const renderRelated = (ctx: RenderContext, other: Ev, mode: RenderMode): Json => {
  const p = ctx.profile
  if (p.era === '2.3') return { Event: [eventRow23(ctx, other)] }
  const n = numberer(ctx)
  const e: Json = {
    id: n(other.id),
    date: other.date,
    threat_level_id: n(other.threat_level_id),
    info: other.info,
    published: other.published,
    uuid: other.uuid,
    analysis: n(other.analysis),
    timestamp: n(other.timestamp),
    distribution: n(other.distribution),
  }
  if (p.has('orgObjects')) {
    e['org_id'] = n(other.org_id)
    e['orgc_id'] = n(other.orgc_id)
    e['Org'] = renderOrg(ctx, ctx.store.org(other.org_id), false)
    e['Orgc'] = renderOrg(ctx, ctx.store.org(other.orgc_id), false)
  } else {
    e['org'] = ctx.store.org(other.org_id).name
    e['orgc'] = ctx.store.org(other.orgc_id).name
  }
  const item: Json = { Event: p.has('relatedEventObject') ? e : [e] }
  if (mode === 'view' && p.has('relationshipInbound')) item['RelationshipInbound'] = []
  return item
}
