import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { ContiguousPrefix } from '../../../src/sync/internal/prefix.js'

describe('ContiguousPrefix (the watermark rule)', () => {
  test('moves only over items that are all done, in order', () => {
    const p = new ContiguousPrefix(4)
    expect(p.mark(1, true)).toBe(false)
    expect(p.length).toBe(0)
    expect(p.mark(0, true)).toBe(true)
    expect(p.length).toBe(2)
    expect(p.mark(2, false)).toBe(false)
    expect(p.mark(3, true)).toBe(false)
    expect(p.length).toBe(2)
  })

  test('law: the prefix is the longest all-done prefix, whatever the completion order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 30 }).chain((oks) =>
          fc.tuple(
            fc.constant(oks),
            fc.shuffledSubarray(
              oks.map((_, i) => i),
              { minLength: oks.length },
            ),
          ),
        ),
        ([oks, order]) => {
          const p = new ContiguousPrefix(oks.length)
          const done = new Set<number>()
          for (const i of order) {
            p.mark(i, oks[i]!)
            done.add(i)
            let expected = 0
            while (expected < oks.length && done.has(expected) && oks[expected]) expected++
            expect(p.length).toBe(expected)
          }
        },
      ),
    )
  })
})
