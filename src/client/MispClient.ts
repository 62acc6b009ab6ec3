/**
 * A safe client for MISP 2.3 and MISP 2.4/2.5 servers: existence checks, reads, creates and
 * updates of events in the server's own wire format, with MISP's era-specific answers turned into
 * typed results and every failure into a {@link MispError}.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { NumericString, Uuid } from '../codecs/wire.js'
import { type DecodeFailure, decodeFailure } from '../DecodeFailure.js'
import {
  decodeEvent23,
  decodeEvent24,
  decodeIndex23,
  decodeIndex24,
  decodeWith,
  encodeEvent23,
  encodeEvent24,
  unwrapEvent,
} from '../decode.js'
import * as V23 from '../v23/index.js'
import * as V24 from '../v24/index.js'
import {
  alreadyExists,
  errorBodyOf,
  errorText,
  failureOf,
  isNotNewer,
  jsonOf,
  okWithErrorBody,
  redirectedToView,
  trailingId,
  unexpected,
} from './internal/answers.js'
import { displayUrl, makeRedactor, redactDeep } from './internal/redact.js'
import { type Answer, type Call, makeTransport, type Transport } from './internal/transport.js'
import { checkBaseUrl, shownBaseUrl } from './internal/url.js'
import {
  type CallOptions,
  type DetectOptions,
  type MispClientOptions,
  resolveRetryPolicy,
  resolveTimeouts,
  type Timeouts,
} from './MispClientOptions.js'
import type { MispError, RequestInfo } from './MispError.js'
import type { CreateResult, EventOf, Exists, IndexEntryOf, UpdateResult } from './Results.js'
import {
  type ApiVersion,
  apiVersionOf,
  capabilities,
  parseServerVersion,
  type ServerVersion,
} from './ServerVersion.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * Options of `update`: the target's local numeric `id` when the caller knows it (e.g. from an
 * `AlreadyExists`), which saves a lookup on servers that edit by numeric id only.
 *
 * @category model
 * @since 0.1.0
 */
export interface UpdateOptions extends CallOptions {
  readonly id?: string | number
}

/**
 * Options of `index`: `since` keeps the events whose `timestamp` is at or after it (unix
 * seconds, a decimal string, or a `Date`); `minimal` asks MISP 2.4.72+ for its small rows.
 *
 * @category model
 * @since 0.1.0
 */
export interface IndexOptions extends CallOptions {
  readonly since?: number | string | Date
  readonly minimal?: boolean
}

/**
 * The client's `User-Agent` unless told otherwise.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_USER_AGENT = 'misp-bridge/0.1.0'

type AnyEvent = V23.Event | V24.Event
type AnyRow = V23.IndexRow | V24.IndexRow
type Result<A> = Promise<E.Either<MispError, A>>

interface Flavour {
  readonly model: string
  readonly decodeEvent: (u: unknown) => E.Either<DecodeFailure, AnyEvent>
  readonly decodeIndex: (u: unknown) => E.Either<DecodeFailure, ReadonlyArray<AnyRow>>
  readonly check: (u: unknown) => E.Either<DecodeFailure, AnyEvent>
  /** the JSON body of a create or update */
  readonly body: (e: AnyEvent) => unknown
  readonly createPath: string
  readonly editCall: (target: string) => Pick<Call, 'method' | 'path'>
}

/**
 * The body of a 2.3 create or update: nothing that carries another server's ids (§7, §8).
 *
 * - MISP 2.3 keeps a foreign attribute `id` when the uuid is unknown and overwrites the local
 *   attribute with that id (§7); attribute `event_id` and the event `id` are the source's too.
 * - `ShadowAttribute` (proposals, on the event and per attribute) carry `id`, `old_id` and
 *   `event_id` of the source; `RelatedAttribute`/`RelatedEvent` are the source's correlations
 *   (read-only, with its ids); `attribute_count` is the source's counter (§8 drops them all).
 */
const stripIdsFor23 = (e: V23.Event): V23.Event => {
  const {
    id: _id,
    attribute_count: _count,
    ShadowAttribute: _proposals,
    RelatedEvent: _related,
    Attribute,
    ...rest
  } = e
  return {
    ...rest,
    ...(Attribute === undefined
      ? {}
      : {
          Attribute: Attribute.map(
            ({ id: _a, event_id: _e, ShadowAttribute: _s, RelatedAttribute: _r, ...a }) => a,
          ),
        }),
  }
}

