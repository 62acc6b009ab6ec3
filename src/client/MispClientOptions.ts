/**
 * The options of a `MispClient`: where the server is, the key, and how patient and
 * persistent the client is (timeouts per call class, retries of idempotent calls).
 *
 * @since 0.1.0
 */
import type { ApiVersion } from './ServerVersion.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * Time budgets in milliseconds, per class of call. A budget covers the whole call: every
 * attempt, the waits between retries and reading the body.
 *
 * - `lookup`: `version()`, `exists()` (HEAD, metadata search) — small answers.
 * - `index`: `index()` — one row per event on the server.
 * - `event`: `get()`, `create()`, `update()` — whole events, which can hold 100k attributes and
 *   take MISP minutes to save.
 *
 * @category model
 * @since 0.1.0
 */
export interface Timeouts {
  readonly lookup: number
  readonly index: number
  readonly event: number
}

/**
 * How idempotent calls are retried (GET, HEAD and the read-only searches `POST
 * /events/index` and `POST /events/restSearch`). Writes (`create`, `update`) are **never**
 * retried, and neither are TLS failures.
 *
 * Retried: network failures (reset, refused) and HTTP 408, 429, 500, 502, 503, 504. The wait
 * before retry `n` is `baseDelay · 2^(n-1)` capped at `maxDelay`, with jitter (a random 50–100 %
 * of it); a `Retry-After` on 429/503 replaces it, unless it asks for more than `maxRetryAfter` or
 * than the call's remaining time budget, in which case the call fails at once (`RateLimited`).
 *
 * @category model
 * @since 0.1.0
 */
export interface RetryPolicy {
  /** retries after the first attempt (default 2; 0 disables retries) */
  readonly limit?: number
  /** milliseconds before the first retry (default 300) */
  readonly baseDelay?: number
  /** upper bound of a backoff wait in milliseconds (default 10 000) */
  readonly maxDelay?: number
  /** longest `Retry-After` the client waits for, in milliseconds (default 60 000) */
  readonly maxRetryAfter?: number
  /** randomise backoff waits (default `true`) */
  readonly jitter?: boolean
}

/**
 * Options of `new MispClient(...)`.
 *
 * @example
 * import { Agent } from 'undici'
 * const misp = new MispClient({
 *   url: 'https://misp.example.org',
 *   key: process.env.MISP_KEY ?? '',
 *   version: '2.4',
 *   dispatcher: new Agent({ connect: { ca: readFileSync('misp-ca.pem', 'utf8') } }),
 * })
 *
 * @category model
 * @since 0.1.0
 */
export interface MispClientOptions<V extends ApiVersion> {
  /** the MISP base URL, e.g. `https://misp.example.org` or `https://host/misp` */
  readonly url: string | URL
  /** the API key (sent as `Authorization`; never logged, never put into an error) */
  readonly key: string
  /** the wire format of the server: `'2.3'` for MISP 2.3, `'2.4'` for MISP 2.4 and 2.5 */
  readonly version: V
  /** one budget in milliseconds for every call, or budgets per call class (see {@link Timeouts}) */
  readonly timeout?: number | Partial<Timeouts>
  /** a retry limit, or a {@link RetryPolicy} */
  readonly retry?: number | RetryPolicy
  /** the `User-Agent` header (default `misp-bridge/<version>`) */
  readonly userAgent?: string
  /**
   * the server's name in the debug lines (`DEBUG=misp-bridge:client`), before its host: e.g.
   * `'source'` gives `source misp.example.org: GET events/view/12 → 200 in 41 ms`. Default: the
   * host alone.
   */
  readonly label?: string
  /**
   * an undici@7 `Agent`, `ProxyAgent` or `EnvHttpProxyAgent`, for a custom CA, a client
   * certificate, a proxy or (knowingly) disabled verification. TLS is verified by default.
   */
  readonly dispatcher?: object
  /** a `fetch` implementation (default: the global one) */
  readonly fetch?: typeof globalThis.fetch
  /** cancels every call of this client */
  readonly signal?: AbortSignal
}

/**
 * Options of the client created by `MispClient.detect`: as {@link MispClientOptions}, without
 * `version`.
 *
 * @category model
 * @since 0.1.0
 */
export type DetectOptions = Omit<MispClientOptions<ApiVersion>, 'version'>

/**
 * Options of one call.
 *
 * @category model
 * @since 0.1.0
 */
export interface CallOptions {
  /** cancels this call (combined with the client's signal) */
  readonly signal?: AbortSignal
  /** this call's time budget in milliseconds, instead of its class's */
  readonly timeout?: number
}

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
 * Options of `get`: `deleted` asks a MISP 2.4/2.5 server for the event with its soft-deleted
 * attributes too (each with `"deleted": true`); MISP 2.3 deletes for good and ignores it.
 *
 * @category model
 * @since 0.1.0
 */
export interface GetOptions extends CallOptions {
  readonly deleted?: boolean
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

// ---------------------------------------------------------------------------------------------
// constants
// ---------------------------------------------------------------------------------------------

/**
 * Default time budgets: 15 s for lookups, 60 s for the index, 5 min for whole events.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultTimeouts: Timeouts = { lookup: 15_000, index: 60_000, event: 300_000 }

/**
 * Default retry policy: 2 retries, 300 ms base, 10 s cap, `Retry-After` up to 60 s, jitter on.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultRetryPolicy: Required<RetryPolicy> = {
  limit: 2,
  baseDelay: 300,
  maxDelay: 10_000,
  maxRetryAfter: 60_000,
  jitter: true,
}

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

const validMs = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0

/**
 * The effective budgets for an option value; invalid entries fall back to the defaults.
 *
 * @category utils
 * @since 0.1.0
 */
export const resolveTimeouts = (timeout: MispClientOptions<ApiVersion>['timeout']): Timeouts => {
  if (validMs(timeout)) return { lookup: timeout, index: timeout, event: timeout }
  if (typeof timeout !== 'object' || timeout === null) return defaultTimeouts
  return {
    lookup: validMs(timeout.lookup) ? timeout.lookup : defaultTimeouts.lookup,
    index: validMs(timeout.index) ? timeout.index : defaultTimeouts.index,
    event: validMs(timeout.event) ? timeout.event : defaultTimeouts.event,
  }
}

/**
 * The effective retry policy for an option value.
 *
 * @category utils
 * @since 0.1.0
 */
export const resolveRetryPolicy = (retry: MispClientOptions<ApiVersion>['retry']): Required<RetryPolicy> => {
  const limitOf = (n: unknown) =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : defaultRetryPolicy.limit
  if (typeof retry === 'number') return { ...defaultRetryPolicy, limit: limitOf(retry) }
  if (typeof retry !== 'object' || retry === null) return defaultRetryPolicy
  const nonNegative = (n: unknown, d: number) =>
    typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : d
  return {
    limit: limitOf(retry.limit),
    baseDelay: nonNegative(retry.baseDelay, defaultRetryPolicy.baseDelay),
    maxDelay: nonNegative(retry.maxDelay, defaultRetryPolicy.maxDelay),
    maxRetryAfter: nonNegative(retry.maxRetryAfter, defaultRetryPolicy.maxRetryAfter),
    jitter: typeof retry.jitter === 'boolean' ? retry.jitter : defaultRetryPolicy.jitter,
  }
}
