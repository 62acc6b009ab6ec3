/**
 * Issue #16, "the rough edges a new user met": each through the built `misp-bridge` program.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEvents24 } from '../../src/cli/demo-events.js'
import { tempDir } from '../sync/support.js'
import { buildBin, node } from './binSupport.js'

let BIN: string
let dir: Awaited<ReturnType<typeof tempDir>>

beforeAll(async () => {
  BIN = await buildBin('misp-bridge-bin-test-edges')
  dir = await tempDir()
}, 120_000)

afterAll(async () => {
  await dir?.remove()
})

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
  return JSON.stringify({ Event: { ...base, Attribute: [...(base['Attribute'] as Array<unknown>), ...extra] } })
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
