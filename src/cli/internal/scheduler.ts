/**
 * When `daemon` runs a link next: every `every`, jittered (90–110 %) so that links and
 * instances drift apart; after failed runs the wait doubles, up to 8 × `every`. The first run
 * comes after a short random delay (up to 10 % of `every`, at most 30 s).
 *
 * @internal
 */

/** Milliseconds until a link's next run. */
export const nextDelay = (everyMs: number, failures: number, random: () => number = Math.random): number =>
  Math.round(everyMs * 2 ** Math.min(failures, 3) * (0.9 + 0.2 * random()))

/** Milliseconds until a link's first run. */
export const firstDelay = (everyMs: number, random: () => number = Math.random): number =>
  Math.round(Math.min(everyMs * 0.1, 30_000) * random())

/** Resolves after `ms`, or at once when `signal` fires. */
export const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
