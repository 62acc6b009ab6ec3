/**
 * The CLI in-process (`main(argv, io)`): help, usage errors (exit 2), unreachable servers and
 * bad keys (exit 2), clean runs (exit 0), runs with failures (exit 1), `--json`, the log, archive
 * and state files, `convert` both ways, `demo` — and the API key in no output.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { demoEvents23, demoEvents24 } from '../../src/cli/demo-events.js'
import { main } from '../../src/cli/main.js'
import { decodeEvent23, decodeEvent24 } from '../../src/decode.js'
import type { RunReport } from '../../src/sync/index.js'
import { readLog, tempDir, wire23, wire24 } from '../sync/support.js'
import { capture, KEY23, KEY24, keysFor, type Servers, startServers, syncArgs } from './support.js'

/** A port nothing listens on (it was free a moment ago). */
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const address = server.address()
  await new Promise<void>((ok) => server.close(() => ok()))
  return typeof address === 'object' && address !== null ? address.port : 9
}

let dir: Awaited<ReturnType<typeof tempDir>>
let servers: Servers | undefined
/** every text the CLI wrote in a test, checked for the keys afterwards */
let outputs: Array<string> = []

const run = async (argv: ReadonlyArray<string>, options: Parameters<typeof capture>[0] = {}) => {
  const c = capture({ cwd: dir.path, ...options })
  const code = await main(argv, c.io)
  outputs.push(c.out(), c.err())
  return { code, out: c.out(), err: c.err() }
}

beforeEach(async () => {
  dir = await tempDir()
  outputs = []
})
afterEach(async () => {
  for (const o of outputs) {
    expect(o).not.toContain(KEY23)
    expect(o).not.toContain(KEY24)
  }
  await servers?.close()
  servers = undefined
  await dir.remove()
})

describe('help and usage', () => {
  test('--help for the program and each command (exit 0)', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('misp-bridge sync') })
    for (const c of ['sync', 'convert', 'demo']) {
      const r = await run([c, '--help'])
      expect(r.code).toBe(0)
      expect(r.out).toMatch(new RegExp(`^Usage: misp-bridge ${c}`))
      expect(r.out).toContain('Exit status')
    }
    expect((await run(['sync', '-h'])).out).toContain('--from-key-file')
  })

  test('no command, an unknown command (exit 2)', async () => {
    expect((await run([])).code).toBe(2)
    const r = await run(['push'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('unknown command "push"')
  })

  test.each([
    [['--bogus'], /--bogus/],
    [['--from', 'http://x', '--from-version', '2.3', '--to-version', '2.4'], /--to is required/],
    [
      ['--from', 'http://x', '--from-version', '2.6', '--to', 'http://y', '--to-version', '2.4'],
      /--from-version must be 2.3, 2.4 or 2.5/,
    ],
    [['--from', 'http://x', '--from-version', '2.4', '--to', 'http://y', '--to-version', '2.4'], /both 2.4/],
    [
      [
        '--from',
        'http://x',
        '--from-version',
        '2.3',
        '--to',
        'http://y',
        '--to-version',
        '2.4',
        '--since',
        'yesterday',
      ],
      /--since/,
    ],
    [
      [
        '--from',
        'http://x',
        '--from-version',
        '2.3',
        '--to',
        'http://y',
        '--to-version',
        '2.4',
        '--concurrency',
        '0',
      ],
      /--concurrency/,
    ],
    [
      [
        '--from',
        'http://x',
        '--from-version',
        '2.3',
        '--to',
        'http://y',
        '--to-version',
        '2.4',
        '--uuid',
        'nope',
      ],
      /--uuid must be a UUID/,
    ],
    [
      [
        '--from',
        'http://x',
        '--from-version',
        '2.3',
        '--to',
        'http://y',
        '--to-version',
        '2.4',
        '--sharing-group-events',
        'skip',
      ],
      /2.4 → 2.3 only/,
    ],
    [
      [
        '--from',
        'http://x',
        '--from-version',
        '2.3',
        '--to',
        'http://y',
        '--to-version',
        '2.4',
        '--json',
        'yes',
      ],
      /unexpected argument/i,
    ],
    [
      ['--from', 'http://x', '--from-version', '2.3', '--to', 'http://y', '--to-version', '2.4'],
      /no API key for --from: set MISP_FROM_KEY/,
    ],
  ])('sync %j → exit 2', async (args, message) => {
    const r = await run(['sync', ...args])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(r.err).toContain("Run 'misp-bridge sync --help'")
    // with --json, the same error as a JSON object on stdout (issue #9)
    if (args.includes('--json'))
      expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { kind: 'UsageError' } })
    else expect(r.out).toBe('')
  })
})

