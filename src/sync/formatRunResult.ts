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

/** What a dry run says instead of an outcome that would have written. */
const WOULD: Readonly<Partial<Record<Outcome, string>>> = { created: 'would create', updated: 'would update' }

/**
 * `3 created, 1 updated, 40 unchanged, 0 skipped, 0 failed`; for a dry run (`dryRun`),
 * `3 would create, 1 would update, …`: nothing was written.
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatOutcomeCounts = (counts: Readonly<Record<Outcome, number>>, dryRun = false): string =>
  outcomes.map((o) => `${counts[o]} ${(dryRun ? WOULD[o] : undefined) ?? o}`).join(', ')

/**
 * One event's line: outcome, uuid, target id, an optional label, the number of losses, and on
 * the next line the error (or the reason it was skipped). In a dry run (`dryRun`), `created` and
 * `updated` read `would create` and `would update`.
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatTransferResult = (e: TransferResult, label?: string, dryRun = false): string => {
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
  const outcome = (dryRun ? WOULD[e.outcome] : undefined) ?? e.outcome
  return `    ${outcome.padEnd(dryRun ? 12 : 9)} ${e.uuid}${target}${label === undefined ? '' : `  ${label}`}${losses}${why}`
}

/**
 * Options of {@link formatRunResult}.
 *
 * @category model
 * @since 0.1.0
 */
export interface FormatRunOptions {
  /**
   * a line for every event (default: the events that failed or lost something in the
   * conversion, at most `maxEventLines` of them; skipped events are grouped by reason)
   */
  readonly allEvents?: boolean
  /** the most event lines shown by default (default 50); the rest are counted on one line */
  readonly maxEventLines?: number
  /** a label after an event's uuid (the demo shows the event's `info`) */
  readonly eventLabel?: (uuid: string) => string | undefined
}

/** An event the default report shows: it failed, or lost something (skips are grouped by reason). */
const notable = (e: TransferResult): boolean => e.outcome === 'failed' || e.losses.length > 0

/**
 * The summary of a run, several lines: direction and servers (and the run's `since` as a date),
 * counts per outcome and duration, losses by kind, the watermark, why events were skipped
 * (grouped), a line for each event that failed or lost something (or for every event), what was
 * not attempted and why, the run's errors and its notices.
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
  const since =
    r.since === undefined ? '' : `  since ${new Date(r.since * 1000).toISOString().replace(/\.000Z$/, 'Z')}`
  lines.push(
    `${r.direction.replace('->', ' → ')}  ${r.from} → ${r.to}${since}${r.dryRun ? '  (dry run: nothing written)' : ''}`,
  )
  lines.push(
    `  ${r.selected} selected: ${formatOutcomeCounts(r.counts, r.dryRun)}  (${(r.durationMs / 1000).toFixed(2)} s)`,
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
  const all = options.allEvents === true
  const listed = all ? r.events : r.events.filter(notable)
  const max = all ? listed.length : Math.max(0, options.maxEventLines ?? 50)
  for (const e of listed.slice(0, max))
    lines.push(formatTransferResult(e, options.eventLabel?.(e.uuid), r.dryRun))
  if (listed.length > max)
    lines.push(`    … and ${listed.length - max} more event(s) that failed or lost something`)
  if (r.notAttempted.length > 0 || r.stopped !== undefined)
    lines.push(
      `  not attempted: ${r.notAttempted.length} event(s)${r.stopped === undefined ? '' : ` (stopped: ${r.stopped})`}`,
    )
  for (const e of r.errors) lines.push(`  error: ${formatRunError(e)}`)
  for (const n of r.notices ?? []) lines.push(`  note: ${n}`)
  return `${lines.join('\n')}\n`
}
