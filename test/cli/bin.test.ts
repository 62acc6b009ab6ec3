/**
 * The built `misp-bridge` program, spawned as a user runs it: `node <build>/cli/main.js …`. The
 * library is built first (tsconfig.build.json) into a private directory inside the repository, so
 * this test neither needs nor overwrites `dist/` (which `./dev test` builds the same way).
 */
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEvents24 } from '../../src/cli/demo-events.js'
import { tempDir, wire23, wire24 } from '../sync/support.js'
import { KEY23, KEY24, keysFor, type Servers, startServers, syncArgs } from './support.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUILD = join(ROOT, 'node_modules', '.cache', 'misp-bridge-bin-test')
const BIN = join(BUILD, 'cli', 'main.js')

interface Exit {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

const node = (
  args: ReadonlyArray<string>,
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
    child.stdin.end(options.input ?? '')
  })

let servers: Servers
let dir: Awaited<ReturnType<typeof tempDir>>

beforeAll(async () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const built = await node([tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD])
  if (built.code !== 0) throw new Error(`the build failed:\n${built.out}${built.err}`)
  servers = await startServers('2.4.199', {
    events23: [wire23(1), wire23(2)],
    events24: [wire24(1), wire24(2)],
  })
  dir = await tempDir()
}, 120_000)

afterAll(async () => {
  await servers?.close()
  await dir?.remove()
})

describe('the misp-bridge program', () => {
  test('is what package.json names as the bin, with a shebang; ./sync is exported', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
    expect(pkg.bin).toEqual({ 'misp-bridge': './dist/cli/main.js' })
    expect(pkg.exports['./sync'].default).toBe('./dist/sync/index.js')
    expect((await readFile(BIN, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node')
  })

  test('--help (0), a bad flag (2)', async () => {
    const help = await node([BIN, '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toContain('misp-bridge sync')
    const bad = await node([BIN, 'sync', '--frm', 'x'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain("Unknown option '--frm'")
  })

  test('sync --json against two servers (0), then a run that fails (1); the keys are never printed', async () => {
    const ok = await node([BIN, ...syncArgs(servers, '2.3->2.4'), '--json'], { env: keysFor('2.3->2.4') })
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, counts: { created: 2 } })
    servers.e23.inject(
      { kind: 'status', status: 500 },
      { times: Number.POSITIVE_INFINITY, match: { method: 'POST' } },
    )
    const failing = await node([BIN, ...syncArgs(servers, '2.4->2.3')], { env: keysFor('2.4->2.3') })
    servers.e23.clearFaults()
    expect(failing.code).toBe(1)
    expect(failing.out).toContain('2 failed')
    for (const text of [ok.out, ok.err, failing.out, failing.err]) {
      expect(text).not.toContain(KEY23)
      expect(text).not.toContain(KEY24)
    }
  })

  test('convert --to 2.3 from stdin', async () => {
    const r = await node([BIN, 'convert', '--to', '2.3'], { input: JSON.stringify(demoEvents24[2]) })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out).Event.uuid).toBe(demoEvents24[2]?.Event['uuid'])
    expect(r.err).toContain('type-not-in-2.3')
  })

  test('demo runs end to end', async () => {
    const r = await node([BIN, 'demo', '--dir', join(dir.path, 'demo')])
    expect(r.code).toBe(0)
    expect(r.out).toContain('Now MISP 2.3 holds 6 events and MISP 2.4 holds 6, each once.')
    expect(r.out).toContain(join(dir.path, 'demo', 'transfers.jsonl'))
  })
})
