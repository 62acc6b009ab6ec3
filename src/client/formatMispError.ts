/**
 * Rendering `MispError`s for people: one line per error, with MISP's own `errors` member laid out
 * field by field. Exported by `MispError.ts`.
 *
 * @since 0.1.0
 */
import { problemLines } from '../DecodeFailure.js'
import type { MispError, MispErrorBody } from './MispError.js'

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

/**
 * Renders an error for people: what happened, the server's own words, and the request.
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
