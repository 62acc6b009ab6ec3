/**
 * The directory archive: for each event attempt, the JSON as read from the source and as sent to
 * the target (and as the target stored it, and the full list of losses), one file each, under a
 * directory named after the event's uuid. Files are written atomically. Uses `node:fs`.
 *
 * @since 0.1.0
 */
import { access, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import { writeFileAtomic } from './internal/writeFileAtomic.js'
import { type LogError, logError, type TransferAttempt, type TransferLogger } from './TransferLogger.js'

const debug = createDebug('misp-bridge:log')

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The files of one attempt, by kind: `source` (as read from the source), `sent` (as sent to the
 * target; `dry-run` in a dry run, where it was not sent), `stored` (the target's answer) and
 * `losses` (every loss of the conversion, when there were any) and `changes` (the tags attached,
 * removed and created and the retracted attributes deleted on the target, when any).
 *
 * @category model
 * @since 0.1.0
 */
export type ArchiveKind = 'source' | 'sent' | 'dry-run' | 'stored' | 'losses' | 'changes'

/**
 * The documents of an attempt, as the archive names them.
 *
 * @category utils
 * @since 0.1.0
 */
export const archiveDocuments = (
  attempt: TransferAttempt,
): ReadonlyArray<{ readonly kind: ArchiveKind; readonly json: unknown }> => [
  ...(attempt.source === undefined ? [] : [{ kind: 'source' as const, json: attempt.source }]),
  ...(attempt.sent === undefined
    ? []
    : [
        {
          kind: attempt.record.dryRun === true ? ('dry-run' as const) : ('sent' as const),
          json: attempt.sent,
        },
      ]),
  ...(attempt.stored === undefined ? [] : [{ kind: 'stored' as const, json: attempt.stored }]),
  ...(attempt.losses.length === 0 ? [] : [{ kind: 'losses' as const, json: attempt.losses }]),
  ...(attempt.changes === undefined ? [] : [{ kind: 'changes' as const, json: attempt.changes }]),
]

/**
 * The file stem of an attempt: its `at` with `:` made file-name safe, e.g.
 * `2026-11-27T21-35-56.123Z`.
 *
 * @category utils
 * @since 0.1.0
 */
export const archiveStem = (at: string): string => at.replace(/:/g, '-')

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  )

/**
 * An archive in a directory: `DIR/<uuid>/<at>-source.json`, `-sent.json` (`-dry-run.json` in a
 * dry run), `-stored.json` and `-losses.json`, where `<at>` is the record's `at` made
 * file-name safe (`2026-11-27T21-35-56.123Z`), so a log line leads to its files. Each file is
 * pretty-printed JSON written atomically (temporary file, flush, rename): never half-written.
 * Directories are created as needed. Attempts without documents (e.g. a source that could not be
 * read) write nothing. The archive holds whole events (`tlp:red` content included): the folders
 * it creates are its owner's only (0700), and so are its files (0600). Put it before the JSON
 * Lines log in `combineLoggers`.
 *
 * @example
 * const logger = combineLoggers(directoryArchive('./archive'), jsonLinesLog('./transfers.jsonl'))
 *
 * @category constructors
 * @since 0.1.0
 */
export const directoryArchive = (dir: string): TransferLogger => {
  const name = `archive:${dir}`
  const store = async (attempt: TransferAttempt): Promise<E.Either<LogError, void>> => {
    const docs = archiveDocuments(attempt)
    if (docs.length === 0) return E.right(undefined)
    const uuid = attempt.record.uuid
    if (!UUID_RE.test(uuid))
      return E.left(logError(name, `not a UUID, not archived: ${JSON.stringify(uuid)}`))
    try {
      const eventDir = join(dir, uuid.toLowerCase())
      await mkdir(eventDir, { recursive: true, mode: 0o700 })
      const stem = archiveStem(attempt.record.at)
      let base = stem
      for (let n = 2; await exists(join(eventDir, `${base}-${docs[0]!.kind}.json`)); n++)
        base = `${stem}-${n}`
      for (const d of docs)
        await writeFileAtomic(
          join(eventDir, `${base}-${d.kind}.json`),
          `${JSON.stringify(d.json, null, 2)}\n`,
        )
      return E.right(undefined)
    } catch (e) {
      debug('cannot archive %s in %s: %O', uuid, dir, e)
      return E.left(logError(name, e))
    }
  }
  return { name, log: (attempt) => () => store(attempt) }
}
