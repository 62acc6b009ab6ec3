/**
 * An in-memory MISP server on 127.0.0.1 that behaves like a named MISP release (2.3.178 … 2.5.1)
 * on the endpoints misp-bridge uses, with fault injection. Real HTTP (or HTTPS), ephemeral port,
 * nothing beyond `node:http`/`node:https`/`node:net`/`node:crypto`.
 *
 * Behaviour comes from MISP's source (cited `file@tag:line`) and, for 2.5, from the 32
 * exchanges recorded on a real MISP 2.5.1 (cited `rec#N`); the version thresholds are data in
 * `profiles.ts`, the endpoints in `internal/routes.ts`, the sockets in `internal/server.ts`. The
 * options are in `EmulatorOptions.ts`, the request log's records in `RequestRecord.ts`; this module
 * exports them with the running emulator's handle ({@link MispEmulator}) and
 * {@link startMispEmulator}.
 *
 * @since 0.1.0
 */
import { randomUUID } from 'node:crypto'
import { DEFAULT_API_KEY, type EmulatorOptions } from './EmulatorOptions.js'
import { type Fault, type FaultPlan, type InjectOptions, makeFaultPlan } from './faults.js'
import { type AttributeState, type EventTagInfo, makeDirectAccess } from './internal/direct.js'
import type { RenderContext } from './internal/render.js'
import { ROLES } from './internal/roles.js'
import { makeRouter } from './internal/routes.js'
import { serve } from './internal/server.js'
import { type AlertRecord, Store } from './internal/store.js'
import type { Profile } from './profiles.js'
import { resolveProfile } from './profiles.js'
import type { RequestRecord } from './RequestRecord.js'

export { DEFAULT_API_KEY, type EmulatorOptions, type EmulatorRole } from './EmulatorOptions.js'
export type { AttributeState, EventTagInfo } from './internal/direct.js'
export type { RequestRecord } from './RequestRecord.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

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
  const ctx = (): RenderContext => ({ store, profile, numeric, baseUrl })
  const n = (x: number): string | number => (numeric ? x : String(x))

  const { port, close } = await serve({ basePath, router, faults, requests, tls: options.tls })
  baseUrl = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}${basePath}`

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
