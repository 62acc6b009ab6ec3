/**
 * An in-memory MISP server on 127.0.0.1 that behaves like a named MISP release (2.3.178 … 2.5.1)
 * on the endpoints misp-bridge uses, with fault injection. Real HTTP (or HTTPS), ephemeral port,
 * nothing beyond `node:http`/`node:https`/`node:net`/`node:crypto`.
 *
 * Behaviour comes from MISP's source (cited `file@tag:line`) and, for 2.5, from the 32
 * exchanges recorded on a real MISP 2.5.1 (cited `rec#N`); the version thresholds are data in
 * `profiles.ts`, the endpoints in `internal/routes.ts`.
 *
 * @since 0.1.0
 */
import { randomUUID } from 'node:crypto'
import * as http from 'node:http'
import * as https from 'node:https'
import type { Socket } from 'node:net'
import { type Fault, type FaultPlan, faultLabel, type InjectOptions, makeFaultPlan } from './faults.js'
import { cutBody } from './internal/cut.js'
import { type AttributeState, type EventTagInfo, makeDirectAccess } from './internal/direct.js'

export type { AttributeState, EventTagInfo } from './internal/direct.js'

import type { RenderContext } from './internal/render.js'
import { ROLES } from './internal/roles.js'
import { htmlType, makeRouter, type Reply, texts } from './internal/routes.js'
import { type AlertRecord, type Role, Store } from './internal/store.js'
import { type EmulatorVersion, type Profile, resolveProfile } from './profiles.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * The API key the emulator accepts unless told otherwise: 40 alphanumeric characters, like a MISP
 * authkey (`AppController.php@v2.4.199:443-465`).
 *
 * @category model
 * @since 0.1.0
 */
export const DEFAULT_API_KEY = 'MispBridgeEmulatorApiKey0123456789abcdef'

/**
 * The role of the API key's user: one of MISP's stock roles, with the permissions the release's
 * installer gives it (`INSTALL/MYSQL.sql@v2.3.178:522-542`, `@v2.5.1:1852-1868`):
 *
 * | role | 2.3.178 | 2.4/2.5 |
 * |---|---|---|
 * | `'site-admin'` ("admin") | everything | everything |
 * | `'org-admin'` ("Org Admin") | sync, publish, tag | publish, tag, create tags; no sync |
 * | `'sync'` ("Sync user", the default) | sync, publish; **no tagging** | sync, publish, tag, create tags |
 * | `'publisher'` ("Publisher") | publish; no tagging | publish, tag; no creating tags |
 * | `'user'` ("User") | no sync, no publish, no tagging | tag; no sync, publish, creating tags |
 * | `'automation'` ("Automation user", 2.3) | publish; no sync, no tagging | publish, tag |
 * | `'read-only'` ("Read Only") | reads only | reads only |
 *
 * (2.3's "User" and "Publisher" have no perm_auth, i.e. no API access: the emulator keeps their
 * key usable.) `'sync'` also keeps the creator org of pushed events and edits locked events of
 * other orgs; `'site-admin'` can do anything.
 *
 * @category model
 * @since 0.1.0
 */
export type EmulatorRole = Role

