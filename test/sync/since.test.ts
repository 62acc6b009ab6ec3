import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { parseSince } from '../../src/sync/index.js'

const NOW = Date.parse('2024-11-27T00:00:00Z')

describe('parseSince', () => {
  test.each([
    ['7d', 1_732_665_600 - 7 * 86_400],
    ['12h', 1_732_665_600 - 12 * 3600],
    ['30m', 1_732_665_600 - 1800],
    ['2w', 1_732_665_600 - 14 * 86_400],
    ['45s', 1_732_665_600 - 45],
    ['1732699200', 1_732_699_200],
    ['2024-11-20', 1_732_060_800],
    ['2024-11-20T10:00:00Z', 1_732_096_800],
    ['2024-11-20T12:00:00+02:00', 1_732_096_800],
  ])('%s', (input, expected) => {
    expect(parseSince(input, NOW)).toEqual(E.right(expected))
  })

  test('numbers, Dates, and what is refused', () => {
    expect(parseSince(1_700_000_000.7)).toEqual(E.right(1_700_000_000))
    expect(parseSince(new Date('2024-11-20T00:00:00Z'))).toEqual(E.right(1_732_060_800))
    for (const bad of ['yesterday', '7 days', '-1', '', '2024-13-45'])
      expect(E.isLeft(parseSince(bad, NOW))).toBe(true)
    expect(E.isLeft(parseSince(Number.NaN))).toBe(true)
    expect(E.isLeft(parseSince(-5))).toBe(true)
    expect(E.isLeft(parseSince(new Date('nope')))).toBe(true)
  })
})
