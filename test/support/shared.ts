/**
 * Access to `../shared` (real MISP fixtures, MISP's schemas, recorded server exchanges), which a
 * user's clone of the repository does not have: tests that need it skip with a clear message.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url))
export const sharedAvailable = existsSync(join(SHARED_DIR, 'fixtures', 'real'))
export const SKIP_MESSAGE = `../shared not found at ${SHARED_DIR}: skipping tests that read MISP's real fixtures and schemas`

export const sharedPath = (...parts: Array<string>): string => join(SHARED_DIR, ...parts)

export const readSharedJson = (...parts: Array<string>): unknown =>
  JSON.parse(readFileSync(sharedPath(...parts), 'utf8'))

/** Every `.json` file below `fixtures/real`, as paths relative to it. */
export const realFixtureFiles = (): Array<string> => {
  const root = sharedPath('fixtures', 'real')
  const out: Array<string> = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name.endsWith('.json')) out.push(relative(root, p))
    }
  }
  if (sharedAvailable) walk(root)
  return out.sort()
}
