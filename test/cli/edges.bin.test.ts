/**
 * Issue #16, "the rough edges a new user met": each through the built `misp-bridge` program.
 */
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEvents24 } from '../../src/cli/demo-events.js'
import { tempDir, wire23 } from '../sync/support.js'
import { buildBin, node } from './binSupport.js'
import { KEY23, KEY24, keysFor, type Servers, startServers, syncArgs } from './support.js'

let BIN: string
let dir: Awaited<ReturnType<typeof tempDir>>

beforeAll(async () => {
  BIN = await buildBin('misp-bridge-bin-test-edges')
  dir = await tempDir()
}, 300_000)

afterAll(async () => {
  await dir?.remove()
})

/** `sync` from a 2.3 server to a 2.4-era one, with the given URLs and target version. */
const sync23 = (from: string, to: string, toVersion = '2.4'): Array<string> => [
  'sync',
  '--from',
  from,
  '--from-version',
  '2.3',
  '--to',
  to,
  '--to-version',
  toVersion,
]

/** A 2.4 event with `n` attributes of a type 2.3 does not know (each one loss). */
const manyLosses = (n: number): string => {
  const base = demoEvents24[2]!.Event
  const extra = Array.from({ length: n }, (_, i) => ({
    uuid: `5f1c2a3e-0d4b-4c8e-9a1f-${String(900000000000 + i)}`,
    type: 'btc',
    category: 'Financial fraud',
    value: `1BoatSLRHtKNngkdXEeobR76b53LETt${String(i).padStart(3, '0')}`,
    to_ids: false,
    distribution: '5',
    timestamp: '1700000000',
  }))
  return JSON.stringify({
    Event: { ...base, Attribute: [...(base['Attribute'] as Array<unknown>), ...extra] },
  })
}

describe('9. convert: a summary of the losses by default, every loss with --verbose', () => {
  test('40 dropped attributes: one summary line for them; --verbose lists each', async () => {
    const input = manyLosses(40)
    const short = await node([BIN, 'convert', '--to', '2.3'], { input })
    expect(short.code, short.err).toBe(0)
    expect(short.err.split('\n').length).toBeLessThan(15)
    expect(short.err).toMatch(/Event\.Attribute\[\*\]: attribute dropped: type-not-in-2\.3 ×42/)
    expect(short.err).toContain('--verbose')
    const long = await node([BIN, 'convert', '--to', '2.3', '--verbose'], { input })
    expect(long.code, long.err).toBe(0)
    expect(long.out).toBe(short.out)
    expect(long.err.match(/dropped: type-not-in-2\.3/g)?.length).toBe(42)
    expect(long.err).not.toContain('×')
  })
})

