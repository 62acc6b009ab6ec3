/**
 * The built `misp-bridge` program, spawned as a user runs it: `node <build>/cli/main.js …`. The
 * library is built first (tsconfig.build.json) into a private directory inside the repository, so
 * this test neither needs nor overwrites `dist/` (which `./dev test` builds the same way).
 */
import { spawn, spawnSync } from 'node:child_process'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEvents23, demoEvents24 } from '../../src/cli/demo-events.js'
import { tempDir, wire23, wire24 } from '../sync/support.js'
import { buildBin, node, ROOT } from './binSupport.js'
import { KEY23, KEY24, keysFor, type Servers, startServers, syncArgs } from './support.js'

let BIN: string
let servers: Servers
let dir: Awaited<ReturnType<typeof tempDir>>

beforeAll(async () => {
  BIN = await buildBin('misp-bridge-bin-test')
  servers = await startServers('2.4.199', {
    events23: [wire23(1), wire23(2)],
    events24: [wire24(1), wire24(2)],
  })
  dir = await tempDir()
}, 300_000)

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
    expect(r.out).toContain(
      'Now MISP 2.3 holds 7 events and MISP 2.4 holds 8, each once (the tlp:red one stays on 2.4).',
    )
    expect(r.out).toContain(join(dir.path, 'demo', 'transfers.jsonl'))
  })
})

// ---------------------------------------------------------------------------------------------
// issue #9: a new user's first hour
// ---------------------------------------------------------------------------------------------

/** The events the target server holds (its POSTs are what a run sends). */
const posts = (s: Servers, side: 'e23' | 'e24'): number =>
  s[side].requests.filter((r) => r.method === 'POST').length

