/**
 * fast-check generators derived from the models themselves (io-ts `test/Arbitrary.ts` style):
 * every field of every codec can appear, so a field added to a model is generated at once.
 * `canonical` generates the wire form MISP 2.4 on PHP 7 sends; `lenient` also sends the variants
 * real servers and clients use (numbers for ids, `0/1/"0"/"1"` flags, `[]` for empty objects),
 * and `extra` adds fields no model knows.
 */
import fc from 'fast-check'
import {
  type AnyWireC,
  Flag,
  Json,
  NumericString,
  OpenRecord,
  Str,
  shapeOf,
  Uuid,
  ValueString,
} from '../../src/codecs/wire.js'
import * as V23 from '../../src/v23/index.js'
import * as V24 from '../../src/v24/index.js'

export interface ArbOptions {
  readonly mode: 'canonical' | 'lenient'
  readonly extra: boolean
  /** `${structName}.${field}` → generator */
  readonly fields?: Readonly<Record<string, fc.Arbitrary<unknown>>>
  /** structName → transform of the struct's generator */
  readonly structs?: Readonly<
    Record<string, (arb: fc.Arbitrary<Record<string, unknown>>) => fc.Arbitrary<unknown>>
  >
}

const leaf = (codec: AnyWireC, o: ArbOptions): fc.Arbitrary<unknown> | undefined => {
  const lenient = o.mode === 'lenient'
  if (codec === NumericString) {
    const s = fc.nat({ max: 2_000_000_000 }).map(String)
    return lenient ? fc.oneof(s, fc.nat({ max: 2_000_000_000 })) : s
  }
  if (codec === Flag) return lenient ? fc.oneof(fc.boolean(), fc.constantFrom(0, 1, '0', '1')) : fc.boolean()
  if (codec === Str) return fc.string({ maxLength: 10 })
  if (codec === ValueString)
    return lenient ? fc.oneof(fc.string({ maxLength: 10 }), fc.integer()) : fc.string({ maxLength: 10 })
  if (codec === Uuid) return fc.uuid()
  // through JSON once: what a wire value can be (no -0)
  if (codec === Json) return fc.jsonValue({ maxDepth: 2 }).map(viaJson)
  if (codec === OpenRecord)
    return fc
      .dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), {
        maxKeys: 3,
        noNullPrototype: true,
      })
      .map(viaJson)
  return undefined
}

const viaJson = <A>(a: A): A => JSON.parse(JSON.stringify(a))

const EXTRA_KEYS = fc.constantFrom('x_future_field', 'x_client_note', 'x_flag')

export const arbitraryOf = (codec: AnyWireC, o: ArbOptions, depth = 0): fc.Arbitrary<unknown> => {
  const l = leaf(codec, o)
  if (l !== undefined) return l
  const shape = shapeOf(codec)
  switch (shape.kind) {
    case 'leaf':
      throw new Error(`no generator for leaf codec ${shape.name}`)
    case 'level': {
      const s = fc.constantFrom(...shape.levels)
      return o.mode === 'lenient' ? fc.oneof(s, s.map(Number)) : s
    }
    case 'nullable':
      return fc.oneof(fc.constant(null), arbitraryOf(shape.inner, o, depth))
    case 'orEmpty':
      return o.mode === 'lenient'
        ? fc.oneof(
            { arbitrary: fc.constant([]), weight: 1 },
            { arbitrary: arbitraryOf(shape.inner, o, depth), weight: 3 },
          )
        : arbitraryOf(shape.inner, o, depth)
    case 'either':
      return fc.oneof(arbitraryOf(shape.members[0], o, depth), arbitraryOf(shape.members[1], o, depth))
    case 'array': {
      const item = arbitraryOf(shape.item, o, depth + 1)
      const maxLength = depth === 0 ? 6 : depth === 1 ? 3 : 1
      const itemShape = shapeOf(shape.item)
      const hasUuid = itemShape.kind === 'struct' && 'uuid' in itemShape.required
      return hasUuid
        ? fc.uniqueArray(item, { maxLength, selector: (v) => (v as { uuid: string }).uuid })
        : fc.array(item, { maxLength })
    }
    case 'struct': {
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [k, c] of [...Object.entries(shape.required), ...Object.entries(shape.optional)])
        model[k] = o.fields?.[`${codec.name}.${k}`] ?? arbitraryOf(c, o, depth)
      let arb: fc.Arbitrary<Record<string, unknown>> = fc.record(model, {
        requiredKeys: Object.keys(shape.required),
        noNullPrototype: true,
      }) as fc.Arbitrary<Record<string, unknown>>
      if (o.extra)
        arb = fc
          .tuple(
            arb,
            fc.dictionary(EXTRA_KEYS, fc.jsonValue({ maxDepth: 1 }).map(viaJson), {
              maxKeys: 1,
              noNullPrototype: true,
            }),
          )
          .map(([r, x]) => ({ ...r, ...x }))
      const wrap = o.structs?.[codec.name]
      return wrap ? wrap(arb) : arb
    }
  }
}

