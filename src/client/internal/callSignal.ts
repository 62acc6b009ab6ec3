/**
 * One call's abort signal: the caller's signals (the client's and the call's) and the call's time
 * budget in one `AbortController`, released as soon as the call ends. Unlike
 * `AbortSignal.any([…, AbortSignal.timeout(ms)])` per call, it leaves no pending timer and no
 * dependent signal on a long-lived caller's signal behind (a sync run sends thousands of calls
 * under one run signal).
 *
 * @internal
 */

/** The signal of one call. */
export interface CallSignal {
  readonly signal: AbortSignal
  /** the first of the caller's signals that was aborted, if any */
  readonly aborted: () => AbortSignal | undefined
  /** whether the time budget ran out */
  readonly timedOut: () => boolean
  /** stops the timer and the listeners; the signal stays as it is */
  readonly dispose: () => void
}

/** A signal that aborts when one of `signals` does, or after `budgetMs`. */
export const callSignal = (budgetMs: number, signals: ReadonlyArray<AbortSignal | undefined>): CallSignal => {
  const controller = new AbortController()
  const present = signals.filter((s): s is AbortSignal => s !== undefined)
  let expired = false
  const listeners: Array<[AbortSignal, () => void]> = []
  const timer = setTimeout(() => {
    expired = true
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
  }, budgetMs)
  timer.unref?.()
  const dispose = (): void => {
    clearTimeout(timer)
    for (const [s, f] of listeners) s.removeEventListener('abort', f)
    listeners.length = 0
  }
  for (const s of present) {
    if (s.aborted) {
      controller.abort(s.reason)
      break
    }
    const f = (): void => {
      controller.abort(s.reason)
      dispose()
    }
    s.addEventListener('abort', f, { once: true })
    listeners.push([s, f])
  }
  if (controller.signal.aborted) dispose()
  return {
    signal: controller.signal,
    aborted: () => present.find((s) => s.aborted),
    timedOut: () => expired,
    dispose,
  }
}

/** Waits `ms`, or less when `signal` aborts first (the call's signal: aborted or out of time). */
export const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })

/** Why a caller's signal aborted, in words, when it says. */
export const abortReason = (signal: AbortSignal): string | undefined => {
  const r: unknown = signal.reason
  if (r === undefined) return undefined
  if (r instanceof Error) return r.message === '' ? r.name : `${r.name}: ${r.message}`
  return typeof r === 'string' ? r : undefined
}