/**
 * How to start an emulator.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorOptions {
  /** The MISP release to imitate (`'2.5'` = 2.5.1). */
  readonly version: EmulatorVersion
  /** Default {@link DEFAULT_API_KEY}. */
  readonly apiKey?: string
  /** Role of the key's user (default `'sync'`, MISP's stock "Sync user": on 2.3 it may not tag); see {@link EmulatorRole}. */
  readonly role?: EmulatorRole
  /** The user's organisation (default `'ORGNAME'`). */
  readonly orgName?: string
  /** The user's organisation uuid (default: random). */
  readonly orgUuid?: string
  /** The user's e-mail, shown as `event_creator_email` to site admins (default `'admin@admin.test'`). */
  readonly userEmail?: string
  /** The instance uuid `getVersion` reports to sync users (default: random). */
  readonly serverUuid?: string
  /** Seed events: wire JSON (`{Event:…}` or bare, 2.3 or 2.4 shape), stored as given (ids filled in if missing). */
  readonly events?: ReadonlyArray<unknown>
  /** 2.5 only: ids, timestamps, counters and levels as JSON numbers (PHP 8 PDO without STRINGIFY_FETCHES, `default.php@v2.5.1:28-44`). */
  readonly numericWire?: boolean
  /** Status of a duplicate create: 404 (default, `Event.php@v2.3.178:1336-1344`, rec#4) or 302 (the flushed-early variant MISP also accepts). */
  readonly duplicateStatus?: 404 | 302
  /** MISP installed in a sub-directory, e.g. `'/misp'`. */
  readonly baseUrlPath?: string
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer }
  /** The server's clock in unix seconds (default: the real clock). */
  readonly clock?: () => number
  /** Generator of the uuids the server makes up (events without uuid, new organisations, sharing groups). */
  readonly uuid?: () => string
  /**
   * `MISP.disablerestalert`: a REST add or edit with `published: 1` publishes without sending the
   * alert e-mails (default `false`, as MISP ships).
   */
  readonly disableRestAlert?: boolean
}

/**
 * One alert e-mail job the emulator "sent" (MISP's `sendAlertEmailRouter`: one e-mail to each
 * subscribed user): triggered by a REST add or edit with `published: 1` (unless
 * `disableRestAlert`), or by `POST /events/alert/{id}`. `POST /events/publish/{id}` sends none.
 *
 * @category model
 * @since 0.3.0
 */
export type AlertEmail = AlertRecord

/**
 * One request as the emulator saw it. `status` is 0 while (or when) no answer was sent.
 *
 * @category model
 * @since 0.1.0
 */
export interface RequestRecord {
  readonly method: string
  /** Path relative to the emulator's base URL, query string included (e.g. `/events/add`). */
  readonly path: string
  readonly status: number
  /** The injected fault's label (`'status:503'`, `'rate-limit'`, `'reset'`, `'reset-after-write'`, `'hang'`, …), if any. */
  readonly fault?: string
  /** Arrival time (ms since the epoch). */
  readonly at: number
  /** The request body, parsed as JSON when possible. */
  readonly body?: unknown
}

/**
 * A running emulator.
 *
 * @category model
 * @since 0.1.0
 */