// ---------------------------------------------------------------------------------------------
// realistic attribute content: types and categories of both versions, duplicate-prone values
// ---------------------------------------------------------------------------------------------

const types24Only = [
  'btc',
  'sha512',
  'ssdeep',
  'imphash',
  'uri',
  'threat-actor',
  'ip-dst|port',
  'x509-fingerprint-sha1',
]
const categories24Only = ['Financial fraud', 'Support Tool', 'Social network', 'Person']
const validPair = fc
  .constantFrom(...V23.categories)
  .chain((category) => fc.constantFrom(...V23.categoryTypes[category]).map((type) => ({ category, type })))
const anyPair = fc.record({
  category: fc.constantFrom(...V23.categories, ...categories24Only),
  type: fc.constantFrom(...V23.attributeTypes, ...types24Only),
})
const pair = fc.oneof({ arbitrary: validPair, weight: 4 }, { arbitrary: anyPair, weight: 1 })
const value = fc.oneof(fc.constantFrom('8.8.8.8', 'evil.example', 'x'), fc.string({ maxLength: 8 }))

const withPair = (arb: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(arb, pair, value).map(([r, p, v]) => ({ ...r, ...p, value: v }))

const realistic = (o: Omit<ArbOptions, 'structs'>): ArbOptions => ({
  ...o,
  structs: { 'V24.Attribute': withPair, 'V23.Attribute': withPair },
})

export const event24 = (mode: ArbOptions['mode'] = 'canonical', extra = false) =>
  arbitraryOf(V24.Event, realistic({ mode, extra })) as fc.Arbitrary<Record<string, unknown>>

export const event23 = (mode: ArbOptions['mode'] = 'canonical', extra = false) =>
  arbitraryOf(V23.Event, realistic({ mode, extra })) as fc.Arbitrary<Record<string, unknown>>

/** A 2.3 event that carries only what 2.4 can carry back: the non-vacuous side of "no loss ⇒ exact". */
export const portable23 = fc
  .record(
    {
      uuid: fc.uuid(),
      info: fc.string({ maxLength: 10 }),
      orgc: fc.string({ minLength: 1, maxLength: 8 }),
      date: fc.constant('2015-12-14'),
      threat_level_id: fc.constantFrom('1', '2', '3', '4'),
      analysis: fc.constantFrom('0', '1', '2'),
      published: fc.boolean(),
      timestamp: fc.nat({ max: 2_000_000_000 }).map(String),
      publish_timestamp: fc.nat({ max: 2_000_000_000 }).map(String),
      proposal_email_lock: fc.boolean(),
      Attribute: fc.uniqueArray(
        fc.tuple(
          fc.record(
            {
              uuid: fc.uuid(),
              to_ids: fc.boolean(),
              comment: fc.string({ maxLength: 5 }),
              timestamp: fc.nat({ max: 2_000_000_000 }).map(String),
            },
            { requiredKeys: ['uuid'], noNullPrototype: true },
          ),
          validPair,
          fc.string({ maxLength: 8 }),
        ),
        { maxLength: 5, selector: ([a, p, v]) => `${a.uuid}` + `${p.type}${p.category}${v}` },
      ),
    },
    { requiredKeys: ['uuid', 'info', 'Attribute'], noNullPrototype: true },
  )
  .map((e) => {
    const seen = new Set<string>()
    const Attribute = e.Attribute.flatMap(([a, p, v]) => {
      const key = `${p.type}|${p.category}|${v}`
      if (seen.has(key)) return []
      seen.add(key)
      return [{ ...a, ...p, value: v, distribution: '0' as const }]
    })
    return { ...e, distribution: '0' as const, locked: true, Attribute }
  })