const flavour23: Flavour = {
  model: 'V23.Event',
  decodeEvent: decodeEvent23,
  decodeIndex: decodeIndex23,
  check: decodeWith(V23.Event, 'Event'),
  body: (e) => encodeEvent23(stripIdsFor23(e as V23.Event)),
  createPath: 'events',
  editCall: (id) => ({ method: 'POST', path: `events/edit/${id}` }),
}

const flavour24: Flavour = {
  model: 'V24.Event',
  decodeEvent: decodeEvent24,
  decodeIndex: decodeIndex24,
  check: decodeWith(V24.Event, 'Event'),
  body: (e) => encodeEvent24(e as V24.Event),
  createPath: 'events/add',
  editCall: (target) => ({ method: 'PUT', path: `events/edit/${target}` }),
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)
const sameUuid = (a: unknown, b: string): boolean =>
  typeof a === 'string' && a.toLowerCase() === b.toLowerCase()

/**
 * An argument as it may appear in a request path of an error, for any value a caller passes
 * (`undefined`, `null`, a symbol, an object whose `toString` throws): never throws.
 */
const shown = (u: unknown): string => {
  if (typeof u === 'string') return u
  if (typeof u === 'number' || typeof u === 'bigint' || typeof u === 'boolean') return String(u)
  if (u === undefined || u === null) return String(u)
  return `<${typeof u}>`
}

/** The `uuid` of an event argument, or `''` when it is not a record with a string uuid; never throws. */
const uuidArgument = (event: unknown): string => {
  try {
    const uuid = isRecord(event) ? event['uuid'] : undefined
    return typeof uuid === 'string' ? uuid : ''
  } catch {
    return ''
  }
}

const idOrUuidOf = (x: unknown): string | undefined => {
  const s =
    typeof x === 'number'
      ? Number.isSafeInteger(x) && x >= 0
        ? String(x)
        : ''
      : typeof x === 'string'
        ? x.trim()
        : ''
  return /^\d+$/.test(s) || UUID_RE.test(s) ? s : undefined
}

const sinceOf = (since: number | string | Date): number | undefined => {
  if (since instanceof Date) {
    const t = since.getTime()
    return Number.isNaN(t) ? undefined : Math.max(0, Math.floor(t / 1000))
  }
  if (typeof since === 'number') return Number.isFinite(since) && since >= 0 ? Math.floor(since) : undefined
  return /^\d+$/.test(since.trim()) ? Number(since.trim()) : undefined
}

// ---------------------------------------------------------------------------------------------
// client
// ---------------------------------------------------------------------------------------------

/**
 * A client of one MISP server, typed by the wire format it speaks: a `MispClient<'2.3'>` takes and
 * returns `V23.Event`s, a `MispClient<'2.4'>` `V24.Event`s (MISP 2.4 and 2.5).
 *
 * Every method returns a `TaskEither<MispError, A>`: nothing runs until it is called, and the
 * returned promise never rejects. Idempotent calls are retried (see `RetryPolicy`); writes
 * never are. The API key never appears in an error or a debug line (`DEBUG=misp-bridge:*`).
 *
 * @example
 * const misp = new MispClient({ url: 'https://misp.example.org', key, version: '2.4' })
 * const result = await misp.create(event)()
 * if (E.isRight(result) && result.right._tag === 'AlreadyExists')
 *   await misp.update(event, { id: result.right.id })()
 *
 * @category client
 * @since 0.1.0
 */
export class MispClient<V extends ApiVersion> {
  /** the wire format this client speaks (`'2.3'` or `'2.4'`), as given to the constructor */
  readonly apiVersion: V
  /** the server's base URL (no credentials, no key) */
  readonly url: string

  readonly #flavour: Flavour
  readonly #transport: Transport | undefined
  readonly #configError: string | undefined
  readonly #timeouts: Timeouts
  readonly #redact: (s: string) => string
  #serverVersion: Promise<E.Either<MispError, ServerVersion>> | undefined

