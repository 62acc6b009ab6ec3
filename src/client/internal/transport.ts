/**
 * The HTTP layer of the client: one ky 2 instance, time budgets, retries of idempotent calls,
 * redirects kept visible, debug lines, and the translation of everything that can be thrown into
 * a {@link MispError}. Nothing here throws or rejects across its boundary.
 *
 * @internal
 */
import createDebug from 'debug'
import type * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import ky, { HTTPError, type KyInstance, type Options as KyOptions } from 'ky'
import type { RetryPolicy } from '../MispClientOptions.js'
import type { MispError, RequestInfo } from '../MispError.js'
import { callFailure } from './callFailure.js'
import { type CallSignal, callSignal, pause } from './callSignal.js'
import { chainOf, isKyNetworkError } from './networkErrors.js'
import { displayUrl } from './redact.js'
import { backoff, jittered, kyRetry, RETRY_STATUSES } from './retryPlan.js'

export { isTlsFailure, retryAfterMs } from './networkErrors.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/** The debug namespace of the client: enable with `DEBUG=misp-bridge:*`. */
export const DEBUG_NAMESPACE = 'misp-bridge:client'

const debugLog = createDebug(DEBUG_NAMESPACE)

/** Writes a debug line; the line is only built (and redacted) when the namespace is enabled. */
const debugLine = (line: () => string): void => {
  if (debugLog.enabled) debugLog(line())
}

/** One HTTP call as the client means it. */
export interface Call {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT'
  /** relative to the base URL, without a leading slash: `events/view/12` */
  readonly path: string
  readonly body?: unknown
  /** may be sent again after a failure (reads, read-only searches); never for writes */
  readonly idempotent: boolean
  readonly timeoutMs: number
  readonly signal?: AbortSignal | undefined
}

/** What a response body turned out to be. */
export type Body =
  | { readonly _tag: 'Json'; readonly value: unknown }
  | { readonly _tag: 'Text'; readonly text: string }
  | { readonly _tag: 'InvalidJson'; readonly text: string; readonly detail: string }
  | { readonly _tag: 'Empty' }

/** Any HTTP answer, whatever its status. */
export interface Answer {
  readonly request: RequestInfo
  readonly status: number
  readonly headers: Headers
  readonly contentType: string
  readonly body: Body
}

/** The configuration of a transport. */
export interface TransportConfig {
  /** absolute, ending in `/` */
  readonly baseUrl: string
  readonly key: string
  readonly userAgent: string
  readonly retry: Required<RetryPolicy>
  readonly redact: (s: string) => string
  /** the server's name in debug lines (e.g. `source`), before its host */
  readonly label?: string | undefined
  readonly dispatcher?: object | undefined
  readonly fetch?: typeof globalThis.fetch | undefined
  readonly signal?: AbortSignal | undefined
}

/** Sends calls; every outcome is a value. */
export interface Transport {
  readonly send: (call: Call) => TE.TaskEither<MispError, Answer>
  readonly requestInfo: (method: string, path: string) => RequestInfo
  readonly redact: (s: string) => string
}

// ---------------------------------------------------------------------------------------------
// constants
// ---------------------------------------------------------------------------------------------

/** The longest timer Node runs as asked (longer ones fire after 1 ms). */
const MAX_TIMER_MS = 2_147_483_647

/**
 * A relative path the URL parser would leave unchanged after the base: URL-safe characters only,
 * no `.`/`..` segment, no query or fragment, no leading slash.
 */
