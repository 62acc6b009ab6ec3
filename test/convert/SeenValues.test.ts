/**
 * The 2.3 duplicate check (`valueIsUnique`) behind `downgrade`: an open-addressing table that must
 * answer exactly what a set of (type, category, value) triples answers, also when every hash
 * collides (it then hands over to a `Map`).
 */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { type Kind, SeenValues, seededHash } from '../../src/convert/internal/SeenValues.js'

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? (process.env['CI'] ? 2_000 : 300))
const kind = fc.record({
  type: fc.constantFrom('ip-dst', 'ip-src', 'domain'),
  category: fc.constantFrom('Network activity', 'External analysis'),
  value: fc.oneof(fc.constantFrom('1.2.3.4', 'x', ''), fc.string({ maxLength: 4 })),
})

const reference = (kinds: ReadonlyArray<Kind>) => {
  const seen = new Set<string>()
  return kinds.map((k) => {
    const key = JSON.stringify([k.type, k.category, k.value])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

test('answers what a set of (type, category, value) answers, whatever the hash', () => {
  fc.assert(
    fc.property(fc.array(kind, { maxLength: 3000 }), fc.integer(), (kinds, seed) => {
      for (const hash of [seededHash(seed), () => 7, (s: string) => s.length]) {
        const t = new SeenValues(hash)
        expect(kinds.map((k) => t.add(k))).toEqual(reference(kinds))
      }
    }),
    { numRuns: Math.min(numRuns, 200) },
  )
})

test('a large event of distinct values stays in the table; colliding hashes hand over to a Map', () => {
  const kinds = Array.from({ length: 50_000 }, (_, i) => ({
    type: 'ip-dst',
    category: 'Network activity',
    value: `v${i}`,
  }))
  const t = new SeenValues()
  expect(kinds.every((k) => t.add(k))).toBe(true)
  expect(kinds.some((k) => t.add({ ...k }))).toBe(false)
  expect(t.handedOver).toBe(false)

  const colliding = new SeenValues(() => 42)
  expect(kinds.slice(0, 2_000).every((k) => colliding.add(k))).toBe(true)
  expect(colliding.handedOver).toBe(true)
  expect(colliding.add({ ...kinds[1_999]! })).toBe(false)
  expect(colliding.add({ ...kinds[0]!, type: 'ip-src' })).toBe(true)
})
