/**
 * The emulator's endpoints: authentication, routing and the per-version answers (MISP's
 * `EventsController.php`; rec#N = exchange N of the real MISP 2.5.1 recording). Pure with respect to
 * HTTP: a request goes in, a {@link Reply} comes out; `MispEmulator.ts` does the sockets. The
 * replies are built by `replies.ts`, failed saves by `saveFailures.ts`, fault answers by
 * `faultReplies.ts`; the other controllers are in `routes*.ts`.
 *
 * @since 0.1.0
 */
import type { Fault } from '../faults.js'
import type { Profile } from '../profiles.js'
import { makeFaultReply } from './faultReplies.js'
import type { JsonStyle } from './json.js'
import { toInt } from './lenient.js'
import { loginPage } from './loginPage.js'
import { type RenderContext, type RenderMode, renderEvent, renderSharingGroupAdded } from './render.js'
import { jsonType, makeReplies, type Reply, texts } from './replies.js'
import { makePublishRoutes } from './routesPublish.js'
import { makeSearchRoutes } from './routesSearch.js'
import { makeTagRoutes } from './routesTags.js'
import { makeUserRoutes } from './routesUsers.js'
import { makeSaveFailures } from './saveFailures.js'
import { type AttributeErrors, type Ev, looksLikeUuid, type Store } from './store.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>

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

  const { json, error, empty, html, retyped } = makeReplies(mainStyle)
  const deps = { profile, store, baseUrl: d.baseUrl, n, json, error, empty, retyped }
  const tagRoutes = makeTagRoutes<Reply>(deps)
  const publishRoutes = makePublishRoutes<Reply>(deps)
  const userRoutes = makeUserRoutes<Reply>({ profile, store, apiKey: d.apiKey, n, json, error, empty })

  // --- actions ---------------------------------------------------------------------------------

  /** `ServersController.php@v2.3.178:671`: `{"version"}` (2.3.129+, 2.4.0); the late shape from rec#0 (`ServersController.php@v2.4.199:1883`). */
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

  const envelope = (ev: Ev, mode: RenderMode, includeDeleted = false): Json => ({
    Event: renderEvent({ ...ctx(), includeDeleted }, ev, mode),
  })

  /**
   * Whether soft-deleted attributes are asked for: `deleted` 1 (both) or a list holding 1, in the
   * view's named parameters or body and in restSearch (`EventsController::view@v2.4.199:1689-1711`;
   * seen on a real MISP 2.5.1: restSearch `"deleted": [0, 1]`). Only releases with soft deletes (v2.4.43+).
   */
  const wantsDeleted = (v: unknown): boolean =>
    profile.has('attributeDeleted') && (Array.isArray(v) ? v : [v]).some((x) => toInt(x) === 1 || x === true)

  const { addFailed, editFailed } = makeSaveFailures({ profile, json, n })

  const { index, restSearch } = makeSearchRoutes({
    profile,
    store,
    clock: d.clock,
    ctx,
    json,
    error,
    rawJson: (body) => ({ status: 200, body, type: jsonType, headers: {} }),
    noMatches: texts.noMatches,
    envelope,
    wantsDeleted,
  })

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
    // a write may change attributes: the correlation index looks again (tag writes do not)
    if (!isGet && controller !== 'tags' && action !== 'addTag' && action !== 'removeTag') store.touch()
    const notFound = (): Reply => error(404, texts.notFound, here)
    const notAllowed = (): Reply => error(405, texts.methodNotAllowed, here)
    const body = req.body
    const input: Json = isRecord(body) ? body : {}

    // The login page is public (rec#27).
    if (controller === 'users' && action === 'login') return html(200, loginPage(d.baseUrl()))

    // `AppController.php@v2.4.199:443-465` AppController::beforeFilter: Authorization (a comma-separated list is allowed), X-MISP-AUTH (2.4+).
    const offered = [
      ...(req.authorization ?? '').split(','),
      ...(profile.has('xMispAuthHeader') ? [req.xMispAuth ?? ''] : []),
    ].map((k) => k.trim())
    if (!offered.includes(d.apiKey)) {
      // REST = `Accept: application/json` exactly, or a `.json` URL (`AppController.php@v2.4.199:443-465`).
      const isRest = (req.accept ?? '').trim().toLowerCase() === 'application/json' || jsonSuffix
      // rec#13, rec#14: 403 JSON; rec#15: 302 to the login page.
      return isRest
        ? error(403, texts.authFailed, here)
        : empty(302, { Location: `${d.baseUrl()}/users/login` })
    }

    const asked = { method, controller, action, args: positional.slice(2), named, body, here }
    const routed = tagRoutes(asked) ?? publishRoutes(asked)
    if (routed !== undefined) return routed
    const userReply = userRoutes({ method, controller, action, args: positional.slice(2), here })
    if (userReply !== undefined) return userReply

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
      // `EventsController.php@v2.4.199:1666`: explicit HEAD handler since v2.4.135 → bare 200/404 (rec#10, rec#11); before, HEAD runs view.
      if (method === 'HEAD' && profile.has('explicitHead')) return empty(ev === undefined ? 404 : 200)
      // 2.3 looks a 36-character reference up as a uuid first, and its miss says "Invalid event"
      // without the full stop (`EventsController.php@v2.3.178:651-661`; an unknown id: "Invalid event.")
      const noDot = profile.has('invalidEventNoDot') || (profile.era === '2.3' && ref.length === 36)
      if (ev === undefined) return error(404, noDot ? 'Invalid event' : 'Invalid event.', here)
      return json(200, envelope(ev, 'view', wantsDeleted(named['deleted'] ?? input['deleted'])))
    }

    const add = (): Reply => {
      const noData =
        body === undefined ||
        body === null ||
        body === '' ||
        (isRecord(body) && Object.keys(body).length === 0)
      if (noData && profile.has('emptyAddRefused')) return error(405, 'No valid event data received.', here)
      const result = store.create(body)
      switch (result._tag) {
        case 'duplicate': {
          // `Event.php@v2.3.178:1336-1344`: 404 + Location (rec#4, rec#5), or 302 + Location when output was flushed early.
          const location = `${d.baseUrl()}/events/${result.id}`
          if (d.duplicateStatus === 302) return empty(302, { Location: location })
          return error(404, texts.duplicate, here, { Location: location })
        }
        case 'invalid':
          return addFailed(result.errors)
        case 'created': {
          const out = envelope(result.event, named['metadata'] === '1' ? 'metadata' : 'write')
          // `EventsController.php@v2.3.178:1000-1014`/`Attribute.php@v2.3.178:101-145`: dropped attributes listed under "errors" (2.3 … 2.4.199); 2.5.1 drops silently (rec#26).
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
        // seen on a real MISP 2.5.1 (rec#17): 2.5.1 ignores named parameters; a POST body is applied (rec#18, rec#19).
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
        // perm_sync only (EventsController.php@v2.3.178:3077); rec#22. 2.3 checks it first, whatever
        // the verb; a GET then renders no result: 200 `null` (real 2.3.178)
        if (profile.era === '2.3' && !store.user.perm.sync) return error(405, texts.noPermission, here)
        if (profile.era === '2.3' && isGet) return json(200, null)
        if (method !== 'POST') return notAllowed()
        if (!store.user.perm.sync) return error(405, texts.noPermission, here)
        return json(200, store.filterForPush(body))
      default:
        // Router::mapResources: /events/:id with :id = [0-9]+|UUID (`EventsController.php@v2.4.199:4275-4302`).
        if (arg !== undefined || !(/^\d+$/.test(action) || looksLikeUuid(profile, action))) return notFound()
        if (isGet) return view(action)
        return method === 'POST' || method === 'PUT' ? edit(action) : notAllowed()
    }
  }

  const faultReply = makeFaultReply({ basePath: d.basePath, baseUrl: d.baseUrl, error, html })

  return { route, faultReply, error: (status, message, here) => error(status, message, here) }
}
