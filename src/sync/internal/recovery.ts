/**
 * What the engine does when a request fails, as data: which failures leave a write's outcome
 * unknown (look the event up, then try again), which stop the whole run (the key was refused),
 * and which end the event. Reads are retried by the client itself (within its read budget);
 * writes are never re-sent before the lookup has shown that the first one did not land.
 *
 * @internal
 */
import { setTimeout as sleep } from 'node:timers/promises'
import * as E from 'fp-ts/lib/Either.js'
import type { MispError } from '../../client/MispError.js'

/**
 * - `reconcile`: the write may or may not have been applied: look the event up by uuid, compare
 *   timestamps, and send again only when it did not land.
 * - `stop-run`: nothing more can work in this run (the server refused the API key).
 * - `fail`: the event fails; the next run tries it again (it stays in the retry set).
 */
export type Recovery = 'reconcile' | 'stop-run' | 'fail'

/** How hard the engine tries a write, or a read of the source, within one run. */
export interface RecoveryPolicy {
  /** how many times one write (create or update) is sent at most within a run */
  readonly writeAttempts: number
  /**
   * how many times one source event is read at most within a run while the reads fail
   * transiently (each read is a client call with the client's own retries)
   */
  readonly readAttempts: number
  /** milliseconds to wait before the n-th extra attempt (the last value repeats); jittered 50–100 % */
  readonly backoffMs: ReadonlyArray<number>
}

/** Writes 4 attempts, reads 3, 0.25 s / 1 s / 2 s apart (jittered). */
export const defaultRecoveryPolicy: RecoveryPolicy = {
  writeAttempts: 4,
  readAttempts: 3,
  backoffMs: [250, 1000, 2000],
}

/** HTTP statuses after which a write may have been applied (a gateway or MISP failed mid-way). */
const uncertainStatuses: ReadonlySet<number> = new Set([408, 500, 502, 503, 504])

/** The recovery for a failed write, by the error's kind. */
export const recoveryOf = (e: MispError): Recovery => {
  switch (e._tag) {
    case 'AuthenticationFailed':
      return 'stop-run'
    case 'TransportError':
      // tls / dns: nothing was sent; refused: no connection; the rest (reset, network,
      // internal) may have reached the server
      return e.reason === 'tls' || e.reason === 'dns' ? 'fail' : 'reconcile'
    case 'Timeout':
    case 'RateLimited':
      return 'reconcile'
    case 'HttpError':
      return uncertainStatuses.has(e.status) ? 'reconcile' : 'fail'
    case 'UnexpectedResponse':
      // a cut or garbled answer to a write: the server may have saved it
      return e.reason === 'invalid-json' || e.reason === 'empty' || e.reason === 'not-json'
        ? 'reconcile'
        : 'fail'
    case 'Aborted':
    case 'NotFound':
    case 'Forbidden':
    case 'ValidationFailed':
    case 'Blocklisted':
    case 'NotLocked':
    case 'InvalidArgument':
      return 'fail'
  }
}

/** Whether a failure anywhere (source or target) means the run should stop. */
export const stopsTheRun = (e: MispError): boolean => recoveryOf(e) === 'stop-run'

/** The wait before extra attempt `n` (1-based), jittered. */
export const backoff = (policy: RecoveryPolicy, n: number, random: () => number = Math.random): number => {
  const list = policy.backoffMs
  const base = list.length === 0 ? 0 : (list[Math.min(n, list.length) - 1] ?? 0)
  return Math.round(base * (0.5 + random() / 2))
}

/** A policy from the user's partial one (bad values fall back to the defaults). */
export const resolveRecovery = (p: Partial<RecoveryPolicy> | undefined): RecoveryPolicy => {
  const list = p?.backoffMs
  const count = (n: unknown, fallback: number): number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 20 ? n : fallback
  return {
    writeAttempts: count(p?.writeAttempts, defaultRecoveryPolicy.writeAttempts),
    readAttempts: count(p?.readAttempts, defaultRecoveryPolicy.readAttempts),
    backoffMs:
      Array.isArray(list) && list.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)
        ? list
        : defaultRecoveryPolicy.backoffMs,
  }
}

/**
 * Runs an idempotent call up to `attempts` times while its failures are transient (the outcome of
 * a write unknown, a read cut short or refused for a moment), waiting the policy's backoff between.
 */
const whileTransient = async <A>(
  op: () => Promise<E.Either<MispError, A>>,
  attempts: number,
  policy: RecoveryPolicy,
  signal: AbortSignal | undefined,
): Promise<E.Either<MispError, A>> => {
  for (let n = 1; ; n++) {
    const r = await op()
    if (E.isRight(r) || recoveryOf(r.left) !== 'reconcile' || n >= attempts) return r
    const aborted = (): boolean => signal?.aborted === true
    if (aborted()) return r
    await sleep(backoff(policy, n), undefined, signal === undefined ? {} : { signal }).catch(() => undefined)
    if (aborted()) return r
  }
}

/**
 * Runs an **idempotent** write (attach or detach a tag, delete an attribute: sending it again
 * after it landed answers "already attached", "not attached" or "not found") up to
 * `writeAttempts` times while its failures leave the outcome unknown.
 */
export const idempotentWrite = <A>(
  op: () => Promise<E.Either<MispError, A>>,
  policy: RecoveryPolicy,
  signal: AbortSignal | undefined,
): Promise<E.Either<MispError, A>> => whileTransient(op, policy.writeAttempts, policy, signal)

/**
 * Reads again (up to `readAttempts` reads in all) when a read's failure is transient: a reset, a
 * 5xx, a 429, a timeout or a cut body that outlasted the client's own retries. `op(n)` is the
 * n-th read (1-based). A refusal (not found, forbidden, the key refused) is not read again.
 */
export const transientRead = <A>(
  op: (n: number) => Promise<E.Either<MispError, A>>,
  policy: RecoveryPolicy,
  signal: AbortSignal | undefined,
): Promise<E.Either<MispError, A>> => {
  let n = 0
  return whileTransient(() => op(++n), policy.readAttempts, policy, signal)
}