describe('7. Ctrl-C', () => {
  /** 12 events on a 2.3 server whose target answers each create after 1.5 s. */
  const slowServers = async (): Promise<Servers> => {
    const s = await startServers('2.4.199', { events23: Array.from({ length: 12 }, (_, i) => wire23(i + 1)) })
    s.e24.inject(
      { kind: 'hang', ms: 1500 },
      { times: Number.POSITIVE_INFINITY, match: { method: 'POST', path: /^\/events(\/add)?$/ } },
    )
    return s
  }

  /**
   * Runs sync with `--concurrency 1 --state`: SIGINT once a create is waiting for its answer (so
   * an event is running), and with `times` 2 again as soon as the first notice is on stderr.
   */
  const interrupted = async (s: Servers, state: string, times: 1 | 2) =>
    node([BIN, ...syncArgs(s, '2.3->2.4'), '--concurrency', '1', '--state', state], {
      env: keysFor('2.3->2.4'),
      started: (child) => {
        const poll = setInterval(() => {
          if (
            !s.e24.requests.some((q) => q.method === 'POST' && q.path.startsWith('/events') && q.status === 0)
          )
            return
          clearInterval(poll)
          child.kill('SIGINT')
        }, 10)
        if (times === 2)
          child.stderr?.on('data', (d: Buffer) => {
            if (d.toString().includes('Ctrl-C again')) child.kill('SIGINT')
          })
      },
    })

  test('once: the run stops, and says that re-running with the same --state continues', async () => {
    const s = await slowServers()
    try {
      const state = join(dir.path, 'ctrl-c-once.json')
      const r = await interrupted(s, state, 1)
      expect(r.code, r.err).toBe(1)
      expect(r.out).toMatch(/not attempted: \d+ event\(s\)/)
      expect(`${r.out}${r.err}`).toMatch(/re-run .*same --state .*continue/i)
      s.e24.clearFaults()
      const again = await node([BIN, ...syncArgs(s, '2.3->2.4'), '--state', state, '--json'], {
        env: keysFor('2.3->2.4'),
      })
      expect(again.code, again.err).toBe(0)
      expect(s.e24.events().length).toBe(12)
    } finally {
      await s.close()
    }
  })

  test('twice: it quits at once with one line on stderr after the first notice', async () => {
    const s = await slowServers()
    try {
      const r = await interrupted(s, join(dir.path, 'ctrl-c-twice.json'), 2)
      expect(r.code, `${r.signal} ${r.err}`).toBe(130)
      const after = r.err
        .slice(r.err.indexOf('Ctrl-C again'))
        .split('\n')
        .slice(1)
        .filter((l) => l !== '')
      expect(after, r.err).toHaveLength(1)
      expect(after[0]).toMatch(/same --state/)
      expect(r.out).toBe('')
    } finally {
      await s.close()
    }
  })
})

