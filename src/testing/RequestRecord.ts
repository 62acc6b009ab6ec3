/**
 * What the emulator records of each request it receives ({@link RequestRecord}). Exported by
 * `MispEmulator.ts`.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * One request as the emulator saw it. `status` is 0 while (or when) no answer was sent.
 *
 * @category model
 * @since 0.1.0
 */
export interface RequestRecord {
  readonly method: string
  /** Path relative to the emulator's base URL, query string included (e.g. `/events/add`). */
  readonly path: string
  readonly status: number
  /** The injected fault's label (`'status:503'`, `'rate-limit'`, `'reset'`, `'reset-after-write'`, `'hang'`, …), if any. */
  readonly fault?: string
  /** Arrival time (ms since the epoch). */
  readonly at: number
  /** The request body, parsed as JSON when possible. */
  readonly body?: unknown
}
