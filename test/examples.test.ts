/**
 * Every example runs against the emulators it starts itself, and its result is checked. The
 * examples are plain JavaScript (`.mjs`, JSDoc types) so that `node examples/X.mjs` works on every
 * Node.js `engines` allows; they import the package by name, and here those names point at the
 * sources (vitest.config.ts aliases them, as examples/tsconfig.json does for the type-check).
 * With a current build in dist/ (`./dev test` builds it first), each example is also run the way
 * its header says, and so is the REPL walkthrough, in a real `node -i`.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** An example's result, loosely typed: the examples are JavaScript (type-checked on their own). */
type Result = Record<string, unknown> & { readonly [k: string]: unknown }
const example = async (name: string): Promise<() => Promise<Result>> =>
  ((await import(/* @vite-ignore */ `../examples/${name}.mjs`)) as { main: () => Promise<Result> }).main
const customLogger = await example('custom-logger')
const quickStart = await example('quick-start')
const sync23to24 = await example('sync-23-to-24')
const sync24to23 = await example('sync-24-to-23')

describe('examples', () => {
  test('quick-start (the README’s code): the event reaches 2.3, one line in the transfer log', async () => {
    const { run, logLines } = await quickStart()
    expect(run).toMatchObject({
      ok: true,
      counts: { created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
    })
    expect(logLines).toBe(1)
  })

  test('sync-23-to-24: created, then only the new event; Orgc by name, distribution preserved', async () => {
    const r = await sync23to24()
    expect(r['first']).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 0, failed: 0 })
    expect(r['second']).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 0 })
    expect(r['watermark']).toEqual({ timestamp: 1_732_000_003, uuid: '0b7c3a10-5d1e-4c7a-9f00-000000000003' })
    expect(r['log']).toHaveLength(3)
    expect(r['onTarget']).toEqual([
      ['Phishing wave #1', 'CIRCL', '1'],
      ['Phishing wave #2', 'CIRCL', '1'],
      ['Phishing wave #3', 'CIRCL', '1'],
    ])
  })

  test('sync-24-to-23: a dry run writes nothing; the sharing-group event is skipped; sha512 is dropped', async () => {
    const r = await sync24to23()
    expect(r['dryRun']).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 1, failed: 0 })
    expect(r['afterDryRun']).toBe(0)
    expect(r['run']).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 1, failed: 0 })
    expect(r['skipped']).toEqual([
      `sharing-group event (distribution 4 "Finance ISAC"): sharingGroupEvents is 'skip'`,
    ])
    expect(r['dropped']).toEqual([expect.stringMatching(/sha512 .* dropped: type-not-in-2\.3$/)])
    expect(r['on23']).toEqual([['APT infrastructure', 'CERT-FR', '0']])
    expect(r['logLines']).toBe(4)
    expect(r['archived']).toEqual([
      'changes.json', // the event's tag (a dry run and a run: tlp attached)
      'changes.json',
      'dry-run.json',
      'losses.json',
      'losses.json',
      'sent.json',
      'source.json',
      'source.json',
      'stored.json',
    ])
  })

  test('custom-logger: a CSV trail; a failing logger fails the event and stops the run', async () => {
    const r = await customLogger()
    expect(r['ok']).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 0 })
    expect(r['csv']).toHaveLength(2)
    expect((r['csv'] as Array<string>)[1]).toMatch(
      /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,7d2e3f40-1b2c-4d3e-9f40-000000000001,2\.3->2\.4,created,\d+,\d+$/,
    )
    expect(r['loud']).toEqual({
      ok: false,
      stopped: 'log-failed',
      first: expect.objectContaining({ _tag: 'LogFailed', logger: 'full-disk', outcome: 'unchanged' }),
      notAttempted: 2,
    })
  })
})

// ---------------------------------------------------------------------------------------------
// the REPL walkthrough
// ---------------------------------------------------------------------------------------------

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
    0,
  )
const built = join(ROOT, 'dist', 'sync', 'index.js')
const current = existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'src', 'sync'))

describe('examples/repl-walkthrough.md', () => {
  test.skipIf(!current)('replays in node -i (needs a current build: npm run build)', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'scripts', 'repl-check.mjs'), join(ROOT, 'examples', 'repl-walkthrough.md')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const code = await new Promise((r) => child.on('close', r))
    expect(out).toContain('lines typed')
    expect(code, out).toBe(0)
  })
})

// ---------------------------------------------------------------------------------------------
// issue #9: each example runs as its header says, on every Node.js `engines` allows
// ---------------------------------------------------------------------------------------------

const sources = readdirSync(join(ROOT, 'examples')).filter((f) => /\.[cm]?[jt]s$/.test(f))
const distCurrent =
  existsSync(join(ROOT, 'dist', 'index.js')) && newest(join(ROOT, 'dist')) >= newest(join(ROOT, 'src'))

describe('examples: run commands', () => {
  test.each(sources)('4. %s is plain JavaScript, and its header says how to run it', (file) => {
    expect(file).toMatch(/\.mjs$/) // Node.js 22.0–22.17 cannot run .ts without flags
    const header = /^\/\*\*([\s\S]*?)\*\//.exec(readFileSync(join(ROOT, 'examples', file), 'utf8'))?.[1] ?? ''
    expect(header.replace(/\n\s*\* ?/g, ' ')).toContain(`Run it with \`node examples/${file}\``)
  })

  test.skipIf(!distCurrent)(
    '5. each runs as its header says and prints its result (needs a current build)',
    async () => {
      const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-examples.mjs')], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (out += d))
      const code = await new Promise((r) => child.on('close', r))
      expect(code, out).toBe(0)
      expect(out).toContain(`examples: ${sources.length} run as their headers say`)
      expect(out).toMatch(/node examples\/quick-start\.mjs: ok in \d+ ms, \d+ lines/)
    },
  )
})
