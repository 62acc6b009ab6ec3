/**
 * The lock of a link: a file next to the state file, named after the watermark it protects (the
 * connector's state key), holding the holder's pid, host and start time (`sync/internal/fileLock`).
 * `run`, `daemon` and `sync --state` take the same lock.
 *
 * @internal
 */
import { createHash } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import type { LockBusy } from '../../sync/internal/fileLock.js'

export {
  acquireLock,
  type HeldLock,
  type LockBusy,
  type LockFailed,
  type LockHolder,
} from '../../sync/internal/fileLock.js'

/** The lock file of the watermark `stateKey` in the state file `state`. */
export const lockPath = (state: string, stateKey: string): string =>
  join(
    dirname(state),
    `${basename(state)}.${createHash('sha256').update(stateKey).digest('hex').slice(0, 12)}.lock`,
  )

/** A busy lock for people. */
export const formatLockBusy = (busy: LockBusy): string =>
  `busy: another misp-bridge (pid ${busy.holder.pid} on ${busy.holder.host}, running ${busy.holder.link} since ${busy.holder.startedAt}) holds ${busy.path}`
