import { describe, expect, test } from 'vitest'
import { defaultRetryPolicy, defaultTimeouts } from '../../src/client/index.js'
import { resolveRetryPolicy, resolveTimeouts } from '../../src/client/MispClientOptions.js'

describe('options', () => {
  test('timeouts: one number for all classes, or per class over the defaults', () => {
    expect(resolveTimeouts(undefined)).toEqual(defaultTimeouts)
    expect(resolveTimeouts(500)).toEqual({ lookup: 500, index: 500, event: 500 })
    expect(resolveTimeouts({ event: 1000 })).toEqual({ ...defaultTimeouts, event: 1000 })
    expect(resolveTimeouts(-1)).toEqual(defaultTimeouts)
  })

  test('retries: a limit or a policy over the defaults', () => {
    expect(resolveRetryPolicy(undefined)).toEqual(defaultRetryPolicy)
    expect(resolveRetryPolicy(0)).toEqual({ ...defaultRetryPolicy, limit: 0 })
    expect(resolveRetryPolicy({ limit: 5, jitter: false })).toEqual({
      ...defaultRetryPolicy,
      limit: 5,
      jitter: false,
    })
    expect(resolveRetryPolicy({ limit: 1.5 }).limit).toBe(defaultRetryPolicy.limit)
  })
})
