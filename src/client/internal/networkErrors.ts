/**
 * What a thrown network error means, as data: the messages and codes down its `cause` chain, and
 * its {@link TransportReason} (TLS, refused, DNS, reset, network); and what a `Retry-After` asks.
 *
 * @internal
 */
import type { TransportReason } from '../MispError.js'

const TLS_CODE =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|DEPTH_ZERO|ERR_TLS|ERR_SSL|HOSTNAME|ALTNAME/i
const TLS_MESSAGE = /certificate|self[- ]signed|\bSSL\b|\bTLS\b|handshake/i
const RESET_CODE = /ECONNRESET|EPIPE|UND_ERR_SOCKET|ECONNABORTED|UND_ERR_CLOSED/
const RESET_MESSAGE = /other side closed|socket hang up|terminated|ECONNRESET/i

// ---------------------------------------------------------------------------------------------
// errors as data
// ---------------------------------------------------------------------------------------------

export interface Chain {
  readonly messages: ReadonlyArray<string>
  readonly codes: ReadonlyArray<string>
}

/** The messages and codes down an error's `cause` chain (plain data: never the request). */
export const chainOf = (e: unknown): Chain => {
  const messages: Array<string> = []
  const codes: Array<string> = []
  let u: unknown = e
  for (let depth = 0; depth < 8 && typeof u === 'object' && u !== null; depth++) {
    const r = u as {
      readonly name?: unknown
      readonly message?: unknown
      readonly code?: unknown
      readonly cause?: unknown
    }
    // ky's NetworkError only repeats the method and URL, which every error names anyway
    const wrapper = r.name === 'NetworkError' && r.cause !== undefined
    if (!wrapper && typeof r.message === 'string' && r.message !== '' && !messages.includes(r.message))
      messages.push(r.message)
    if (typeof r.code === 'string') codes.push(r.code)
    u = r.cause
  }
  if (typeof e === 'string') messages.push(e)
  return { messages, codes }
}

export const reasonOf = (c: Chain): TransportReason => {
  const codes = c.codes.join(' ')
  const messages = c.messages.join(' ')
  if (TLS_CODE.test(codes) || TLS_MESSAGE.test(messages)) return 'tls'
  if (/ECONNREFUSED/.test(codes)) return 'refused'
  if (/ENOTFOUND|EAI_AGAIN/.test(codes)) return 'dns'
  if (RESET_CODE.test(codes) || RESET_MESSAGE.test(messages)) return 'reset'
  return 'network'
}

/** `true` when an error (anywhere in its cause chain) is a TLS failure: never worth a retry. */
export const isTlsFailure = (e: unknown): boolean => reasonOf(chainOf(e)) === 'tls'

export const isKyNetworkError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { readonly name?: unknown }).name === 'NetworkError'

/** The delay a `Retry-After` header asks for, in milliseconds (delay-seconds or an HTTP date). */
export const retryAfterMs = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
