/**
 * The shipped documents (issue #16): the README lists every document of docs/, the guide's
 * description of the demo says what the demo does, and no document or source comment cites `§`
 * sections of a document that is not in the package.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { demoHelp } from '../../src/cli/demo.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')

/** Every file under `dir` (relative to the root) whose name ends with one of `ext`. */
const filesUnder = (dir: string, ext: ReadonlyArray<string>): ReadonlyArray<string> =>
  readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.some((x) => e.name.endsWith(x)))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))

describe('the documents', () => {
  test('the README links every document in docs/', () => {
    const readme = read('README.md')
    const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))
    expect(docs.length).toBeGreaterThan(3)
    expect(docs.filter((f) => !readme.includes(`](docs/${f})`))).toEqual([])
  })

  test("the guide's description of the demo has as many steps as the demo", () => {
    const steps = [...demoHelp.matchAll(/^ {2}(\d)\. /gm)].map((m) => Number(m[1]))
    expect(steps.length).toBeGreaterThanOrEqual(4)
    const guide = read('docs/guide.md')
    const section = guide.slice(guide.indexOf('## See it run'), guide.indexOf('## The command line'))
    const words = ['', 'once', 'twice', 'three times', 'four times', 'five times', 'six times']
    expect(section).toContain(`syncs them ${words[steps.length]}`)
    // each step's subject is in the guide's description
    for (const subject of ['state file', 'without it', 'edited', 'tlp:', 'deleted'])
      expect(section, subject).toContain(subject)
  })

  test('no shipped document or source file cites § sections of a document outside the package', () => {
    const shipped = [
      'README.md',
      'CHANGELOG.md',
      ...filesUnder('docs', ['.md']).filter((f) => !f.startsWith('docs/api')),
      ...filesUnder('src', ['.ts']),
      ...filesUnder('examples', ['.mjs', '.md']),
    ]
    const citing = shipped.flatMap((f) =>
      read(f)
        .split('\n')
        .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
        .filter(({ line }) => line.includes('§'))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    )
    expect(citing).toEqual([])
  })
})
