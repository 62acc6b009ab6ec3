/**
 * Fault injection: every kind, one-off and rated, applied before routing and recorded in
 * `requests` (so a client's retries can be counted).
 */
import { afterEach, describe, expect, test } from 'vitest'
import {
  type EmulatorOptions,
  type MispEmulator,
  seededRandom,
  startMispEmulator,
} from '../../src/testing/index.js'
import { call, obj, sampleEvent } from './support.js'

const started: Array<MispEmulator> = []
const start = async (options: EmulatorOptions = { version: '2.4.199' }): Promise<MispEmulator> => {
  const emu = await startMispEmulator(options)
  started.push(emu)
  return emu
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()))
})

const getVersion = (emu: MispEmulator) => call(emu, 'GET', '/servers/getVersion')

describe('faults', () => {
  test('status 500: MISP JSON error; the faulted create has no effect', async () => {
    const emu = await start()
    emu.inject({ kind: 'status', status: 500 })
    const r = await call(emu, 'POST', '/events', { body: { Event: sampleEvent() } })
    expect(r.status).toBe(500)
    expect(obj(r.json)['name']).toBe('An Internal Error Has Occurred.')
    expect(emu.events()).toHaveLength(0)
    expect(emu.requests.map((q) => [q.path, q.status, q.fault])).toEqual([['/events', 500, 'status:500']])
    expect((await getVersion(emu)).status).toBe(200) // consumed: the next request is normal
  })

  test.each([502, 503] as const)('status %i: a proxy HTML page', async (status) => {
    const emu = await start()
    emu.inject({ kind: 'status', status })
    const r = await getVersion(emu)
    expect(r.status).toBe(status)
    expect(r.headers.get('content-type')).toBe('text/html; charset=UTF-8')
    expect(r.json).toBeUndefined()
  })

  test('rate-limit: 429 + Retry-After', async () => {
    const emu = await start()
    emu.inject({ kind: 'rate-limit', retryAfter: 7 })
    const r = await getVersion(emu)
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('7')
    expect(obj(r.json)['name']).toBe('Rate limit exceeded.')
  })

  test('reset: the connection is destroyed without an answer', async () => {
    const emu = await start()
    emu.inject({ kind: 'reset' })
    await expect(getVersion(emu)).rejects.toThrow()
    expect(emu.requests.map((q) => [q.status, q.fault])).toEqual([[0, 'reset']])
  })

  test('reset-after-write: the create is applied, then the connection is destroyed without an answer', async () => {
    const emu = await start()
    emu.inject({ kind: 'reset-after-write' }, { match: { method: 'POST' } })
    const event = sampleEvent()
    await expect(call(emu, 'POST', '/events/add', { body: { Event: event } })).rejects.toThrow()
    // committed: the event is stored, although no answer was sent
    expect(emu.event(String(event['uuid']))?.['info']).toBe('emulator test event')
    expect(emu.requests.map((q) => [q.path, q.status, q.fault])).toEqual([
      ['/events/add', 0, 'reset-after-write'],
    ])
    // the answer that got lost is the one a retry now sees: a duplicate (§5.4)
    const again = await call(emu, 'POST', '/events/add', { body: { Event: event } })
    expect(again.status).toBe(404)
    expect(again.headers.get('location')).toBe(`${emu.baseUrl}/events/1`)
  })

  test.each(['2.4.199', '2.5'] as const)(
    'cut-write (%s): a create saves the event and its first K attributes, an edit its new timestamp and first K, then no answer',
    async (version) => {
      const emu = await start({ version })
      const attribute = (i: number, ts: string) => ({
        uuid: crypto.randomUUID(),
        type: 'ip-dst',
        category: 'Network activity',
        value: `10.9.0.${i}`,
        timestamp: ts,
      })
      const event = sampleEvent({ timestamp: '1700000001', locked: true })
      const create = '/events/add'
      emu.inject({ kind: 'cut-write', keep: 3 }, { match: { method: 'POST' } })
      const body = { Event: { ...event, Attribute: [1, 2, 3, 4, 5].map((i) => attribute(i, '1700000001')) } }
      await expect(call(emu, 'POST', create, { body })).rejects.toThrow()
      const stored = emu.event(String(event['uuid']))
      expect(((stored?.['Attribute'] ?? []) as Array<{ value: string }>).map((a) => a.value)).toEqual([
        '10.9.0.1',
        '10.9.0.2',
        '10.9.0.3',
      ])
      expect(emu.requests.map((q) => [q.path, q.status, q.fault])).toEqual([[create, 0, 'cut-write']])
      // an edit cut after the first of its two new attributes: the new timestamp is there already
      emu.inject({ kind: 'cut-write', keep: 1 })
      const id = String(stored?.['id'])
      const edit = {
        Event: {
          ...event,
          timestamp: '1700000009',
          Attribute: [6, 7].map((i) => attribute(i, '1700000009')),
        },
      }
      await expect(call(emu, 'PUT', `/events/edit/${id}`, { body: edit })).rejects.toThrow()
      const edited = emu.event(String(event['uuid']))
      expect(edited?.['timestamp']).toBe('1700000009')
      expect(((edited?.['Attribute'] ?? []) as Array<unknown>).length).toBe(4)
    },
  )

  test('reset-after-write goes through authentication: a refused write changes nothing', async () => {
    const emu = await start()
    emu.inject({ kind: 'reset-after-write' })
    await expect(
      call(emu, 'POST', '/events/add', { body: { Event: sampleEvent() }, key: 'x'.repeat(40) }),
    ).rejects.toThrow()
    expect(emu.events()).toHaveLength(0)
  })

  test('hang: no answer until close; close() destroys the hanging socket', async () => {
    const emu = await start()
    emu.inject({ kind: 'hang' })
    const pending = fetch(new URL('servers/getVersion', emu.url), { headers: { Authorization: emu.apiKey } })
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    )
    const raced = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('still waiting'), 150))])
    expect(raced).toBe('still waiting')
    const t0 = Date.now()
    await emu.close()
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(await outcome).toBe('failed')
  })

  test('hang with ms: a slow but normal answer', async () => {
    const emu = await start()
    emu.inject({ kind: 'hang', ms: 120 })
    const t0 = Date.now()
    const r = await getVersion(emu)
    expect(r.status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100)
    expect(emu.requests[0]?.fault).toBe('hang')
  })

  test('login-page: 200 text/html instead of JSON', async () => {
    const emu = await start()
    emu.inject({ kind: 'login-page' })
    const r = await getVersion(emu)
    expect([r.status, r.headers.get('content-type')]).toEqual([200, 'text/html; charset=UTF-8'])
    expect(r.text).toContain('<title>Users - MISP</title>')
  })

  test('truncated-json: 200 application/json that does not parse', async () => {
    const emu = await start()
    emu.inject({ kind: 'truncated-json' })
    const r = await call(emu, 'GET', '/events/1')
    expect([r.status, r.headers.get('content-type')]).toEqual([200, 'application/json; charset=UTF-8'])
    expect(r.text.startsWith('{"Event":')).toBe(true)
    expect(() => JSON.parse(r.text)).toThrow()
  })

  test('times and match: only matching requests, as many times as asked', async () => {
    const emu = await start()
    emu.inject(
      { kind: 'status', status: 503 },
      { times: 2, match: { method: 'POST', path: /^\/events(\/add)?$/ } },
    )
    expect((await getVersion(emu)).status).toBe(200)
    const event = { Event: sampleEvent() }
    const statuses: Array<number> = []
    for (let i = 0; i < 3; i += 1)
      statuses.push((await call(emu, 'POST', '/events/add', { body: event })).status)
    expect(statuses).toEqual([503, 503, 200])
    expect(emu.requests.filter((q) => q.path === '/events/add').map((q) => q.fault ?? '-')).toEqual([
      'status:503',
      'status:503',
      '-',
    ])
  })

  test('injectRate: seeded, reproducible, cleared by clearFaults', async () => {
    const pattern = async (seed: number): Promise<Array<number>> => {
      const emu = await start()
      emu.injectRate({ kind: 'status', status: 502 }, 0.3, seed)
      const out: Array<number> = []
      for (let i = 0; i < 40; i += 1) out.push((await getVersion(emu)).status)
      emu.clearFaults()
      expect((await getVersion(emu)).status).toBe(200)
      return out
    }
    const a = await pattern(42)
    const b = await pattern(42)
    const c = await pattern(7)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    const faulted = a.filter((s) => s === 502).length
    expect(faulted).toBeGreaterThan(3)
    expect(faulted).toBeLessThan(25)
  })

  test('seededRandom is deterministic and in [0, 1)', () => {
    const r1 = seededRandom(1)
    const r2 = seededRandom(1)
    const xs = Array.from({ length: 100 }, () => r1())
    expect(xs).toEqual(Array.from({ length: 100 }, () => r2()))
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
  })

  test('bad arguments are refused', async () => {
    const emu = await start()
    expect(() => emu.injectRate({ kind: 'reset' }, 1.5, 1)).toThrow(RangeError)
    expect(() => emu.inject({ kind: 'reset' }, { times: 0 })).toThrow(RangeError)
  })
})
