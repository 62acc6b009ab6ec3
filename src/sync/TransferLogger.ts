/**
 * The pluggable transfer log: a `TransferLogger` receives one {@link TransferAttempt} per event
 * attempt — the record (uuid, date, direction, outcome, target id, losses, error) and the JSON
 * documents of the attempt (as read from the source, as sent to the target, as the target stored
 * it). Shipped: a JSON Lines file log (`jsonLinesLog`), a directory archive
 * (`directoryArchive`), an in-memory logger (`memoryLogger`), and `combineLoggers`.
 *
 * A logger that fails is loud: the attempt is reported `failed` with a `LogFailed` error and the
 * run stops starting events. No transfer is reported done without its record.
 *
 * This log is the audit trail of what was transferred; diagnostics go to `debug`
 * (`DEBUG=misp-bridge:*`), never here.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Loss } from '../convert/Loss.js'
import type { TransferRecord } from './TransferRecord.js'
import type { EventChanges } from './TransferResult.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * A logger could not store an attempt (a file that cannot be written, a full disk, …).
 *
 * @category model
 * @since 0.1.0
 */
export interface LogError {
  readonly _tag: 'LogError'
  /** the logger's name, e.g. `jsonl:/var/log/misp-bridge.jsonl` */
  readonly logger: string
  readonly message: string
  /** the system error code, when there is one (`ENOENT`, `EACCES`, `ENOSPC`, …) */
  readonly code?: string
}

/**
 * Everything known about one event attempt.
 *
 * @category model
 * @since 0.1.0
 */
export interface TransferAttempt {
  /** the log record (JSON-ready; losses summarised) */
  readonly record: TransferRecord
  /** every loss of the conversion (may be long: one per attribute of a large event) */
  readonly losses: ReadonlyArray<Loss>
  /** the event as read from the source, in the source's wire JSON (`{"Event": …}`) */
  readonly source?: unknown
  /** the body sent to the target (in a dry run: the body that would have been sent) */
  readonly sent?: unknown
  /** the event as the target stored it: its answer to the create or update */
  readonly stored?: unknown
  /** what the tag and retraction step changed on the target (the exact lists), when anything */
  readonly changes?: EventChanges
}

/**
 * Receives one attempt per event. `log` must resolve only once the attempt is stored (durably,
 * for a file), and answer `Left` — not throw — when it cannot store it. A logger that throws or
 * rejects anyway is treated as answering `Left`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TransferLogger {
  /** a short name for error messages, e.g. `jsonl:/var/log/bridge.jsonl` */
  readonly name: string
  /** stores one attempt; `Right` only once it is stored, `Left` when it cannot be */
  readonly log: (attempt: TransferAttempt) => TE.TaskEither<LogError, void>
}

/**
 * The in-memory logger: keeps every attempt (tests, examples, embedding).
 *
 * @category model
 * @since 0.1.0
 */
export interface MemoryLogger extends TransferLogger {
  /** every attempt received, in order */
  readonly attempts: ReadonlyArray<TransferAttempt>
  /** the attempts' records, in order */
  readonly records: ReadonlyArray<TransferRecord>
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

const messageOf = (e: unknown): { readonly message: string; readonly code?: string } => {
  const code =
    typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
      ? (e as { code: string }).code
      : undefined
  return {
    message: e instanceof Error ? e.message : String(e),
    ...(code === undefined ? {} : { code }),
  }
}

/**
 * A `LogError` from anything thrown.
 *
 * @category constructors
 * @since 0.1.0
 */
export const logError = (logger: string, cause: unknown): LogError => ({
  _tag: 'LogError',
  logger,
  ...messageOf(cause),
})

/**
 * Makes a logger from an async function: a rejection becomes a `LogError`. The easiest way to
 * write your own (a database, a message queue, …).
 *
 * @example
 * const toConsole = transferLogger('console', async ({ record }) => {
 *   console.log(record.uuid, record.outcome)
 * })
 *
 * @category constructors
 * @since 0.1.0
 */
export const transferLogger = (
  name: string,
  write: (attempt: TransferAttempt) => Promise<void>,
): TransferLogger => ({
  name,
  log: (attempt) => async () => {
    try {
      await write(attempt)
      return E.right(undefined)
    } catch (e) {
      return E.left(logError(name, e))
    }
  },
})

/**
 * An in-memory logger.
 *
 * @example
 * const memory = memoryLogger()
 * await connect23to24({ from, to, logger: memory }).sync()()
 * memory.records.map((r) => `${r.uuid} ${r.outcome}`)
 *
 * @category constructors
 * @since 0.1.0
 */
export const memoryLogger = (): MemoryLogger => {
  const attempts: Array<TransferAttempt> = []
  return {
    name: 'memory',
    attempts,
    get records() {
      return attempts.map((a) => a.record)
    },
    log: (attempt) => async () => {
      attempts.push(attempt)
      return E.right(undefined)
    },
  }
}

/**
 * Runs the loggers one after the other for each attempt; the first failure stops the chain and
 * is the answer. Put the archive before the log, so that a logged attempt always has its
 * archived JSON.
 *
 * @example
 * const logger = combineLoggers(directoryArchive('archive'), jsonLinesLog('transfers.jsonl'))
 *
 * @category combinators
 * @since 0.1.0
 */
export const combineLoggers = (...loggers: ReadonlyArray<TransferLogger>): TransferLogger => ({
  name: loggers.map((l) => l.name).join(' + ') || 'none',
  log: (attempt) => async () => {
    for (const l of loggers) {
      const r = await runLogger(l, attempt)
      if (E.isLeft(r)) return r
    }
    return E.right(undefined)
  },
})

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

/**
 * Runs one logger on an attempt; a throw or a rejection becomes a `LogError`, so this never
 * rejects.
 *
 * @category utils
 * @since 0.1.0
 */
export const runLogger = async (
  logger: TransferLogger,
  attempt: TransferAttempt,
): Promise<E.Either<LogError, void>> => {
  try {
    const r: E.Either<LogError, void> | undefined = await logger.log(attempt)()
    return r?._tag === 'Left' || r?._tag === 'Right'
      ? r
      : E.left(logError(logger.name, 'the logger answered something other than an Either'))
  } catch (e) {
    return E.left(logError(logger.name, e))
  }
}
