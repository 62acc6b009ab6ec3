import { describe, expect, test } from 'vitest'
import { isTlsFailure, retryAfterMs } from '../../../src/client/internal/transport.js'

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
