/**
 * Running the bridge as a service, through the built `misp-bridge` program (issue #16): a config
 * file checked as a whole, `run` of two links both ways, the per-link lock, `status`, the
 * metrics file, `daemon` and its clean stop, a CA from the config, and no key in any output or
 * file.
 */
import { spawn } from 'node:child_process'
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { tempDir, wire23, wire24 } from '../sync/support.js'
import { KEY23, KEY24 } from './support.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUILD = join(ROOT, 'node_modules', '.cache', 'misp-bridge-service-test')
const BIN = join(BUILD, 'cli', 'main.js')
const TLS = (name: string) => join(ROOT, 'test', 'fixtures', 'tls', name)

interface Exit {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

const outputs: Array<string> = []

const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (err += d))
  const done = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      outputs.push(out, err)
      resolve({ code, out, err })
    })
  })
  return { child, done, out: () => out }
}

const bin = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Exit> =>
  start(args, env).done

let e23: MispEmulator
let e25: MispEmulator
let dir: Awaited<ReturnType<typeof tempDir>>
const env = { MISP_LEGACY_KEY: KEY23 }

/** The POSTs that change something (searches are reads). */
const writes = (e: MispEmulator): number =>
  e.requests.filter((r) => r.method === 'POST' && !/restSearch|\/index/.test(r.path)).length

const writeConfig = async (name: string, doc: unknown): Promise<string> => {
  const file = join(dir.path, name)
  await writeFile(file, JSON.stringify(doc, null, 2))
  return file
}

const goodConfig = (extra: Record<string, unknown> = {}) => ({
  servers: {
    legacy: { url: e23.url, version: '2.3', keyEnv: 'MISP_LEGACY_KEY' },
    hub: { url: e25.url, version: '2.4', keyFile: 'hub.key', ca: TLS('ca.pem') },
  },
  links: [
    { name: 'hub-to-legacy', from: 'hub', to: 'legacy', every: '1s', distribution: 'misp-push' },
    { name: 'legacy-to-hub', from: 'legacy', to: 'hub', every: '1s' },
  ],
  state: 'state.json',
  log: 'transfers.jsonl',
  metrics: 'misp-bridge.prom',
  ...extra,
})

beforeAll(async () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const built = await new Promise<Exit>((resolve) => {
    const c = spawn(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD])
    let out = ''
    c.stdout.on('data', (d) => (out += d))
    c.on('close', (code) => resolve({ code, out, err: '' }))
  })
  if (built.code !== 0) throw new Error(`the build failed:\n${built.out}`)
  e23 = await startMispEmulator({
    version: '2.3.178',
    apiKey: KEY23,
    role: 'site-admin',
    events: [wire23(1), wire23(2)],
  })
  e25 = await startMispEmulator({
    version: '2.5',
    apiKey: KEY24,
    events: [wire24(1), wire24(2), wire24(3)],
    tls: { key: await readFile(TLS('server.key')), cert: await readFile(TLS('server.pem')) },
  })
  dir = await tempDir()
  await writeFile(join(dir.path, 'hub.key'), `${KEY24}\n`, { mode: 0o600 })
}, 120_000)

afterAll(async () => {
  await Promise.all([e23?.close(), e25?.close()])
  await dir?.remove()
})

describe('the config file', () => {
  test('checked as a whole: every problem with its path, exit 2, nothing sent', async () => {
    await writeFile(join(dir.path, 'open.key'), KEY24, { mode: 0o644 })
    await chmod(join(dir.path, 'open.key'), 0o644)
    const file = await writeConfig('bad.json', {
      servers: {
        legacy: { url: e23.url, version: '2.3', key: KEY23 },
        hub: { url: e25.url, version: '2.6', keyFile: 'missing.key' },
      },
      links: [
        { name: 'a', from: 'hub', to: 'legacy', every: 'often', tgs: 'mirror' },
        { name: 'a', from: 'nowhere', to: 'legacy', tags: 'all' },
      ],
      state: 'state.json',
      colour: 'blue',
    })
    const before = e23.requests.length + e25.requests.length
    const r = await bin(['run', '--config', file], env)
    expect(r.code).toBe(2)
    for (const expected of [
      'colour is not a known key',
      'servers.legacy.key: keys are never written in the config file: use keyEnv',
      'servers.legacy needs exactly one of keyEnv',
      `servers.hub.version must be 2.3, 2.4 or 2.5 (MISP 2.5 speaks 2.4's format), got "2.6"`,
      'cannot read servers.hub.keyFile',
      'links[0].tgs is not a known key',
      'links[0].every must be a duration such as 30s, 15m, 1h or 1d, got "often"',
      'links[1].from must name a server (legacy, hub), got "nowhere"',
      'links[1].tags must be mirror or add-only or none, got "all"',
      'links[1].name "a" is already the name of links[0]',
    ])
      expect(r.err).toContain(expected)
    expect(e23.requests.length + e25.requests.length).toBe(before)
    // a key file other users can read: a warning naming it
    const open = await writeConfig('open.json', {
      ...goodConfig(),
      servers: { ...goodConfig().servers, hub: { ...goodConfig().servers.hub, keyFile: 'open.key' } },
    })
    const status = await bin(['status', '--config', open], env)
    expect(status.code).toBe(0)
    expect(status.err).toMatch(
      /warning: servers\.hub\.keyFile .*open\.key can be read by other users: chmod 600 it/,
    )
  })
})

