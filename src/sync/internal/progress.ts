/**
 * Where a run stands, as the state store keeps it: the position moves over the contiguous prefix
 * of *attempted* events (in selection order), and the events in that prefix that did not end
 * done go into the retry set. So one failure no longer holds the position back: the next run
 * selects what changed since, plus the retry set. With the position go the other events listed in
 * its own second before it (`atSecond`): one of that second the next run lists and this run did
 * not was saved after the list was read, and is selected.
 *
 * @internal
 */
import { compareWatermarks, type RetryEntry, type Watermark } from '../StateStore.js'
import { ContiguousPrefix } from './prefix.js'
import type { SourceRow } from './spec.js'

/** A row's position. */
export const rowMark = (r: SourceRow): Watermark => ({ timestamp: r.timestamp, uuid: r.uuid.toLowerCase() })

/**
 * Whether `before` already covers row `r`: at or before the position — but for an event in the
 * position's own second that the run which saved it did not list (`atSecond`): MISP stamped it
 * with that second after the list was read.
 */
export const coveredBy = (r: SourceRow, before: Watermark): boolean => {
  const mark = rowMark(r)
  const order = compareWatermarks(mark, before)
  if (order > 0) return false
  if (order === 0 || mark.timestamp !== before.timestamp) return true
  return before.atSecond?.includes(mark.uuid) ?? false
}

/** The position and retry set of a run over `rows` (sorted by position), from `before`. */
export class Progress {
  readonly #rows: ReadonlyArray<SourceRow>
  readonly #before: Watermark | undefined
  readonly #attempted: ContiguousPrefix
  readonly #done: Array<boolean | undefined>

  readonly #listed: ReadonlyArray<SourceRow>

  /** `listed`: the rows the source listed that the run did not select (already covered) */
  constructor(
    rows: ReadonlyArray<SourceRow>,
    before: Watermark | undefined,
    listed: ReadonlyArray<SourceRow> = [],
  ) {
    this.#rows = rows
    this.#before = before
    this.#listed = listed
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

  /** The other events seen in the position's second, before it (see `Watermark.atSecond`). */
  #atSecond(position: Watermark): ReadonlyArray<string> {
    const seen = new Set<string>()
    if (this.#before?.timestamp === position.timestamp)
      for (const u of this.#before.atSecond ?? []) seen.add(u)
    for (const r of [...this.#rows, ...this.#listed]) {
      const m = rowMark(r)
      if (m.timestamp === position.timestamp && m.uuid < position.uuid) seen.add(m.uuid)
    }
    return [...seen].sort()
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
    const atSecond = this.#atSecond(position)
    return {
      ...position,
      ...(retry.length === 0 ? {} : { retry }),
      ...(atSecond.length === 0 ? {} : { atSecond }),
    }
  }
}
