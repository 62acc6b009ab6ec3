/**
 * The hot paths are generated from the models' field lists (src/codecs/internal/generate.ts) or
 * hand-written instead of a regular expression: each must decide exactly what its plain version
 * decides.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { generate } from '../../src/codecs/internal/generate.js'
import { structGuard } from '../../src/codecs/internal/structGuard.js'
import { type AnyWireC, NumericString, Uuid } from '../../src/codecs/wire.js'
import * as FieldFates from '../../src/convert/fieldFates.js'
import { generatedPlan, loopPlan } from '../../src/convert/internal/applyFates.js'
import * as V23 from '../../src/v23/index.js'
import * as V24 from '../../src/v24/index.js'
import { MispObject } from '../../src/v24/Object.js'
import { arbitraryOf } from '../support/arbitraries.js'

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? (process.env['CI'] ? 2_000 : 300))

describe('hand-written leaf checks agree with the regular expressions they replace', () => {
  const hexish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg-'), maxLength: 40 })
  test('Uuid', () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid(),
          fc.uuid().map((u) => u.toUpperCase()),
          hexish,
          fc.string(),
        ),
        (s) => {
          expect(Uuid.is(s)).toBe(re.test(s))
        },
      ),
      { numRuns },
    )
  })
  test('NumericString', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.nat().map(String), fc.string({ unit: fc.constantFrom(...'0123456789 x-') })),
        (s) => {
          expect(NumericString.is(s)).toBe(/^\d+$/.test(s))
        },
      ),
      { numRuns },
    )
  })
})

const models = [
  ['V24.Event', V24.Event],
  ['V24.Attribute', V24.Attribute],
  ['V24.Object', MispObject],
  ['V23.Event', V23.Event],
] as const

describe('a generated struct guard decides what the loop decides', () => {
  test.each(models)('%s, on lenient values with unknown fields and on anything', (_, codec) => {
    const fields = [...Object.entries(codec.required), ...Object.entries(codec.optional)]
    const args = [
      fields.map(([k]) => k),
      fields.map(([, c]) => (c as AnyWireC).is),
      Object.keys(codec.required).length,
    ] as const
    const generated = structGuard(...args)
    const loop = structGuard(...args, true)
    expect(generated).not.toBe(loop)
    const arb = fc.oneof(
      arbitraryOf(codec, { mode: 'canonical', extra: true }),
      arbitraryOf(codec, { mode: 'lenient', extra: true }),
      fc.anything(),
    )
    let accepted = 0
    fc.assert(
      fc.property(arb, (u) => {
        const g = generated(u)
        expect(g).toBe(loop(u))
        if (g) accepted++
      }),
      { numRuns },
    )
    expect(accepted).toBeGreaterThan(0)
  })
})

const tables = [
  ['eventToV23', FieldFates.eventToV23, V24.Event],
  ['attributeToV23', FieldFates.attributeToV23, V24.Attribute],
  ['objectToV23', FieldFates.objectToV23, MispObject],
  ['orgToV23', FieldFates.orgToV23, V24.Org],
  ['eventToV24', FieldFates.eventToV24, V23.Event],
  ['attributeToV24', FieldFates.attributeToV24, V23.Attribute],
] as const

describe('a generated fate plan does what the loop does', () => {
  test.each(tables)('%s: same copies, same losses, same order', (_, table, codec) => {
    const generated = generatedPlan(table)
    const loop = loopPlan(table)
    expect(generated).toBeDefined()
    fc.assert(
      fc.property(
        fc.oneof(
          arbitraryOf(codec, { mode: 'canonical', extra: true }),
          arbitraryOf(codec, { mode: 'lenient', extra: true }),
        ) as fc.Arbitrary<Record<string, unknown>>,
        (src) => {
          const a: Record<string, unknown> = {}
          const b: Record<string, unknown> = {}
          const da = generated!(src, a)
          const db = loop(src, b)
          expect(JSON.stringify([a, da])).toBe(JSON.stringify([b, db]))
          expect(a).toEqual(b)
          expect(da).toEqual(db)
        },
      ),
      { numRuns },
    )
  })
})

describe('where code generation from strings is refused', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })
  test('generate gives undefined (and callers fall back to their loop)', () => {
    expect(generate<() => number>([], 'return () => 1', [])?.()).toBe(1)
    vi.stubGlobal('Function', () => {
      throw new EvalError('Code generation from strings disallowed for this context')
    })
    expect(generate([], 'return () => 1', [])).toBeUndefined()
    expect(generatedPlan(FieldFates.attributeToV23)).toBeUndefined()
  })
})
