/**
 * The client under injected faults: which calls are retried, how often, how long it waits, and
 * which typed error remains.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { isTransient, MispClient } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { event24, left, lines, right } from './support.js'

let emu: MispEmulator
let misp: MispClient<'2.4'>

const fast = { limit: 2, baseDelay: 10, maxDelay: 50 } as const
const since = (n: number) => emu.requests.slice(n)

beforeAll(async () => {
  emu = await startMispEmulator({ version: '2.4.199' })
  misp = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.4', retry: fast })
})
afterEach(() => {
  emu.clearFaults()
})
afterAll(async () => {
  await emu.close()
})

describe('retries of idempotent calls', () => {
  test.each([500, 502, 503] as const)('GET with %i twice, then success: 3 attempts', async (status) => {
    emu.inject({ kind: 'status', status }, { times: 2, match: { method: 'GET', path: /getVersion/ } })
    const n = emu.requests.length
    const v = await right(misp.version())
    expect(v.version).toBe('2.4.199')
    expect(since(n).map((r) => r.status)).toEqual([status, status, 200])
  })

  test('GET failing every time: the last HTTP error after limit + 1 attempts', async () => {
    emu.inject({ kind: 'status', status: 500 }, { times: 10, match: { path: /getVersion/ } })
    const n = emu.requests.length
    const e = await left(misp.version())
    expect(e).toMatchObject({
      _tag: 'HttpError',
      status: 500,
      body: { name: 'An Internal Error Has Occurred.' },
    })
    expect(since(n)).toHaveLength(3)
  })

  test('a proxy 502 page is an HttpError with an excerpt of the page', async () => {
    emu.inject({ kind: 'status', status: 502 }, { times: 10, match: { path: /getVersion/ } })
    const e = await left(misp.version())
    expect(e).toMatchObject({ _tag: 'HttpError', status: 502, excerpt: '502 Bad Gateway' })
  })

  test('HEAD and the read-only POST restSearch are retried', async () => {
    const created = await right(misp.create(event24()))
    if (created._tag !== 'Created') throw new Error('not created')
    await right(misp.version())
    emu.inject({ kind: 'status', status: 503 }, { times: 1, match: { method: 'HEAD' } })
    emu.inject({ kind: 'status', status: 503 }, { times: 1, match: { path: /restSearch/ } })
    const n = emu.requests.length
    const found = await right(misp.exists(created.event.uuid))
    expect(found).toMatchObject({ exists: true, id: created.id })
    expect(since(n).map((r) => `${r.method} ${r.status}`)).toEqual([
      'HEAD 503',
      'HEAD 200',
      'POST 503',
      'POST 200',
    ])
  })

  test('a reset read is retried', async () => {
    emu.inject({ kind: 'reset' }, { times: 1, match: { path: /events\/index/ } })
    const n = emu.requests.length
    await right(misp.index())
    expect(since(n).map((r) => r.fault ?? r.status)).toEqual(['reset', 200])
  })

  test('a read reset every time is a TransportError (reset)', async () => {
    emu.inject({ kind: 'reset' }, { times: 10, match: { path: /getVersion/ } })
    const n = emu.requests.length
    const e = await left(misp.version())
    expect(e).toMatchObject({ _tag: 'TransportError', reason: 'reset' })
    expect(since(n)).toHaveLength(3)
  })

  test('retry: 0 sends once', async () => {
    const once = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.4', retry: 0 })
    emu.inject({ kind: 'status', status: 503 }, { times: 5, match: { path: /getVersion/ } })
    const n = emu.requests.length
    expect(await left(once.version())).toMatchObject({ _tag: 'HttpError', status: 503 })
    expect(since(n)).toHaveLength(1)
  })
})

describe('writes are never retried', () => {
  test('create answered with 503: one request, HttpError', async () => {
    emu.inject({ kind: 'status', status: 503 }, { times: 5, match: { path: /events\/add/ } })
    const n = emu.requests.length
    expect(await left(misp.create(event24()))).toMatchObject({ _tag: 'HttpError', status: 503 })
    expect(lines(since(n))).toEqual(['POST /events/add'])
  })

  test('create reset: exactly one request, TransportError (reset)', async () => {
    emu.inject({ kind: 'reset' }, { times: 5, match: { path: /events\/add/ } })
    const n = emu.requests.length
    expect(await left(misp.create(event24()))).toMatchObject({ _tag: 'TransportError', reason: 'reset' })
    expect(lines(since(n))).toEqual(['POST /events/add'])
  })

  test('create committed but its answer lost: TransportError after one request; the safe recovery is AlreadyExists', async () => {
    emu.inject({ kind: 'reset-after-write' }, { times: 1, match: { path: /events\/add/ } })
    const event = event24()
    const n = emu.requests.length
    const e = await left(misp.create(event))
    expect(e).toMatchObject({ _tag: 'TransportError', reason: 'reset' })
    expect(lines(since(n))).toEqual(['POST /events/add'])
    // the write was applied although no answer came back
    const stored = emu.event(event.uuid)
    expect(stored?.['info']).toBe(event.info)
    // sending the create again is safe: MISP's duplicate answer names the stored event
    expect(await right(misp.create(event))).toEqual({ _tag: 'AlreadyExists', id: stored?.['id'] })
    expect(emu.events().filter((x) => x['uuid'] === event.uuid)).toHaveLength(1)
  })

  test('an exception inside the client after a create was sent: TransportError (internal), not transient', async () => {
    // a fetch whose responses throw when the client reads their Location header: the create
    // has reached the server by then
    const throwingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      const headers = res.headers
      const get = (name: string): string | null => {
        if (name.toLowerCase() === 'location') throw new Error('headers exploded')
        return headers.get(name)
      }
      Object.defineProperty(res, 'headers', {
        value: new Proxy(headers, {
          get: (target, key) => {
            if (key === 'get') return get
            const v: unknown = Reflect.get(target, key, target)
            return typeof v === 'function' ? v.bind(target) : v
          },
        }),
      })
      return res
    }
    const fragile = new MispClient({
      url: emu.url,
      key: emu.apiKey,
      version: '2.4',
      retry: fast,
      fetch: throwingFetch,
    })
    const event = event24()
    const n = emu.requests.length
    const e = await left(fragile.create(event))
    expect(e).toMatchObject({ _tag: 'TransportError', reason: 'internal' })
    expect(e._tag === 'TransportError' && e.message).toContain('headers exploded')
    expect(isTransient(e)).toBe(false)
    expect(lines(since(n))).toEqual(['POST /events/add'])
    expect(emu.event(event.uuid)?.['info']).toBe(event.info)
  })

  test('update reset: exactly one edit request', async () => {
    const event = event24()
    const created = await right(misp.create(event))
    if (created._tag !== 'Created') throw new Error('not created')
    emu.inject({ kind: 'reset' }, { times: 5, match: { path: /events\/edit/ } })
    const n = emu.requests.length
    expect(await left(misp.update({ ...event, timestamp: '1700000200' }, { id: created.id }))).toMatchObject({
      _tag: 'TransportError',
      reason: 'reset',
    })
    expect(lines(since(n))).toEqual([`PUT /events/edit/${created.id}`])
  })

  test('create rate-limited: one request, RateLimited', async () => {
    emu.inject({ kind: 'rate-limit', retryAfter: 1 }, { times: 5, match: { path: /events\/add/ } })
    const n = emu.requests.length
    expect(await left(misp.create(event24()))).toMatchObject({
      _tag: 'RateLimited',
      status: 429,
      retryAfter: 1,
    })
    expect(since(n)).toHaveLength(1)
  })
})

describe('rate limiting', () => {
  test('429 with Retry-After: 1 is honoured before the retry', async () => {
    emu.inject({ kind: 'rate-limit', retryAfter: 1 }, { times: 1, match: { path: /getVersion/ } })
    const n = emu.requests.length
    await right(misp.version())
    const [first, second] = since(n)
    expect(first?.status).toBe(429)
    expect(second?.status).toBe(200)
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000)
  })

  test('a Retry-After beyond the cap is not waited for: RateLimited at once', async () => {
    emu.inject({ kind: 'rate-limit', retryAfter: 3600 }, { times: 1, match: { path: /getVersion/ } })
    const n = emu.requests.length
    const started = Date.now()
    const e = await left(misp.version())
    expect(e).toMatchObject({ _tag: 'RateLimited', retryAfter: 3600, body: { name: 'Rate limit exceeded.' } })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(since(n)).toHaveLength(1)
  })
})

describe('time budgets and cancellation', () => {
  test('a hung read past its budget is a Timeout', async () => {
    emu.inject({ kind: 'hang' }, { times: 5, match: { path: /getVersion/ } })
    const started = Date.now()
    const e = await left(misp.version({ timeout: 300 }))
    expect(e).toMatchObject({ _tag: 'Timeout', timeoutMs: 300 })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  test('a hung create past its budget is a Timeout after one request', async () => {
    const slow = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.4', timeout: { event: 300 } })
    emu.inject({ kind: 'hang' }, { times: 5, match: { path: /events\/add/ } })
    const n = emu.requests.length
    expect(await left(slow.create(event24()))).toMatchObject({ _tag: 'Timeout', timeoutMs: 300 })
    expect(since(n)).toHaveLength(1)
  })

  test('a slow answer within the budget is fine', async () => {
    emu.inject({ kind: 'hang', ms: 100 }, { times: 1, match: { path: /getVersion/ } })
    expect((await right(misp.version({ timeout: 2000 }))).version).toBe('2.4.199')
  })

  test('aborting through the call’s signal: Aborted', async () => {
    emu.inject({ kind: 'hang' }, { times: 1, match: { path: /getVersion/ } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('user gave up')), 100)
    const e = await left(misp.version({ signal: controller.signal }))
    expect(e).toMatchObject({ _tag: 'Aborted', reason: 'Error: user gave up' })
  })

  test('an already aborted client signal sends nothing', async () => {
    const controller = new AbortController()
    controller.abort()
    const aborted = new MispClient({
      url: emu.url,
      key: emu.apiKey,
      version: '2.4',
      signal: controller.signal,
    })
    const n = emu.requests.length
    expect((await left(aborted.get(1)))._tag).toBe('Aborted')
    expect(since(n)).toHaveLength(0)
  })
})

describe('answers that are not what they should be', () => {
  test('a 200 HTML login page is AuthenticationFailed', async () => {
    emu.inject({ kind: 'login-page' }, { times: 1, match: { path: /events\/view/ } })
    expect(await left(misp.get(1))).toMatchObject({ _tag: 'AuthenticationFailed', status: 200 })
  })

  test('truncated JSON on a read is retried like a 5xx (issue #8)', async () => {
    const created = await right(misp.create(event24()))
    if (created._tag !== 'Created') throw new Error('not created')
    emu.inject({ kind: 'truncated-json' }, { times: 1, match: { path: /events\/view/ } })
    const n = emu.requests.length
    const got = await right(misp.get(created.id))
    expect(got.uuid).toBe(created.event.uuid)
    expect(since(n).map((r) => r.fault ?? r.status)).toEqual(['truncated-json', 200])
  })

  test('truncated JSON on the read-only POST searches is retried too', async () => {
    emu.inject({ kind: 'truncated-json' }, { times: 1, match: { path: /events\/index/ } })
    const n = emu.requests.length
    await right(misp.index())
    expect(since(n).map((r) => r.fault ?? r.status)).toEqual(['truncated-json', 200])
  })

  test('truncated JSON every time: UnexpectedResponse (invalid-json) after limit + 1 attempts', async () => {
    emu.inject({ kind: 'truncated-json' }, { times: 10, match: { path: /events\/view/ } })
    const n = emu.requests.length
    expect(await left(misp.get(1))).toMatchObject({
      _tag: 'UnexpectedResponse',
      reason: 'invalid-json',
      status: 200,
    })
    expect(since(n)).toHaveLength(fast.limit + 1)
  })

  test('truncated JSON on a write is never retried', async () => {
    emu.inject({ kind: 'truncated-json' }, { times: 10, match: { path: /events\/add/ } })
    const n = emu.requests.length
    expect(await left(misp.create(event24()))).toMatchObject({
      _tag: 'UnexpectedResponse',
      reason: 'invalid-json',
    })
    expect(since(n)).toHaveLength(1)
  })

  test('a create answered with a redirect to the event page is not AlreadyExists: UnexpectedResponse (redirect)', async () => {
    // CakePHP's answer to a successful *form* add (the server did not see a REST call)
    const redirecting: typeof fetch = async () =>
      new Response(null, { status: 302, headers: { Location: `${emu.baseUrl}/events/view/12` } })
    const odd = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.4', fetch: redirecting })
    const e = await left(odd.create(event24()))
    expect(e).toMatchObject({
      _tag: 'UnexpectedResponse',
      status: 302,
      reason: 'redirect',
      location: `${emu.baseUrl}/events/view/12`,
    })
    expect(isTransient(e)).toBe(false)
  })

  test('a wrong key is AuthenticationFailed (403 JSON)', async () => {
    const wrong = new MispClient({ url: emu.url, key: 'x'.repeat(40), version: '2.4' })
    expect(await left(wrong.version())).toMatchObject({ _tag: 'AuthenticationFailed', status: 403 })
  })

  test('connection refused is a TransportError (refused)', async () => {
    const closed = await startMispEmulator({ version: '2.5' })
    await closed.close()
    const gone = new MispClient({ url: closed.url, key: closed.apiKey, version: '2.4', retry: fast })
    expect(await left(gone.version())).toMatchObject({ _tag: 'TransportError', reason: 'refused' })
  })
})
