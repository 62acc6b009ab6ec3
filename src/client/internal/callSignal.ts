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
