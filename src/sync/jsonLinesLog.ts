/**
 * The JSON Lines transfer log: one line per event attempt, appended to a file that is never
 * truncated, each line flushed to disk before the attempt counts as done. Uses `node:fs`.
 *
 * @since 0.1.0
 */
import { open } from 'node:fs/promises'
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import { type LogError, logError, type TransferLogger } from './TransferLogger.js'

const debug = createDebug('misp-bridge:log')

/**
 * Options of {@link jsonLinesLog}.
 *
 * @category model
 * @since 0.1.0
 */
export interface JsonLinesLogOptions {
  /** flush each line to the disk (`fdatasync`) before answering; default `true` */
  readonly fsync?: boolean
}

/**
 * A transfer log in a JSON Lines file: each attempt's `TransferRecord` as one line of JSON,
 * appended (the file is opened in append mode for every line and never truncated or rewritten;
 * it is created if missing, readable by its owner only (0600), its directory is not). Lines are written one at a time, in the
 * order the attempts end, and each is on the disk before `log` answers. Only the record is
 * written: the JSON documents go to an archive (`directoryArchive`).
 *
 * @example
 * const logger = jsonLinesLog('/var/log/misp-bridge/transfers.jsonl')
 *
 * @category constructors
 * @since 0.1.0
 */
export const jsonLinesLog = (path: string, options: JsonLinesLogOptions = {}): TransferLogger => {
  const name = `jsonl:${path}`
  const fsync = options.fsync ?? true
  let queue: Promise<unknown> = Promise.resolve()
  const append = async (line: string): Promise<E.Either<LogError, void>> => {
    try {
      const handle = await open(path, 'a', 0o600)
      try {
        await handle.appendFile(line, 'utf8')
        if (fsync) await handle.datasync()
      } finally {
        await handle.close()
      }
      return E.right(undefined)
    } catch (e) {
      debug('cannot append to %s: %O', path, e)
      return E.left(logError(name, e))
    }
  }
  return {
    name,
    log: (attempt) => () => {
      const line = `${JSON.stringify(attempt.record)}\n`
      const done = queue.then(() => append(line))
      queue = done
      return done
    },
  }
}