describe('8. the default report', () => {
  test('a line per event that failed or lost something; a dry run says "would create"; DEBUG names the server', async () => {
    const s = await startServers('2.4.199', { events24: demoEvents24 })
    try {
      const env = keysFor('2.4->2.3')
      const dry = await node([BIN, ...syncArgs(s, '2.4->2.3'), '--dry-run'], { env })
      expect(dry.code, dry.err).toBe(0)
      expect(dry.out).toMatch(/would create/)
      expect(dry.out).not.toMatch(/^ {4}created /m)
      const withLosses = demoEvents24.filter((e) => e.Event['uuid'] !== undefined).length
      const r = await node([BIN, ...syncArgs(s, '2.4->2.3')], {
        env: { ...env, DEBUG: 'misp-bridge:client' },
      })
      expect(r.code, r.err).toBe(0)
      const eventLines = r.out.split('\n').filter((l) => /^ {4}created +[0-9a-f-]{36} → #\d+.*loss/.test(l))
      expect(eventLines, r.out).toHaveLength(withLosses)
      const debug = r.err.split('\n').filter((l) => l.includes('misp-bridge:client'))
      expect(
        debug.some((l) => /\bsource\b.*GET /.test(l)),
        r.err,
      ).toBe(true)
      expect(
        debug.some((l) => /\btarget\b.*POST /.test(l)),
        r.err,
      ).toBe(true)
      expect(debug.every((l) => /\b(source|target)\b/.test(l))).toBe(true)
      for (const text of [dry.out, dry.err, r.out, r.err]) {
        expect(text).not.toContain(KEY23)
        expect(text).not.toContain(KEY24)
      }
    } finally {
      await s.close()
    }
  })
})

describe('3. the wrong kind of server', () => {
  /** A web server that answers every request with `status`, `type` and `body`. */
  const webServer = async (status: number, type: string, body: string) => {
    const server = createServer((_, res) => {
      res.writeHead(status, { 'content-type': type })
      res.end(body)
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const { port } = server.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) }
  }

  test.each([
    ['a 404 on servers/getVersion', 404, 'text/html', '<html><body><h1>Not Found</h1></body></html>'],
    ['a CakePHP-like JSON 404', 404, 'application/json', '{"name":"Not Found","message":"Not Found"}'],
    [
      'a web page',
      200,
      'text/html',
      '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body></body></html>',
    ],
  ])(
    '%s: "does not look like MISP — check the base URL", no --help hint (exit 2)',
    async (_, status, type, body) => {
      const web = await webServer(status, type, body)
      const s = await startServers('2.4.199')
      try {
        const r = await node([BIN, ...sync23(web.url, s.e24.url)], { env: keysFor('2.3->2.4') })
        expect(r.code).toBe(2)
        expect(r.err).toMatch(/source server.*does not look like MISP — check the base URL/)
        expect(r.err).toContain(web.url)
        expect(r.err).not.toContain('--help')
      } finally {
        await web.close()
        await s.close()
      }
    },
  )

  test('https:// on a plain-HTTP port: "this port does not speak TLS — try http://", no OpenSSL line', async () => {
    const s = await startServers('2.4.199')
    try {
      const r = await node([BIN, ...sync23(s.e23.url, s.e24.url.replace('http://', 'https://'))], {
        env: keysFor('2.3->2.4'),
      })
      expect(r.code).toBe(2)
      expect(r.err).toMatch(/target server.*this port does not speak TLS — try http:\/\//)
      expect(r.err).not.toMatch(/SSL routines|openssl|0A00010B/i)
      expect(r.err).not.toContain('--help')
    } finally {
      await s.close()
    }
  })

  test('a usage error still ends with the --help hint', async () => {
    const r = await node([BIN, 'sync', '--from', 'http://x/', '--from-version', '2.3'], {})
    expect(r.code).toBe(2)
    expect(r.err).toContain("Run 'misp-bridge sync --help' for the options.")
  })
})

describe('5. the state file: the problem and the fix, never a temporary file name', () => {
  test.each([
    ['an empty file', async (p: string) => void (await writeFile(p, '')), /is empty.*delete it/],
    ['a folder', async (p: string) => void (await mkdir(p)), /is a folder.*give a file path/],
    ['a file of /proc', async () => undefined, /cannot create files in \/proc/],
  ])('%s: exit 2 before anything is sent', async (what, make, message) => {
    const s = await startServers('2.4.199', { events23: [wire23(1)] })
    try {
      const state =
        what === 'a file of /proc' ? '/proc/misp-bridge-state.json' : join(dir.path, `state-${what.length}`)
      await make(state)
      const r = await node([BIN, ...syncArgs(s, '2.3->2.4'), '--state', state], { env: keysFor('2.3->2.4') })
      expect(r.code, r.err).toBe(2)
      expect(r.err).toMatch(message)
      expect(r.err).not.toMatch(/\.tmp|EISDIR:|ENOENT:/)
      expect(r.err).not.toContain('--help')
      expect(s.e24.requests.filter((q) => q.method === 'POST')).toHaveLength(0)
    } finally {
      await s.close()
    }
  })
})

describe('12. archive, log and state are owner-only', () => {
  const modeOf = async (p: string) => (await stat(p)).mode & 0o777

  test('created 0600 (files) and 0700 (folders) under umask 022; an archive folder others can read: a warning', async () => {
    const previous = process.umask(0o022)
    const s = await startServers('2.4.199', { events24: [demoEvents24[1]!] })
    try {
      const base = join(dir.path, 'owner-only')
      await mkdir(base)
      const [log, archive, state] = [join(base, 'log.jsonl'), join(base, 'archive'), join(base, 'state.json')]
      const args = [...syncArgs(s, '2.4->2.3'), '--log', log, '--archive', archive, '--state', state]
      const r = await node([BIN, ...args], { env: keysFor('2.4->2.3') })
      expect(r.code, r.err).toBe(0)
      expect(r.err).not.toMatch(/readable by/)
      expect(await modeOf(log)).toBe(0o600)
      expect(await modeOf(state)).toBe(0o600)
      expect(await modeOf(archive)).toBe(0o700)
      const [eventDir] = await readdir(archive)
      expect(await modeOf(join(archive, eventDir!))).toBe(0o700)
      const files = await readdir(join(archive, eventDir!))
      expect(files.length).toBeGreaterThan(0)
      for (const f of files) expect(await modeOf(join(archive, eventDir!, f)), f).toBe(0o600)

      const shared = join(base, 'shared-archive')
      await mkdir(shared, { mode: 0o755 })
      await chmod(shared, 0o755)
      const w = await node([BIN, ...syncArgs(s, '2.4->2.3'), '--archive', shared, '--dry-run'], {
        env: keysFor('2.4->2.3'),
      })
      expect(w.code, w.err).toBe(0)
      expect(w.err).toMatch(/warning: --archive .*shared-archive is readable by other users .*chmod 700/)
    } finally {
      process.umask(previous)
      await s.close()
    }
  })
})

describe('2, 4, 6: versions, --since, keys', () => {
  const args23to25 = (s: Servers, toVersion: string) => sync23(s.e23.url, s.e24.url, toVersion)

  test('2. --to-version 2.5 (and the version the server reports, 2.5.1) is accepted against MISP 2.5', async () => {
    const s = await startServers('2.5', { events23: [wire23(1)] })
    try {
      for (const v of ['2.5', '2.5.1']) {
        const r = await node([BIN, ...args23to25(s, v), '--dry-run'], { env: keysFor('2.3->2.4') })
        expect(r.code, `${v}: ${r.err}`).toBe(0)
      }
      const wrong = await node([BIN, ...args23to25(s, '2.3'), '--from-version', '2.5'], {
        env: keysFor('2.3->2.4'),
      })
      expect(wrong.code).toBe(2)
      expect(wrong.err).toMatch(
        /--from-version 2\.5, but the source server is MISP 2\.3\.178 \(use --from-version 2\.3\)/,
      )
      const bad = await node([BIN, ...args23to25(s, '2.6')], { env: keysFor('2.3->2.4') })
      expect(bad.code).toBe(2)
      expect(bad.err).toMatch(/--to-version must be 2\.3, 2\.4 or 2\.5/)
    } finally {
      await s.close()
    }
  })

  test('4. --since 7 and --since -7d: refused with the hint 7d; the report prints the resolved date', async () => {
    const s = await startServers('2.4.199', { events23: [wire23(1)] })
    try {
      for (const since of ['7', '-7d']) {
        const r = await node([BIN, ...syncArgs(s, '2.3->2.4'), '--since', since], {
          env: keysFor('2.3->2.4'),
        })
        expect(r.code, since).toBe(2)
        expect(r.err, since).toMatch(/--since .*7d/)
        expect(r.err, since).not.toMatch(/Invalid|NaN|RangeError/)
      }
      const ok = await node([BIN, ...syncArgs(s, '2.3->2.4'), '--since', '7d', '--dry-run'], {
        env: keysFor('2.3->2.4'),
      })
      expect(ok.code, ok.err).toBe(0)
      const resolved = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)
      expect(ok.out).toMatch(new RegExp(`since ${resolved}T\\d\\d:\\d\\d:\\d\\dZ`))
    } finally {
      await s.close()
    }
  })

  test('6. --from-key KEY: keys come from the environment or --from-key-file; the key is not echoed', async () => {
    for (const form of [['--from-key', KEY23], [`--from-key=${KEY23}`], ['--to-key', KEY24]]) {
      const r = await node(
        [BIN, 'sync', '--from', 'http://127.0.0.1:9/', '--from-version', '2.3', ...form],
        {},
      )
      expect(r.code).toBe(2)
      expect(r.err).toMatch(/MISP_(FROM|TO)_KEY/)
      expect(r.err).toMatch(/--(from|to)-key-file/)
      expect(`${r.out}${r.err}`).not.toContain(KEY23)
      expect(`${r.out}${r.err}`).not.toContain(KEY24)
    }
  })

  test('6. both keys missing: both reported at once', async () => {
    const r = await node([BIN, ...sync23('http://127.0.0.1:9/', 'http://127.0.0.1:9/x/')], {})
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/MISP_FROM_KEY/)
    expect(r.err).toMatch(/MISP_TO_KEY/)
  })
})
