/**
 * Rendering `MispError`s for people: one line per error, with MISP's own `errors` member laid out
 * field by field. Exported by `MispError.ts`.
 *
 * @since 0.1.0
 */
import { problemLines } from '../DecodeFailure.js'
import type { MispError, MispErrorBody } from './MispErrorModel.js'

// ---------------------------------------------------------------------------------------------
// destructors
// ---------------------------------------------------------------------------------------------

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Renders MISP's `errors` member (a string, a list, or a nested field map such as
 * `{Event: {info: ["valueNotEmpty"]}}`) as `Event.info: valueNotEmpty` lines.
 *
 * @category destructors
 * @since 0.1.0
 */
export const errorsLines = (errors: unknown, path = ''): ReadonlyArray<string> => {
  const at = (s: string) => (path === '' ? s : `${path}: ${s}`)
  if (errors === undefined || errors === null) return []
  if (typeof errors === 'string') return errors === '' ? [] : [at(errors)]
  if (typeof errors === 'number' || typeof errors === 'boolean') return [at(String(errors))]
  if (Array.isArray(errors)) {
    const scalars = errors.filter((x) => !isRecord(x) && !Array.isArray(x)).map(String)
    const nested = errors.filter((x) => isRecord(x) || Array.isArray(x)).flatMap((x) => errorsLines(x, path))
    return [...(scalars.length > 0 ? [at(scalars.join(', '))] : []), ...nested]
  }
  if (isRecord(errors))
    return Object.entries(errors).flatMap(([k, v]) => errorsLines(v, path === '' ? k : `${path}.${k}`))
  return []
}

const bodyText = (body: MispErrorBody | undefined): string => {
  if (body === undefined) return ''
  const head = body.name ?? body.message ?? ''
  const message = body.message !== undefined && body.message !== head ? ` (${body.message})` : ''
  const errors = errorsLines(body.errors)
  return `${head}${message}${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`
}

const withText = (prefix: string, text: string): string => (text === '' ? prefix : `${prefix}: ${text}`)

