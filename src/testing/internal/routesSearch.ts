/**
 * The emulator's searches: `GET|POST /events/index` with its filters per release and
 * `POST /events/restSearch` ( rec#N = exchange N of the real MISP 2.5.1
 * recording).
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import { type JsonStyle, phpJson } from './json.js'
import { toBool, toInt } from './lenient.js'
import type { RenderContext, RenderMode } from './render.js'
import { renderIndexRow, renderMinimalRow } from './renderIndex.js'
import type { Reply } from './replies.js'
import type { Ev, Store } from './store.js'

type Json = Record<string, unknown>

/** `"7d"`, `"3h"`, `"30m"`, `"10s"` (`Event::resolveTimeDelta`) or a unix time. */
export const resolveTime = (v: unknown, now: number): number | undefined => {
  const i = toInt(v)
  if (i !== undefined) return i
  if (typeof v !== 'string') return undefined
  const m = /^(\d+)([dhms])$/.exec(v.trim())
  if (m === null) return undefined
  const unit = m[2] === 'd' ? 86400 : m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1
  return now - Number(m[1]) * unit
}

/** A time filter: a value (≥), a `[from, to]` pair, or a delta. */
const timeMatcher = (v: unknown, now: number): ((t: number) => boolean) | undefined => {
  if (Array.isArray(v)) {
    const from = resolveTime(v[0], now)
    const to = resolveTime(v[1], now)
    return (t) => (from === undefined || t >= from) && (to === undefined || t <= to)
  }
  const from = resolveTime(v, now)
  return from === undefined ? undefined : (t) => t >= from
}

export const list = (v: unknown): Array<string> =>
  (Array.isArray(v) ? v : [v]).flatMap((x) =>
    typeof x === 'string' || typeof x === 'number' ? [String(x)] : [],
  )

const paginate = <A>(rows: Array<A>, filters: Json): Array<A> => {
  const limit = toInt(filters['limit'])
  if (limit === undefined || limit <= 0) return rows
  const page = toInt(filters['page']) ?? 1
  return rows.slice((page - 1) * limit, page * limit)
}

/** What the searches need from the router. */
export interface SearchDeps {
  readonly profile: Profile
  readonly store: Store
  readonly clock: () => number
  readonly ctx: () => RenderContext
  readonly json: (status: number, value: unknown, style?: JsonStyle) => Reply
  readonly error: (status: number, message: string, here: string) => Reply
  /** a 200 JSON reply with this exact body */
  readonly rawJson: (body: string) => Reply
  /** the text of restSearch's 404 without matches */
  readonly noMatches: string
  readonly envelope: (ev: Ev, mode: RenderMode, includeDeleted?: boolean) => Json
  readonly wantsDeleted: (v: unknown) => boolean
}