describe('run, status, metrics, the lock', () => {
  test('run: two links both ways (the HTTPS hub through its ca), then a second run writes nothing', async () => {
    const config = await writeConfig('bridge.json', goodConfig())
    const first = await bin(['run', '--config', config], env)
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toMatch(/== hub-to-legacy: hub \(2\.4\) → legacy \(2\.3\)\n[^=]*3 created/)
    expect(first.out).toMatch(/== legacy-to-hub: legacy \(2\.3\) → hub \(2\.4\)\n[^=]*2 created/)
    expect(e23.events()).toHaveLength(5)
    expect(e25.events()).toHaveLength(5)
    const w23 = writes(e23)
    const w25 = writes(e25)
    const second = await bin(['run', '--config', config, '--json'], env)
    expect(second.code).toBe(0)
    const report = JSON.parse(second.out)
    expect(report.ok).toBe(true)
    expect(report.links.map((l: { name: string; status: string }) => [l.name, l.status])).toEqual([
      ['hub-to-legacy', 'ok'],
      ['legacy-to-hub', 'ok'],
    ])
    expect(writes(e23)).toBe(w23)
    expect(writes(e25)).toBe(w25)
    // what the run left: state, log, status records and metrics, owner-only; no lock
    const files = await readdir(dir.path)
    expect(files.filter((f) => f.endsWith('.lock'))).toEqual([])
    for (const f of files.filter((f) => f.startsWith('state.json.') || f.endsWith('.prom')))
      expect(((await stat(join(dir.path, f))).mode & 0o777).toString(8)).toBe('600')
  })

  test('the metrics file is Prometheus text: per link, events by outcome, timestamps, duration, retry set', async () => {
    const text = await readFile(join(dir.path, 'misp-bridge.prom'), 'utf8')
    const samples = new Map<string, number>()
    const typed = new Set<string>()
    for (const line of text.split('\n')) {
      if (line === '') continue
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line)
      if (meta !== null) {
        if (meta[1] === 'TYPE') {
          expect(meta[3]).toBe('gauge')
          typed.add(meta[2]!)
        }
        continue
      }
      const m =
        /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\} (\S+)$/.exec(line)
      expect(m, line).not.toBeNull()
      expect(typed.has(m![1]!), `${m![1]} declared before its samples`).toBe(true)
      expect(Number.isFinite(Number(m![3]))).toBe(true)
      samples.set(`${m![1]}{${m![2]}}`, Number(m![3]))
    }
    // the last run (the second) had nothing to do: its watermark was past every event
    expect(samples.get('misp_bridge_events{link="hub-to-legacy",outcome="created"}')).toBe(0)
    expect(samples.get('misp_bridge_events{link="legacy-to-hub",outcome="failed"}')).toBe(0)
    expect(samples.get('misp_bridge_retry_events{link="hub-to-legacy"}')).toBe(0)
    expect(samples.get('misp_bridge_last_run_ok{link="legacy-to-hub"}')).toBe(1)
    const lastSuccess = samples.get('misp_bridge_last_success_timestamp_seconds{link="hub-to-legacy"}')!
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(120)
    expect(samples.get('misp_bridge_last_run_duration_seconds{link="hub-to-legacy"}')).toBeGreaterThan(0)
  })

  test('status --json and --max-lag', async () => {
    const config = join(dir.path, 'bridge.json')
    const r = await bin(['status', '--config', config, '--json'], env)
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out)
    expect(doc.links).toHaveLength(2)
    expect(doc.links[0]).toMatchObject({
      name: 'hub-to-legacy',
      lastRun: { ok: true, selected: 0, counts: { created: 0, failed: 0 } },
      consecutiveFailures: 0,
      retry: [],
    })
    expect(doc.links[0].lagSeconds).toBeLessThan(120)
    expect((await bin(['status', '--config', config, '--max-lag', '1h'], env)).code).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const stale = await bin(['status', '--config', config, '--max-lag', '1s'], env)
    expect(stale.code).toBe(1)
    expect(stale.out).toContain('STALE')
    expect(stale.err).toContain('no successful run within 1s')
    const text = await bin(['status', '--config', config], env)
    expect(text.out).toMatch(/legacy-to-hub: legacy \(2\.3\) → hub \(2\.4\)\n {2}last run: {5}ended .*, ok: /)
    expect((await bin(['status', '--config', config, '--max-lag', 'soon'], env)).err).toContain(
      '--max-lag must be a duration',
    )
  })

  test('the lock: a busy link is refused (exit 1, nothing written) while the free one runs; a dead holder is taken over', async () => {
    const config = join(dir.path, 'bridge.json')
    const stamp9 = String(Math.floor(Date.now() / 1000))
    e25.seed([wire24(9, { timestamp: stamp9 })])
    const first = await bin(['run', '--config', config], env)
    expect(first.code).toBe(0)
    // a live process on this host holds hub-to-legacy's lock
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    const lock = await lockFileOf('hub-to-legacy', config)
    await writeFile(
      lock,
      JSON.stringify({
        pid: holder.pid,
        host: hostname(),
        startedAt: new Date().toISOString(),
        link: 'hub-to-legacy',
      }),
    )
    try {
      // in event 9's own second: whichever way the uuids sort, the next run selects it (atSecond)
      e25.seed([wire24(10, { timestamp: stamp9 })])
      const w23 = writes(e23)
      const busy = await bin(['run', '--config', config], env)
      expect(busy.code).toBe(1)
      expect(busy.out).toMatch(
        /== hub-to-legacy[^\n]*\n {2}busy: another misp-bridge \(pid \d+ on [^,]+, running hub-to-legacy since/,
      )
      expect(busy.out).toContain('nothing was sent or written')
      expect(busy.out).toMatch(/== legacy-to-hub[^=]*0 created/)
      expect(writes(e23)).toBe(w23)
      // sync --state on the same servers and state file takes the same lock
      const sync = await bin(
        [
          'sync',
          '--from',
          e25.url,
          '--from-version',
          '2.4',
          '--from-ca',
          TLS('ca.pem'),
          '--to',
          e23.url,
          '--to-version',
          '2.3',
          '--state',
          join(dir.path, 'state.json'),
        ],
        { MISP_FROM_KEY: KEY24, MISP_TO_KEY: KEY23 },
      )
      expect(sync.code).toBe(1)
      expect(sync.err).toMatch(
        /misp-bridge sync: busy: another misp-bridge \(pid \d+ .*running hub-to-legacy since .*nothing was sent or written/,
      )
      expect(writes(e23)).toBe(w23)
    } finally {
      holder.kill('SIGKILL')
      await new Promise((r) => holder.on('close', r))
    }
    // the holder is dead now: its lock is taken over
    const after = await bin(['run', '--config', config, '--link', 'hub-to-legacy'], env)
    expect(after.code).toBe(0)
    expect(after.out).toMatch(/took over the lock of pid \d+, which is no longer running/)
    expect(after.out).toContain('1 created')
  }, 60_000)
})

