/**
 * Where a sync keeps its progress between runs: a {@link Watermark} per connection (direction,
 * source, target). The watermark says "every source event up to here is done" and only moves
 * past events that are done (`created`, `updated`, `unchanged`, `skipped`), so a run that was
 * interrupted or had failures, run again, picks up every event it missed.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * An event that failed in a run and is tried again by the next one, whatever the watermark.
 *
 * @category model
 * @since 0.2.0
 */
export interface RetryEntry {
  readonly uuid: string
  /** the source event's `timestamp` (unix seconds) when it was listed */
  readonly timestamp: number
}

/**
 * A position in the source's events, ordered by `timestamp` then `uuid`: every event at or
 * before it was done when it was saved — except the ones in `retry`, which failed and are
 * selected again by the next run. So a failure does not hold the position back: the next run
 * reads the events changed since, plus the retry set.
 *
 * @category model
 * @since 0.1.0
 */
export interface Watermark {
  /** the source event's `timestamp` (unix seconds) */
  readonly timestamp: number
  /** the source event's uuid (lower case), which orders events of the same second */
  readonly uuid: string
  /** events at or before the position that are not done yet (absent: none) */
  readonly retry?: ReadonlyArray<RetryEntry>
  /**
   * The other events the run listed in the position's own second, before it (lower uuids, lower
   * case; absent: none). MISP stamps an event with the second it is saved in, so an event saved in
   * that second just after the run read the list can sort before the position: one not named here
   * is selected by the next run.
   *
   * @since 0.3.0
   */
  readonly atSecond?: ReadonlyArray<string>
}

/**
 * A state store could not load or save.
 *
 * @category model
 * @since 0.1.0
 */
export interface StateError {
  readonly _tag: 'StateError'
  readonly store: string
  readonly message: string
  readonly code?: string
}

/**
 * Keeps watermarks by key. The connectors use the key `<direction> <source url> -> <target
 * url>`, so one store can serve several connections. A store keeps every field of the
 * {@link Watermark} it is given (`retry`, `atSecond`): one that keeps only the position makes the
 * next run miss failed events and re-check its position's second.
 *
 * @category model
 * @since 0.1.0
 */
export interface StateStore {
  /** a short name for error messages, e.g. `file:/var/lib/misp-bridge/state.json` */
  readonly name: string
  /** the watermark saved under `key`, or `undefined` when there is none yet */
  readonly load: (key: string) => TE.TaskEither<StateError, Watermark | undefined>
  /** saves the watermark under `key`; answers only once it is stored (durably, for a file) */
  readonly save: (key: string, watermark: Watermark) => TE.TaskEither<StateError, void>
}

/**
 * The in-memory state store, with a look at what it holds.
 *
 * @category model
 * @since 0.1.0
 */
export interface MemoryStateStore extends StateStore {
  /** what the store holds, by key */
  readonly watermarks: ReadonlyMap<string, Watermark>
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * A `StateError` from anything thrown (or a message), with the file-system `errorCode` when the
 * message is not the error itself.
 *
 * @category constructors
 * @since 0.1.0
 */
export const stateError = (store: string, cause: unknown, errorCode?: string): StateError => {
  const code =
    errorCode ??
    (typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string'
      ? (cause as { code: string }).code
      : undefined)
  return {
    _tag: 'StateError',
    store,
    message: cause instanceof Error ? cause.message : String(cause),
    ...(code === undefined ? {} : { code }),
  }
}

/**
 * A state store in memory (lost when the process ends): tests, or one process running many
 * syncs.
 *
 * @category constructors
 * @since 0.1.0
 */
export const memoryStateStore = (initial: Iterable<readonly [string, Watermark]> = []): MemoryStateStore => {
  const watermarks = new Map<string, Watermark>(initial)
  return {
    name: 'memory',
    watermarks,
    load: (key) => async () => E.right(watermarks.get(key)),
    save: (key, w) => async () => {
      watermarks.set(key, w)
      return E.right(undefined)
    },
  }
}

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

/**
 * Orders positions: by timestamp, then by uuid (case-insensitive).
 *
 * @category utils
 * @since 0.1.0
 */
export const compareWatermarks = (a: Watermark, b: Watermark): number => {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  const x = a.uuid.toLowerCase()
  const y = b.uuid.toLowerCase()
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * Whether a value is a watermark (for stores that read JSON).
 *
 * @category utils
 * @since 0.1.0
 */
export const isWatermark = (u: unknown): u is Watermark => {
  if (!isRetryEntry(u)) return false
  const retry: unknown = (u as { retry?: unknown }).retry
  const atSecond: unknown = (u as { atSecond?: unknown }).atSecond
  return (
    (retry === undefined || (Array.isArray(retry) && retry.every(isRetryEntry))) &&
    (atSecond === undefined || (Array.isArray(atSecond) && atSecond.every((x) => typeof x === 'string')))
  )
}

/**
 * Whether a value is a retry entry (`{uuid, timestamp}`).
 *
 * @category utils
 * @since 0.2.0
 */
export const isRetryEntry = (u: unknown): u is RetryEntry =>
  typeof u === 'object' &&
  u !== null &&
  Number.isSafeInteger((u as { timestamp?: unknown }).timestamp) &&
  typeof (u as { uuid?: unknown }).uuid === 'string'

/**
 * Renders a watermark for people: `1700000000 / 5a4c0c79-…`.
 *
 * @category utils
 * @since 0.1.0
 */
export const formatWatermark = (w: Watermark): string =>
  `${w.timestamp} (${new Date(w.timestamp * 1000).toISOString()}) / ${w.uuid}${
    w.retry === undefined || w.retry.length === 0 ? '' : ` (+${w.retry.length} to retry)`
  }`
