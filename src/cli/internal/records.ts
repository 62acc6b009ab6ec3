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
import { fsCode, fsProblem } from '../../sync/internal/fsProblem.js'
import { jsonLinesLog } from '../../sync/jsonLinesLog.js'
import type { StateStore } from '../../sync/StateStore.js'
import { combineLoggers, type TransferLogger } from '../../sync/TransferLogger.js'
import { setupError, type UsageError } from './args.js'

/**
 * The state file is saved by writing a temporary file next to it and renaming it: its folder must
 * exist and take a new file. Checked by doing it once, before anything is sent.
 */
export const checkStateFolder = async (path: string, at: string): Promise<E.Either<UsageError, void>> => {
  const folder = dirname(path)
  try {
    if (!(await stat(folder)).isDirectory())
      return E.left(setupError(`cannot use ${at} ${path}: ${folder} is not a folder`))
  } catch (e) {
    return E.left(
      setupError(
        fsCode(e) === 'ENOENT'
          ? `cannot use ${at} ${path}: the folder ${folder} does not exist (create it first)`
          : `cannot use ${at} ${path}: cannot reach the folder ${folder}: ${fsProblem(e)}`,
      ),
    )
  }
  const probe = `${path}.${process.pid}.check.tmp`
  try {
    await (await open(probe, 'wx', 0o600)).close()
    await rm(probe, { force: true })
    return E.right(undefined)
  } catch (e) {
    // Node's message names the probe file: the folder and the reason say more
    return E.left(
      setupError(
        `cannot use ${at} ${path}: cannot create files in ${folder}: ${fsProblem(e)}; choose a folder you can write to`,
      ),
    )
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

/**
 * The archive's folder, created owner-only (0700) when missing; an existing one that other users
 * may read or enter is used, with a warning: the archive holds whole events, `tlp:red` included.
 */
const prepareArchive = async (
  dir: string,
  at: string,
  warn: (line: string) => void,
): Promise<E.Either<UsageError, void>> => {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const mode = (await stat(dir)).mode & 0o777
    if ((mode & 0o077) !== 0)
      warn(
        `warning: ${at} ${dir} is readable by other users (mode ${mode.toString(8)}): it holds whole events, tlp:red included; chmod 700 ${dir}`,
      )
    return E.right(undefined)
  } catch (e) {
    return E.left(setupError(`cannot create ${at} ${dir}: ${fsProblem(e)}`))
  }
}

/**
 * Checks the record files before the run: a path that cannot be written is a configuration error.
 * What the run creates is its owner's only (files 0600, folders 0700); `warn` gets the warnings.
 */
export const prepareRecords = async (
  s: LinkOptions,
  at: (name: 'log' | 'archive' | 'state') => string,
  warn: (line: string) => void = () => undefined,
): Promise<E.Either<UsageError, Records>> => {
  const loggers: Array<TransferLogger> = []
  if (s.archive !== undefined) {
    const ready = await prepareArchive(s.archive, at('archive'), warn)
    if (E.isLeft(ready)) return ready
    loggers.push(directoryArchive(s.archive))
  }
  if (s.log !== undefined) {
    try {
      await (await open(s.log, 'a', 0o600)).close()
    } catch (e) {
      return E.left(setupError(`cannot append to ${at('log')} ${s.log}: ${fsProblem(e)}`))
    }
    loggers.push(jsonLinesLog(s.log))
  }
  let state: StateStore | undefined
  if (s.state !== undefined) {
    const writable = await checkStateFolder(s.state, at('state'))
    if (E.isLeft(writable)) return writable
    state = sharedStateStore(s.state)
    const loaded = await state.load('')()
    if (E.isLeft(loaded)) return E.left(setupError(`cannot use ${at('state')}: ${loaded.left.message}`))
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
