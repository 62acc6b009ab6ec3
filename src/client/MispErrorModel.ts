/**
 * The `MispError` model: every kind of failure of a MISP call as `_tag`ged data, the request it
 * belongs to and MISP's error envelope. Exported by `MispError.ts` (with the refinements and the
 * rendering of `formatMispError.ts`, which reads these types).
 *
 * @since 0.1.0
 */
import type { DecodeFailure } from '../DecodeFailure.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * The request an error belongs to: the HTTP method and the absolute URL, without user
 * information and without the API key.
 *
 * @category model
 * @since 0.1.0
 */
export interface RequestInfo {
  readonly method: string
  readonly url: string
}

/**
 * MISP's JSON error envelope (`{name, message, url, errors}`; late 2.4 adds `saved: false` and
 * `id`). Every field is optional: servers, proxies and eras differ.
 *
 * @category model
 * @since 0.1.0
 */
export interface MispErrorBody {
  readonly name?: string
  readonly message?: string
  readonly url?: string
  /** a string (`"Event could not be saved: …"`) or a field map (`{Event: {info: ["valueNotEmpty"]}}`) */
  readonly errors?: unknown
  readonly saved?: boolean
  readonly id?: string
}

/**
 * Why a request got no HTTP answer: `tls` (certificate or handshake; never retried), `reset`
 * (connection closed mid-way), `refused`, `dns` (host not found), or another `network` failure.
 *
 * `internal` is not a network failure: the client itself failed unexpectedly (an exception inside
 * the client, e.g. a bug or a `fetch` replacement that misbehaves). It can happen after the
 * request was sent, so a write may have been applied; {@link isTransient} is `false` for it, so
 * that nothing re-sends the write blindly.
 *
 * @category model
 * @since 0.1.0
 */
export type TransportReason = 'network' | 'tls' | 'reset' | 'refused' | 'dns' | 'internal'

/**
 * The request got no HTTP answer the client could use. For a write (`create`, `update`) the
 * server may or may not have applied it: writes are never retried blindly, look the event up
 * before sending again.
 *
 * `reason: 'internal'` means an unexpected exception inside the client rather than a network
 * failure (the request may or may not have been sent, a write may have been applied). It is not
 * transient ({@link isTransient} is `false`): look the event up (`exists`) instead of re-sending.
 *
 * @category model
 * @since 0.1.0
 */
export interface TransportError {
  readonly _tag: 'TransportError'
  readonly request: RequestInfo
  readonly reason: TransportReason
  /** the underlying error's message chain, e.g. `fetch failed: self-signed certificate` */
  readonly message: string
  /** the underlying error code when there is one (`ECONNRESET`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …) */
  readonly code?: string
}

/**
 * The call did not finish within its time budget (`timeoutMs`, retries included).
 *
 * @category model
 * @since 0.1.0
 */
export interface Timeout {
  readonly _tag: 'Timeout'
  readonly request: RequestInfo
  readonly timeoutMs: number
}

/**
 * The call was cancelled through an `AbortSignal` (the client's or the call's).
 *
 * @category model
 * @since 0.1.0
 */
export interface Aborted {
  readonly _tag: 'Aborted'
  readonly request: RequestInfo
  readonly reason?: string
}

/**
 * The server refused the API key: 403 `"Authentication failed…"`, 401, a redirect to
 * `/users/login`, or a 200 HTML login page (a session-based proxy in front of MISP).
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthenticationFailed {
  readonly _tag: 'AuthenticationFailed'
  readonly request: RequestInfo
  readonly status: number
  readonly message: string
}

/**
 * 429: too many requests. `retryAfter` (seconds) is the server's `Retry-After` when it sent one;
 * the client already waited and retried (for idempotent calls) before giving up.
 *
 * @category model
 * @since 0.1.0
 */
export interface RateLimited {
  readonly _tag: 'RateLimited'
  readonly request: RequestInfo
  readonly status: number
  readonly retryAfter?: number
  readonly body?: MispErrorBody
}

/**
 * 404: the event (or the endpoint) does not exist or is not visible to this user. Also MISP's
 * edit refusal "…Could not find the local event." (`Event::_edit@v2.4.199:4075-4160`), in whichever envelope and status the
 * server's era uses (2.3: 405; 2.4.0–2.4.102: 200; 2.4.103+: 403): `status` is the wire status.
 *
 * @category model
 * @since 0.1.0
 */
