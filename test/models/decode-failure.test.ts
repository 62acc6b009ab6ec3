/**
 * A decode failure renders any input, however large or deep, without throwing: the fuzz run
 * found `formatDecodeFailure` overflowing the stack on a value nested 5,000 levels deep (which
 * `JSON.parse` accepts).
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { decodeFailure, formatDecodeFailure, problemLines } from '../../src/DecodeFailure.js'
import { decodeEvent23, decodeEvent24 } from '../../src/decode.js'

const deep = (levels: number): unknown => {
  let v: unknown = 'bottom'
  for (let i = 0; i < levels; i++) v = [v]
  return v
}

describe('formatDecodeFailure', () => {
  test('a value nested 20,000 levels deep: no throw, one short line', () => {
    const f = decodeFailure('V24.Event', [{ path: 'Event.info', expected: 'string', actual: deep(20_000) }])
    const lines = problemLines(f)
    expect(lines).toHaveLength(1)
    expect(lines[0]!.length).toBeLessThan(140)
    expect(lines[0]).toBe('Event.info: expected string, got [[[[[[[[…]]]]]]]]')
  })

  test('decoding and rendering deeply nested events never throws', () => {
    for (const input of [deep(20_000), { Event: { uuid: deep(20_000), info: deep(5_000) } }]) {
      for (const decode of [decodeEvent23, decodeEvent24]) {
        const r = decode(input)
        expect(E.isLeft(r)).toBe(true)
        if (E.isLeft(r)) expect(() => formatDecodeFailure(r.left)).not.toThrow()
      }
    }
  })

  test('a huge value is shown by its start, quickly', () => {
    const huge = Array.from({ length: 1_000_000 }, (_, i) => ({ i }))
    const failure = decodeFailure('M', [{ path: 'p', expected: 'string', actual: huge }])
    const started = performance.now()
    for (let i = 0; i < 20; i++) problemLines(failure)
    expect(performance.now() - started).toBeLessThan(100) // stringifying the whole value: ~2 s
    const [line] = problemLines(failure)
    expect(line).toBe(
      'p: expected string, got [{"i":0},{"i":1},{"i":2},{"i":3},{"i":4},{"i":5},{"i":6},{"i":7},{"i":8},{"i"...',
    )
  })

  test('short values as before', () => {
    const lines = problemLines(
      decodeFailure('M', [
        { path: 'a', expected: 'uuid', actual: undefined },
        { path: 'b', expected: 'NumericString', actual: 'x1' },
        { path: 'c', expected: 'Flag', actual: { y: [1, null, true] } },
      ]),
    )
    expect(lines).toEqual([
      'a: expected uuid, got nothing (missing)',
      'b: expected NumericString, got "x1"',
      'c: expected Flag, got {"y":[1,null,true]}',
    ])
  })
})
