/**
 * The laws of the conversions (issue #2), each a fast-check property over generators derived
 * from the models: totality, never-widen, conservation, the 2.3 round trip, idempotence, and
 * "no loss reported ⇒ the round trip is exact". A field the fate tables document as not a loss
 * (assigned or recomputed by the target, or empty — issue #9) may be left out without a loss;
 * any other field must arrive or be named by one. FC_NUM_RUNS sets the number of events per
 * property (CI: 10,000).
 */
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  isNarrowingOrEqual,
  narrower,
  presets,
  type ResolvedLevel,
} from '../../src/convert/DistributionPolicy.js'
import { downgrade } from '../../src/convert/downgrade.js'
import type { Loss } from '../../src/convert/Loss.js'
import { upgrade } from '../../src/convert/upgrade.js'
import { decodeEvent23, decodeEvent24 } from '../../src/decode.js'
import * as V23 from '../../src/v23/index.js'
import * as V24 from '../../src/v24/index.js'
import { event23, event24, portable23 } from '../support/arbitraries.js'
import { at, attributeIndexMap, coveredBy, leaves } from '../support/leaves.js'
import { downgradeSpec, excused, type Spec, upgradeSpec, withoutNotALoss } from './notALoss.js'

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? (process.env['CI'] ? 10_000 : 300))
const params = { numRuns }
const preset = fc.constantFrom('organisation-only', 'preserve', 'misp-push', 'misp-pull') as fc.Arbitrary<
  keyof typeof presets
>

const decoded24 = event24('lenient', true).map((u) => {
  const r = decodeEvent24(u)
  if (r._tag === 'Left') throw new Error(`generator produced an invalid 2.4 event: ${JSON.stringify(r.left)}`)
  return r.right
})
const decoded23 = event23('lenient', true).map((u) => {
  const r = decodeEvent23(u)
  if (r._tag === 'Left') throw new Error(`generator produced an invalid 2.3 event: ${JSON.stringify(r.left)}`)
  return r.right
})
/** Every attribute's category and type is a pair 2.3 accepts (`Attribute.php@v2.3.178:101-145`). */
const held23 = (e: V23.Event) => (e.Attribute ?? []).every((a) => V23.isValidPair(a.category, a.type))

/** The conservation law for one conversion: fails naming the first leaf that vanished silently. */
const conserved = (
  input: object,
  output: object,
  losses: ReadonlyArray<Loss>,
  mapPath: (p: string) => string,
  spec: Spec,
) => {
  for (const [path, v] of leaves(input, 'Event')) {
    if (coveredBy(path, losses) || excused(input, path, spec)) continue
    const found = at(output, mapPath(path))
    expect(
      found.found,
      `${path} is neither in the output (at ${mapPath(path)}), nor named by a loss, nor documented as not a loss`,
    ).toBe(true)
    // an empty container has no content to lose: the output may hold more there (flattened attributes)
    if (Array.isArray(v) && v.length === 0)
      expect(Array.isArray(found.value), `${path} is no longer an array`).toBe(true)
    else expect(found.value, `${path} changed without a loss`).toEqual(v)
  }
}

/** Where `downgrade` puts each leaf of its input. */
const downgradePaths = (e: V24.Event, losses: ReadonlyArray<Loss>) => {
  const idx = attributeIndexMap(e.Attribute?.length ?? 0, losses)
  const moves = losses.flatMap((l) => (l._tag === 'ObjectFlattened' ? l.moved : []))
  return (path: string): string => {
    if (path === 'Event.Orgc.name') return 'Event.orgc'
    const m = moves.find((mv) => path.startsWith(`${mv.from}.`) || path.startsWith(`${mv.from}[`))
    if (m) return m.to + path.slice(m.from.length)
    return path.replace(/^Event\.Attribute\[(\d+)\]/, (_, i) => `Event.Attribute[${idx.get(Number(i))}]`)
  }
}

