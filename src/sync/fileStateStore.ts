/**
 * A state store in a JSON file (the CLI's `--state FILE`). Uses `node:fs`.
 *
 * @since 0.1.0
 */
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import * as E from 'fp-ts/lib/Either.js'
import { acquireLock, type HeldLock, type LockBusy, type LockFailed } from './internal/fileLock.js'
import { fsCode, fsProblem } from './internal/fsProblem.js'
import { writeFileAtomic } from './internal/writeFileAtomic.js'
import { isWatermark, type StateError, type StateStore, stateError, type Watermark } from './StateStore.js'

/**
 * The file's content.
 *
 * @category model
 * @since 0.1.0
 */
export interface StateFile {
  readonly version: 1
  readonly watermarks: Readonly<Record<string, Watermark & { readonly savedAt: string }>>
}

/** How long a save waits for another process's save to finish. */
const SAVE_LOCK_WAIT_MS = 10_000

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/** A watermark's own fields only, empty lists left out. */
const plain = (w: Watermark): Watermark => ({
  timestamp: w.timestamp,
  uuid: w.uuid,
  ...(w.retry === undefined || w.retry.length === 0
    ? {}
    : { retry: w.retry.map((r) => ({ uuid: r.uuid, timestamp: r.timestamp })) }),
  ...(w.atSecond === undefined || w.atSecond.length === 0 ? {} : { atSecond: [...w.atSecond] }),
})

/**
 * A state store in a JSON file: `{"version": 1, "watermarks": {"<key>": {timestamp, uuid,
 * retry?, atSecond?, savedAt}}}` (`retry`: the events that failed, `[{uuid, timestamp}]`;
 * `atSecond`: see {@link Watermark}; each absent when empty). A missing file is an empty store; a file that is not such a document is an error
 * (the store never starts over silently). Saves rewrite the file atomically (temporary file,
 * flush, rename) one at a time, readable by its owner only (0600); the directory must exist.
 * Each save reads the file again and changes only its own key, under a lock file
 * (`<file>.save.lock`, held for the few milliseconds of the save; a dead holder's is taken
 * over): runs of different links, in other processes, may share one state file without losing
 * each other's watermarks.
 *
 * @example
 * const state = fileStateStore('./misp-bridge.state.json')
 * await connect24to23({ from, to, state }).sync()()
 *
 * @category constructors
 * @since 0.1.0
 */
export const fileStateStore = (path: string): StateStore => {
  const name = `file:${path}`
  let queue: Promise<unknown> = Promise.resolve()

  const read = async (): Promise<E.Either<StateError, StateFile>> => {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (e) {
      const code = fsCode(e)
      if (code === 'ENOENT') return E.right({ version: 1, watermarks: {} })
      return E.left(
        stateError(
          name,
          code === 'EISDIR'
            ? `${path} is a folder, not a file: give a file path, e.g. ${join(path, 'misp-bridge.state.json')}`
            : `cannot read ${path}: ${fsProblem(e)}`,
          code,
        ),
      )
    }
    const startOver = 'delete it to start over (the next run compares every event; none is sent twice)'
    if (text.trim() === '')
      return E.left(stateError(name, `${path} is empty, not a state file: ${startOver}`))
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (e) {
      return E.left(
        stateError(
          name,
          `${path} is not JSON (${e instanceof Error ? e.message : String(e)}): restore it, or ${startOver}`,
        ),
      )
    }
    if (!isRecord(json) || json['version'] !== 1 || !isRecord(json['watermarks']))
      return E.left(
        stateError(
          name,
          `${path} is not a misp-bridge state file ({"version": 1, "watermarks": {...}}): give another path, or ${startOver}`,
        ),
      )
    const watermarks: Record<string, Watermark & { readonly savedAt: string }> = {}
    for (const [k, v] of Object.entries(json['watermarks'])) {
      if (!isWatermark(v) || !isRecord(v))
        return E.left(stateError(name, `watermark ${JSON.stringify(k)} is not valid`))
      const savedAt = v['savedAt']
      watermarks[k] = { ...plain(v), savedAt: typeof savedAt === 'string' ? savedAt : '' }
    }
    return E.right({ version: 1, watermarks })
  }

  /** The save lock: waited for while another process saves (a save takes milliseconds). */
  const lock = async (key: string): Promise<E.Either<StateError, HeldLock>> => {
    const lockFile = `${path}.save.lock`
    const deadline = Date.now() + SAVE_LOCK_WAIT_MS
    let last: LockBusy | LockFailed | undefined
    for (let wait = 5; Date.now() < deadline; wait = Math.min(wait * 2, 100)) {
      const got = await acquireLock(lockFile, `saving ${key}`)
      if (E.isRight(got)) return got
      last = got.left
      if (last._tag === 'LockFailed' && last.code !== undefined)
        // the lock file cannot be created: nor could the state file be
        return E.left(
          stateError(
            name,
            `cannot save ${path}: cannot create files in ${dirname(path)}: ${fsProblem({ code: last.code })}`,
            last.code,
          ),
        )
      await sleep(wait)
    }
    const why =
      last?._tag === 'LockBusy'
        ? `pid ${last.holder.pid} on ${last.holder.host} held it for over ${SAVE_LOCK_WAIT_MS / 1000} s (delete ${lockFile} if no misp-bridge is running)`
        : (last?.message ?? 'timed out')
    return E.left(stateError(name, `cannot save ${path}: the save lock ${lockFile}: ${why}`))
  }

  const write = async (key: string, w: Watermark): Promise<E.Either<StateError, void>> => {
    const held = await lock(key)
    if (E.isLeft(held)) return held
    try {
      return await merge(key, w)
    } finally {
      await held.right.release()
    }
  }

  const merge = async (key: string, w: Watermark): Promise<E.Either<StateError, void>> => {
    const current = await read()
    if (E.isLeft(current)) return current
    const next: StateFile = {
      version: 1,
      watermarks: {
        ...current.right.watermarks,
        [key]: { ...plain(w), savedAt: new Date().toISOString() },
      },
    }
    try {
      await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`)
      return E.right(undefined)
    } catch (e) {
      // Node's message names the temporary file: the folder and the reason say more
      return E.left(
        stateError(
          name,
          `cannot save ${path}: cannot create files in ${dirname(path)}: ${fsProblem(e)}`,
          fsCode(e),
        ),
      )
    }
  }

  const serialised = <A>(f: () => Promise<A>): Promise<A> => {
    const done = queue.then(f)
    queue = done.catch(() => undefined)
    return done
  }

  return {
    name,
    load: (key) => () =>
      serialised(async () => {
        const file = await read()
        if (E.isLeft(file)) return file
        const w = file.right.watermarks[key]
        return E.right(w === undefined ? undefined : plain(w))
      }),
    save: (key, w) => () => serialised(() => write(key, w)),
  }
}