/** The index and restSearch handlers of one router. */
export const makeSearchRoutes = (d: SearchDeps) => {
  const { profile, store, json, error, envelope, wantsDeleted, ctx } = d
  /** Index filters, by version (2.3 `search*`; 2.4.54+ timestamps; 2.4.97 datefrom/dateuntil). */
  const indexFilter = (filters: Json): ((ev: Ev) => boolean) => {
    const now = d.clock()
    const checks: Array<(ev: Ev) => boolean> = []
    const from =
      filters['searchDatefrom'] ?? (profile.has('indexDateFilter') ? filters['datefrom'] : undefined)
    const until =
      filters['searchDateuntil'] ?? (profile.has('indexDateFilter') ? filters['dateuntil'] : undefined)
    if (typeof from === 'string' && from !== '') checks.push((ev) => ev.date >= from)
    if (typeof until === 'string' && until !== '') checks.push((ev) => ev.date <= until)
    const pub = toBool(
      filters['searchpublished'] ?? (profile.era === '2.4' ? filters['published'] : undefined),
    )
    if (pub !== undefined) checks.push((ev) => ev.published === pub)
    const info = filters['searcheventinfo']
    if (typeof info === 'string' && info !== '')
      checks.push((ev) => ev.info.toLowerCase().includes(info.toLowerCase()))
    const eid = filters['searcheventid'] ?? (profile.era === '2.4' ? filters['eventid'] : undefined)
    if (eid !== undefined) {
      const ids = list(eid)
      checks.push((ev) => ids.includes(String(ev.id)))
    }
    const org = filters['searchorg']
    if (typeof org === 'string' && org !== '') checks.push((ev) => store.org(ev.orgc_id).name === org)
    const tags =
      filters['searchtag'] ?? filters['tag'] ?? (profile.era === '2.4' ? filters['tags'] : undefined)
    if (tags !== undefined && tags !== '' && tags !== 0 && tags !== '0') checks.push(tagMatcher(tags))
    if (profile.has('indexTimestampFilter')) {
      const ts = timeMatcher(filters['timestamp'], now)
      if (ts !== undefined) checks.push((ev) => ts(ev.timestamp))
      const rawPts =
        filters['publishtimestamp'] ??
        (profile.has('indexPublishTimestampFilter') ? filters['publish_timestamp'] : undefined)
      const pts = timeMatcher(rawPts, now)
      if (pts !== undefined) checks.push((ev) => pts(ev.publish_timestamp))
    }
    return (ev) => checks.every((c) => c(ev))
  }

  /**
   * The index's tag filter (`searchtag`, body `tag`; late also `tags`): `a|b|!c`, each a tag id or
   * name; events carrying any included tag and none of the blocked ones; included tags none of
   * which exists match nothing (`Event.id = -1`) (`EventsController::index@v2.3.178:389-441`,
   * `__setIndexFilterConditions@v2.4.199:462-560`).
   */
  const tagMatcher = (v: unknown): ((ev: Ev) => boolean) => {
    const pieces = Array.isArray(v) ? list(v) : String(v).split('|')
    const idOf = (p: string): number | undefined =>
      /^\d+$/.test(p) ? Number(p) : store.tags.find((t) => t.name === p)?.id
    const include: Array<number | undefined> = []
    const block: Array<number> = []
    for (const piece of pieces.map((p) => p.trim()).filter((p) => p !== '')) {
      if (piece.startsWith('!')) {
        const id = idOf(piece.slice(1))
        if (id !== undefined) block.push(id)
      } else include.push(idOf(piece))
    }
    return (ev) =>
      !ev.tags.some((l) => block.includes(l.tagId)) &&
      (include.length === 0 || ev.tags.some((l) => include.includes(l.tagId)))
  }

  const index = (filters: Json): Reply => {
    const keep = indexFilter(filters)
    // 2.3's REST index orders by `Event.id DESC` (`EventsController.php@v2.3.178:503-515`); 2.5.1's
    // asks for no order (`EventsController.php@v2.5.1:795-830`, rec#16): id order
    const order = profile.era === '2.3' ? (a: Ev, b: Ev) => b.id - a.id : (a: Ev, b: Ev) => a.id - b.id
    let events = store.events.filter((ev) => store.canSee(ev) && keep(ev)).sort(order)
    if (profile.era === '2.4') events = paginate(events, filters)
    const minimal = profile.has('indexMinimal') && toBool(filters['minimal']) === true
    return json(
      200,
      events.map((ev) => (minimal ? renderMinimalRow(ctx(), ev) : renderIndexRow(ctx(), ev))),
    )
  }

  /** restSearch (`EventsController.php@v2.3.178:2423-2600`): `{"response":[{"Event":…}]}`; parameters gated by version. */
  const restSearch = (params: Json, here: string): Reply => {
    const now = d.clock()
    const checks: Array<(ev: Ev) => boolean> = []
    if (params['eventid'] !== undefined) {
      const ids = list(params['eventid'])
      checks.push((ev) => ids.includes(String(ev.id)))
    }
    // `last` works on publish_timestamp in every version (`EventsController.php@v2.3.178:2423-2600`, Event::resolveTimeDelta).
    const last = params['last'] === undefined ? undefined : resolveTime(params['last'], now)
    if (last !== undefined) checks.push((ev) => ev.publish_timestamp >= last)
    const dateFrom = params['from']
    const dateTo = params['to']
    if (typeof dateFrom === 'string') checks.push((ev) => ev.date >= dateFrom)
    if (typeof dateTo === 'string') checks.push((ev) => ev.date <= dateTo)
    for (const field of ['value', 'type', 'category'] as const) {
      if (params[field] === undefined) continue
      const wanted = list(params[field])
      checks.push((ev) => ev.attributes.some((a) => !a.deleted && wanted.includes(a[field])))
    }
    if (params['org'] !== undefined) {
      const orgs = list(params['org'])
      checks.push((ev) => {
        const o = store.org(ev.orgc_id)
        return orgs.includes(o.name) || orgs.includes(String(o.id)) || orgs.includes(o.uuid)
      })
    }
    // a uuid list (MISP matches each exactly) names the only candidates: look them up instead
    // of scanning every event (same answer, a cost that grows with the list, not the store)
    let candidates: ReadonlyArray<Ev> = store.events
    if (profile.has('restSearchUuid') && params['uuid'] !== undefined) {
      const uuids = [...new Set(list(params['uuid']).map((u) => u.toLowerCase()))]
      candidates = uuids.flatMap((u) => {
        const ev = store.findByUuid(u)
        return ev === undefined ? [] : [ev]
      })
    }
    if (profile.has('restSearchTimestamp')) {
      const ts = timeMatcher(params['timestamp'], now)
      if (ts !== undefined) checks.push((ev) => ts(ev.timestamp))
      const pts = timeMatcher(params['publish_timestamp'], now)
      if (pts !== undefined) checks.push((ev) => pts(ev.publish_timestamp))
      const pub = toBool(params['published'])
      if (pub !== undefined) checks.push((ev) => ev.published === pub)
    }
    let events = candidates
      .filter((ev) => store.canSee(ev) && checks.every((c) => c(ev)))
      .sort((a, b) => a.id - b.id)
    if (profile.era === '2.4') events = paginate(events, params)
    const metadata = profile.has('restSearchMetadata') && toBool(params['metadata']) === true
    if (events.length === 0 && !profile.has('restSearchEmptyResponse')) return error(404, d.noMatches, here)
    const mode: RenderMode = metadata ? 'metadata' : 'write'
    const items = events.map((ev) => envelope(ev, mode, wantsDeleted(params['deleted'])))
    if (!profile.has('prettyJson')) return json(200, { response: items })
    // rec#20/rec#21 (content-length): JsonExport streams `{"response": [` + compact events joined by
    // `,` + `]}` + PHP_EOL, slashes unescaped.
    return d.rawJson(`{"response": [${items.map((i) => phpJson(i, 'compact')).join(',')}]}\n`)
  }

  return { index, restSearch }
}
