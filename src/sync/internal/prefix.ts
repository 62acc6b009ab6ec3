/**
 * The watermark rule: with events finishing out of order, the position may only move over the
 * longest prefix of the selection (in timestamp order) whose events are all done. One failed
 * event holds it back for the rest of the run, so the next run starts at that event again.
 *
 * @internal
 */

/** Tracks which of `n` ordered items are done, and how long the all-done prefix is. */
export class ContiguousPrefix {
  readonly #state: Array<boolean | undefined>
  #length = 0

  constructor(n: number) {
    this.#state = new Array<boolean | undefined>(n)
  }

  /** how many items from the start are all done */
  get length(): number {
    return this.#length
  }

  /** Records item `i` as done (`ok`) or failed; `true` when the prefix grew. */
  mark(i: number, ok: boolean): boolean {
    this.#state[i] = ok
    const before = this.#length
    while (this.#length < this.#state.length && this.#state[this.#length] === true) this.#length++
    return this.#length > before
  }
}
