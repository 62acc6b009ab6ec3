/**
 * The progress line on a terminal.
 *
 * @internal
 */
import { formatOutcomeCounts } from '../../sync/formatRunResult.js'
import type { Outcome, TransferResult } from '../../sync/TransferResult.js'
import type { TextOut } from '../Io.js'

/** A one-line progress display on a terminal (stderr); nothing when it is not a TTY. */
export const progressLine = (out: TextOut, dryRun = false) => {
  const active = out.isTTY === true
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 }
  let shown = false
  return {
    selected: (total: number, label: string): void => {
      if (!active) return
      out.write(`\r\x1b[2K${label}: ${total} event(s) selected`)
      shown = true
    },
    done: (result: TransferResult, done: number, total: number, label: string): void => {
      counts[result.outcome]++
      if (!active) return
      out.write(`\r\x1b[2K${label}: [${done}/${total}] ${formatOutcomeCounts(counts, dryRun)}`)
      shown = true
    },
    end: (): void => {
      if (active && shown) out.write('\r\x1b[2K')
      shown = false
    },
  }
}
