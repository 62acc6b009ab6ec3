/**
 * Runs and event results for people: the summary `misp-bridge sync` prints.
 *
 * @since 0.1.0
 */
import { formatRunError, type RunResult } from './RunResult.js'
import { formatWatermark } from './StateStore.js'
import {
  formatChanges,
  formatTransferError,
  type Outcome,
  outcomes,
  type TransferResult,
} from './TransferResult.js'

/**
 * `3 created, 1 updated, 40 unchanged, 0 skipped, 0 failed`.
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatOutcomeCounts = (counts: Readonly<Record<Outcome, number>>): string =>
  outcomes.map((o) => `${counts[o]} ${o}`).join(', ')

/**
 * One event's line: outcome, uuid, target id, an optional label, the number of losses, and on
 * the next line the error (or the reason it was skipped).
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatTransferResult = (e: TransferResult, label?: string): string => {
  const target = e.targetId === undefined ? '' : ` → #${e.targetId}`
  const losses = e.losses.length === 0 ? '' : `, ${e.losses.length} loss${e.losses.length === 1 ? '' : 'es'}`
  const changes = e.changes === undefined ? '' : formatChanges(e.changes)
  const why =
    e.error !== undefined
      ? `\n      ${formatTransferError(e.error).replace(/\n/g, '\n      ')}`
      : e.reason !== undefined && e.outcome !== 'unchanged'
        ? `\n      ${e.reason}`
        : changes !== ''
          ? `\n      ${changes}`
          : ''
  return `    ${e.outcome.padEnd(9)} ${e.uuid}${target}${label === undefined ? '' : `  ${label}`}${losses}${why}`
}

/**
 * Options of {@link formatRunResult}.
 *
 * @category model
 * @since 0.1.0
 */
export interface FormatRunOptions {
  /** a line for every event (default: only the failed ones) */
  readonly allEvents?: boolean
  /** a label after an event's uuid (the demo shows the event's `info`) */
  readonly eventLabel?: (uuid: string) => string | undefined
}

/**
 * The summary of a run, several lines: direction and servers, counts per outcome and duration,
 * losses by kind, the watermark, why events were skipped (grouped), the failed events (or all),
 * what was not attempted and why, the run's errors and its notices.
 *
 * @example
 * console.log(formatRunResult(await bridge.sync()()))
 * // 2.4 → 2.3  https://misp24.example.org/ → https://misp23.example.org/
 * //   3 selected: 1 created, 0 updated, 1 unchanged, 1 skipped, 0 failed  (0.07 s)
 * //   losses: FieldsDropped 16, DistributionChanged 4, ValueChanged 1, ObjectFlattened 1
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatRunResult = (r: RunResult, options: FormatRunOptions = {}): string => {
  const lines: Array<string> = []
  lines.push(
    `${r.direction.replace('->', ' → ')}  ${r.from} → ${r.to}${r.dryRun ? '  (dry run: nothing written)' : ''}`,
  )
  lines.push(
    `  ${r.selected} selected: ${formatOutcomeCounts(r.counts)}  (${(r.durationMs / 1000).toFixed(2)} s)`,
  )
  const kinds = Object.entries(r.lossesByKind)
  if (kinds.length > 0) lines.push(`  losses: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`)
  const c = r.changes
  if (c.tagsAttached + c.tagsDetached + c.attributesDeleted > 0)
    lines.push(
      `  ${r.dryRun ? 'would change' : 'changed'}: ${c.tagsAttached} tag(s) attached${
        c.tagsCreated === 0 ? '' : ` (${c.tagsCreated} created on the target)`
      }, ${c.tagsDetached} removed, ${c.attributesDeleted} retracted attribute(s) deleted`,
    )
  if (r.watermark !== undefined) {
    const { before, after } = r.watermark
    lines.push(
      `  watermark: ${before === undefined ? '(none)' : formatWatermark(before)}${
        after !== undefined && after !== before ? ` → ${formatWatermark(after)}` : ' (unchanged)'
      }`,
    )
  }
  // why events were skipped, most frequent first (a rule's reason names the rule and the value)
  if (options.allEvents !== true) {
    const why = new Map<string, number>()
    for (const e of r.events)
      if (e.outcome === 'skipped' && e.reason !== undefined)
        why.set(e.reason.split('; ')[0]!, (why.get(e.reason.split('; ')[0]!) ?? 0) + 1)
    const top = [...why].sort((a, b) => b[1] - a[1])
    for (const [reason, n] of top.slice(0, 5)) lines.push(`  skipped ${n}: ${reason}`)
    if (top.length > 5) lines.push(`  skipped for ${top.length - 5} other reason(s): see the log`)
  }
  const shown = options.allEvents === true ? r.events : r.events.filter((e) => e.outcome === 'failed')
  for (const e of shown) lines.push(formatTransferResult(e, options.eventLabel?.(e.uuid)))
  if (r.notAttempted.length > 0 || r.stopped !== undefined)
    lines.push(
      `  not attempted: ${r.notAttempted.length} event(s)${r.stopped === undefined ? '' : ` (stopped: ${r.stopped})`}`,
    )
  for (const e of r.errors) lines.push(`  error: ${formatRunError(e)}`)
  for (const n of r.notices ?? []) lines.push(`  note: ${n}`)
  return `${lines.join('\n')}\n`
}
