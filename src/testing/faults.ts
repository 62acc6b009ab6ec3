/**
 * Fault injection for the MISP emulator: what can go wrong between a client and a MISP server, as
 * data, and the (seeded, reproducible) choice of which request gets which fault.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * A failure the emulator produces instead of its normal answer. Faults are applied before
 * routing and authentication: a faulted request has no effect on the emulator's events — except
 * `reset-after-write`, which is applied after.
 *
 * - `status`: that HTTP status with a MISP-like error body (500 JSON; 502/503 a proxy's HTML page).
 * - `rate-limit`: 429 with `Retry-After: <seconds>` and a JSON body named `Rate limit exceeded.`
 * - `reset`: the TCP connection is destroyed without an answer.
 * - `reset-after-write`: the request is handled normally first (a create or an edit is applied,
 *   authentication and every rule included), then the connection is destroyed without sending
 *   the answer: "the write committed, the answer got lost". The request log shows status 0.
 * - `cut-write`: a create or an edit cut part-way (what a proxy or PHP worker timeout does to a
 *   long MISP write): the event's own fields are saved and only its first `keep` attributes (the
 *   event's own first, then the objects'), then the connection is destroyed without an answer —
 *   a create leaves a short event, an edit a short copy that already carries the new timestamp.
 *   On other requests it acts as `reset-after-write`. The request log shows status 0.
 * - `hang`: no answer. Without `ms` the request hangs until the emulator closes; with `ms` the
 *   request is answered normally after that delay (a slow server).
 * - `login-page`: 200 `text/html` MISP login page (what a session-expired or SSO-proxied MISP sends).
 * - `truncated-json`: 200 `application/json` whose body stops mid-way.
 *
 * @category model
 * @since 0.1.0
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: 500 | 502 | 503 }
  | { readonly kind: 'rate-limit'; readonly retryAfter: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'reset-after-write' }
  | { readonly kind: 'cut-write'; readonly keep: number }
  | { readonly kind: 'hang'; readonly ms?: number }
  | { readonly kind: 'login-page' }
  | { readonly kind: 'truncated-json' }

/**
 * Which requests an injected fault applies to. `path` is matched against the request path relative
 * to the emulator's base URL, query string included (e.g. `/events/add`).
 *
 * @category model
 * @since 0.1.0
 */
export interface FaultMatch {
  readonly method?: string
  readonly path?: RegExp
}

/**
 * Options of {@link FaultPlan.inject}: how many matching requests get the fault (default 1;
 * `Infinity` for all) and which requests match (default: all).
 *
 * @category model
 * @since 0.1.0
 */
export interface InjectOptions {
  readonly times?: number
  readonly match?: FaultMatch
}

interface Injected {
  readonly fault: Fault
  remaining: number
  readonly match: FaultMatch | undefined
}

interface Rated {
  readonly fault: Fault
  readonly rate: number
  readonly random: () => number
}

/**
 * The faults waiting for requests. One-off injections are consumed first-in first-out; then each
 * rate rule draws from its own seeded generator.
 *
 * @category model
 * @since 0.1.0
 */
export interface FaultPlan {
  /** Queues a fault for the next matching request(s). */
  readonly inject: (fault: Fault, options?: InjectOptions) => void
  /** Applies a fault to a seeded random fraction (`rate`, 0–1) of the requests from now on. */
  readonly injectRate: (fault: Fault, rate: number, seed: number) => void
  /** Removes every queued and rate-based fault. */
  readonly clear: () => void
  /** Picks the fault for one request (consuming it), or `undefined`. */
  readonly next: (method: string, path: string) => Fault | undefined
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * mulberry32: a tiny seeded PRNG, good enough to pick a reproducible fraction of requests.
 *
 * @category utils
 * @since 0.1.0
 */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const matches = (m: FaultMatch | undefined, method: string, path: string): boolean =>
  m === undefined ||
  ((m.method === undefined || m.method.toUpperCase() === method.toUpperCase()) &&
    (m.path === undefined ||
      new RegExp(m.path.source, m.path.flags.replace('g', '').replace('y', '')).test(path)))

/**
 * Creates an empty fault plan.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeFaultPlan = (): FaultPlan => {
  let injected: Array<Injected> = []
  let rated: Array<Rated> = []
  return {
    inject: (fault, options) => {
      const times = options?.times ?? 1
      if (!(times > 0)) throw new RangeError('misp-bridge/testing: inject times must be > 0')
      injected.push({ fault, remaining: times, match: options?.match })
    },
    injectRate: (fault, rate, seed) => {
      if (!(rate >= 0 && rate <= 1))
        throw new RangeError('misp-bridge/testing: injectRate rate must be in [0, 1]')
      rated.push({ fault, rate, random: seededRandom(seed) })
    },
    clear: () => {
      injected = []
      rated = []
    },
    next: (method, path) => {
      const hit = injected.find((i) => i.remaining > 0 && matches(i.match, method, path))
      if (hit !== undefined) {
        hit.remaining -= 1
        injected = injected.filter((i) => i.remaining > 0)
        return hit.fault
      }
      for (const r of rated) {
        if (r.random() < r.rate) return r.fault
      }
      return undefined
    },
  }
}

/**
 * A short label of a fault, as recorded in the emulator's request log (`'status:503'`,
 * `'rate-limit'`, `'reset'`, `'reset-after-write'`, …).
 *
 * @category utils
 * @since 0.1.0
 */
export const faultLabel = (fault: Fault): string =>
  fault.kind === 'status' ? `status:${fault.status}` : fault.kind
