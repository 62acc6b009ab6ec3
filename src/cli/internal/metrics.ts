/**
 * The metrics file: Prometheus text exposition format, rewritten atomically after each run (the
 * node_exporter textfile collector convention: a `*.prom` file replaced by rename). Per link:
 * the last run's events by outcome, last run and last success timestamps, run duration, whether
 * it was ok, consecutive failed runs, and the retry set's size.
 *
 * @internal
 */

import { writeFileAtomic } from '../../sync/internal/writeFileAtomic.js'
import { outcomes } from '../../sync/TransferResult.js'
import type { RunRecord } from './runRecord.js'

const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

const seconds = (iso: string): number => Date.parse(iso) / 1000

interface Family {
  readonly name: string
  readonly help: string
  readonly samples: (link: string, r: RunRecord | undefined) => ReadonlyArray<readonly [string, number]>
}

const FAMILIES: ReadonlyArray<Family> = [
  {
    name: 'misp_bridge_events',
    help: "Events of the link's last run, by outcome.",
    samples: (link, r) =>
      r?.lastRun === undefined
        ? []
        : outcomes.map((o) => [`{link="${label(link)}",outcome="${o}"}`, r.lastRun!.counts[o]] as const),
  },
  {
    name: 'misp_bridge_last_run_timestamp_seconds',
    help: "When the link's last run ended (unix seconds).",
    samples: (link, r) =>
      r?.lastRun === undefined ? [] : [[`{link="${label(link)}"}`, seconds(r.lastRun.finishedAt)]],
  },
  {
    name: 'misp_bridge_last_success_timestamp_seconds',
    help: "When the link's last successful run (every event done) ended (unix seconds).",
    samples: (link, r) =>
      r?.lastSuccess === undefined ? [] : [[`{link="${label(link)}"}`, seconds(r.lastSuccess.finishedAt)]],
  },
  {
    name: 'misp_bridge_last_run_duration_seconds',
    help: "How long the link's last run took.",
    samples: (link, r) =>
      r?.lastRun === undefined ? [] : [[`{link="${label(link)}"}`, r.lastRun.durationMs / 1000]],
  },
  {
    name: 'misp_bridge_last_run_ok',
    help: "1 when the link's last run transferred every selected event, else 0.",
    samples: (link, r) =>
      r?.lastRun === undefined ? [] : [[`{link="${label(link)}"}`, r.lastRun.ok ? 1 : 0]],
  },
  {
    name: 'misp_bridge_consecutive_failed_runs',
    help: 'Runs of the link in a row that were not ok.',
    samples: (link, r) => (r === undefined ? [] : [[`{link="${label(link)}"}`, r.failures]]),
  },
  {
    name: 'misp_bridge_retry_events',
    help: "Events in the link's retry set (failed, tried again by the next run).",
    samples: (link, r) => (r === undefined ? [] : [[`{link="${label(link)}"}`, r.retry.length]]),
  },
]

/** The metrics text of the links (in the config's order; a link that never ran has no samples). */
export const metricsText = (
  links: ReadonlyArray<{ readonly name: string; readonly record: RunRecord | undefined }>,
): string =>
  FAMILIES.map((f) =>
    [
      `# HELP ${f.name} ${f.help}`,
      `# TYPE ${f.name} gauge`,
      ...links.flatMap((l) => f.samples(l.name, l.record).map(([labels, v]) => `${f.name}${labels} ${v}`)),
      '',
    ].join('\n'),
  ).join('')

/** Rewrites the metrics file atomically (0600). */
export const writeMetrics = (
  path: string,
  links: ReadonlyArray<{ readonly name: string; readonly record: RunRecord | undefined }>,
): Promise<void> => writeFileAtomic(path, metricsText(links))
