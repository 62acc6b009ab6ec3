/**
 * Everything that can go wrong when talking to a MISP server, as `_tag`ged data.
 *
 * Every error names the request it belongs to (`request: {method, url}`, the URL without
 * credentials) and never carries request headers. The client removes the API key from every
 * string it puts into an error, so an error can be logged, serialised or shown as it is.
 *
 * The kinds themselves are in `MispErrorModel.ts`, their rendering in `formatMispError.ts` (both
 * read the model, neither imports this module); this module exports all of it with the refinements.
 *
 * @since 0.1.0
 */
import type { MispError, MispErrorTag } from './MispErrorModel.js'

export type {
  Aborted,
  AuthenticationFailed,
  Blocklisted,
  Forbidden,
  HttpError,
  InvalidArgument,
  MispError,
  MispErrorBody,
  MispErrorTag,
  NotFound,
  NotLocked,
  RateLimited,
  RequestInfo,
  Timeout,
  TransportError,
  TransportReason,
  UnexpectedReason,
  UnexpectedResponse,
  ValidationFailed,
} from './MispErrorModel.js'

// ---------------------------------------------------------------------------------------------
// refinements
// ---------------------------------------------------------------------------------------------

/**
 * Narrows a {@link MispError} to one kind.
 *
 * @example
 * if (isMispError('RateLimited')(e)) console.log(e.retryAfter)
 *
 * @category refinements
 * @since 0.1.0
 */
export const isMispError =
  <T extends MispErrorTag>(tag: T) =>
  (e: MispError): e is Extract<MispError, { readonly _tag: T }> =>
    e._tag === tag

/**
 * `true` for failures that a later attempt may not repeat (network, timeout, rate limit, 5xx):
 * what a sync run may retry on its next pass. Not transient: TLS and DNS failures, an `internal`
 * client failure (a write may have been applied: look the event up first), a `redirect`.
 *
 * @category refinements
 * @since 0.1.0
 */
export const isTransient = (e: MispError): boolean => {
  switch (e._tag) {
    case 'TransportError':
      return e.reason !== 'tls' && e.reason !== 'dns' && e.reason !== 'internal'
    case 'Timeout':
    case 'RateLimited':
      return true
    case 'HttpError':
      return e.status === 408 || e.status >= 500
    case 'UnexpectedResponse':
      return e.reason === 'invalid-json' || e.reason === 'empty'
    case 'Aborted':
    case 'AuthenticationFailed':
    case 'NotFound':
    case 'Forbidden':
    case 'ValidationFailed':
    case 'Blocklisted':
    case 'NotLocked':
    case 'InvalidArgument':
      return false
  }
}

export { errorsLines, formatMispError } from './formatMispError.js'
