/**
 * A client's setup from its options: the base URL checked, the key's redactor, the transport, and
 * the configuration problems every call then reports (the constructor never throws).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import { type MispClientOptions, resolveRetryPolicy, resolveTimeouts } from '../MispClientOptions.js'
import type { ApiVersion } from '../ServerVersion.js'
import { Core } from './core.js'
import { flavour23, flavour24 } from './flavours.js'
import { displayUrl, makeRedactor } from './redact.js'
import { makeTransport } from './transport.js'
import { checkBaseUrl, shownBaseUrl } from './url.js'

/**
 * The `User-Agent` the client sends unless told otherwise.
 *
 * @category model
 * @since 0.1.0
 */
export const DEFAULT_USER_AGENT = 'misp-bridge/0.1.0'

/** The shown URL and the call core of a client made from `given` (anything a JavaScript caller passes). */
export const coreOf = <V extends ApiVersion>(
  given: MispClientOptions<V>,
): { readonly url: string; readonly core: Core } => {
  const options: Partial<MispClientOptions<V>> = typeof given === 'object' && given !== null ? given : {}
  const redact = makeRedactor(typeof options.key === 'string' ? options.key : '')
  const base = checkBaseUrl(options.url)
  const url = E.isRight(base) ? displayUrl(base.right, redact) : redact(shownBaseUrl(options.url))
  const problems = [
    ...(E.isLeft(base) ? [`url: ${base.left}`] : []),
    ...(typeof options.key !== 'string' || options.key.trim() === '' ? ['key: empty'] : []),
    ...(options.version !== '2.3' && options.version !== '2.4' ? [`version: must be '2.3' or '2.4'`] : []),
  ]
  const configError = problems.length === 0 ? undefined : problems.join('; ')
  const transport =
    configError !== undefined || E.isLeft(base)
      ? undefined
      : makeTransport({
          baseUrl: base.right,
          key: options.key as string,
          userAgent: typeof options.userAgent === 'string' ? options.userAgent : DEFAULT_USER_AGENT,
          retry: resolveRetryPolicy(options.retry),
          redact,
          label: typeof options.label === 'string' ? options.label : undefined,
          dispatcher: options.dispatcher,
          fetch: options.fetch,
          signal: options.signal,
        })
  const core = new Core(
    options.version === '2.3' ? '2.3' : '2.4',
    options.version === '2.3' ? flavour23 : flavour24,
    url,
    redact,
    resolveTimeouts(options.timeout),
    transport,
    configError,
  )
  return { url, core }
}