  /**
   * Creates a client. It never throws: invalid options make every call fail with
   * `InvalidArgument`. Nothing is sent until a call runs.
   *
   * @since 0.1.0
   */
  constructor(given: MispClientOptions<V>) {
    // JavaScript callers may pass anything: never throw, report it on every call instead
    const options: Partial<MispClientOptions<V>> = typeof given === 'object' && given !== null ? given : {}
    this.apiVersion = options.version as V
    this.#flavour = options.version === '2.3' ? flavour23 : flavour24
    this.#redact = makeRedactor(typeof options.key === 'string' ? options.key : '')
    this.#timeouts = resolveTimeouts(options.timeout)
    const base = checkBaseUrl(options.url)
    this.url = E.isRight(base)
      ? displayUrl(base.right, this.#redact)
      : this.#redact(shownBaseUrl(options.url))
    const problems = [
      ...(E.isLeft(base) ? [`url: ${base.left}`] : []),
      ...(typeof options.key !== 'string' || options.key.trim() === '' ? ['key: empty'] : []),
      ...(options.version !== '2.3' && options.version !== '2.4' ? [`version: must be '2.3' or '2.4'`] : []),
    ]
    this.#configError = problems.length === 0 ? undefined : problems.join('; ')
    this.#transport =
      this.#configError !== undefined || E.isLeft(base)
        ? undefined
        : makeTransport({
            baseUrl: base.right,
            key: options.key as string,
            userAgent: typeof options.userAgent === 'string' ? options.userAgent : DEFAULT_USER_AGENT,
            retry: resolveRetryPolicy(options.retry),
            redact: this.#redact,
            dispatcher: options.dispatcher,
            fetch: options.fetch,
            signal: options.signal,
          })
  }

  /**
   * Asks the server for its MISP release (`GET /servers/getVersion`) and creates a client of the
   * matching wire format: `MispClient<'2.3'>` for MISP 2.3, `MispClient<'2.4'>` for 2.4 and 2.5.
   * A server without `getVersion` (MISP < 2.3.129) fails with `NotFound`: create that client with
   * `version: '2.3'`.
   *
   * @example
   * const detected = await MispClient.detect({ url, key })()
   *
   * @category constructors
   * @since 0.1.0
   */
  static detect(options: DetectOptions): TE.TaskEither<MispError, MispClient<'2.3'> | MispClient<'2.4'>> {
    return async () => {
      const probe = new MispClient<'2.4'>({ ...options, version: '2.4' })
      const v = await probe.version()()
      if (E.isLeft(v)) return v
      const client: MispClient<'2.3'> | MispClient<'2.4'> =
        apiVersionOf(v.right) === '2.3'
          ? new MispClient<'2.3'>({ ...options, version: '2.3' })
          : new MispClient<'2.4'>({ ...options, version: '2.4' })
      client.#serverVersion = Promise.resolve(E.right(v.right))
      return E.right(client)
    }
  }

  // -------------------------------------------------------------------------------------------
  // methods
  // -------------------------------------------------------------------------------------------

  /**
   * The server's MISP release (`GET /servers/getVersion`), e.g. `{version: '2.4.199', major: 2,
   * minor: 4, patch: 199}`. The answer is remembered for the behaviours that depend on it.
   *
   * @category methods
   * @since 0.1.0
   */
  version(options?: CallOptions): TE.TaskEither<MispError, ServerVersion> {
    return this.#run('GET', 'servers/getVersion', async (t) => {
      const v = await this.#fetchVersion(t, options)
      if (E.isRight(v)) this.#serverVersion = Promise.resolve(v)
      return v
    })
  }

  /**
   * Whether an event with this uuid exists, with its local `id` and `timestamp` — without
   * downloading its attributes where the server allows:
   *
   * - MISP ≥ 2.4.135: `HEAD /events/view/{uuid}` (404 ⇒ absent, one cheap request), then, since
   *   HEAD carries no timestamp, `POST /events/restSearch {uuid, metadata: true}` (no attributes).
   * - MISP 2.4.55 – 2.4.134: the `restSearch` metadata lookup alone.
   * - MISP 2.3 and 2.4 < 2.4.55: `GET /events/view/{uuid}`. These servers have no metadata-only
   *   lookup by uuid (restSearch lacks `uuid`/`metadata`, HEAD is not a handled verb), and the
   *   alternative, the index, costs one row per event on the server for every call; the view
   *   costs one event.
   *
   * @category methods
   * @since 0.1.0
   */
  exists(uuid: string, options?: CallOptions): TE.TaskEither<MispError, Exists> {
    return this.#run('HEAD', `events/view/${shown(uuid)}`, (t) => this.#exists(t, uuid, options))
  }

  /**
   * The event with this local id or uuid (`GET /events/view/{idOrUuid}`), decoded with the
   * client's model. A missing event is a `NotFound` error.
   *
   * @category methods
   * @since 0.1.0
   */
  get(idOrUuid: string | number, options?: CallOptions): TE.TaskEither<MispError, EventOf<V>> {
    const planned = `events/view/${shown(idOrUuid)}`
    return this.#run('GET', planned, async (t) => {
      const target = idOrUuidOf(idOrUuid)
      if (target === undefined)
        return this.#invalid('GET', planned, 'idOrUuid', 'expected a numeric id or a UUID')
      const answer = await t.send({
        method: 'GET',
        path: `events/view/${target}`,
        idempotent: true,
        timeoutMs: this.#budget(options, 'event'),
        signal: options?.signal,
      })()
      if (E.isLeft(answer)) return answer
      return this.#decodeEvent(answer.right) as E.Either<MispError, EventOf<V>>
    })
  }

  /**
   * Creates the event (2.4: `POST /events/add`; 2.3: `POST /events`, with the source's ids,
   * proposals, correlations and `attribute_count` removed first). An event whose uuid the server
   * already has is not an error: MISP's 404 (or 302) with `Location: <baseurl>/events/{id}`
   * (exactly that shape), or a body named "Event already exists…", gives `{_tag:
   * 'AlreadyExists', id}`. A redirect to `…/events/view/{id}` — CakePHP's answer to a successful
   * form (non-REST) add — is an `UnexpectedResponse` with reason `redirect`: the event was
   * probably created. Never retried: a create that fails in transit (or whose answer is lost)
   * may have been applied; look it up with `exists`, or send it again and expect
   * `AlreadyExists`.
   *
   * @category methods
   * @since 0.1.0
   */
  create(event: EventOf<V>, options?: CallOptions): TE.TaskEither<MispError, CreateResult<EventOf<V>>> {
    const path = this.#flavour.createPath
    return this.#run('POST', path, async (t) => {
      const checked = this.#check('POST', path, event)
      if (E.isLeft(checked)) return checked
      const answer = await t.send({
        method: 'POST',
        path,
        body: this.#flavour.body(checked.right),
        idempotent: false,
        timeoutMs: this.#budget(options, 'event'),
        signal: options?.signal,
      })()
      if (E.isLeft(answer)) return answer
      const a = answer.right
      const duplicate = alreadyExists(a)
      if (duplicate !== undefined) {
        if (duplicate.id !== undefined) return E.right({ _tag: 'AlreadyExists', id: duplicate.id })
        const found = await this.#exists(t, checked.right.uuid, options)
        if (E.isLeft(found)) return found
        return found.right.exists
          ? E.right({ _tag: 'AlreadyExists', id: found.right.id })
          : E.left(failureOf(a))
      }
      const redirected = redirectedToView(a)
      if (redirected !== undefined) return E.left(redirected)
      const okError = okWithErrorBody(a)
      if (okError !== undefined) return E.left(failureOf(a))
      const created = this.#decodeEvent(a)
      if (E.isLeft(created)) return created
      const id = created.right.id
      if (id === undefined) return E.left(this.#missing(a, 'Event.id'))
      return E.right({ _tag: 'Created', id, event: created.right as EventOf<V>, ...this.#topErrors(a) })
    })
  }

  /**
   * Updates the event on the server. MISP finds the stored event by the body's `uuid`; the URL
   * names it by local id, which MISP 2.3 and 2.4 < 2.4.60 require: without `options.id` the
   * client looks it up with `exists` there (2.4.60+ is edited by uuid). 2.4: `PUT
   * /events/edit/{idOrUuid}`; 2.3: `POST /events/edit/{id}` with attribute and event ids removed.
   *
   * MISP's "not newer than the local copy" answer in each era (2.3: 405; 2.4.0–2.4.102: 200 "Edit
   * event failed."; 2.4.103+: 403 "Could not edit Event") gives `{_tag: 'NotNewer', id}`. A sync
   * user editing an event that is not `locked` gets `NotLocked`; an edit MISP cannot match to a
   * stored event ("…Could not find the local event.") is `NotFound`. Never retried. Any argument
   * that is not a valid event (even `null`) is an `InvalidArgument`; nothing throws.
   *
   * @category methods
   * @since 0.1.0
   */
  update(event: EventOf<V>, options?: UpdateOptions): TE.TaskEither<MispError, UpdateResult<EventOf<V>>> {
    // only names the request of an early error: `event` may be anything (null, a number, …)
    const planned = this.#flavour.editCall(uuidArgument(event))
    return this.#run(planned.method, planned.path, async (t) => {
      const checked = this.#check(planned.method, planned.path, event)
      if (E.isLeft(checked)) return checked
      const uuid = checked.right.uuid
      const target = await this.#editTarget(t, uuid, options)
      if (E.isLeft(target)) return target
      const { method, path } = this.#flavour.editCall(target.right)
      const answer = await t.send({
        method,
        path,
        body: this.#flavour.body(checked.right),
        idempotent: false,
        timeoutMs: this.#budget(options, 'event'),
        signal: options?.signal,
      })()
      if (E.isLeft(answer)) return answer
      const a = answer.right
      if (isNotNewer(a)) {
        const body = errorBodyOf(a.body)
        const id =
          body?.id ??
          (/^\d+$/.test(target.right) ? target.right : undefined) ??
          (body?.url === undefined ? undefined : trailingId(body.url))
        if (id !== undefined) return E.right({ _tag: 'NotNewer', id })
        const found = await this.#exists(t, uuid, options)
        if (E.isLeft(found)) return found
        return found.right.exists ? E.right({ _tag: 'NotNewer', id: found.right.id }) : E.left(failureOf(a))
      }
      if (a.status >= 300 || a.status < 200 || okWithErrorBody(a) !== undefined)
        return E.left(await this.#refusal(t, a))
      const updated = this.#decodeEvent(a)
      if (E.isLeft(updated)) return updated
      const id = updated.right.id ?? (/^\d+$/.test(target.right) ? target.right : undefined)
      if (id === undefined) return E.left(this.#missing(a, 'Event.id'))
      return E.right({ _tag: 'Updated', id, event: updated.right as EventOf<V>, ...this.#topErrors(a) })
    })
  }

  /**
   * The index rows (no attributes) of the events changed at or after `since`, or of every event.
   *
   * - 2.4/2.5: `POST /events/index {timestamp}` — the body filter, which MISP applies since
   *   2.4.54 (named URL parameters are ignored by 2.5.1).
   * - 2.3: `GET /events/index`; 2.3 has no timestamp filter, so every row comes back.
   *
   * Either way the rows are also filtered here (`timestamp >= since`), so older servers that
   * ignore the filter give the same answer. Rows are decoded with `V23.IndexRow`/`V24.IndexRow`
   * and must carry a `timestamp`.
   *
   * @category methods
   * @since 0.1.0
   */
  index(options?: IndexOptions): TE.TaskEither<MispError, ReadonlyArray<IndexEntryOf<V>>> {
    const is23 = this.apiVersion === '2.3'
    return this.#run(is23 ? 'GET' : 'POST', 'events/index', async (t) => {
      const since = options?.since === undefined ? undefined : sinceOf(options.since)
      if (options?.since !== undefined && since === undefined)
        return this.#invalid(
          'POST',
          'events/index',
          'since',
          'expected unix seconds (a number or a decimal string) or a valid Date',
        )
      const body = {
        ...(since === undefined ? {} : { timestamp: String(since) }),
        ...(options?.minimal === true ? { minimal: true } : {}),
      }
      const answer = await t.send({
        method: is23 ? 'GET' : 'POST',
        path: 'events/index',
        ...(is23 ? {} : { body }),
        idempotent: true,
        timeoutMs: this.#budget(options, 'index'),
        signal: options?.signal,
      })()
      if (E.isLeft(answer)) return answer
      const json = jsonOf(answer.right)
      if (E.isLeft(json)) return json
      const rows = this.#flavour.decodeIndex(json.right)
      if (E.isLeft(rows)) return E.left(this.#shape(answer.right, rows.left))
      const problems = rows.right.flatMap((r, i) =>
        r.timestamp === undefined
          ? [{ path: `index[${i}].timestamp`, expected: 'NumericString', actual: undefined }]
          : [],
      )
      if (problems.length > 0)
        return E.left(this.#shape(answer.right, decodeFailure(is23 ? 'V23.Index' : 'V24.Index', problems)))
      const entries = rows.right as ReadonlyArray<IndexEntryOf<V>>
      return E.right(since === undefined ? entries : entries.filter((r) => Number(r.timestamp) >= since))
    })
  }

  // -------------------------------------------------------------------------------------------
  // internals
  // -------------------------------------------------------------------------------------------

  /**
   * Runs a call body: configuration errors, redaction of every error, and no rejection ever. An
   * exception inside the body is a `TransportError` with reason `internal`: not a network failure
   * and not transient, since it may come after a write was sent (nothing may re-send it blindly).
   */
  #run<A>(method: string, path: string, body: (t: Transport) => Result<A>): TE.TaskEither<MispError, A> {
    return async () => {
      const t = this.#transport
      if (t === undefined)
        return this.#invalid(method, path, 'options', this.#configError ?? 'invalid options')
      try {
        const r = await body(t)
        return E.isLeft(r) ? E.left(redactDeep(r.left, this.#redact)) : r
      } catch (e) {
        let message: string
        try {
          message = this.#redact(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
        } catch {
          message = 'an exception that cannot be shown'
        }
        return E.left({
          _tag: 'TransportError',
          request: this.#request(t, method, path),
          reason: 'internal',
          message: `unexpected client failure: ${message}`,
        })
      }
    }
  }

  #request(t: Transport | undefined, method: string, path: string): RequestInfo {
    if (t !== undefined) {
      try {
        return t.requestInfo(method, path)
      } catch {
        // fall through
      }
    }
    return { method, url: this.#redact(`${this.url}${path}`) }
  }

  #invalid<A>(
    method: string,
    path: string,
    argument: string,
    message: string,
    failure?: DecodeFailure,
  ): E.Either<MispError, A> {
    return E.left(
      redactDeep(
        {
          _tag: 'InvalidArgument',
          request: this.#request(this.#transport, method, path),
          argument,
          message,
          ...(failure === undefined ? {} : { failure }),
        } satisfies MispError,
        this.#redact,
      ),
    )
  }

  /** The call's time budget: its own valid `timeout`, else its class's. */
  #budget(options: CallOptions | undefined, kind: keyof Timeouts): number {
    const t = options?.timeout
    return typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : this.#timeouts[kind]
  }

  #check(method: string, path: string, event: unknown): E.Either<MispError, AnyEvent> {
    const r = this.#flavour.check(event)
    return E.isRight(r)
      ? r
      : this.#invalid(method, path, 'event', `not a valid ${this.#flavour.model}; nothing was sent`, r.left)
  }

  #shape(a: Answer, failure: DecodeFailure): MispError {
    const base = unexpected(a, `the body is not a valid ${failure.model}`)
    return base._tag === 'UnexpectedResponse' ? { ...base, failure } : base
  }

  #missing(a: Answer, path: string): MispError {
    return this.#shape(
      a,
      decodeFailure(this.#flavour.model, [{ path, expected: 'NumericString', actual: undefined }]),
    )
  }

  #decodeEvent(a: Answer): E.Either<MispError, AnyEvent> {
    const json = jsonOf(a)
    if (E.isLeft(json)) return json
    const okError = okWithErrorBody(a)
    if (okError !== undefined) return E.left(failureOf(a))
    const event = this.#flavour.decodeEvent(json.right)
    return E.isLeft(event) ? E.left(this.#shape(a, event.left)) : event
  }

  #topErrors(a: Answer): { readonly errors?: unknown } {
    if (a.body._tag !== 'Json' || !isRecord(a.body.value)) return {}
    const errors = a.body.value['errors']
    return errors === undefined || (Array.isArray(errors) && errors.length === 0) ? {} : { errors }
  }

  async #fetchVersion(t: Transport, options: CallOptions | undefined): Result<ServerVersion> {
    const answer = await t.send({
      method: 'GET',
      path: 'servers/getVersion',
      idempotent: true,
      timeoutMs: this.#budget(options, 'lookup'),
      signal: options?.signal,
    })()
    if (E.isLeft(answer)) return answer
    const json = jsonOf(answer.right)
    if (E.isLeft(json)) return json
    const raw = isRecord(json.right) ? json.right['version'] : undefined
    const parsed = typeof raw === 'string' ? parseServerVersion(this.#redact(raw)) : undefined
    if (parsed === undefined)
      return E.left(
        this.#shape(
          answer.right,
          decodeFailure('ServerVersion', [
            { path: 'version', expected: 'a version string like "2.4.199"', actual: raw },
          ]),
        ),
      )
    const permSync = isRecord(json.right) ? json.right['perm_sync'] : undefined
    return E.right({ ...parsed, ...(typeof permSync === 'boolean' ? { permSync } : {}) })
  }

  /** The server's release, asked once and remembered (a failure is not remembered). */
  async #knownVersion(t: Transport): Result<ServerVersion> {
    if (this.#serverVersion === undefined) {
      // shared by concurrent calls: only the client's own signal and budget apply
      const pending = this.#fetchVersion(t, undefined)
      this.#serverVersion = pending
      const r = await pending
      if (E.isLeft(r) && this.#serverVersion === pending) this.#serverVersion = undefined
      return r
    }
    return this.#serverVersion
  }

  async #exists(t: Transport, uuid: string, options: CallOptions | undefined): Result<Exists> {
    if (typeof uuid !== 'string' || !UUID_RE.test(uuid))
      return this.#invalid('HEAD', `events/view/${shown(uuid)}`, 'uuid', 'expected a UUID')
    if (this.apiVersion === '2.3') return this.#existsByView(t, uuid, options)
    const v = await this.#knownVersion(t)
    if (E.isLeft(v)) return v
    const caps = capabilities(v.right)
    if (caps.head) {
      const head = await t.send({
        method: 'HEAD',
        path: `events/view/${uuid}`,
        idempotent: true,
        timeoutMs: this.#budget(options, 'lookup'),
        signal: options?.signal,
      })()
      if (E.isLeft(head)) return head
      if (head.right.status === 404) return E.right({ exists: false })
      if (head.right.status !== 200) return E.left(failureOf(head.right))
    }
    if (!caps.restSearchUuidMetadata) return this.#existsByView(t, uuid, options)
    const found = await this.#existsBySearch(t, uuid, options)
    if (E.isLeft(found)) return found
    // HEAD said yes but the search did not show it: ask the view, which is exact.
    if (!found.right.exists && caps.head) return this.#existsByView(t, uuid, options)
    return found
  }

  async #existsBySearch(t: Transport, uuid: string, options: CallOptions | undefined): Result<Exists> {
    const answer = await t.send({
      method: 'POST',
      path: 'events/restSearch',
      body: { returnFormat: 'json', uuid, metadata: true },
      idempotent: true,
      timeoutMs: this.#budget(options, 'lookup'),
      signal: options?.signal,
    })()
    if (E.isLeft(answer)) return answer
    const a = answer.right
    // MISP < 2.4.199 answers a search without matches with 404 "No matches."
    if (a.status === 404) return E.right({ exists: false })
    const json = jsonOf(a)
    if (E.isLeft(json)) return json
    const response = isRecord(json.right) ? json.right['response'] : undefined
    if (!Array.isArray(response))
      return E.left(
        this.#shape(
          a,
          decodeFailure('RestSearchResponse', [
            { path: 'response', expected: 'an array of {Event}', actual: response },
          ]),
        ),
      )
    const match = response.findIndex(
      (item) => isRecord(item) && isRecord(item['Event']) && sameUuid(item['Event']['uuid'], uuid),
    )
    if (match === -1) return E.right({ exists: false })
    return this.#existsFrom(
      a,
      (response[match] as Record<string, unknown>)['Event'],
      `response[${match}].Event`,
    )
  }

  async #existsByView(t: Transport, uuid: string, options: CallOptions | undefined): Result<Exists> {
    const answer = await t.send({
      method: 'GET',
      path: `events/view/${uuid}`,
      idempotent: true,
      timeoutMs: this.#budget(options, 'event'),
      signal: options?.signal,
    })()
    if (E.isLeft(answer)) return answer
    if (answer.right.status === 404) return E.right({ exists: false })
    const json = jsonOf(answer.right)
    if (E.isLeft(json)) return json
    const event = unwrapEvent(json.right)
    if (E.isLeft(event))
      return E.left(
        this.#shape(
          answer.right,
          decodeFailure(this.#flavour.model, [{ path: 'Event', expected: event.left, actual: json.right }]),
        ),
      )
    if (!isRecord(event.right) || !sameUuid(event.right['uuid'], uuid)) return E.right({ exists: false })
    return this.#existsFrom(answer.right, event.right, 'Event')
  }

  /** id and timestamp of an event object, checked with the model's leaf codecs only. */
  #existsFrom(a: Answer, event: unknown, root: string): E.Either<MispError, Exists> {
    const e = isRecord(event) ? event : {}
    const id = NumericString.decode(e['id'])
    const timestamp = NumericString.decode(e['timestamp'])
    const uuid = Uuid.decode(e['uuid'])
    if (E.isRight(id) && E.isRight(timestamp) && E.isRight(uuid))
      return E.right({ exists: true, id: id.right, timestamp: timestamp.right })
    return E.left(
      this.#shape(
        a,
        decodeFailure(this.#flavour.model, [
          ...(E.isLeft(id) ? [{ path: `${root}.id`, expected: 'NumericString', actual: e['id'] }] : []),
          ...(E.isLeft(timestamp)
            ? [{ path: `${root}.timestamp`, expected: 'NumericString', actual: e['timestamp'] }]
            : []),
          ...(E.isLeft(uuid) ? [{ path: `${root}.uuid`, expected: 'uuid', actual: e['uuid'] }] : []),
        ]),
      ),
    )
  }

  /**
   * The error of a refused edit. MISP words a sync user's edit of an event that is not `locked`
   * like any other "not authorised" refusal; a late 2.4 server says whether the key's user is a
   * sync user (`perm_sync` in `getVersion`), and for a sync user that refusal can only mean an
   * event that is not locked (the owner organisation would have been allowed).
   */
  async #refusal(t: Transport, a: Answer): Promise<MispError> {
    const error = failureOf(a)
    // MISP 2.3 redirects a non-sync, non-owner edit to /events/index before any check (§5.5)
    if (error._tag === 'HttpError' && error.status >= 300 && error.status < 400)
      return {
        _tag: 'Forbidden',
        request: error.request,
        status: error.status,
        ...(error.location === undefined ? {} : { location: error.location }),
      }
    if (error._tag !== 'Forbidden' || this.apiVersion !== '2.4') return error
    if (!/not authori[sz]ed/i.test(errorText(error.body))) return error
    const v = await this.#knownVersion(t)
    return E.isRight(v) && v.right.permSync === true && error.body !== undefined
      ? { _tag: 'NotLocked', request: error.request, status: error.status, body: error.body }
      : error
  }

  /** The URL id of an edit: the given id, the uuid where MISP takes it, else the looked-up id. */
  async #editTarget(t: Transport, uuid: string, options: UpdateOptions | undefined): Result<string> {
    const path = `events/edit/${uuid}`
    if (options?.id !== undefined) {
      const raw: unknown = options.id
      const id = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : ''
      return /^\d+$/.test(id)
        ? E.right(id)
        : this.#invalid('PUT', path, 'id', 'expected a numeric local event id')
    }
    if (this.apiVersion === '2.4') {
      const v = await this.#knownVersion(t)
      if (E.isLeft(v)) return v
      if (capabilities(v.right).editByUuid) return E.right(uuid)
    }
    const found = await this.#exists(t, uuid, options)
    if (E.isLeft(found)) return found
    if (!found.right.exists)
      return E.left({
        _tag: 'NotFound',
        request: this.#request(t, this.#flavour.editCall(uuid).method, path),
        status: 404,
        body: { name: `No event with uuid ${uuid} on the server: nothing to update (create it instead)` },
      })
    return E.right(found.right.id)
  }
}