describe(`laws (${numRuns} events per property)`, { timeout: 900_000 }, () => {
  test('totality: downgrade returns a valid 2.3 event and never throws', () => {
    fc.assert(
      fc.property(decoded24, preset, (e, p) => {
        const { value } = downgrade(e, { distribution: p })
        expect(V23.Event.is(value)).toBe(true)
        expect(decodeEvent23(JSON.parse(JSON.stringify({ Event: value })))._tag).toBe('Right')
      }),
      params,
    )
  })

  test('totality: upgrade returns a valid 2.4 event and never throws', () => {
    fc.assert(
      fc.property(decoded23, preset, (e, p) => {
        const { value } = upgrade(e, { distribution: p })
        expect(V24.Event.is(value)).toBe(true)
        expect(decodeEvent24(JSON.parse(JSON.stringify({ Event: value })))._tag).toBe('Right')
      }),
      params,
    )
  })

  test('never widen (downgrade): effective sharing of event and every attribute only narrows', () => {
    fc.assert(
      fc.property(decoded24, preset, (e, p) => {
        const { value, losses } = downgrade(e, { distribution: p })
        const evIn: ResolvedLevel = e.distribution ?? '0'
        const evOut = value.distribution ?? '0'
        expect(isNarrowingOrEqual(evIn, evOut)).toBe(true)
        // the sources of the output attributes, in order: kept event attributes, then moved object attributes
        const idx = attributeIndexMap(e.Attribute?.length ?? 0, losses)
        const sources: Array<ResolvedLevel> = []
        const own = (d: V24.Distribution | undefined, inherit: ResolvedLevel): ResolvedLevel =>
          d === undefined || d === '5' ? inherit : d
        ;(e.Attribute ?? []).forEach((a, i) => {
          if (idx.has(i)) sources.push(narrower(own(a.distribution, evIn), evIn))
        })
        for (const l of losses)
          if (l._tag === 'ObjectFlattened') {
            const o = at(e, l.path).value as V24.Object
            const ol = narrower(own(o.distribution, evIn), evIn)
            for (const m of l.moved)
              sources.push(narrower(own((at(e, m.from).value as V24.Attribute).distribution, ol), ol))
          }
        const out = value.Attribute ?? []
        expect(out.length).toBe(sources.length)
        out.forEach((a, k) => {
          const effectiveOut = narrower(a.distribution, evOut)
          expect(isNarrowingOrEqual(sources[k]!, effectiveOut)).toBe(true)
        })
      }),
      params,
    )
  })

  test('never widen (upgrade): effective sharing of event and every attribute only narrows', () => {
    fc.assert(
      fc.property(decoded23, preset, (e, p) => {
        const { value, losses } = upgrade(e, { distribution: p })
        const evIn = e.distribution ?? '0'
        const evOut = value.distribution ?? '0'
        expect(isNarrowingOrEqual(evIn, evOut)).toBe(true)
        const idx = attributeIndexMap(e.Attribute?.length ?? 0, losses)
        ;(e.Attribute ?? []).forEach((a, i) => {
          const k = idx.get(i)
          if (k === undefined) return
          const o = value.Attribute?.[k]
          expect(o?.uuid).toBe(a.uuid)
          expect(
            isNarrowingOrEqual(
              narrower(a.distribution, evIn),
              narrower(o!.distribution as ResolvedLevel, evOut),
            ),
          ).toBe(true)
        })
      }),
      params,
    )
  })

  test('conservation (downgrade): every input leaf is in the output or named by a loss', () => {
    fc.assert(
      fc.property(decoded24, preset, (e, p) => {
        const { value, losses } = downgrade(e, { distribution: p })
        conserved(e, value, losses, downgradePaths(e, losses), downgradeSpec)
      }),
      params,
    )
  })

  test('conservation (upgrade): every input leaf is in the output or named by a loss', () => {
    fc.assert(
      fc.property(decoded23, preset, (e, p) => {
        const { value, losses } = upgrade(e, { distribution: p })
        const idx = attributeIndexMap(e.Attribute?.length ?? 0, losses)
        conserved(
          e,
          value,
          losses,
          (path) =>
            path === 'Event.orgc'
              ? 'Event.Orgc.name'
              : path.replace(
                  /^Event\.Attribute\[(\d+)\]/,
                  (_, i) => `Event.Attribute[${idx.get(Number(i))}]`,
                ),
          upgradeSpec,
        )
      }),
      params,
    )
  })

  test('2.3 round trip: downgrade(upgrade(e)) = e, except what the losses name (preserve)', () => {
    fc.assert(
      fc.property(decoded23, (e) => {
        const up = upgrade(e, { distribution: 'preserve' })
        const down = downgrade(up.value, { distribution: 'preserve' })
        const idx = attributeIndexMap(up.value.Attribute?.length ?? 0, down.losses)
        conserved(
          e,
          down.value,
          [...up.losses, ...down.losses],
          (path) =>
            path.replace(/^Event\.Attribute\[(\d+)\]/, (_, i) => `Event.Attribute[${idx.get(Number(i))}]`),
          upgradeSpec,
        )
        // and nothing appears that e did not have, apart from what the losses name
        const back = new Map([...idx].map(([i, k]) => [k, i]))
        for (const [path] of leaves(down.value, 'Event')) {
          const source = path.replace(
            /^Event\.Attribute\[(\d+)\]/,
            (_, k) => `Event.Attribute[${back.get(Number(k))}]`,
          )
          if (!at(e, source).found)
            expect(coveredBy(source, [...up.losses, ...down.losses]), `${path} appeared`).toBe(true)
        }
      }),
      params,
    )
  })

  test('idempotence: downgrade ∘ upgrade ∘ downgrade = downgrade (organisation-only, preserve)', () => {
    fc.assert(
      fc.property(
        decoded24,
        fc.constantFrom('organisation-only', 'preserve') as fc.Arbitrary<'preserve'>,
        (e, p) => {
          const once = downgrade(e, { distribution: p }).value
          const again = downgrade(upgrade(once, { distribution: p }).value, { distribution: p }).value
          expect(again).toEqual(once)
        },
      ),
      params,
    )
  })

  test('no loss reported ⇒ the round trip is exact, but for what the tables say is not a loss (both directions, non-vacuous)', () => {
    let exactCases = 0
    const same23 = (a: unknown, b: unknown) =>
      expect(withoutNotALoss(a, upgradeSpec)).toEqual(withoutNotALoss(b, upgradeSpec))
    const same24 = (a: unknown, b: unknown) =>
      expect(withoutNotALoss(a, downgradeSpec)).toEqual(withoutNotALoss(b, downgradeSpec))
    fc.assert(
      // over events a 2.3 server can hold: a pair 2.3 refuses cannot come back (the next law)
      fc.property(fc.oneof(portable23, decoded23.filter(held23)), (e23) => {
        const up = upgrade(e23 as V23.Event)
        if (up.losses.length === 0) {
          exactCases++
          same23(downgrade(up.value).value, e23)
          // and from the 2.4 side: the upgraded event downgrades without loss and comes back unchanged
          const down = downgrade(up.value)
          expect(down.losses).toEqual([])
          expect(upgrade(down.value).value).toEqual(up.value)
        }
      }),
      params,
    )
    fc.assert(
      fc.property(decoded24, (e24) => {
        const down = downgrade(e24)
        if (down.losses.length === 0) same24(upgrade(down.value).value, e24)
      }),
      params,
    )
    expect(exactCases).toBeGreaterThan(numRuns / 10)
  })

  test('a pair 2.3 refuses, in a 2.3 body, is carried up as it is and dropped, named, on the way back', () => {
    let cases = 0
    fc.assert(
      fc.property(
        decoded23.filter((e) => !held23(e)),
        (e23) => {
          const up = upgrade(e23)
          const down = downgrade(up.value)
          for (const [i, a] of (e23.Attribute ?? []).entries()) {
            if (V23.isValidPair(a.category, a.type)) continue
            const upgraded = up.value.Attribute?.find((b) => b.uuid === a.uuid)
            if (upgraded === undefined) continue // dropped by the distribution policy, named (conservation)
            cases++
            expect({ category: upgraded.category, type: upgraded.type }).toEqual({
              category: a.category,
              type: a.type,
            })
            const named = down.losses.find((l) => l._tag === 'AttributeDropped' && l.uuid === a.uuid)
            expect(named, `Event.Attribute[${i}] left 2.3's table silently`).toMatchObject({
              _tag: 'AttributeDropped',
              reason: expect.stringMatching(
                /^(type|category|category-type-pair)-not-in-2\.3$|^duplicate-in-2\.3$/,
              ),
            })
          }
        },
      ),
      params,
    )
    expect(cases).toBeGreaterThan(0)
  })

  test('custom tables that could widen sharing are refused, and organisation-only is used', () => {
    fc.assert(
      fc.property(decoded24, fc.constantFrom('1', '2', '3'), (e, to) => {
        const widening = {
          ...presets.preserve,
          name: 'bad',
          downgrade: {
            ...presets.preserve.downgrade,
            event: { ...presets.preserve.downgrade.event, '4': to },
          },
        }
        const r = downgrade(e, { distribution: widening })
        expect(r.losses[0]?._tag).toBe('PolicyRejected')
        expect(r.value.distribution).toBe('0')
        expect(isDeepStrictEqual(r.value, downgrade(e).value)).toBe(true)
      }),
      { numRuns: Math.min(numRuns, 500) },
    )
  })
})

