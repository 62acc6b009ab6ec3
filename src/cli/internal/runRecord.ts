/**
 * What `status` and the metrics read about a link: its last run (times, outcome counts, errors),
 * its last successful run, and the events waiting in the retry set with their last error. One
 * JSON file per link next to the state file (`<state>.<link>.status.json`), rewritten after each
 * run while the link's lock is held.
 *
 * @internal
 */
import { readFile } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import { writeFileAtomic } from '../../sync/internal/writeFileAtomic.js'
import type { RunResult } from '../../sync/RunResult.js'
import { formatRunError } from '../../sync/RunResult.js'
import { formatTransferError, type Outcome } from '../../sync/TransferResult.js'

export interface RunSummary {
  readonly startedAt: string
  readonly finishedAt: string
  readonly durationMs: number
  readonly ok: boolean
  readonly selected: number
  readonly counts: Readonly<Record<Outcome, number>>
  /** run-level errors, and why the run did not start (servers, keys, files) */
  readonly errors: ReadonlyArray<string>
  readonly notAttempted: number
}

export interface RetryItem {
  readonly uuid: string
  readonly lastError: string
  /** when it last failed */
  readonly at: string
}

export interface RunRecord {
  readonly version: 1
  readonly link: string
  readonly stateKey?: string
  readonly lastRun?: RunSummary
  readonly lastSuccess?: RunSummary
  /** consecutive runs that were not ok */
  readonly failures: number
  readonly retry: ReadonlyArray<RetryItem>
}

export const recordPath = (state: string, link: string): string => `${state}.${link}.status.json`

const isRecord = (u: unknown): u is RunRecord =>
  typeof u === 'object' && u !== null && (u as { version?: unknown }).version === 1

/** The link's record; `undefined` when it never ran; `Left` when the file is not one. */
export const readRunRecord = async (
  state: string,
  link: string,
): Promise<E.Either<string, RunRecord | undefined>> => {
  const path = recordPath(state, link)
  try {
    const json: unknown = JSON.parse(await readFile(path, 'utf8'))
    return isRecord(json) ? E.right(json) : E.left(`${path} is not a misp-bridge status record`)
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return E.right(undefined)
    return E.left(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** A run that did not start (servers, keys, files): its summary. */
export const failedStart = (startedAt: Date, message: string): RunSummary => {
  const now = new Date()
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: now.toISOString(),
    durationMs: now.getTime() - startedAt.getTime(),
    ok: false,
    selected: 0,
    counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
    errors: [message],
    notAttempted: 0,
  }
}

export const summaryOf = (r: RunResult): RunSummary => ({
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  durationMs: r.durationMs,
  ok: r.ok,
  selected: r.selected,
  counts: r.counts,
  errors: r.errors.map(formatRunError),
  notAttempted: r.notAttempted.length,
})

/**
 * The record after a run: `retryUuids` is the state's retry set after it; each keeps its last
 * error (this run's failure, else the one recorded before).
 */
export const nextRecord = (
  before: RunRecord | undefined,
  link: string,
  run: { readonly summary: RunSummary; readonly result?: RunResult; readonly stateKey?: string },
  retryUuids: ReadonlyArray<string>,
): RunRecord => {
  const failedNow = new Map(
    (run.result?.events ?? [])
      .filter((e) => e.outcome === 'failed')
      .map((e) => [
        e.uuid.toLowerCase(),
        e.error === undefined ? (e.reason ?? 'failed') : formatTransferError(e.error),
      ]),
  )
  const known = new Map((before?.retry ?? []).map((r) => [r.uuid.toLowerCase(), r]))
  const retry = retryUuids.map((uuid): RetryItem => {
    const now = failedNow.get(uuid.toLowerCase())
    return now !== undefined
      ? { uuid, lastError: now, at: run.summary.finishedAt }
      : (known.get(uuid.toLowerCase()) ?? { uuid, lastError: 'unknown', at: run.summary.finishedAt })
  })
  const stateKey = run.stateKey ?? before?.stateKey
  return {
    version: 1,
    link,
    ...(stateKey === undefined ? {} : { stateKey }),
    lastRun: run.summary,
    ...(run.summary.ok
      ? { lastSuccess: run.summary }
      : before?.lastSuccess === undefined
        ? {}
        : { lastSuccess: before.lastSuccess }),
    failures: run.summary.ok ? 0 : (before?.failures ?? 0) + 1,
    retry,
  }
}

export const writeRunRecord = (state: string, record: RunRecord): Promise<void> =>
  writeFileAtomic(recordPath(state, record.link), `${JSON.stringify(record, null, 2)}\n`)
