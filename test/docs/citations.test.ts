/**
 * No shipped document or source file (the package ships `src/`, and the `.d.ts` hovers carry its
 * TSDoc) cites `§` sections of a document that is not in the package (issue #16): they cite
 * MISP's source (`file@tag:line`) or the project's own docs instead.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Every file under `dir` (relative to the root) whose name ends with one of `ext`. */
const filesUnder = (dir: string, ext: ReadonlyArray<string>): ReadonlyArray<string> =>
  readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.some((x) => e.name.endsWith(x)))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))

test('no shipped document or source file cites § sections of a document outside the package', () => {
  const shipped = [
    'README.md',
    ...filesUnder('docs', ['.md']).filter((f) => !f.startsWith('docs/api')),
    ...filesUnder('src', ['.ts']),
    ...filesUnder('examples', ['.mjs', '.md']),
  ]
  expect(shipped.length).toBeGreaterThan(100)
  const citing = shipped.flatMap((f) =>
    readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .flatMap((line, i) => (/§|misp-versions\.md/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  )
  expect(citing).toEqual([])
})