/** The version call every use of a server starts with: what it answers tells MISP from the rest. */
const isVersionCall = (e: MispError): boolean =>
  /\/servers\/getVersion(?:\.json)?(?:[?#]|$)/.test(e.request.url)

/**
 * What an answer to `servers/getVersion` that no MISP gives means: a 404 (no such page: another
 * application, or MISP under another path) or a page that is not JSON. MISP has answered it since
 * v2.3.129 (`ServersController.php@v2.3.178:671`).
 */
const notMisp = (what: string): string =>
  `does not look like MISP — check the base URL (${what}; every MISP since 2.3.129 answers servers/getVersion with JSON)`

/**
 * `https://` to a port that speaks plain HTTP: OpenSSL reads the HTTP answer as a bad record
 * (`'wrong'`), or the server hangs up on the handshake it cannot read (`'closed'`: what the real
 * MISP 2.5.1 and 2.3.178 servers of the tests do).
 */
const plainHttpPort = (e: MispError): 'wrong' | 'closed' | undefined => {
  if (e._tag !== 'TransportError' || e.reason !== 'tls' || !e.request.url.startsWith('https://'))
    return undefined
  if (
    e.code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    /wrong version number|packet length too long/i.test(e.message)
  )
    return 'wrong'
  return /disconnected before secure TLS connection was established/i.test(e.message) ? 'closed' : undefined
}

/**
 * Renders an error for people: what happened, the server's own words, and the request. Two
 * mistakes of a base URL are named as such: an `https://` URL to a plain-HTTP port ("this port
 * does not speak TLS — try http://"), and a server whose `servers/getVersion` gives a 404 or a web
 * page ("does not look like MISP — check the base URL").
 *
 * @example
 * formatMispError(e)
 * // 'MISP refused the event as not newer … (HTTP 403): Could not edit Event … — PUT https://misp/events/edit/4'
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatMispError = (e: MispError): string => {
  const at = ` — ${e.request.method} ${e.request.url}`
  const plain = plainHttpPort(e)
  if (plain !== undefined)
    return `this port does not speak TLS — try http:// (${
      plain === 'wrong'
        ? 'the TLS handshake got a plain answer'
        : 'the server hung up on the TLS handshake: it may also be a TLS server refusing this client'
    }${e._tag === 'TransportError' && e.code !== undefined ? `, ${e.code}` : ''})${at}`
  if (isVersionCall(e) && e._tag === 'NotFound')
    return `${notMisp(`HTTP ${e.status} for servers/getVersion`)}${at}`
  if (isVersionCall(e) && e._tag === 'UnexpectedResponse' && ['html', 'not-json', 'empty'].includes(e.reason))
    return `${notMisp(
      `servers/getVersion answered ${e.reason === 'empty' ? 'nothing' : `a ${e.reason === 'html' ? 'web page' : 'non-JSON body'}`} (HTTP ${e.status}${
        e.contentType === undefined ? '' : `, ${e.contentType}`
      }${e.excerpt === undefined || e.excerpt === '' ? '' : `: ${JSON.stringify(e.excerpt)}`})`,
    )}${at}`
  switch (e._tag) {
    case 'TransportError':
      return e.reason === 'internal'
        ? `internal client failure (the request may have been sent; look the event up before sending it again): ${e.message}${at}`
        : `network failure (${e.reason}${e.code === undefined ? '' : `, ${e.code}`}): ${e.message}${at}`
    case 'Timeout':
      return `no answer within ${e.timeoutMs} ms${at}`
    case 'Aborted':
      return `${withText('cancelled', e.reason ?? '')}${at}`
    case 'AuthenticationFailed':
      return `${withText(`authentication failed (HTTP ${e.status})`, e.message)}${at}`
    case 'RateLimited':
      return `${withText(
        `rate limited (HTTP ${e.status})${e.retryAfter === undefined ? '' : `, retry after ${e.retryAfter} s`}`,
        bodyText(e.body),
      )}${at}`
    case 'NotFound':
      return `${withText(`not found (HTTP ${e.status})`, bodyText(e.body))}${at}`
    case 'Forbidden':
      return `${withText(
        `forbidden (HTTP ${e.status}${e.location === undefined ? '' : ` to ${e.location}`})`,
        bodyText(e.body),
      )}${at}`
    case 'ValidationFailed':
      return `${withText(`MISP rejected the event (HTTP ${e.status})`, bodyText(e.body))}${at}`
    case 'Blocklisted':
      return `${withText(`blocklisted (HTTP ${e.status})`, bodyText(e.body))}${at}`
    case 'NotLocked':
      return `${withText(
        `edit refused: the stored event is not locked, a sync user may only edit synchronised events (HTTP ${e.status})`,
        bodyText(e.body),
      )}${at}`
    case 'HttpError':
      return `${withText(
        `HTTP ${e.status}${e.location === undefined ? '' : ` to ${e.location}`}`,
        bodyText(e.body) || (e.excerpt ?? ''),
      )}${at}`
    case 'UnexpectedResponse': {
      const head = `unexpected response (HTTP ${e.status}, ${e.reason}${
        e.contentType === undefined ? '' : `, ${e.contentType}`
      }${e.location === undefined ? '' : ` to ${e.location}`}): ${e.detail}${at}`
      return e.failure === undefined
        ? head
        : [head, `  not a valid ${e.failure.model}:`, ...problemLines(e.failure).map((l) => `    ${l}`)].join(
            '\n',
          )
    }
    case 'InvalidArgument': {
      const head = `invalid ${e.argument}: ${e.message}${at}`
      return e.failure === undefined
        ? head
        : [head, ...problemLines(e.failure).map((l) => `    ${l}`)].join('\n')
    }
  }
}
