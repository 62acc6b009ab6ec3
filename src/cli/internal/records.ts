/**
 * The records of a run — transfer log, archive, state file — checked before anything is sent: a
 * path that cannot be written is a configuration error naming where it was given (`--log`,
 * `links[0].log`).
 *
 * @internal
 */
import { mkdir, open, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { LinkOptions } from '../../config/linkOptions.js'
import { directoryArchive } from '../../sync/directoryArchive.js'
import { fileStateStore } from '../../sync/fileStateStore.js'
import { jsonLinesLog } from '../../sync/jsonLinesLog.js'
import type { StateStore } from '../../sync/StateStore.js'
import { combineLoggers, type TransferLogger } from '../../sync/TransferLogger.js'
import { type UsageError, usageError } from './args.js'

/**
 * The state file is saved by writing a temporary file next to it and renaming it: its folder must
 * exist and take a new file. Checked by doing it once, before anything is sent.
 */
export const checkStateFolder = async (path: string, at: string): Promise<E.Either<UsageError, void>> => {
  const folder = dirname(path)
  try {
    if (!(await stat(folder)).isDirectory())
      return E.left(usageError(`cannot use ${at} ${path}: ${folder} is not a folder`))
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return E.left(
      usageError(
        code === 'ENOENT'
          ? `cannot use ${at} ${path}: the folder ${folder} does not exist (create it first)`
          : `cannot use ${at} ${path}: ${(e as Error).message}`,
      ),
    )
  }
  const probe = `${path}.${process.pid}.check.tmp`
  try {
    await (await open(probe, 'wx')).close()
    await rm(probe, { force: true })
    return E.right(undefined)
  } catch (e) {
    return E.left(usageError(`cannot use ${at} ${path}: cannot write in ${folder}: ${(e as Error).message}`))
  }
}

const stores = new Map<string, StateStore>()

/**
 * One store per state file in this process: links that share a state file and run at the same
 * time (`daemon`) save through one queue, so neither overwrites the other's watermark.
 */
const sharedStateStore = (path: string): StateStore => {
  const known = stores.get(path)
  if (known !== undefined) return known
  const store = fileStateStore(path)
  stores.set(path, store)
  return store
}

/** Checks the record files before the run: a path that cannot be written is a configuration error. */
export const prepareRecords = async (
  s: LinkOptions,
  at: (name: 'log' | 'archive' | 'state') => string,
): Promise<E.Either<UsageError, Records>> => {
  const loggers: Array<TransferLogger> = []
  if (s.archive !== undefined) {
    try {
      await mkdir(s.archive, { recursive: true })
    } catch (e) {
      return E.left(usageError(`cannot create ${at('archive')} ${s.archive}: ${(e as Error).message}`))
    }
    loggers.push(directoryArchive(s.archive))
  }
  if (s.log !== undefined) {
    try {
      await (await open(s.log, 'a')).close()
    } catch (e) {
      return E.left(usageError(`cannot append to ${at('log')} ${s.log}: ${(e as Error).message}`))
    }
    loggers.push(jsonLinesLog(s.log))
  }
  let state: StateStore | undefined
  if (s.state !== undefined) {
    const writable = await checkStateFolder(s.state, at('state'))
    if (E.isLeft(writable)) return writable
    state = sharedStateStore(s.state)
    const loaded = await state.load('')()
    if (E.isLeft(loaded))
      return E.left(usageError(`cannot use ${at('state')} ${s.state}: ${loaded.left.message}`))
  }
  return E.right({
    ...(loggers.length === 0
      ? {}
      : { logger: loggers.length === 1 ? loggers[0]! : combineLoggers(...loggers) }),
    ...(state === undefined ? {} : { state }),
  })
}

export interface Records {
  readonly logger?: TransferLogger
  readonly state?: StateStore
}
