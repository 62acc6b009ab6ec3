/**
 * The emulator's endpoints: authentication, routing and the per-version answers (§5 of
 * misp-versions.md; rec#N = exchange N of the real MISP 2.5.1 recording). Pure with respect to
 * HTTP: a request goes in, a {@link Reply} comes out; `MispEmulator.ts` does the sockets.
 *
 * @since 0.1.0
 */
import * as http from 'node:http'
import type { Fault } from '../faults.js'
import type { Profile } from '../profiles.js'
import { type JsonStyle, phpJson } from './json.js'
import { loginPage } from './loginPage.js'
import { type RenderContext, type RenderMode, renderEvent, renderSharingGroupAdded } from './render.js'
import { renderIndexRow, renderMinimalRow } from './renderIndex.js'
import { type AttributeErrors, type Ev, looksLikeUuid, type Store } from './store.js'
import { type FieldErrors, toBool, toInt } from './validate.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>
export type Headers = Record<string, string>

/** What the server answers: built here, written to the socket in one place. */
export interface Reply {
  readonly status: number
  readonly body: string
  readonly type: string
  readonly headers: Headers
}

export interface IncomingRequest {
  readonly method: string
  /** Path relative to the base URL, query string included. */
  readonly relPath: string
  readonly authorization: string | undefined
  readonly xMispAuth: string | undefined
  readonly accept: string | undefined
  readonly body: unknown
}

export interface RouterDeps {
  readonly profile: Profile
  readonly store: Store
  readonly apiKey: string
  readonly basePath: string
  readonly baseUrl: () => string
  readonly clock: () => number
  readonly serverUuid: string
  readonly numericWire: boolean
  readonly duplicateStatus: 404 | 302
}

/** §5 answer texts (rec#N where recorded). */
export const texts = {
  authFailed:
    'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.',
  duplicate: 'Event already exists, if you would like to edit it, use the url in the location header.',
  noMatches: 'No matches.',
  noPermission: 'You do not have the permission to do that.',
  aclDenied: 'You do not have permission to use this functionality.',
  notFound: 'Not Found',
  methodNotAllowed: 'Method Not Allowed',
  internalError: 'An Internal Error Has Occurred.',
  rateLimit: 'Rate limit exceeded.',
} as const

export const jsonType = 'application/json; charset=UTF-8'
export const htmlType = 'text/html; charset=UTF-8'

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

const isRecord = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u)

/** PHP arrays with keys 0..n-1 encode as JSON lists, others as objects. */
const phpArray = (m: AttributeErrors): unknown => {
  const keys = [...m.keys()].sort((a, b) => a - b)
  if (keys.every((k, i) => k === i)) return keys.map((k) => m.get(k))
  return Object.fromEntries(keys.map((k) => [String(k), m.get(k)]))
}