describe('the conservation law still catches a field with content that vanishes silently', () => {
  const decode = (u: unknown) => {
    const r = decodeEvent24(u)
    if (r._tag === 'Left') throw new Error('test event does not decode')
    return r.right
  }
  const e = decode({
    Event: {
      uuid: '00000000-0000-1000-8000-000000000000',
      info: 'x',
      id: '7',
      attribute_count: '1',
      SharingGroup: [],
      Orgc: { id: '1', name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
      Attribute: [
        {
          uuid: '00000000-0000-1000-8000-000000000001',
          type: 'ip-dst',
          category: 'Network activity',
          value: '10.0.0.1',
          id: '9',
          deleted: false,
          first_seen: null,
          Galaxy: [],
          Tag: [{ name: 'tlp:green' }],
        },
      ],
      Object: [],
    },
  })
  const { value, losses } = downgrade(e, { distribution: 'preserve' })

  test('as converted, the event conserves every leaf (ids, empties and default flags silently)', () => {
    expect(losses.filter((l) => l._tag === 'FieldsDropped')).toHaveLength(2)
    conserved(e, value, losses, downgradePaths(e, losses), downgradeSpec)
  })

  test('without the loss that names a dropped tag, the law fails', () => {
    const hidden = losses.filter((l) => !(l._tag === 'FieldsDropped' && 'Tag' in l.fields))
    expect(hidden).toHaveLength(losses.length - 1)
    expect(() => conserved(e, value, hidden, downgradePaths(e, hidden), downgradeSpec)).toThrow(
      /Event\.Attribute\[0\]\.Tag\[0\]\.name is neither in the output/,
    )
  })

  test('without the loss that names the creator’s uuid, the law fails', () => {
    const hidden = losses.filter((l) => l.path !== 'Event.Orgc')
    expect(() => conserved(e, value, hidden, downgradePaths(e, hidden), downgradeSpec)).toThrow(
      /Event\.Orgc\.uuid/,
    )
  })

  test('a field is excused only as a whole: by its fate, or by carrying nothing', () => {
    const f = (path: string, event: unknown = e) => excused(event, path, downgradeSpec)
    expect(f('Event.id')).toBe(true) // instance-local
    expect(f('Event.attribute_count')).toBe(true) // recomputed
    expect(f('Event.SharingGroup')).toBe(true) // []
    expect(f('Event.Object')).toBe(true) // []
    expect(f('Event.Orgc.id')).toBe(true)
    expect(f('Event.Orgc.uuid')).toBe(false)
    expect(f('Event.info')).toBe(false) // copied
    expect(f('Event.Attribute[0].id')).toBe(true)
    expect(f('Event.Attribute[0].deleted')).toBe(true) // false is what 2.3 implies
    expect(f('Event.Attribute[0].first_seen')).toBe(true) // null
    expect(f('Event.Attribute[0].Galaxy')).toBe(true) // []
    expect(f('Event.Attribute[0].Tag[0].name')).toBe(false) // content
    const full = { ...e, SharingGroup: { name: 'g', SharingGroupServer: [] }, disable_correlation: true }
    expect(f('Event.SharingGroup.SharingGroupServer', full)).toBe(false) // empty leaf of a field with content
    expect(f('Event.disable_correlation', full)).toBe(false)
    expect(
      f('Event.Object[0].Attribute[0].first_seen', { ...e, Object: [{ Attribute: [{ first_seen: 'x' }] }] }),
    ).toBe(false)
    expect(f('Event.x_unknown', { ...e, x_unknown: 1 })).toBe(false)
    expect(f('Event.x_unknown', { ...e, x_unknown: [] })).toBe(true)
  })
})
