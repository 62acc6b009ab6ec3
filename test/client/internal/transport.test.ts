import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { callSignal } from '../../../src/client/internal/callSignal.js'
import { displayUrl, makeRedactor } from '../../../src/client/internal/redact.js'
import { isTlsFailure, makeTransport, retryAfterMs } from '../../../src/client/internal/transport.js'
import { defaultRetryPolicy } from '../../../src/client/MispClientOptions.js'

describe('transport helpers', () => {
  test('Retry-After as delay-seconds or an HTTP date', () => {
    expect(retryAfterMs('5')).toBe(5000)
    expect(retryAfterMs(null)).toBeUndefined()
    expect(retryAfterMs('soon')).toBeUndefined()
    const now = Date.parse('2026-11-27T10:00:00Z')
    expect(retryAfterMs('Fri, 27 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
  })

  test('TLS failures are found anywhere in the cause chain', () => {
    const cause = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
    expect(isTlsFailure(new TypeError('fetch failed', { cause }))).toBe(true)
    expect(isTlsFailure(new Error('x', { cause: new TypeError('fetch failed', { cause }) }))).toBe(true)
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    expect(isTlsFailure(new TypeError('fetch failed', { cause: reset }))).toBe(false)
  })
})

describe('requestInfo', () => {
  const key = 'K3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK'
  const bases = [
    'https://misp.example.org/',
    'https://user:pass@misp.example.org:8443/misp/',
    `http://127.0.0.1:8080/${key}/`,
  ]
  const transportOf = (baseUrl: string) =>
    makeTransport({ baseUrl, key, userAgent: 'test', retry: defaultRetryPolicy, redact: makeRedactor(key) })

  test('the shown URL is the URL parser’s, user information and key removed, for any path', () => {
    // the fast path for plain relative paths must give exactly what resolving the path gives
    const segment = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/),
      fc.constantFrom('.', '..', '%41', '%zz', 'a b', 'ü', '?q=1', '#f', '\\', ':x', '@', key, 'events'),
    )
    const path = fc
      .tuple(fc.boolean(), fc.array(segment, { maxLength: 5 }))
      .map(([lead, s]) => (lead ? '/' : '') + s.join('/'))
    fc.assert(
      fc.property(fc.constantFrom(...bases), path, (base, p) => {
        const t = transportOf(base)
        let expected: string
        try {
          expected = displayUrl(new URL(p, base), makeRedactor(key))
        } catch {
          // a path the URL parser refuses is refused here too (the client's core catches it)
          expect(() => t.requestInfo('GET', p)).toThrow()
          return
        }
        const shown = t.requestInfo('GET', p)
        expect(shown).toEqual({ method: 'GET', url: expected })
        expect(shown.url).not.toContain(key)
        expect(shown.url).not.toContain('pass')
      }),
      { numRuns: 2000 },
    )
  })
})

describe('callSignal', () => {
  test('aborts with the caller’s signal, and names it', () => {
    const caller = new AbortController()
    const s = callSignal(60_000, [undefined, caller.signal])
    expect(s.signal.aborted).toBe(false)
    caller.abort(new Error('stop'))
    expect(s.signal.aborted).toBe(true)
    expect(s.aborted()).toBe(caller.signal)
    expect(s.timedOut()).toBe(false)
    s.dispose()
  })

  test('a caller’s signal aborted before the call aborts it at once', () => {
    const caller = new AbortController()
    caller.abort('early')
    const s = callSignal(60_000, [caller.signal])
    expect(s.signal.aborted).toBe(true)
    expect(s.signal.reason).toBe('early')
    expect(s.aborted()).toBe(caller.signal)
  })

  test('aborts when the budget runs out, as a timeout', async () => {
    const s = callSignal(20, [])
    await new Promise((r) => setTimeout(r, 60))
    expect(s.signal.aborted).toBe(true)
    expect(s.timedOut()).toBe(true)
    expect(s.aborted()).toBeUndefined()
    expect((s.signal.reason as Error).name).toBe('TimeoutError')
  })

  test('after dispose neither the caller nor the timer abort the call signal', async () => {
    const caller = new AbortController()
    const s = callSignal(20, [caller.signal])
    s.dispose()
    await new Promise((r) => setTimeout(r, 60))
    caller.abort()
    expect(s.signal.aborted).toBe(false)
    expect(s.timedOut()).toBe(false)
  })
})
