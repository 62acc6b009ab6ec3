/**
 * What every renderer of the emulator shares: the render context and mode, numbers as the wire
 * writes them, organisations, and an event's attribute count.
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import type { Ev, Org, Store } from './store.js'
import { allAttributes } from './store.js'

type Json = Record<string, unknown>

/**
 * - `view`: `GET /events/view` (RelatedEvent items carry RelationshipInbound from 2.4.186, rec#2);
 * - `write`: the add/edit answer (no RelationshipInbound, rec#1, rec#8);
 * - `metadata`: restSearch/add with metadata (no Attribute/ShadowAttribute/Object/EventReport, rec#20);
 * - `dump`: the emulator's own `events()` (site-admin view, every event).
 */
export type RenderMode = 'view' | 'write' | 'metadata' | 'dump'

export interface RenderContext {
  readonly store: Store
  readonly profile: Profile
  /** 2.5 `numericWire`: ints as JSON numbers (PHP 8 PDO without STRINGIFY_FETCHES, §2.4). */
  readonly numeric: boolean
  /** MISP.baseurl (no trailing slash): the url of this instance in SharingGroupServer (rec#29). */
  readonly baseUrl: string
  /** soft-deleted attributes and objects shown too (`deleted:1`, restSearch `deleted: [0, 1]`) */
  readonly includeDeleted?: boolean
}

export const numberer =
  (ctx: RenderContext) =>
  (n: number): string | number =>
    ctx.numeric ? n : String(n)

export const renderOrg = (ctx: RenderContext, org: Org, withLocal: boolean): Json => {
  const n = numberer(ctx)
  const o: Json = { id: n(org.id), name: org.name, uuid: org.uuid }
  if (withLocal && ctx.profile.has('orgLocal')) o['local'] = org.local
  return o
}

/** The number of (non-deleted) attributes, object attributes included (rec#1: 2 + 1 → "3"; rec#29). */
export const attributeCount = (ev: Ev): number => allAttributes(ev).filter((a) => !a.deleted).length
