import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import type { MispError } from '../../../src/client/MispError.js'
import {
  defaultRecoveryPolicy,
  idempotentWrite,
  recoveryOf,
  resolveRecovery,
  transientRead,
} from '../../../src/sync/internal/recovery.js'

const request = { method: 'GET', url: 'http://127.0.0.1/events/view/1' }
const reset: MispError = { _tag: 'TransportError', request, reason: 'reset', message: 'socket hang up' }
const notFound: MispError = { _tag: 'NotFound', request } as MispError
const policy = { ...defaultRecoveryPolicy, backoffMs: [0] }

describe('the recovery policy', () => {
  test('user values within 1–20 are kept, anything else falls back to the defaults', () => {
    expect(resolveRecovery(undefined)).toEqual(defaultRecoveryPolicy)
    expect(resolveRecovery({ readAttempts: 5, writeAttempts: 2 })).toMatchObject({
      readAttempts: 5,
      writeAttempts: 2,
    })
    for (const bad of [0, 21, 1.5, Number.NaN, '3' as unknown as number])
      expect(resolveRecovery({ readAttempts: bad, writeAttempts: bad })).toMatchObject({
        readAttempts: defaultRecoveryPolicy.readAttempts,
        writeAttempts: defaultRecoveryPolicy.writeAttempts,
      })
  })

  test('a read is tried again only while it fails transiently, at most readAttempts times', async () => {
    expect(recoveryOf(reset)).toBe('reconcile')
    const seen: Array<number> = []
    const failing = await transientRead(
      async (n) => {
        seen.push(n)
        return E.left(reset)
      },
      { ...policy, readAttempts: 3 },
      undefined,
    )
    expect(E.isLeft(failing)).toBe(true)
    expect(seen).toEqual([1, 2, 3])

    let calls = 0
    const refused = await transientRead(
      async () => {
        calls++
        return E.left(notFound)
      },
      policy,
      undefined,
    )
    expect(refused).toEqual(E.left(notFound))
    expect(calls).toBe(1)

    const second = await transientRead(async (n) => (n === 1 ? E.left(reset) : E.right(n)), policy, undefined)
    expect(second).toEqual(E.right(2))
  })

  test('reads and writes count their attempts apart', async () => {
    let writes = 0
    await idempotentWrite(
      async () => {
        writes++
        return E.left(reset)
      },
      { ...policy, writeAttempts: 2, readAttempts: 7 },
      undefined,
    )
    expect(writes).toBe(2)
  })

  test('an aborted run stops trying at once', async () => {
    const ac = new AbortController()
    ac.abort()
    let calls = 0
    await transientRead(
      async () => {
        calls++
        return E.left(reset)
      },
      policy,
      ac.signal,
    )
    expect(calls).toBe(1)
  })
})