/** An early MISP 2.4 event (2.4.0's shape: Orgc object, ids, sharing_group_id; no Object, no Tag). */
const early24 = {
  Event: {
    id: '12',
    uuid: '5a1b2c3d-4e5f-4a6b-8c7d-000000000e24',
    info: 'early 2.4 event',
    date: '2015-06-01',
    threat_level_id: '2',
    analysis: '1',
    distribution: '1',
    orgc_id: '1',
    org_id: '1',
    sharing_group_id: '0',
    timestamp: '1433152800',
    Orgc: { id: '1', name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
    Org: { id: '1', name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
    Attribute: [
      {
        id: '1',
        uuid: '5a1b2c3d-4e5f-4a6b-8c7d-00000000a001',
        type: 'ip-dst',
        category: 'Network activity',
        value: '198.51.100.7',
        to_ids: true,
        distribution: '5',
        sharing_group_id: '0',
        timestamp: '1433152800',
      },
    ],
  },
}

describe('issue #9: setup problems are refused up front (exit 2), nothing is sent', () => {
  test('1. --state in a missing folder, or under a file: exit 2 before any event is written', async () => {
    const env = keysFor('2.3->2.4')
    for (const state of [join(dir.path, 'no', 'such', 'state.json'), join(BIN, 'state.json')]) {
      const before = posts(servers, 'e24')
      const r = await node([BIN, ...syncArgs(servers, '2.3->2.4'), '--state', state], { env })
      expect(r.code, r.err).toBe(2)
      expect(r.err).toMatch(/--state/)
      expect(r.out).toBe('')
      expect(posts(servers, 'e24')).toBe(before)
    }
  })

  test.skipIf(process.getuid?.() === 0)(
    '1. --state in a read-only folder: exit 2 (skipped as root)',
    async () => {
      const ro = join(dir.path, 'read-only')
      await mkdir(ro)
      await chmod(ro, 0o555)
      const before = posts(servers, 'e24')
      const r = await node([BIN, ...syncArgs(servers, '2.3->2.4'), '--state', join(ro, 'state.json')], {
        env: keysFor('2.3->2.4'),
      })
      expect(r.code, r.err).toBe(2)
      expect(posts(servers, 'e24')).toBe(before)
    },
  )

  test('6. a URL with credentials is refused and never printed back (text and --json)', async () => {
    const url = servers.e23.url.replace('http://', 'http://admin:S3CRETpassw0rd@')
    for (const json of [[], ['--json']]) {
      const r = await node(
        [
          BIN,
          'sync',
          '--from',
          url,
          '--from-version',
          '2.3',
          '--to',
          servers.e24.url,
          '--to-version',
          '2.4',
          ...json,
        ],
        { env: { ...keysFor('2.3->2.4'), DEBUG: 'misp-bridge:*' } },
      )
      expect(r.code).toBe(2)
      expect(`${r.out}${r.err}`).toMatch(/credentials/)
      expect(`${r.out}${r.err}`).not.toContain('S3CRETpassw0rd')
      expect(`${r.out}${r.err}`).not.toContain('admin:')
    }
  })

  test.each([
    ['--from', 'http://127.0.0.1:99999', /--from .*port 99999 is out of range/],
    ['--from', 'ftp://x', /--from .*unsupported scheme "ftp:".*http.*https/],
    ['--to', 'notaurl', /--to .*not a URL/],
    ['--to', '127.0.0.1:8080', /--to .*(not a URL|scheme)/],
  ])(
    '7. %s %s: exit 2 naming the problem, no mangled URL, no server contacted',
    async (side, url, message) => {
      const before = servers.e23.requests.length + servers.e24.requests.length
      const args = [
        'sync',
        '--from',
        servers.e23.url,
        '--from-version',
        '2.3',
        '--to',
        servers.e24.url,
        '--to-version',
        '2.4',
      ]
      args[args.indexOf(`--${side.slice(2)}`) + 1] = url
      const r = await node([BIN, ...args], { env: keysFor('2.3->2.4') })
      expect(r.code).toBe(2)
      expect(r.err).toMatch(message)
      expect(r.err).not.toMatch(/servers\/getVersion/)
      expect(servers.e23.requests.length + servers.e24.requests.length).toBe(before)
    },
  )

  test('12. --since in the future or absurdly far back: exit 2', async () => {
    for (const since of ['2999-01-01', '99999999999', '1732000000000', '99999w']) {
      const r = await node([BIN, ...syncArgs(servers, '2.3->2.4'), '--since', since], {
        env: keysFor('2.3->2.4'),
      })
      expect(r.code, `${since}: ${r.err}`).toBe(2)
      expect(r.err).toMatch(/--since/)
    }
  })

  test('12. --json prints a JSON error object on a setup error', async () => {
    const r = await node(
      [
        BIN,
        'sync',
        '--from',
        'ftp://x',
        '--from-version',
        '2.3',
        '--to',
        'http://y/',
        '--to-version',
        '2.4',
        '--json',
      ],
      {
        env: keysFor('2.3->2.4'),
      },
    )
    expect(r.code).toBe(2)
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false,
      error: { kind: 'UsageError', message: expect.stringContaining('ftp') },
    })
  })

  test('12. MISP_FROM_KEY and --from-key-file both given: the file wins, and the CLI says so', async () => {
    const file = join(dir.path, 'from.key')
    await writeFile(file, `${KEY23}\n`)
    const r = await node([BIN, ...syncArgs(servers, '2.3->2.4'), '--from-key-file', file, '--dry-run'], {
      env: { MISP_FROM_KEY: 'WrongKeyWrongKeyWrongKeyWrongKey01234567', MISP_TO_KEY: KEY24 },
    })
    expect(r.code, r.err).toBe(0)
    expect(r.err).toMatch(/--from-key-file .*MISP_FROM_KEY/)
    expect(`${r.out}${r.err}`).not.toContain('WrongKeyWrongKey')
  })

  test('12. help sync prints the help of sync', async () => {
    const r = await node([BIN, 'help', 'sync'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Usage: misp-bridge sync/)
    expect((await node([BIN, 'help', 'nope'])).code).toBe(2)
  })
})

describe('issue #9: convert looks at its input', () => {
  test('8. a modern 2.4 event with --to 2.4: refused, with the evidence and a hint', async () => {
    const r = await node([BIN, 'convert', '--to', '2.4'], { input: JSON.stringify(demoEvents24[2]) })
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/already MISP 2\.4/)
    expect(r.err).toMatch(/Orgc object|Object|Tag|sharing_group_id/)
    expect(r.err).toContain('--to 2.3')
    expect(r.out).toBe('')
  })

  test('8. an early 2.4 event with --to 2.4 is not read as 2.3; with --to 2.3 it converts', async () => {
    const same = await node([BIN, 'convert', '--to', '2.4'], { input: JSON.stringify(early24) })
    expect(same.code).toBe(2)
    expect(same.err).toMatch(/already MISP 2\.4/)
    const down = await node([BIN, 'convert', '--to', '2.3'], { input: JSON.stringify(early24) })
    expect(down.code, down.err).toBe(0)
    expect(down.err).toMatch(/input: MISP 2\.4 \(.*Orgc object/)
    expect(JSON.parse(down.out).Event.orgc).toBe('CIRCL')
  })

  test('8. a 2.3 event: detected from its orgc string; --to 2.5 means 2.4; --to 2.3 is refused', async () => {
    const input = JSON.stringify(demoEvents23[0])
    const up = await node([BIN, 'convert', '--to', '2.5'], { input })
    expect(up.code, up.err).toBe(0)
    expect(up.err).toMatch(/input: MISP 2\.3 \(.*orgc/)
    expect(JSON.parse(up.out).Event.uuid).toBe(demoEvents23[0]?.Event['uuid'])
    const same = await node([BIN, 'convert', '--to', '2.3'], { input })
    expect(same.code).toBe(2)
    expect(same.err).toMatch(/already MISP 2\.3/)
  })

  test.skipIf(spawnSync('script', ['--version']).status !== 0)(
    '12. no FILE and stdin a terminal (a pty through script(1)): a hint, exit 2, no wait',
    async () => {
      const command = `'${process.execPath}' '${BIN}' convert --to 2.3`
      const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      const timer = setTimeout(() => child.kill(), 10_000)
      const code = await new Promise((ok) => child.on('close', ok))
      clearTimeout(timer)
      expect(code, out).toBe(2)
      expect(out).toContain('no input: give a FILE, or pipe an event in')
    },
  )

  test('12. a UTF-8 BOM is not a JSON error', async () => {
    const r = await node([BIN, 'convert', '--to', '2.3'], {
      input: `\uFEFF${JSON.stringify(demoEvents24[2])}`,
    })
    expect(r.code, r.err).toBe(0)
  })

  test('12. a {"response": [...]} with 2 events: one clear sentence', async () => {
    const r = await node([BIN, 'convert', '--to', '2.3'], {
      input: JSON.stringify({ response: [demoEvents24[1], demoEvents24[2]] }),
    })
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/2 events/)
    expect(r.err).not.toMatch(/got .* got/s)
  })
})