export interface NotFound {
  readonly _tag: 'NotFound'
  readonly request: RequestInfo
  readonly status: number
  readonly body?: MispErrorBody
}

/**
 * The user may not do this: 403 without validation errors, MISP's 405 refusals, or a 2.3
 * redirect to `/events/index` from an edit by a non-owner.
 *
 * @category model
 * @since 0.1.0
 */
export interface Forbidden {
  readonly _tag: 'Forbidden'
  readonly request: RequestInfo
  readonly status: number
  readonly body?: MispErrorBody
  readonly location?: string
}

/**
 * MISP refused the event's content: `"Could not add Event"` / `"Add event failed."` with an
 * `errors` map (MISP answers 403 since 2.4.103, 200 before).
 *
 * @category model
 * @since 0.1.0
 */
export interface ValidationFailed {
  readonly _tag: 'ValidationFailed'
  readonly request: RequestInfo
  readonly status: number
  readonly body: MispErrorBody
}

/**
 * The event or its creator organisation is on the server's blocklist (late 2.4 answers 403).
 *
 * @category model
 * @since 0.1.0
 */
export interface Blocklisted {
  readonly _tag: 'Blocklisted'
  readonly request: RequestInfo
  readonly status: number
  readonly body: MispErrorBody
}

/**
 * An edit by a sync user was refused because the stored event is not `locked` (it was created
 * on that server, not received by sync): MISP lets sync users edit only synchronised events.
 *
 * @category model
 * @since 0.1.0
 */
export interface NotLocked {
  readonly _tag: 'NotLocked'
  readonly request: RequestInfo
  readonly status: number
  readonly body: MispErrorBody
}

/**
 * Any other HTTP failure (5xx after retries, unexpected 4xx or 3xx), with MISP's error body when
 * there is one.
 *
 * @category model
 * @since 0.1.0
 */
export interface HttpError {
  readonly _tag: 'HttpError'
  readonly request: RequestInfo
  readonly status: number
  readonly body?: MispErrorBody
  /** a short, key-free excerpt of a body that is not MISP's JSON envelope (e.g. a proxy's HTML) */
  readonly excerpt?: string
  readonly location?: string
}

/**
 * Why a response could not be used: `not-json` (another content type), `invalid-json`
 * (truncated or malformed), `empty`, `html` (an HTML page where JSON was expected), `shape`
 * (JSON that is not what the model expects; see `failure`) or `redirect` (a redirect where MISP's
 * REST API answers directly, e.g. a create answered with `302 Location: …/events/view/{id}`,
 * CakePHP's redirect after a successful *form* add: the event was probably created, but the
 * server did not treat the request as a REST call).
 *
 * @category model
 * @since 0.1.0
 */
export type UnexpectedReason = 'not-json' | 'invalid-json' | 'empty' | 'html' | 'shape' | 'redirect'

/**
 * The server answered, but not with something the client can use.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnexpectedResponse {
  readonly _tag: 'UnexpectedResponse'
  readonly request: RequestInfo
  readonly status: number
  readonly reason: UnexpectedReason
  readonly detail: string
  readonly contentType?: string
  /** the model's decode failure, naming every path, when `reason` is `shape` */
  readonly failure?: DecodeFailure
  readonly excerpt?: string
  /** the `Location` header, when `reason` is `redirect` */
  readonly location?: string
}

/**
 * The call was not sent because an argument (or a client option) is not valid, e.g. a uuid that
 * is not a UUID.
 *
 * @category model
 * @since 0.1.0
 */
export interface InvalidArgument {
  readonly _tag: 'InvalidArgument'
  readonly request: RequestInfo
  readonly argument: string
  readonly message: string
  /** why an event argument is not a valid model value */
  readonly failure?: DecodeFailure
}

/**
 * Every failure of a `MispClient` call.
 *
 * @category model
 * @since 0.1.0
 */
export type MispError =
  | TransportError
  | Timeout
  | Aborted
  | AuthenticationFailed
  | RateLimited
  | NotFound
  | Forbidden
  | ValidationFailed
  | Blocklisted
  | NotLocked
  | HttpError
  | UnexpectedResponse
  | InvalidArgument

/**
 * The tag of each {@link MispError} kind.
 *
 * @category model
 * @since 0.1.0
 */
export type MispErrorTag = MispError['_tag']
