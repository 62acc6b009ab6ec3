/**
 * Loss reports carry only information (issue #9, point 9): empty containers and the fields the
 * target assigns or recomputes itself (ids, counters, correlations, the owner) are not losses;
 * fields with content, distribution changes and dropped attributes still are.
 */
import { describe, expect, test } from 'vitest'
import { downgrade } from '../../src/convert/downgrade.js'
import * as FieldFates from '../../src/convert/fieldFates.js'
import { countByKind, formatLoss, type Loss } from '../../src/convert/Loss.js'
import { upgrade } from '../../src/convert/upgrade.js'
import { decodeEvent23, decodeEvent24 } from '../../src/decode.js'
import type * as V23 from '../../src/v23/index.js'
import type * as V24 from '../../src/v24/index.js'

const ORG = { id: '1', name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' }
const uuid = (i: number) => `5f1c2a3e-0d4b-4c8e-9a1f-${String(i).padStart(12, '0')}`

/** An attribute as MISP 2.4/2.5 serves it: ids, empty lists, `null` seen-dates, default flags. */
const attribute24 = (i: number, extra: object = {}) => ({
  id: String(1000 + i),
  type: 'ip-dst',
  category: 'Network activity',
  to_ids: true,
  uuid: uuid(i),
  event_id: '42',
  distribution: '1',
  timestamp: String(1700000000 + i),
  comment: '',
  sharing_group_id: '0',
  deleted: false,
  disable_correlation: false,
  object_id: '0',
  object_relation: null,
  first_seen: null,
  last_seen: null,
  value: `10.0.${Math.floor(i / 256)}.${i % 256}`,
  Galaxy: [],
  ShadowAttribute: [],
  RelatedAttribute: [],
  SharingGroup: [],
  ...extra,
})

/** A 2.4 event as MISP 2.4/2.5 serves it, with nothing in it that 2.3 cannot hold. */
const event24 = (attributes: ReadonlyArray<object>): V24.Event => {
  const r = decodeEvent24({
    Event: {
      id: '42',
      orgc_id: '1',
      org_id: '1',
      date: '2024-10-18',
      threat_level_id: '2',
      info: 'one attribute',
      published: true,
      uuid: uuid(0),
      attribute_count: String(attributes.length),
      analysis: '2',
      timestamp: '1700000000',
      distribution: '1',
      proposal_email_lock: false,
      locked: true,
      publish_timestamp: '1700000001',
      sighting_timestamp: '0',
      sharing_group_id: '0',
      disable_correlation: false,
      extends_uuid: '',
      protected: null,
      event_creator_email: '',
      Org: ORG,
      Orgc: { id: '1', name: 'CIRCL', local: true },
      SharingGroup: [],
      Attribute: attributes,
      ShadowAttribute: [],
      RelatedEvent: [],
      Galaxy: [],
      Object: [],
      EventReport: [],
      CryptographicKey: [],
      Tag: [],
    },
  })
  if (r._tag === 'Left') throw new Error(`test event does not decode: ${JSON.stringify(r.left)}`)
  return r.right
}

const event23 = (n: number): V23.Event => {
  const r = decodeEvent23({
    Event: {
      id: '42',
      org: 'ADMIN',
      orgc: 'ADMIN',
      date: '2015-12-14',
      threat_level_id: '2',
      info: 'a 2.3 event',
      published: true,
      uuid: uuid(0),
      attribute_count: String(n),
      analysis: '2',
      timestamp: '1450000000',
      distribution: '1',
      proposal_email_lock: false,
      locked: true,
      publish_timestamp: '1450000001',
      Attribute: Array.from({ length: n }, (_, i) => ({
        id: String(100 + i),
        event_id: '42',
        type: 'ip-dst',
        category: 'Network activity',
        to_ids: true,
        uuid: uuid(i + 1),
        distribution: '1',
        timestamp: '1450000000',
        comment: '',
        value: `10.1.${Math.floor(i / 256)}.${i % 256}`,
        ShadowAttribute: [],
        RelatedAttribute: [],
      })),
      ShadowAttribute: [],
      RelatedEvent: [],
    },
  })
  if (r._tag === 'Left') throw new Error(`test event does not decode: ${JSON.stringify(r.left)}`)
  return r.right
}

const fieldsDropped = (losses: ReadonlyArray<Loss>) => losses.filter((l) => l._tag === 'FieldsDropped')

describe('a loss is information the target will not have', () => {
  test('a one-attribute 2.4 event with no objects reports no FieldsDropped for empty containers or instance-local fields', () => {
    const { losses } = downgrade(event24([attribute24(1)]), { distribution: 'preserve' })
    expect(fieldsDropped(losses).map(formatLoss)).toEqual([])
    expect(losses).toEqual([])
  })

  test('a one-attribute 2.3 event reports nothing: ids, counters, the owner and empty lists are not losses', () => {
    const { value, losses } = upgrade(event23(1), { distribution: 'preserve' })
    expect(losses).toEqual([])
    expect(value.Orgc).toEqual({ name: 'ADMIN' })
  })

  test('a 1000-attribute event’s loss count is O(real losses), not O(attributes)', () => {
    const plain = Array.from({ length: 1000 }, (_, i) => attribute24(i + 1))
    expect(downgrade(event24(plain), { distribution: 'preserve' }).losses).toEqual([])
    expect(upgrade(event23(1000), { distribution: 'preserve' }).losses).toEqual([])

    // ten attributes with something 2.3 cannot hold: exactly ten losses, each naming it
    const tag = { id: '7', name: 'tlp:green', colour: '#33ff00', exportable: true }
    const some = plain.map((a, i) =>
      i % 100 === 0 ? { ...a, Tag: [tag], first_seen: '2024-01-01T00:00:00.000000+00:00' } : a,
    )
    const { losses } = downgrade(event24(some), { distribution: 'preserve' })
    expect(losses).toHaveLength(10)
    expect(losses[0]).toEqual({
      _tag: 'FieldsDropped',
      path: 'Event.Attribute[0]',
      reason: 'not-in-target',
      fields: { first_seen: '2024-01-01T00:00:00.000000+00:00', Tag: [tag] },
    })
  })

  test('real losses keep their full detail: content, distribution, dropped attributes, non-default flags', () => {
    const e = event24([
      attribute24(1, { distribution: '5', disable_correlation: true, object_relation: 'src' }),
      attribute24(2, { type: 'btc', category: 'Financial fraud' }),
      attribute24(3, { deleted: true }),
      attribute24(4, { ShadowAttribute: [{ type: 'ip-dst', category: 'Network activity', value: 'x' }] }),
    ])
    const { losses } = downgrade(
      { ...e, Orgc: ORG, disable_correlation: true },
      { distribution: 'organisation-only' },
    )
    expect(countByKind(losses)).toEqual({
      FieldsDropped: 4,
      DistributionChanged: 3,
      AttributeDropped: 2,
    })
    expect(losses.map(formatLoss)).toEqual(
      expect.arrayContaining([
        'Event: dropped disable_correlation (not-in-target)',
        'Event.Orgc: dropped uuid (not-in-target)',
        'Event.Attribute[0]: dropped object_relation, disable_correlation (not-in-target)',
        'Event.Attribute[3]: dropped ShadowAttribute (not-transferred)',
        'Event.distribution: distribution 1 → 0 (policy organisation-only)',
      ]),
    )
  })

  test('an empty `Orgc` carries nothing; one with content but no name still reports its content', () => {
    const empty = downgrade({ ...event24([]), Orgc: {} })
    expect(fieldsDropped(empty.losses)).toEqual([])
    const nameless = downgrade({ ...event24([]), Orgc: { id: '3', uuid: ORG.uuid } })
    expect(fieldsDropped(nameless.losses)).toEqual([
      { _tag: 'FieldsDropped', path: 'Event.Orgc', reason: 'not-in-target', fields: { uuid: ORG.uuid } },
    ])
  })

  test('an object without attributes is not reported as a dropped `Attribute` list', () => {
    const o = {
      id: '9',
      event_id: '42',
      uuid: uuid(99),
      name: 'file',
      distribution: '5',
      sharing_group_id: '0',
      deleted: false,
      ObjectReference: [],
      Attribute: [],
    }
    const { losses } = downgrade({ ...event24([]), Object: [o] } as V24.Event, { distribution: 'preserve' })
    expect(losses).toEqual([
      {
        _tag: 'FieldsDropped',
        path: 'Event.Object[0]',
        reason: 'not-in-target',
        fields: { uuid: o.uuid, name: 'file' },
      },
      { _tag: 'ObjectFlattened', path: 'Event.Object[0]', uuid: o.uuid, name: 'file', moved: [] },
    ])
  })
})

test('only identifiers, counters, correlations and the owner are left to the target without a loss', () => {
  // the conservation law trusts the tables' not-a-loss fates: this keeps a field with content
  // (tags, a sharing group, an object's name) from being declared "instance-local" by mistake
  const tables = {
    eventToV23: FieldFates.eventToV23,
    attributeToV23: FieldFates.attributeToV23,
    objectToV23: FieldFates.objectToV23,
    orgToV23: FieldFates.orgToV23,
    eventToV24: FieldFates.eventToV24,
    attributeToV24: FieldFates.attributeToV24,
  }
  const idLike =
    /^(id|[a-z_]+_id|attribute_count|sighting_timestamp|Related(Event|Attribute)|org|Org|local|date_(created|modified))$/
  for (const [name, table] of Object.entries(tables))
    for (const [field, f] of Object.entries(table)) {
      const fate = FieldFates.fateOf(f)
      if (FieldFates.isNotALoss(fate)) expect(idLike.test(field), `${name}.${field}`).toBe(true)
      if (fate === 'copied' || fate === 'converted' || FieldFates.isNotALoss(fate))
        expect(FieldFates.impliedOf(f), `${name}.${field}`).toEqual([])
    }
})
