/**
 * The shipped documents (issue #16): the README lists every document of docs/, and the guide's
 * description of the demo says what the demo does.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { demoHelp } from '../../src/cli/demo.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')

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
})
