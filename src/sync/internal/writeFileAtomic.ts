/**
 * Files written whole (the archive's files, the state file, the CLI's run records and metrics):
 * written to a temporary file next to the target, flushed, then renamed over it — a reader never
 * sees half a file. Owner-only (0600).
 *
 * @internal
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Rewrites `path` with `text` atomically, mode 0600; rejects with the file system's error. */
export const writeFileAtomic = async (path: string, text: string): Promise<void> => {
  // a leading dot: hidden, and the node_exporter textfile collector (which reads *.prom) skips it
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const handle = await open(tmp, 'wx', 0o600)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.datasync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined)
    throw e
  }
}
