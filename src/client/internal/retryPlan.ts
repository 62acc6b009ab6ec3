/**
 * When a call is sent again: only an idempotent one (reads, read-only searches; never a write),
 * on the statuses that say "try later", with exponential backoff (jittered unless the policy says
 * not) — and only while the wait fits in the call's one time budget. A `Retry-After` (429, 503) is
 * honoured up to the policy's `maxRetryAfter`; a TLS failure is never retried.
 *
 * @internal
 */
import { HTTPError, type Options as KyOptions } from 'ky'
import type { RetryPolicy } from '../MispClientOptions.js'
import { isTlsFailure, retryAfterMs } from './networkErrors.js'

/** The statuses after which an idempotent call is sent again. */
export const RETRY_STATUSES: ReadonlyArray<number> = [408, 429, 500, 502, 503, 504]

/** The statuses whose `Retry-After` is honoured. */
export const RETRY_AFTER_STATUSES: ReadonlyArray<number> = [429, 503]

/** The longest wait before retry `n` (1-based). */
export const backoff = (policy: Required<RetryPolicy>, n: number): number =>
  Math.min(policy.maxDelay, policy.baseDelay * 2 ** (n - 1))

/** A wait of `ms` at most, jittered down to half when the policy jitters. */
export const jittered = (policy: Required<RetryPolicy>, ms: number): number =>
  policy.jitter ? ms * (0.5 + Math.random() * 0.5) : ms

/**
 * ky's retry options for one call with `limit` retries left, its time budget ending at `deadline`
 * (a `performance.now()` time): none for a call that is not idempotent.
 */
export const kyRetry = (
  idempotent: boolean,
  policy: Required<RetryPolicy>,
  limit: number,
  deadline: number,
): NonNullable<KyOptions['retry']> =>
  idempotent && limit > 0
    ? {
        limit,
        methods: ['get', 'head', 'post'],
        statusCodes: [...RETRY_STATUSES],
        afterStatusCodes: [...RETRY_AFTER_STATUSES],
        maxRetryAfter: policy.maxRetryAfter,
        backoffLimit: policy.maxDelay,
        delay: (n: number) => backoff(policy, n),
        jitter: policy.jitter ? (d: number) => jittered(policy, d) : undefined,
        retryOnTimeout: false,
        shouldRetry: ({ error, retryCount }) => {
          if (isTlsFailure(error)) return false
          const remaining = deadline - performance.now()
          if (error instanceof HTTPError) {
            const after = RETRY_AFTER_STATUSES.includes(error.response.status)
              ? retryAfterMs(error.response.headers.get('retry-after'))
              : undefined
            // `undefined` lets ky wait for the Retry-After; `true` would replace it by the backoff
            if (after !== undefined)
              return after <= policy.maxRetryAfter && after < remaining ? undefined : false
          }
          return backoff(policy, retryCount) < remaining ? undefined : false
        },
      }
    : 0