/** The lock file a link uses (by running `sync`'s lock naming through a dry status of the files). */
const lockFileOf = async (link: string, config: string): Promise<string> => {
  const { lockPath } = await import('../../src/cli/internal/linkLock.js')
  const doc = JSON.parse(await readFile(config, 'utf8'))
  const l = doc.links.find((x: { name: string }) => x.name === link)
  const url = (s: string) =>
    doc.servers[s].url.endsWith('/') ? doc.servers[s].url : `${doc.servers[s].url}/`
  const direction = doc.servers[l.from].version === '2.3' ? '2.3->2.4' : '2.4->2.3'
  return lockPath(join(dir.path, 'state.json'), `${direction} ${url(l.from)} -> ${url(l.to)}`)
}

const waitFor = async (ok: () => boolean, ms: number): Promise<void> => {
  const until = Date.now() + ms
  while (!ok()) {
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('daemon', () => {
  test('runs a link on its every, and stops cleanly on SIGTERM (state saved, exit 0)', async () => {
    const config = join(dir.path, 'bridge.json')
    const d = start(['daemon', '--config', config, '--link', 'legacy-to-hub'], env)
    await waitFor(() => (d.out().match(/legacy-to-hub: ok/g) ?? []).length >= 2, 20_000)
    d.child.kill('SIGTERM')
    const exit = await d.done
    expect(exit.code).toBe(0)
    const lines = exit.out.trim().split('\n')
    expect(lines[0]).toMatch(/misp-bridge daemon: started \(pid \d+\), links: legacy-to-hub every 1s$/)
    expect(
      lines.filter((l) => /^\S+ legacy-to-hub: ok, .* in \d+\.\d+s; next in \ds$/.test(l)).length,
    ).toBeGreaterThanOrEqual(2)
    expect(lines.at(-1)).toMatch(/misp-bridge daemon: stopped; state saved$/)
    expect((await readdir(dir.path)).filter((f) => f.endsWith('.lock'))).toEqual([])
  }, 40_000)

  test('a link without every is refused by daemon, naming its path', async () => {
    const config = await writeConfig('noevery.json', {
      ...goodConfig(),
      links: [{ name: 'x', from: 'hub', to: 'legacy' }],
    })
    const r = await bin(['daemon', '--config', config], env)
    expect(r.code).toBe(2)
    expect(r.err).toContain('links[0].every is required by daemon')
  })
})

describe('check', () => {
  test('each server version and key permissions against each link: a 2.3 "Sync user" key may not tag (exit 1, the fix named); a site-admin key may', async () => {
    const syncUser23 = await startMispEmulator({ version: '2.3.178', apiKey: KEY23, role: 'sync' })
    try {
      const config = await writeConfig('check.json', {
        ...goodConfig(),
        servers: { ...goodConfig().servers, legacy: { ...goodConfig().servers.legacy, url: syncUser23.url } },
      })
      const before = syncUser23.requests.length
      const r = await bin(['check', '--config', config], env)
      expect(r.code).toBe(1)
      expect(r.out).toMatch(
        /legacy: .* \(declared 2\.3\)\n {2}MISP 2\.3\.178; key: site admin no, sync yes, tag no/,
      )
      expect(r.out).toMatch(
        /hub: https:.* \(declared 2\.4\)\n {2}MISP 2\.5\.1; key of role "Sync user".*sync yes, tag yes, create tags yes/,
      )
      expect(r.out).toContain(
        'hub-to-legacy: hub → legacy needs perm_sync, perm_tagger on legacy: MISSING perm_tagger',
      )
      expect(r.out).toContain('"Org Admin" or a custom role)')
      expect(r.out).toContain(
        'legacy-to-hub: legacy → hub needs perm_sync, perm_tagger, perm_tag_editor on hub: ok',
      )
      // the default arrival publishes quietly: a key that is no site admin publishes only its own org's copies
      expect(r.out).toMatch(
        /legacy-to-hub: .*: ok\n {2}note: copies of published events arrive published only where their creator org is /,
      )
      expect(
        syncUser23.requests.slice(before).every((q) => !/events\/(add|edit)|addTag|removeTag/.test(q.path)),
      ).toBe(true)
      const ok = await bin(['check', '--config', join(dir.path, 'bridge.json'), '--json'], env)
      expect(ok.code).toBe(0)
      const doc = JSON.parse(ok.out)
      expect(doc.ok).toBe(true)
      expect(doc.servers.map((s: { name: string; misp: string }) => [s.name, s.misp])).toEqual([
        ['hub', '2.5.1'],
        ['legacy', '2.3.178'],
      ])
    } finally {
      await syncUser23.close()
    }
  })

  test('check --url --version with a key: one server; a wrong version is a problem', async () => {
    const r = await bin(['check', '--url', e25.url, '--version', '2.4', '--ca', TLS('ca.pem')], {
      MISP_KEY: KEY24,
    })
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/MISP 2\.5\.1; key of role "Sync user"/)
    const wrong = await bin(['check', '--url', e23.url, '--version', '2.4'], { MISP_KEY: KEY23 })
    expect(wrong.code).toBe(1)
    expect(wrong.out).toContain('declared 2.4, but it is MISP 2.3.178')
    const noKey = await bin(['check', '--url', e23.url, '--version', '2.3'])
    expect(noKey.code).toBe(2)
    expect(noKey.err).toContain('no API key: set MISP_KEY or pass --key-file FILE')
  })
})

describe('keys', () => {
  test('no key in any output or file', async () => {
    const files = await readdir(dir.path, { recursive: true })
    for (const f of files) {
      const path = join(dir.path, f)
      if (!(await stat(path)).isFile() || f === 'hub.key' || f === 'open.key' || f === 'bad.json') continue
      const text = await readFile(path, 'utf8')
      expect(text, f).not.toContain(KEY23)
      expect(text, f).not.toContain(KEY24)
    }
    expect(outputs.length).toBeGreaterThan(10)
    for (const text of outputs) {
      expect(text).not.toContain(KEY23)
      expect(text).not.toContain(KEY24)
    }
  })
})
