/**
 * What a call that got no answer failed of, as a {@link MispError}: aborted by the caller (with
 * the reason it gave), out of its time budget, or a transport failure named from the chain of
 * causes (`networkErrors.ts`). Redacted: the API key never shows.
 *
 * @internal
 */
import type { MispError, RequestInfo } from '../MispError.js'
import { abortReason, type CallSignal } from './callSignal.js'
import { chainOf, reasonOf } from './networkErrors.js'
import { redactDeep } from './redact.js'

/** The failure of one call (`budgetMs` ending at `deadline`, a `performance.now()` time). */
export const callFailure =
  (request: RequestInfo, cs: CallSignal, deadline: number, budgetMs: number, redact: (s: string) => string) =>
  (e: unknown): MispError => {
    const external = cs.aborted()
    if (external !== undefined) {
      const reason = abortReason(external)
      return redactDeep(
        { _tag: 'Aborted', request, ...(reason === undefined ? {} : { reason }) } satisfies MispError,
        redact,
      )
    }
    if (cs.timedOut() || performance.now() >= deadline)
      return { _tag: 'Timeout', request, timeoutMs: budgetMs }
    const chain = chainOf(e)
    const code = chain.codes.find((c) => c !== '')
    return redactDeep(
      {
        _tag: 'TransportError',
        request,
        reason: reasonOf(chain),
        message: chain.messages.join(': ') || 'unknown failure',
        ...(code === undefined ? {} : { code }),
      } satisfies MispError,
      redact,
    )
  }
