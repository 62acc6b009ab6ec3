/**
 * An exclusive lock file: created with `O_EXCL` (mode 0600), holding the holder's pid, host and
 * start time. A lock whose holder is a dead process on this host is taken over; a live holder (or
 * one on another host, whose pid cannot be checked from here) makes it busy. Used for a link's
 * run (`cli/internal/linkLock.ts`) and for each save of a state file (`fileStateStore`).
 *
 * @internal
 */
import { randomUUID } from 'node:crypto'
import { open, readFile, rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import * as E from 'fp-ts/lib/Either.js'

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number
  readonly host: string
  readonly startedAt: string
  /** unique to one taking of the lock (two in one process in the same millisecond differ) */
  readonly token?: string
  /** what holds it: a link's name (`sync` writes `sync`), or what the lock is for */
  readonly link: string
}

/** The link is being run by another process. */
export interface LockBusy {
  readonly _tag: 'LockBusy'
  readonly path: string
  readonly holder: LockHolder
}

/** The lock file could not be written or read. */
export interface LockFailed {
  readonly _tag: 'LockFailed'
  readonly path: string
  readonly message: string
  /** the file system's error code (`ENOENT`, `EACCES`, …), when one failed */
  readonly code?: string
}

/** A lock this process holds. */
export interface HeldLock {
  readonly path: string
  /** a lock taken over from a dead process: who held it */
  readonly tookOverFrom?: LockHolder
  readonly release: () => Promise<void>
}

const isHolder = (u: unknown): u is LockHolder =>
  typeof u === 'object' &&
  u !== null &&
  Number.isSafeInteger((u as { pid?: unknown }).pid) &&
  typeof (u as { host?: unknown }).host === 'string'

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM'
  }
}

const readHolder = async (path: string): Promise<{ text: string; holder: LockHolder | undefined }> => {
  const text = await readFile(path, 'utf8').catch(() => '')
  try {
    const json: unknown = JSON.parse(text)
    return { text, holder: isHolder(json) ? json : undefined }
  } catch {
    return { text, holder: undefined }
  }
}

const create = async (path: string, holder: LockHolder): Promise<'created' | 'exists'> => {
  try {
    const handle = await open(path, 'wx', 0o600)
    try {
      await handle.writeFile(`${JSON.stringify(holder)}\n`, 'utf8')
    } finally {
      await handle.close()
    }
    return 'created'
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') return 'exists'
    throw e
  }
}

/**
 * Takes the lock at `path` for `link`. A lock held by a live process (or by another host: its
 * pid cannot be checked from here) is `LockBusy`; one held by a dead process of this host, or
 * unreadable after a moment (a crash while writing it), is taken over.
 */
export const acquireLock = async (
  path: string,
  link: string,
): Promise<E.Either<LockBusy | LockFailed, HeldLock>> => {
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    link,
    token: randomUUID(),
  }
  const held = (tookOverFrom?: LockHolder): HeldLock => ({
    path,
    ...(tookOverFrom === undefined ? {} : { tookOverFrom }),
    release: async () => {
      const now = await readHolder(path)
      if (now.holder !== undefined && now.holder.token === me.token && now.holder.pid === me.pid)
        await rm(path, { force: true })
    },
  })
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await create(path, me)) === 'created') return E.right(held())
      const { text, holder } = await readHolder(path)
      if (holder !== undefined && (holder.host !== me.host || alive(holder.pid)))
        return E.left({ _tag: 'LockBusy', path, holder })
      if (holder === undefined && attempt === 0) {
        // a holder still writing its lock: look again in a moment
        await new Promise((r) => setTimeout(r, 200))
        continue
      }
      // stale: remove it only if it is still the same lock, then take it
      if ((await readFile(path, 'utf8').catch(() => '')) === text) await rm(path, { force: true })
      if ((await create(path, me)) === 'created') return E.right(held(holder))
    }
    const { holder } = await readHolder(path)
    return holder === undefined
      ? E.left({ _tag: 'LockFailed', path, message: 'the lock file keeps changing' })
      : E.left({ _tag: 'LockBusy', path, holder })
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return E.left({
      _tag: 'LockFailed',
      path,
      message: e instanceof Error ? e.message : String(e),
      ...(typeof code === 'string' ? { code } : {}),
    })
  }
}