const PLAIN_PATH = /^(?!\/)(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/

// ---------------------------------------------------------------------------------------------
// bodies
// ---------------------------------------------------------------------------------------------

const isJsonType = (contentType: string): boolean =>
  /\/(?:[^;]*[.+-])?json\s*(?:;|$)/i.test(contentType.split(';', 1)[0] ?? '')

/** Classifies a body read as text. */
export const bodyOf = (text: string, contentType: string): Body => {
  if (text.trim() === '') return { _tag: 'Empty' }
  const first = text.trimStart()[0]
  if (isJsonType(contentType) || first === '{' || first === '[') {
    try {
      return { _tag: 'Json', value: JSON.parse(text) }
    } catch (e) {
      if (isJsonType(contentType))
        return { _tag: 'InvalidJson', text, detail: e instanceof Error ? e.message : String(e) }
    }
  }
  return { _tag: 'Text', text }
}

/** ky pre-reads the body of an HTTPError (`data`: parsed JSON, text, or undefined). */
const bodyOfData = (data: unknown, contentType: string): Body => {
  if (data === undefined || data === null || data === '') return { _tag: 'Empty' }
  if (typeof data === 'string') return bodyOf(data, contentType)
  return { _tag: 'Json', value: data }
}

const contentTypeOf = (r: Response): string => r.headers.get('content-type') ?? ''

/** Reads a response's body (none for HEAD); `body` is missing when the read failed (`readError`). */
const readBody = async (
  response: Response,
  method: Call['method'],
): Promise<{ readonly body?: Body; readonly readError?: unknown }> => {
  try {
    return { body: bodyOf(method === 'HEAD' ? '' : await response.text(), contentTypeOf(response)) }
  } catch (e) {
    return { readError: e }
  }
}

const answerOf = (request: RequestInfo, response: Response, body: Body): Answer => ({
  request,
  status: response.status,
  headers: response.headers,
  contentType: contentTypeOf(response),
  body,
})

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

type FetchLike = NonNullable<KyOptions['fetch']>
type FetchDispatcher = NonNullable<RequestInit['dispatcher']>

/**
 * Creates the transport of one client.
 */
export const makeTransport = (config: TransportConfig): Transport => {
  const { redact, retry: policy } = config
  // the base URL as errors show it, computed once: a plain relative path (the client's own, like
  // `events/view/12`) is appended to it as is; anything else is resolved by the URL parser
  const shownBase = displayUrl(config.baseUrl, redact)
  const requestInfo = (method: string, path: string): RequestInfo => ({
    method,
    url: PLAIN_PATH.test(path) ? redact(shownBase + path) : displayUrl(new URL(path, config.baseUrl), redact),
  })
  const pathOf = (url: string): string => {
    const rel = url.startsWith(config.baseUrl) ? url.slice(config.baseUrl.length) : url
    return redact(rel)
  }
  // every debug line names the server: `source 127.0.0.1:8082: GET events/view/12 → 200 in 4 ms`
  const server = `${config.label === undefined ? '' : `${config.label} `}${redact(new URL(config.baseUrl).host)}`
  const log = (line: () => string): void => debugLine(() => `${server}: ${line()}`)
  const baseFetch: FetchLike = config.fetch ?? ((input, init) => globalThis.fetch(input, init))

  const api: KyInstance = ky.create({
    baseUrl: config.baseUrl,
    headers: {
      Authorization: config.key,
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'User-Agent': config.userAgent,
    },
    redirect: 'manual',
    timeout: false,
    ...(config.dispatcher === undefined
      ? {}
      : { dispatcher: config.dispatcher as unknown as FetchDispatcher }),
    hooks: {
      beforeRetry: [
        ({ request, error, retryCount }) => {
          log(() => {
            const why =
              error instanceof HTTPError
                ? `HTTP ${error.response.status}`
                : chainOf(error).messages.join(': ') || error.name
            return redact(`retry ${retryCount} of ${request.method} ${pathOf(request.url)} after ${why}`)
          })
        },
      ],
    },
  })

  const send =
    (call: Call): TE.TaskEither<MispError, Answer> =>
    async () => {
      const budget = Math.min(call.timeoutMs, MAX_TIMER_MS)
      const cs = callSignal(budget, [config.signal, call.signal])
      try {
        return await sendWith(call, budget, cs)
      } finally {
        cs.dispose()
      }
    }

  const sendWith = async (
    call: Call,
    budget: number,
    cs: CallSignal,
  ): Promise<E.Either<MispError, Answer>> => {
    const request = requestInfo(call.method, call.path)
    const started = performance.now()
    const deadline = started + budget
    const signal = cs.signal
    let attempts = 0

    const fail = callFailure(request, cs, deadline, budget, redact)

    if (cs.aborted() !== undefined) return { _tag: 'Left', left: fail(undefined) }

    const countingFetch: FetchLike = async (input, init) => {
      attempts += 1
      const t0 = performance.now()
      const method = input instanceof Request ? input.method : call.method
      const url = input instanceof Request ? input.url : String(input)
      try {
        const res = await baseFetch(input, init)
        log(() =>
          redact(
            `${method} ${pathOf(url)} → ${res.status} in ${Math.round(performance.now() - t0)} ms (attempt ${attempts})`,
          ),
        )
        return res
      } catch (e) {
        log(() =>
          redact(
            `${method} ${pathOf(url)} → failed in ${Math.round(performance.now() - t0)} ms (attempt ${attempts}): ${chainOf(e).messages.join(': ')}`,
          ),
        )
        throw e
      }
    }

    const optionsFor = (limit: number): KyOptions => ({
      method: call.method,
      signal,
      fetch: countingFetch,
      ...(call.body === undefined ? {} : { json: call.body }),
      throwHttpErrors: (status) => call.idempotent && limit > 0 && RETRY_STATUSES.includes(status),
      retry: kyRetry(call.idempotent, policy, limit, deadline),
    })

    for (;;) {
      let response: Response
      try {
        // every fetch of the call, ky's retries included, counts against the one retry budget
        response = await api(call.path, optionsFor(policy.limit - attempts))
      } catch (e) {
        if (e instanceof HTTPError) {
          const answer = answerOf(request, e.response, bodyOfData(e.data, contentTypeOf(e.response)))
          log(() =>
            redact(`${call.method} ${call.path} gave up after ${attempts} attempt(s): HTTP ${answer.status}`),
          )
          return { _tag: 'Right', right: answer }
        }
        const error = fail(e)
        if (!isKyNetworkError(e) || attempts > 1)
          log(() => redact(`${call.method} ${call.path} failed after ${attempts} attempt(s): ${error._tag}`))
        return { _tag: 'Left', left: error }
      }
      const { body, readError } = await readBody(response, call.method)
      // issue #8: a body cut short (the connection dropped mid-way, or JSON that stops) is as
      // transient as a 5xx; a read may be sent again, within the same retry and time budget
      const broken = body === undefined || body._tag === 'InvalidJson'
      if (broken && call.idempotent && attempts <= policy.limit && cs.aborted() === undefined) {
        const wait = jittered(policy, backoff(policy, attempts))
        if (wait < deadline - performance.now()) {
          log(() =>
            redact(
              `retry ${attempts} of ${call.method} ${pathOf(response.url || call.path)} after a ${body === undefined ? 'body cut short' : 'malformed JSON body'}`,
            ),
          )
          await pause(wait, signal)
          if (!signal.aborted) continue
        }
      }
      if (body === undefined) return { _tag: 'Left', left: fail(readError) }
      if (attempts > 1)
        log(() =>
          redact(
            `${call.method} ${call.path} → ${response.status} after ${attempts} attempts, ${Math.round(performance.now() - started)} ms in all`,
          ),
        )
      return { _tag: 'Right', right: answerOf(request, response, body) }
    }
  }

  return { send, requestInfo, redact }
}