describe('sync', () => {
  test('an unreachable server, a refused key, a wrong declared version: exit 2, clear, no key', async () => {
    servers = await startServers('2.4.199')
    const env = keysFor('2.3->2.4')
    const closed = await closedPort()
    const unreachable = await run(
      [
        'sync',
        '--from',
        `http://127.0.0.1:${closed}/`,
        '--from-version',
        '2.3',
        '--to',
        servers.e24.url,
        '--to-version',
        '2.4',
      ],
      { env },
    )
    expect(unreachable.code).toBe(2)
    expect(unreachable.err).toMatch(/cannot use the source server: network failure \(refused/)

    const badKey = await run(syncArgs(servers, '2.3->2.4'), {
      env: { MISP_FROM_KEY: 'WrongKeyWrongKeyWrongKeyWrongKey01234567', MISP_TO_KEY: KEY24 },
    })
    expect(badKey.code).toBe(2)
    expect(badKey.err).toMatch(/cannot use the source server: authentication failed/)
    expect(badKey.err).not.toContain('WrongKeyWrongKey')

    const wrongVersion = await run(
      [
        'sync',
        '--from',
        servers.e24.url,
        '--from-version',
        '2.3',
        '--to',
        servers.e23.url,
        '--to-version',
        '2.4',
      ],
      { env: { MISP_FROM_KEY: KEY24, MISP_TO_KEY: KEY23 } },
    )
    expect(wrongVersion.code).toBe(2)
    expect(wrongVersion.err).toContain('use --from-version 2.4')

    const badLog = await run(
      [...syncArgs(servers, '2.3->2.4'), '--log', join(dir.path, 'no', 'such', 'log.jsonl')],
      {
        env,
      },
    )
    expect(badLog.code).toBe(2)
    expect(badLog.err).toMatch(/cannot append to --log/)
  })

  test('a clean run: exit 0, --json, the log, the archive and the state; again: nothing selected', async () => {
    const events = [wire23(1), wire23(2), wire23(3)]
    servers = await startServers('2.5', { events23: events })
    const files = ['--log', 'log.jsonl', '--archive', 'archive', '--state', 'state.json']
    const r = await run([...syncArgs(servers, '2.3->2.4'), ...files, '--json'], { env: keysFor('2.3->2.4') })
    expect(r.code).toBe(0)
    expect(r.err).toBe('') // quiet when stderr is not a terminal
    const report = JSON.parse(r.out) as RunReport
    expect(report).toMatchObject({
      direction: '2.3->2.4',
      ok: true,
      selected: 3,
      counts: { created: 3, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
      notAttempted: [],
      errors: [],
    })
    expect(report.events.map((e) => e.outcome)).toEqual(['created', 'created', 'created'])
    expect(report.events[0]?.losses.total).toBeGreaterThan(0)
    expect(servers.e24.events()).toHaveLength(3)
    const log = await readLog(join(dir.path, 'log.jsonl'))
    const byUuid = (a: [string, string, string | undefined], b: [string, string, string | undefined]) =>
      a[0] < b[0] ? -1 : 1
    expect(
      log.map((l) => [l.uuid, l.outcome, l.targetId] as [string, string, string | undefined]).sort(byUuid),
    ).toEqual(
      report.events
        .map((e) => [e.uuid, 'created', e.targetId] as [string, string, string | undefined])
        .sort(byUuid),
    )
    expect(await readdir(join(dir.path, 'archive'))).toHaveLength(3)
    const state = JSON.parse(await readFile(join(dir.path, 'state.json'), 'utf8'))
    expect(Object.values(state.watermarks)).toEqual([expect.objectContaining({ timestamp: 1_700_000_003 })])
    for (const f of [join(dir.path, 'log.jsonl'), join(dir.path, 'state.json')]) {
      const text = await readFile(f, 'utf8')
      expect(text).not.toContain(KEY23)
      expect(text).not.toContain(KEY24)
    }

    const again = await run([...syncArgs(servers, '2.3->2.4'), ...files], { env: keysFor('2.3->2.4') })
    expect(again.code).toBe(0)
    expect(again.out).toContain('0 selected: 0 created, 0 updated, 0 unchanged, 0 skipped, 0 failed')
    expect(again.out).toContain('watermark: 1700000003')
    expect((await readLog(join(dir.path, 'log.jsonl'))).length).toBe(3)
  })

  test('a run with failures: exit 1, the failures in the summary and in --json', async () => {
    servers = await startServers('2.4.0', { events24: [wire24(1), wire24(2)] })
    servers.e23.inject(
      { kind: 'status', status: 500 },
      { times: Number.POSITIVE_INFINITY, match: { method: 'POST' } },
    )
    const human = await run([...syncArgs(servers, '2.4->2.3'), '--concurrency', '1'], {
      env: keysFor('2.4->2.3'),
    })
    expect(human.code).toBe(1)
    expect(human.out).toContain('2 selected: 0 created, 0 updated, 0 unchanged, 0 skipped, 2 failed')
    expect(human.out).toMatch(/failed +[0-9a-f-]{36}.*\n +target create failed: HTTP 500/)
    const json = await run([...syncArgs(servers, '2.4->2.3'), '--json'], { env: keysFor('2.4->2.3') })
    expect(json.code).toBe(1)
    const report = JSON.parse(json.out) as RunReport
    expect(report.ok).toBe(false)
    expect(report.events.map((e) => e.error)).toEqual([
      expect.objectContaining({ kind: 'TargetFailed', step: 'create', tag: 'HttpError' }),
      expect.objectContaining({ kind: 'TargetFailed', step: 'create', tag: 'HttpError' }),
    ])
  })

  test('key files, --uuid, --dry-run, --sharing-group-events, progress on a terminal', async () => {
    const events = [
      wire24(1),
      wire24(2, {
        distribution: '4',
        sharing_group_id: '1',
        SharingGroup: { name: 'SG', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000005c1' },
      }),
    ]
    servers = await startServers('2.4.199', { events24: events })
    await writeFile(join(dir.path, 'from.key'), `${KEY24}\n`)
    await writeFile(join(dir.path, 'to.key'), KEY23)
    const keyFiles = ['--from-key-file', 'from.key', '--to-key-file', 'to.key']
    const dry = await run([...syncArgs(servers, '2.4->2.3'), ...keyFiles, '--dry-run'], { tty: true })
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('(dry run: nothing written)')
    expect(dry.err).toContain('\r') // the progress line
    expect(dry.err).toContain('[2/2]')
    expect(servers.e23.events()).toEqual([])

    const one = await run([
      ...syncArgs(servers, '2.4->2.3'),
      ...keyFiles,
      '--uuid',
      events[1]!.Event['uuid'] as string,
      '--sharing-group-events',
      'skip',
      '--json',
    ])
    expect(one.code).toBe(0)
    expect((JSON.parse(one.out) as RunReport).events).toEqual([
      expect.objectContaining({ outcome: 'skipped', reason: expect.stringContaining('sharing-group') }),
    ])
    const missing = await run([
      ...syncArgs(servers, '2.4->2.3'),
      '--from-key-file',
      'nope.key',
      '--to-key-file',
      'to.key',
    ])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('cannot read --from-key-file nope.key (ENOENT)')
  })

  test('Ctrl-C before the run: nothing attempted, exit 1', async () => {
    servers = await startServers('2.4.199', { events23: [wire23(1)] })
    const stop = new AbortController()
    stop.abort()
    const r = await run([...syncArgs(servers, '2.3->2.4')], { env: keysFor('2.3->2.4'), signal: stop.signal })
    expect(r.code).toBe(1)
    expect(r.out).toContain('not attempted: 0 event(s) (stopped: aborted)')
  })
})

describe('convert', () => {
  test('2.4 → 2.3 from a file: the event on stdout, the losses on stderr', async () => {
    await writeFile(join(dir.path, 'event.json'), JSON.stringify(demoEvents24[0]))
    const r = await run(['convert', '--to', '2.3', 'event.json'])
    expect(r.code).toBe(0)
    const out = decodeEvent23(JSON.parse(r.out))
    expect(E.isRight(out)).toBe(true)
    expect(E.isRight(out) && out.right.orgc).toBe('CERT-FR')
    expect(r.err).toMatch(/Event\.Object\[0\]: object .* flattened into 2 attribute\(s\)/)
    expect(r.err).toMatch(/misp-bridge convert: 2\.4 → 2\.3, \d+ losses \(FieldsDropped \d+/)
  })

  test('2.3 → 2.4 from stdin, with a distribution preset', async () => {
    const r = await run(['convert', '--to', '2.4', '--distribution', 'preserve', '-'], {
      input: JSON.stringify(demoEvents23[0]),
    })
    expect(r.code).toBe(0)
    const out = decodeEvent24(JSON.parse(r.out))
    expect(E.isRight(out) && out.right.distribution).toBe('1')
    expect(E.isRight(out) && out.right.Orgc).toEqual({ name: 'CIRCL' })
    expect(E.isRight(out) && out.right.locked).toBe(true)
  })

  test('bad input and bad flags: exit 2', async () => {
    expect((await run(['convert', 'x.json'])).err).toContain('--to is required')
    expect((await run(['convert', '--to', '2.3', '--from', '2.3'])).code).toBe(2)
    expect((await run(['convert', '--to', '2.3', '-'], { input: '{not json' })).err).toContain('not JSON')
    const invalid = await run(['convert', '--to', '2.3'], { input: '{"Event": {"info": "no uuid"}}' })
    expect(invalid.code).toBe(2)
    expect(invalid.err).toMatch(/not a valid MISP 2\.4 event:\n[\s\S]*Event\.uuid/)
    expect((await run(['convert', '--to', '2.3', 'missing.json'])).err).toContain('cannot read missing.json')
  })

  test('12. no FILE and stdin is a terminal: a hint and exit 2, not a silent wait', async () => {
    let out = ''
    let err = ''
    const never = new Promise<never>(() => {})
    const terminal = Object.assign(
      (async function* () {
        yield await never
      })(),
      { isTTY: true },
    )
    const io = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      stdin: terminal,
      env: {},
      cwd: dir.path,
    }
    const code = await Promise.race([
      main(['convert', '--to', '2.3'], io),
      new Promise<'waiting'>((ok) => setTimeout(() => ok('waiting'), 2000)),
    ])
    expect(code).toBe(2)
    expect(err).toMatch(/FILE|stdin|pipe/)
    expect(out).toBe('')
  })
})

describe('demo', () => {
  test('runs end to end and says where the log and archive went', async () => {
    const r = await run(['demo', '--dir', 'demo'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('1. Sync both ways')
    expect(r.out).toContain('6 selected: 0 created, 0 updated, 6 unchanged, 0 skipped, 0 failed')
    expect(r.out).toMatch(/updated +5f1c2a3e-0d4b-4c8e-9a1f-24b000000001/)
    expect(r.out).toContain(
      'Now MISP 2.3 holds 7 events and MISP 2.4 holds 8, each once (the tlp:red one stays on 2.4).',
    )
    // step 5: a tlp:red event held back by the rules, a published copy arriving without e-mail
    expect(r.out).toMatch(/skipped +5f1c2a3e-0d4b-4c8e-9a1f-24c000000001.*\n +rules\.tags\.NOT: tlp:red/)
    expect(r.out).toContain('published: true; alert e-mails the target sent: 0')
    // step 4: a tlp: marking and a retraction cross each way
    expect(r.out).toContain('tags attached: tlp:red; tags removed: tlp:amber')
    expect(r.out).toContain('tags attached: tlp:clear; tags removed: tlp:amber')
    expect(r.out).toMatch(
      /on 2\.4, the copy of 5f1c2a3e-0d4b-4c8e-9a1f-23a000000001: tags phishing:techniques="email-spoofing", tlp:red; attribute 5f1c2a3e-0d4b-4c8e-9a1f-23a000000202: deleted/,
    )
    expect(r.out).toMatch(
      /on 2\.3, the copy of 5f1c2a3e-0d4b-4c8e-9a1f-24b000000001: tags misp-galaxy:threat-actor="Sofacy", tlp:clear; attribute 5f1c2a3e-0d4b-4c8e-9a1f-24b000000101: absent/,
    )
    expect(r.out).toContain(join(dir.path, 'demo', 'transfers.jsonl'))
    const log = await readLog(join(dir.path, 'demo', 'transfers.jsonl'))
    expect(log.length).toBeGreaterThan(10)
    expect(new Set(log.map((l) => l.direction))).toEqual(new Set(['2.3->2.4', '2.4->2.3']))
  })
})