/** `"7d"`, `"3h"`, `"30m"`, `"10s"` (`Event::resolveTimeDelta`) or a unix time. */
const resolveTime = (v: unknown, now: number): number | undefined => {
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

const list = (v: unknown): Array<string> =>
  (Array.isArray(v) ? v : [v]).flatMap((x) =>
    typeof x === 'string' || typeof x === 'number' ? [String(x)] : [],
  )

const paginate = <A>(rows: Array<A>, filters: Json): Array<A> => {
  const limit = toInt(filters['limit'])
  if (limit === undefined || limit <= 0) return rows
  const page = toInt(filters['page']) ?? 1
  return rows.slice((page - 1) * limit, page * limit)
}

// ---------------------------------------------------------------------------------------------
// router
// ---------------------------------------------------------------------------------------------

export interface Router {
  readonly route: (req: IncomingRequest) => Reply
  /** The reply a fault sends instead of the normal one; `undefined` for reset/reset-after-write/hang (no reply). */
  readonly faultReply: (fault: Fault, relPath: string) => Reply | undefined
  readonly error: (status: number, message: string, here: string) => Reply
}

export const makeRouter = (d: RouterDeps): Router => {
  const { profile, store } = d
  const ctx = (): RenderContext => ({ store, profile, numeric: d.numericWire, baseUrl: d.baseUrl() })
  const n = (x: number): string | number => (d.numericWire ? x : String(x))
  /** rec#1 content-length: 2.5.1 pretty-prints (RestResponseComponent); older views use json_encode. */
  const mainStyle: JsonStyle = profile.has('prettyJson') ? 'pretty' : 'compact-escaped'

  // --- replies -------------------------------------------------------------------------------

  const json = (
    status: number,
    value: unknown,
    style: JsonStyle = mainStyle,
    headers: Headers = {},
  ): Reply => ({
    status,
    body: phpJson(value, style),
    type: jsonType,
    headers,
  })
  /** CakePHP's ExceptionRenderer: `{name, message, url}` with `json_encode` defaults (rec#4, rec#12, rec#13). */
  const error = (status: number, message: string, here: string, headers: Headers = {}): Reply =>
    json(status, { name: message, message, url: here }, 'compact-escaped', headers)
  const empty = (status: number, headers: Headers = {}): Reply => ({
    status,
    body: '',
    type: htmlType,
    headers,
  })
  const html = (status: number, body: string): Reply => ({ status, body, type: htmlType, headers: {} })

  // --- actions ---------------------------------------------------------------------------------

  /** §5.2: `{"version"}` (2.3.129+, 2.4.0); the late shape from rec#0 (`ServersController.php@v2.4.199:1883`). */
  const getVersion = (): Json => {
    if (!profile.has('getVersionExtended')) return { version: profile.version }
    const u = store.user
    return {
      version: profile.version,
      pymisp_recommended_version: profile.version,
      perm_sync: u.perm.sync,
      perm_sighting: true,
      perm_galaxy_editor: u.perm.siteAdmin,
      perm_analyst_data: true,
      uuid: u.perm.sync ? d.serverUuid : '-',
      request_encoding: ['gzip'],
      filter_sightings: true,
    }
  }

  const findVisible = (ref: string): Ev | undefined => {
    const ev = looksLikeUuid(profile, ref)
      ? store.findByUuid(ref)
      : /^\d+$/.test(ref)
        ? store.findEvent(ref)
        : undefined
    return ev !== undefined && store.canSee(ev) ? ev : undefined
  }

  const envelope = (ev: Ev, mode: RenderMode): Json => ({ Event: renderEvent(ctx(), ev, mode) })

  /** §5.3: 2.3–2.4.102 → 200 "Add event failed."; 2.4.103+ → 403 saveFailResponse (rec#24, rec#25). */
  const addFailed = (errors: FieldErrors): Reply => {
    if (!profile.has('saveFailResponse'))
      return json(200, {
        name: 'Add event failed.',
        message: 'The event could not be saved.',
        url: '/events/add',
        errors,
      })
    const body: Json = {}
    if (profile.has('saveFailSavedFlag')) body['saved'] = false
    body['name'] = 'Could not add Event'
    body['message'] = 'Could not add Event'
    body['url'] = '/events/add'
    body['errors'] = { Event: errors }
    return json(403, body)
  }

  /** §5.5 edit failure by era: 405 (2.3), 200 (2.4.0–2.4.102), 403 (+saved 2.4.120, +id 2.4.159; rec#6, rec#7). */
  const editFailed = (id: number, errors: string | FieldErrors, here: string): Reply => {
    if (profile.has('editFail405')) {
      const msg = typeof errors === 'string' ? errors : 'Event could not be saved.'
      return json(405, { name: msg, message: msg, url: here }, 'compact-escaped')
    }
    if (profile.has('editFail200'))
      return json(200, { name: 'Edit event failed.', message: 'Error', url: `/events/edit/${id}`, errors })
    const body: Json = {}
    if (profile.has('saveFailSavedFlag')) body['saved'] = false
    body['name'] = 'Could not edit Event'
    body['message'] = 'Could not edit Event'
    body['url'] = `/events/edit/${id}`
    body['errors'] = typeof errors === 'string' ? errors : { Event: errors }
    if (profile.has('saveFailId')) body['id'] = n(id)
    return json(403, body)
  }

  /** §5.2 index filters, by version (2.3 `search*`; 2.4.54+ timestamps; 2.4.97 datefrom/dateuntil). */
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

  const index = (filters: Json): Reply => {
    const keep = indexFilter(filters)
    let events = store.events.filter((ev) => store.canSee(ev) && keep(ev)).sort((a, b) => a.id - b.id)
    if (profile.era === '2.4') events = paginate(events, filters)
    const minimal = profile.has('indexMinimal') && toBool(filters['minimal']) === true
    return json(
      200,
      events.map((ev) => (minimal ? renderMinimalRow(ctx(), ev) : renderIndexRow(ctx(), ev))),
    )
  }

  /** §5.2 restSearch: `{"response":[{"Event":…}]}`; parameters gated by version. */
  const restSearch = (params: Json, here: string): Reply => {
    const now = d.clock()
    const checks: Array<(ev: Ev) => boolean> = []
    if (params['eventid'] !== undefined) {
      const ids = list(params['eventid'])
      checks.push((ev) => ids.includes(String(ev.id)))
    }
    // `last` works on publish_timestamp in every version (§5.2, Event::resolveTimeDelta).
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
    if (profile.has('restSearchUuid') && params['uuid'] !== undefined) {
      const uuids = list(params['uuid']).map((u) => u.toLowerCase())
      checks.push((ev) => uuids.includes(ev.uuid.toLowerCase()))
    }
    if (profile.has('restSearchTimestamp')) {
      const ts = timeMatcher(params['timestamp'], now)
      if (ts !== undefined) checks.push((ev) => ts(ev.timestamp))
      const pts = timeMatcher(params['publish_timestamp'], now)
      if (pts !== undefined) checks.push((ev) => pts(ev.publish_timestamp))
      const pub = toBool(params['published'])
      if (pub !== undefined) checks.push((ev) => ev.published === pub)
    }
    let events = store.events
      .filter((ev) => store.canSee(ev) && checks.every((c) => c(ev)))
      .sort((a, b) => a.id - b.id)
    if (profile.era === '2.4') events = paginate(events, params)
    const metadata = profile.has('restSearchMetadata') && toBool(params['metadata']) === true
    if (events.length === 0 && !profile.has('restSearchEmptyResponse'))
      return error(404, texts.noMatches, here)
    const mode: RenderMode = metadata ? 'metadata' : 'write'
    const items = events.map((ev) => envelope(ev, mode))
    if (!profile.has('prettyJson')) return json(200, { response: items })
    // rec#20/rec#21 (content-length): JsonExport streams `{"response": [` + compact events joined by
    // `,` + `]}` + PHP_EOL, slashes unescaped.
    return {
      status: 200,
      body: `{"response": [${items.map((i) => phpJson(i, 'compact')).join(',')}]}\n`,
      type: jsonType,
      headers: {},
    }
  }

  // --- routing ---------------------------------------------------------------------------------

  const route = (req: IncomingRequest): Reply => {
    const method = req.method
    const pathOnly = req.relPath.split('?')[0] ?? '/'
    const here = `${d.basePath}${pathOnly}`
    const jsonSuffix = pathOnly.endsWith('.json')
    const path = jsonSuffix ? pathOnly.slice(0, -'.json'.length) : pathOnly
    const segments = path.split('/').filter((s) => s !== '')
    const positional = segments.filter((s) => !s.includes(':')).map((s) => decodeURIComponent(s))
    const named: Json = Object.fromEntries(
      segments
        .filter((s) => s.includes(':'))
        .map((s) => [s.slice(0, s.indexOf(':')), decodeURIComponent(s.slice(s.indexOf(':') + 1))]),
    )
    const [controller, action, arg, ...extra] = positional
    const isGet = method === 'GET' || method === 'HEAD'
    const notFound = (): Reply => error(404, texts.notFound, here)
    const notAllowed = (): Reply => error(405, texts.methodNotAllowed, here)
    const body = req.body
    const input: Json = isRecord(body) ? body : {}

    // The login page is public (rec#27).
    if (controller === 'users' && action === 'login') return html(200, loginPage(d.baseUrl()))

    // §5.1 AppController::beforeFilter: Authorization (a comma-separated list is allowed), X-MISP-AUTH (2.4+).
    const offered = [
      ...(req.authorization ?? '').split(','),
      ...(profile.has('xMispAuthHeader') ? [req.xMispAuth ?? ''] : []),
    ].map((k) => k.trim())
    if (!offered.includes(d.apiKey)) {
      // REST = `Accept: application/json` exactly, or a `.json` URL (§5.1).
      const isRest = (req.accept ?? '').trim().toLowerCase() === 'application/json' || jsonSuffix
      // rec#13, rec#14: 403 JSON; rec#15: 302 to the login page.
      return isRest
        ? error(403, texts.authFailed, here)
        : empty(302, { Location: `${d.baseUrl()}/users/login` })
    }

    if (extra.length > 0) return notFound()

    if (controller === 'servers' && action === 'getVersion' && arg === undefined) {
      if (!profile.has('getVersion')) return notFound()
      return isGet ? json(200, getVersion()) : notAllowed()
    }

    if (
      controller === 'sharing_groups' &&
      action === 'add' &&
      arg === undefined &&
      profile.has('sharingGroups')
    ) {
      if (method !== 'POST') return notAllowed()
      if (!store.user.perm.sync) return error(403, texts.aclDenied, here)
      return json(200, renderSharingGroupAdded(ctx(), store.addSharingGroup(input)))
    }

    if (controller !== 'events') return notFound()

    const view = (ref: string): Reply => {
      const ev = findVisible(ref)
      // §5.2: explicit HEAD handler since v2.4.135 → bare 200/404 (rec#10, rec#11); before, HEAD runs view.
      if (method === 'HEAD' && profile.has('explicitHead')) return empty(ev === undefined ? 404 : 200)
      if (ev === undefined)
        return error(404, profile.has('invalidEventNoDot') ? 'Invalid event' : 'Invalid event.', here)
      return json(200, envelope(ev, 'view'))
    }

    const add = (): Reply => {
      const result = store.create(body)
      switch (result._tag) {
        case 'duplicate': {
          // §5.4: 404 + Location (rec#4, rec#5), or 302 + Location when output was flushed early.
          const location = `${d.baseUrl()}/events/${result.id}`
          if (d.duplicateStatus === 302) return empty(302, { Location: location })
          return error(404, texts.duplicate, here, { Location: location })
        }
        case 'invalid':
          return addFailed(result.errors)
        case 'created': {
          const out = envelope(result.event, named['metadata'] === '1' ? 'metadata' : 'write')
          // §5.3/§7: dropped attributes listed under "errors" (2.3 … 2.4.199); 2.5.1 drops silently (rec#26).
          if (profile.has('attributeErrorsListed') && result.attributeErrors.size > 0)
            out['errors'] = { Attribute: phpArray(result.attributeErrors) }
          return json(200, out)
        }
      }
    }

    const edit = (ref: string): Reply => {
      const result = store.edit(ref, body)
      switch (result._tag) {
        case 'url-not-found':
          return error(404, 'Invalid event', here)
        case 'redirect':
          return empty(302, { Location: `${d.baseUrl()}/events/index` })
        case 'failed':
          return editFailed(result.id, result.reason, here)
        case 'invalid':
          return editFailed(result.id, result.errors, here)
        case 'updated':
          return json(200, envelope(result.event, named['metadata'] === '1' ? 'metadata' : 'write'))
      }
    }

    switch (action) {
      case undefined:
        // Router::mapResources: GET /events → index, POST /events → add.
        if (isGet) return index(profile.has('indexNamedParams') ? named : {})
        return method === 'POST' ? add() : notAllowed()
      case 'index': {
        if (arg !== undefined) return notFound()
        // §11/rec#17: 2.5.1 ignores named parameters; a POST body is applied (rec#18, rec#19).
        const filters: Json = profile.has('indexNamedParams') ? { ...named } : {}
        if (method === 'POST') Object.assign(filters, isRecord(input['Event']) ? input['Event'] : input)
        else if (!isGet) return notAllowed()
        return index(filters)
      }
      case 'add':
        if (arg !== undefined) return notFound()
        return method === 'POST' ? add() : notAllowed()
      case 'view':
        if (arg === undefined) return notFound()
        return isGet ? view(arg) : notAllowed()
      case 'edit':
        if (arg === undefined) return notFound()
        return method === 'POST' || method === 'PUT' ? edit(arg) : notAllowed()
      case 'restSearch':
        if (method !== 'POST') return notAllowed()
        return restSearch(isRecord(input['request']) ? input['request'] : input, here)
      case 'filterEventIdsForPush':
        if (method !== 'POST') return notAllowed()
        // §5.2: perm_sync only (EventsController.php@v2.3.178:3077); rec#22.
        if (!store.user.perm.sync) return error(405, texts.noPermission, here)
        return json(200, store.filterForPush(body))
      default:
        // Router::mapResources: /events/:id with :id = [0-9]+|UUID (§5.2).
        if (arg !== undefined || !(/^\d+$/.test(action) || looksLikeUuid(profile, action))) return notFound()
        if (isGet) return view(action)
        return method === 'POST' || method === 'PUT' ? edit(action) : notAllowed()
    }
  }

  // --- faults ----------------------------------------------------------------------------------

  const faultReply = (fault: Fault, relPath: string): Reply | undefined => {
    const here = `${d.basePath}${relPath.split('?')[0] ?? '/'}`
    switch (fault.kind) {
      case 'status': {
        if (fault.status === 500) return error(500, texts.internalError, here)
        const title = `${fault.status} ${http.STATUS_CODES[fault.status] ?? ''}`
        return html(
          fault.status,
          `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
        )
      }
      case 'rate-limit':
        return error(429, texts.rateLimit, here, { 'Retry-After': String(fault.retryAfter) })
      case 'login-page':
        return html(200, loginPage(d.baseUrl()))
      case 'truncated-json':
        return {
          status: 200,
          body: '{"Event":{"id":"1","orgc_id":"1","org_id":"1","date":"2015-12-14","threat_level_id":"2","info":"trunc',
          type: jsonType,
          headers: {},
        }
      case 'reset':
      case 'reset-after-write':
      case 'hang':
        return undefined
    }
  }

  return { route, faultReply, error: (status, message, here) => error(status, message, here) }
}
