import { describe, expect, test } from 'vitest'
import { defaultRetryPolicy, defaultTimeouts, MispClient } from '../../src/client/index.js'
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

describe('the constructor never throws, whatever a JavaScript caller passes', () => {
  test.each([
    ['null options', null],
    ['undefined options', undefined],
    ['a number', 42],
    [
      'null timeout and retry',
      { url: 'http://127.0.0.1:1/', key: 'k'.repeat(40), version: '2.4', timeout: null, retry: null },
    ],
    ['no url', { key: 'k'.repeat(40), version: '2.4' }],
  ])('%s: construction works, calls fail as InvalidArgument or run', async (_name, options) => {
    const make = () => new MispClient(options as never)
    expect(make).not.toThrow()
    const r = await make().version()()
    expect(r._tag).toBe('Left')
  })
})
