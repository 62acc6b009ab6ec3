/**
 * Where a run stands, as the state store keeps it: the position moves over the contiguous prefix
 * of *attempted* events (in selection order), and the events in that prefix that did not end
 * done go into the retry set. So one failure no longer holds the position back: the next run
 * selects what changed since, plus the retry set.
 *
 * @internal
 */
import { compareWatermarks, type RetryEntry, type Watermark } from '../StateStore.js'
import { ContiguousPrefix } from './prefix.js'
import type { SourceRow } from './spec.js'

/** A row's position. */
export const rowMark = (r: SourceRow): Watermark => ({ timestamp: r.timestamp, uuid: r.uuid.toLowerCase() })

/** The position and retry set of a run over `rows` (sorted by position), from `before`. */
export class Progress {
  readonly #rows: ReadonlyArray<SourceRow>
  readonly #before: Watermark | undefined
  readonly #attempted: ContiguousPrefix
  readonly #done: Array<boolean | undefined>

  constructor(rows: ReadonlyArray<SourceRow>, before: Watermark | undefined) {
    this.#rows = rows
    this.#before = before
    this.#attempted = new ContiguousPrefix(rows.length)
    this.#done = new Array<boolean | undefined>(rows.length)
  }

  /** Records row `i` as attempted, `done` or not; `true` when the saved state would change. */
  mark(i: number, done: boolean): boolean {
    this.#done[i] = done
    const moved = this.#attempted.mark(i, true)
    // a retry-set event that is now done changes the state even when the position does not move
    return moved || (done && this.#isRetried(i))
  }

  #isRetried(i: number): boolean {
    const r = this.#rows[i]
    const b = this.#before
    return r !== undefined && b !== undefined && compareWatermarks(rowMark(r), b) <= 0
  }

  /** The state to save: `undefined` while neither the position nor the retry set has anything. */
  current(): Watermark | undefined {
    const n = this.#attempted.length
    const last = n === 0 ? undefined : this.#rows[n - 1]
    let position: Watermark | undefined =
      this.#before === undefined ? undefined : { timestamp: this.#before.timestamp, uuid: this.#before.uuid }
    if (last !== undefined && (position === undefined || compareWatermarks(rowMark(last), position) > 0))
      position = rowMark(last)
    if (position === undefined) return undefined
    const retry: Array<RetryEntry> = []
    this.#rows.forEach((r, i) => {
      if (this.#done[i] !== true && compareWatermarks(rowMark(r), position) <= 0)
        retry.push({ uuid: r.uuid.toLowerCase(), timestamp: r.timestamp })
    })
    return retry.length === 0 ? position : { ...position, retry }
  }
}
