/**
 * Codec laws over generators derived from the models: canonical input decodes to itself; lenient
 * input decodes to the canonical form without losing a field; encode ∘ decode is idempotent;
 * decoding is strict about meaning.
 */
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { formatDecodeFailure } from '../../src/DecodeFailure.js'
import { decodeEvent23, decodeEvent24, encodeEvent23, encodeEvent24 } from '../../src/decode.js'
import { event23, event24 } from '../support/arbitraries.js'

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? (process.env['CI'] ? 10_000 : 300))

/** Same keys at every level (values may differ: lenient → canonical). */
const sameShape = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameShape(x, b[i]))
  if (typeof a === 'object' && a !== null) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false
    const ka = Object.keys(a).sort()
    return (
      isDeepStrictEqual(ka, Object.keys(b).sort()) &&
      ka.every((k) => sameShape((a as never)[k], (b as never)[k]))
    )
  }
  return typeof b !== 'object' || b === null
}

describe.each([
  ['2.4', event24, decodeEvent24, (e: never) => encodeEvent24(e)],
  ['2.3', event23, decodeEvent23, (e: never) => encodeEvent23(e)],
] as const)(
  `%s event codec (${numRuns} events per property)`,
  { timeout: 900_000 },
  (_v, arb, decode, encode) => {
    test('canonical wire input decodes to itself, and encode gives it back: every field, unknown ones too', () => {
      fc.assert(
        fc.property(arb('canonical', true), (u) => {
          const r = decode(u)
          if (E.isLeft(r)) throw new Error(formatDecodeFailure(r.left))
          expect(r.right).toBe(u)
          expect(encode(r.right as never).Event).toBe(u)
        }),
        { numRuns },
      )
    })

    test('lenient wire input (numbers, 0/1 flags, [] objects) decodes without losing a field; encode ∘ decode is idempotent', () => {
      fc.assert(
        fc.property(arb('lenient', true), fc.constantFrom('Event', 'response', 'bare'), (u, envelope) => {
          const wrapped =
            envelope === 'Event' ? { Event: u } : envelope === 'response' ? { response: [{ Event: u }] } : u
          const r = decode(wrapped)
          if (E.isLeft(r)) throw new Error(formatDecodeFailure(r.left))
          expect(sameShape(u, r.right)).toBe(true)
          const wire = JSON.parse(JSON.stringify(encode(r.right as never)))
          expect(decode(wire)).toEqual(E.right(r.right))
        }),
        { numRuns },
      )
    })
  },
)

describe('strict about meaning', () => {
  const base = { uuid: '5a4c0c79-5cf4-4b2e-9d6c-7a2f950d210f', info: 'x' }
  test.each([
    ['2.3 event distribution 4', decodeEvent23, { ...base, distribution: '4' }, 'Event.distribution'],
    ['2.4 event distribution 5', decodeEvent24, { ...base, distribution: 5 }, 'Event.distribution'],
    [
      '2.3 attribute distribution 5',
      decodeEvent23,
      {
        ...base,
        Attribute: [{ uuid: base.uuid, type: 'md5', category: 'Other', value: 'v', distribution: '5' }],
      },
      'Event.Attribute[0].distribution',
    ],
    [
      '2.4 attribute distribution 6',
      decodeEvent24,
      {
        ...base,
        Attribute: [{ uuid: base.uuid, type: 'md5', category: 'Other', value: 'v', distribution: '6' }],
      },
      'Event.Attribute[0].distribution',
    ],
    ['missing info', decodeEvent24, { uuid: base.uuid }, 'Event.info'],
    ['missing uuid', decodeEvent23, { info: 'x' }, 'Event.uuid'],
    ['threat level 5', decodeEvent24, { ...base, threat_level_id: '5' }, 'Event.threat_level_id'],
  ] as const)('%s fails at its path', (_name, decode, input, path) => {
    const r = decode({ Event: input })
    expect(E.isLeft(r) && r.left.problems.map((p) => p.path)).toEqual([path])
  })

  test('the failure lists every problem, rendered "path: expected …, got …"', () => {
    const r = decodeEvent24({ Event: { info: 3, distribution: '9', Attribute: [{ uuid: 'nope' }] } })
    expect(E.isLeft(r) && formatDecodeFailure(r.left)).toMatchInlineSnapshot(`
      "not a valid V24.Event (7 problems):
        Event.uuid: expected uuid, got nothing (missing)
        Event.info: expected string, got 3
        Event.distribution: expected V24.EventDistribution(0-4), got "9"
        Event.Attribute[0].uuid: expected uuid, got "nope"
        Event.Attribute[0].type: expected string, got nothing (missing)
        Event.Attribute[0].category: expected string, got nothing (missing)
        Event.Attribute[0].value: expected string, got nothing (missing)"
    `)
  })
})