export interface MispEmulator {
  /** Base URL with a trailing slash, base path included, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string
  /** MISP.baseurl: the URL without trailing slash, as used in `Location` headers. */
  readonly baseUrl: string
  /** The imitated release as `getVersion` reports it (`'2.5.1'` for `'2.5'`). */
  readonly version: string
  readonly apiKey: string
  readonly profile: Profile
  /** Every request received, faulted ones included, in arrival order. */
  readonly requests: ReadonlyArray<RequestRecord>
  /** Stops the server and destroys open (also hanging) connections. Idempotent. */
  readonly close: () => Promise<void>
  /** All stored events as this version writes them: bare, deep copies, deleted attributes included. */
  readonly events: () => ReadonlyArray<Record<string, unknown>>
  /** One stored event by id or uuid, rendered as {@link MispEmulator.events} does. */
  readonly event: (idOrUuid: string) => Record<string, unknown> | undefined
  /** Stores events bypassing the REST rules (see {@link EmulatorOptions.events}). Throws on a stored uuid. */
  readonly seed: (events: ReadonlyArray<unknown>) => void
  /**
   * Edits a stored event as a local user would: `mutate` gets the rendered event; unless it sets a
   * different `timestamp` itself, the event's timestamp (and that of each attribute it changed)
   * becomes max(now, old + 1). Returns the new rendering. The event keeps its tags unless the
   * rendering given back carries `Tag` (or `EventTag`): 2.3 renders none, so a 2.3 event's tags
   * are only replaced by setting `Tag` (e.g. `[{name: 'tlp:amber'}]`).
   */
  readonly setEvent: (
    idOrUuid: string,
    mutate: (event: Record<string, unknown>) => void,
  ) => Record<string, unknown>
  /**
   * The tags of a stored event (by id or uuid), local ones included — also on 2.3, whose event
   * JSON has none (they live in `event_tags`).
   */
  readonly eventTags: (idOrUuid: string) => ReadonlyArray<EventTagInfo>
  /**
   * Attaches a tag (created if missing) as a local user would: on 2.4.102+ a global tag
   * unpublishes the event and bumps its timestamp (`Event::unpublishEvent@v2.4.199:6028-6053`);
   * on 2.3 the event is not touched (`EventsController::addTag@v2.3.178:2817-2851`).
   */
  readonly tagEvent: (idOrUuid: string, name: string, options?: { readonly local?: boolean }) => void
  /** Detaches a tag by name, with the same timestamp rule as {@link MispEmulator.tagEvent}. */
  readonly untagEvent: (idOrUuid: string, name: string) => void
  /**
   * Deletes an attribute (by uuid) as its owner would: 2.3 for good, the event's timestamp
   * unchanged; 2.4.43+ soft (`deleted`, attribute and event stamped now, event unpublished).
   */
  readonly deleteAttribute: (uuid: string) => void
  /** `'live'`, `'deleted'` (soft, 2.4+) or `'absent'` (hard-deleted on 2.3, or never stored). */
  readonly attributeState: (uuid: string) => AttributeState
  /** The uuids of an event's live attributes, object attributes included. */
  readonly attributeUuids: (idOrUuid: string) => ReadonlyArray<string>
  /** Answers the next matching request(s) with `fault` (default: the next one request). */
  readonly inject: (fault: Fault, options?: InjectOptions) => void
  /** Answers a seeded-random fraction `rate` (0–1) of the requests with `fault`. */
  readonly injectRate: (fault: Fault, rate: number, seed: number) => void
  /** Removes every injected fault. */
  readonly clearFaults: () => void
  /** The alert e-mail jobs sent so far, in order (see {@link AlertEmail}). */
  readonly alertEmails: () => ReadonlyArray<AlertEmail>
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * Starts an emulator on 127.0.0.1 (ephemeral port). Close it with {@link MispEmulator.close}.
 *
 * @example
 * import { startMispEmulator } from 'misp-bridge/testing'
 * const misp = await startMispEmulator({ version: '2.4.199' })
 * const res = await fetch(new URL('servers/getVersion', misp.url), {
 *   headers: { Authorization: misp.apiKey, Accept: 'application/json' },
 * })
 * // (await res.json()).version === '2.4.199'
 * await misp.close()
 *
 * @category constructors
 * @since 0.1.0
 */
export const startMispEmulator = async (options: EmulatorOptions): Promise<MispEmulator> => {
  const profile = resolveProfile(options.version)
  if (options.numericWire === true && profile.triple.minor < 5)
    throw new RangeError('misp-bridge/testing: numericWire is a MISP 2.5 (PHP 8) behaviour')
  if (options.role !== undefined && !ROLES.includes(options.role))
    throw new RangeError(
      `misp-bridge/testing: unknown role '${String(options.role)}' (one of ${ROLES.join(', ')})`,
    )
  const apiKey = options.apiKey ?? DEFAULT_API_KEY
  const basePath = (options.baseUrlPath ?? '').replace(/\/+$/, '').replace(/^(?=[^/])/, '/')
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000))
  const numeric = options.numericWire === true
  const store = new Store({
    profile,
    clock,
    newUuid: options.uuid ?? (() => randomUUID()),
    orgName: options.orgName ?? 'ORGNAME',
    orgUuid: options.orgUuid ?? randomUUID(),
    role: options.role ?? 'sync',
    email: options.userEmail ?? 'admin@admin.test',
    disableRestAlert: options.disableRestAlert === true,
  })
  for (const e of options.events ?? []) store.seed(e)
  let baseUrl = ''
  const router = makeRouter({
    profile,
    store,
    apiKey,
    basePath,
    baseUrl: () => baseUrl,
    clock,
    serverUuid: options.serverUuid ?? randomUUID(),
    numericWire: numeric,
    duplicateStatus: options.duplicateStatus ?? 404,
  })
  const faults: FaultPlan = makeFaultPlan()
  const requests: Array<RequestRecord> = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const ctx = (): RenderContext => ({ store, profile, numeric, baseUrl })
  const n = (x: number): string | number => (numeric ? x : String(x))

  // --- server ----------------------------------------------------------------------------------

  const send = (res: http.ServerResponse, rec: { status: number }, r: Reply): void => {
    if (res.destroyed) return
    rec.status = r.status
    res.writeHead(r.status, {
      ...r.headers,
      'Content-Type': r.type,
      'Content-Length': String(Buffer.byteLength(r.body)),
    })
    res.end(r.body)
  }

  const readBody = (req: http.IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Array<Buffer> = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      req.on('error', reject)
    })

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const at = Date.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const [pathname = '/', query] = (req.url ?? '/').split(/\?(.*)/s)
    const inBase = basePath === '' || pathname === basePath || pathname.startsWith(`${basePath}/`)
    const relPathOnly = inBase ? pathname.slice(basePath.length) || '/' : pathname
    const relPath = query === undefined ? relPathOnly : `${relPathOnly}?${query}`
    const rec: { -readonly [K in keyof RequestRecord]: RequestRecord[K] } = {
      method,
      path: relPath,
      status: 0,
      at,
    }
    requests.push(rec)
    // Faults come before routing and authentication (reset-after-write, cut-write: after, see below).
    const fault = faults.next(method, relPath)
    if (fault !== undefined) rec.fault = faultLabel(fault)
    const reset = (): void => {
      try {
        req.socket.resetAndDestroy() // TCP RST
      } catch {
        req.socket.destroy() // TLS sockets cannot be reset
      }
    }
    if (fault?.kind === 'reset') {
      reset()
      return
    }
    if (fault?.kind === 'hang' && fault.ms === undefined) return
    readBody(req).then(
      (text) => {
        let body: unknown
        if (text.trim() !== '') {
          try {
            body = JSON.parse(text)
          } catch {
            body = text
          }
          rec.body = body
        }
        const handle = (): Reply => {
          let reply: Reply
          try {
            reply = inBase
              ? router.route({
                  method,
                  relPath,
                  authorization: req.headers.authorization,
                  xMispAuth: [req.headers['x-misp-auth']].flat()[0],
                  accept: req.headers.accept,
                  body,
                })
              : { status: 404, body: '<h1>Not Found</h1>', type: htmlType, headers: {} }
          } catch (e) {
            reply = router.error(
              500,
              `${texts.internalError} ${e instanceof Error ? e.message : ''}`.trim(),
              pathname,
            )
          }
          return reply
        }
        const answer = (): void => send(res, rec, handle())
        if (fault === undefined) {
          answer()
        } else if (fault.kind === 'reset-after-write') {
          // the write is applied, the answer never leaves: "committed, answer lost"
          handle()
          reset()
        } else if (fault.kind === 'cut-write') {
          // the write is applied part-way (the event and its first attributes), no answer
          body = cutBody(body, fault.keep)
          handle()
          reset()
        } else if (fault.kind === 'hang') {
          const t = setTimeout(() => {
            timers.delete(t)
            answer()
          }, fault.ms)
          timers.add(t)
        } else {
          const reply = router.faultReply(fault, relPath)
          if (reply !== undefined) send(res, rec, reply)
        }
      },
      () => req.socket.destroy(),
    )
  }

  const server =
    options.tls === undefined ? http.createServer(handler) : https.createServer(options.tls, handler)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  baseUrl = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}${basePath}`

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.close(() => resolve())
      for (const s of sockets) s.destroy()
      sockets.clear()
    })
    return closing
  }

  // --- direct access ---------------------------------------------------------------------------

  const direct = makeDirectAccess(store, ctx, clock, n)

  return {
    url: `${baseUrl}/`,
    baseUrl,
    version: profile.version,
    apiKey,
    profile,
    requests,
    close,
    ...direct,
    inject: (fault, opts) => faults.inject(fault, opts),
    injectRate: (fault, rate, seed) => faults.injectRate(fault, rate, seed),
    clearFaults: () => faults.clear(),
    alertEmails: () => [...store.alerts],
  }
}
