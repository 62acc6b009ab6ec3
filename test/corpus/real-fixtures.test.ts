/**
 * Every real MISP file in ../shared/fixtures/real (PROVENANCE.md there) through decode, encode,
 * both conversions, and MISP's own JSON schemas for the target version. Skips when ../shared is
 * absent (a user's clone).
 */
import AjvModule from 'ajv-draft-04'
import { describe, expect, test } from 'vitest'
import { wireArray } from '../../src/codecs/wire.js'
import { downgrade } from '../../src/convert/downgrade.js'
import { upgrade } from '../../src/convert/upgrade.js'
import { formatDecodeFailure } from '../../src/DecodeFailure.js'
import {
  decodeEvent23,
  decodeEvent24,
  decodeIndex24,
  decodeWith,
  encodeEvent23,
  encodeEvent24,
  unwrapEvent,
} from '../../src/decode.js'
import * as V23 from '../../src/v23/index.js'
import * as V24 from '../../src/v24/index.js'
import { readSharedJson, realFixtureFiles, SKIP_MESSAGE, sharedAvailable } from '../support/shared.js'

/** The 13 files that hold a full 2.4 event (PROVENANCE.md rows 3–6, 9–11, 13–18). */
const EVENTS_24 = [
  'MISP__MISP/tests/event.json',
  'MISP__PyMISP/tests/57c4445b-c548-4654-af0b-4be3950d210f.json',
  'MISP__PyMISP/tests/misp_event.json',
  'MISP__PyMISP/tests/new_misp_event.json',
  'MISP__PyMISP/tests/mispevent_testfiles/existing_event.json',
  'MISP__PyMISP/tests/mispevent_testfiles/shadow.json',
  'MISP__PyMISP/tests/mispevent_testfiles/malware_exist.json',
  'MISP__PyMISP/tests/reportlab_testfiles/galaxy_1.json',
  'MISP__PyMISP/tests/reportlab_testfiles/sighting_1.json',
  'MISP__PyMISP/tests/reportlab_testfiles/japanese_test.json',
  'MISP__PyMISP/tests/reportlab_testfiles/mainly_objects_1.json',
  'MISP__PyMISP/tests/reportlab_testfiles/image_event.json',
  'MISP__PyMISP/tests/reportlab_testfiles/HTML_event.json',
]
// ajv-draft-04 is CommonJS: under NodeNext its default import is the module object
const AjvDraft04 = ((AjvModule as unknown as { default?: typeof AjvModule }).default ??
  AjvModule) as unknown as typeof AjvModule.default
const REAL = (f: string) => readSharedJson('fixtures', 'real', f)
const json = <A>(a: A): A => JSON.parse(JSON.stringify(a))

const schemas = () => {
  const ajv = new AjvDraft04({ allErrors: true, strict: false, validateSchema: false }) // MISP's 2.3 schema uses `items: []`, which the draft-04 meta-schema rejects
  const s23 = readSharedJson('spec', 'misp-format-2.3-schema.json') as {
    properties: { Event: { required: Array<string> } }
  }
  // MISP's 2.3 schema describes server output: cut its required list to what a create body
  // carries (id, org, attribute_count, RelatedEvent are set by the server; ShadowAttribute —
  // proposals — and proposal_email_lock are server-managed too and absent from feed exports).
  const serverSet = ['id', 'org', 'attribute_count', 'RelatedEvent', 'ShadowAttribute', 'proposal_email_lock']
  s23.properties.Event.required = s23.properties.Event.required.filter((k) => !serverSet.includes(k))
  return {
    v23: ajv.compile(s23),
    v24lax: ajv.compile(readSharedJson('spec', 'pymisp-schema-lax.json') as object),
  }
}

describe.skipIf(!sharedAvailable)('real MISP fixtures (../shared/fixtures/real)', () => {
  test('all 18 files are there and 13 hold a 2.4 event', () => {
    expect(realFixtureFiles()).toHaveLength(18)
    for (const f of EVENTS_24) expect(realFixtureFiles()).toContain(f)
  })

  describe.each(EVENTS_24)('%s', (file) => {
    test('decodes as V24.Event; decode → encode keeps every field', () => {
      const raw = REAL(file)
      const r = decodeEvent24(raw)
      if (r._tag === 'Left') throw new Error(formatDecodeFailure(r.left))
      const bare = unwrapEvent(raw)
      expect(bare._tag).toBe('Right')
      // the fixtures are canonical wire JSON already: the round trip is the identity, field for field
      expect(json(encodeEvent24(r.right).Event)).toEqual(bare._tag === 'Right' ? bare.right : undefined)
    })

    test('downgrades to a 2.3 event that decodes and validates against MISP’s 2.3 schema', () => {
      const { v23 } = schemas()
      const e = decodeEvent24(REAL(file))
      if (e._tag === 'Left') throw new Error('not decodable')
      for (const distribution of ['organisation-only', 'preserve', 'misp-push', 'misp-pull'] as const) {
        const down = downgrade(e.right, { distribution })
        const wire = json(encodeEvent23(down.value))
        expect(decodeEvent23(wire)._tag).toBe('Right')
        const ok = v23(wire)
        expect(ok, JSON.stringify(v23.errors?.slice(0, 3))).toBe(true)
        // the 2.3 round trip of its own output is faithful (decode → encode)
        const again = decodeEvent23(wire)
        expect(again._tag === 'Right' && json(encodeEvent23(again.right))).toEqual(wire)
      }
    })

    test('the 2.3 copy upgrades back to a 2.4 event valid against PyMISP’s lax schema', () => {
      const { v24lax } = schemas()
      const e = decodeEvent24(REAL(file))
      if (e._tag === 'Left') throw new Error('not decodable')
      const up = upgrade(downgrade(e.right, { distribution: 'preserve' }).value, { distribution: 'preserve' })
      const wire = json(encodeEvent24(up.value))
      expect(decodeEvent24(wire)._tag).toBe('Right')
      expect(v24lax(wire), JSON.stringify(v24lax.errors?.slice(0, 3))).toBe(true)
    })
  })

  test('the 2.3 schema check can fail: unconverted 2.4 events do not pass it', () => {
    const { v23 } = schemas()
    const failing = EVENTS_24.filter((f) => {
      const bare = unwrapEvent(REAL(f))
      return bare._tag === 'Right' && !v23({ Event: bare.right })
    })
    expect(failing.length).toBeGreaterThanOrEqual(10)
  })

  describe('MISP/MISP tools/curl/input/event.json (a 2.3 create body without uuids)', () => {
    const file = 'MISP__MISP/tools/curl/input/event.json'
    test('decodeEvent23 refuses it and names Event.uuid', () => {
      const r = decodeEvent23(REAL(file))
      expect(r._tag).toBe('Left')
      if (r._tag === 'Right') return
      expect(r.left.problems.map((p) => p.path)).toContain('Event.uuid')
      expect(formatDecodeFailure(r.left)).toContain('Event.uuid: expected uuid, got nothing (missing)')
    })

    test('with uuids added it decodes (lenient: "1" flags and levels) and converts cleanly', () => {
      const { v24lax } = schemas()
      const raw = REAL(file) as {
        Event: Record<string, unknown> & { Attribute: Array<Record<string, unknown>> }
      }
      raw.Event['uuid'] = '5a4c0c79-5cf4-4b2e-9d6c-7a2f950d210f'
      raw.Event.Attribute.forEach((a, i) => {
        a['uuid'] = `5a4c0c79-5cf4-4b2e-9d6c-7a2f950d21${String(i).padStart(2, '0')}`
      })
      const e = decodeEvent23(raw)
      if (e._tag === 'Left') throw new Error(formatDecodeFailure(e.left))
      expect(e.right.Attribute?.[0]?.to_ids).toBe(true)
      expect(e.right.orgc).toBe('Iglocska')
      const up = upgrade(e.right, { distribution: 'preserve' })
      expect(up.value.Orgc).toEqual({ name: 'Iglocska' })
      expect(up.value.distribution).toBe('1')
      const wire = json(encodeEvent24(up.value))
      expect(v24lax(wire), JSON.stringify(v24lax.errors)).toBe(true)
      // the ids (event 25, attribute 7) are left to the target, not losses (issue #9): only the
      // copy being locked is reported
      expect(up.losses.map((l) => l._tag)).toEqual(['ValueChanged'])
      expect(up.value.id).toBeUndefined()
      expect(up.value.Attribute?.[0]?.id).toBeUndefined()
    })
  })

  test('MISP/MISP tools/curl/input/attribute.json (a bare 2.3 attribute without uuid) is refused naming uuid', () => {
    const raw = REAL('MISP__MISP/tools/curl/input/attribute.json') as { Attribute: unknown }
    const r = decodeWith(V23.Attribute, 'Attribute')(raw.Attribute)
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') expect(r.left.problems.map((p) => p.path)).toEqual(['Attribute.uuid'])
  })

  test('index rows (search_index_result.json) decode as V24.IndexRow, legacy org/orgc kept', () => {
    const r = decodeIndex24(REAL('MISP__PyMISP/tests/search_index_result.json'))
    if (r._tag === 'Left') throw new Error(formatDecodeFailure(r.left))
    expect(r.right).toHaveLength(1)
    expect(r.right[0]).toMatchObject({
      id: '3',
      orgc: '',
      EventTag: [expect.anything(), expect.anything(), expect.anything()],
    })
  })

  test('the sharing-group list (sharing_groups.json) decodes as V24.SharingGroupListEntry[]', () => {
    const raw = REAL('MISP__PyMISP/tests/sharing_groups.json')
    const r = decodeWith(wireArray(V24.SharingGroupListEntry), 'SharingGroups')(raw)
    if (r._tag === 'Left') throw new Error(formatDecodeFailure(r.left))
    expect(r.right.length).toBeGreaterThan(0)
    expect(r.right[0]?.SharingGroupOrg?.[0]?.extend).toBe(true)
    expect(r.right[0]?.SharingGroupServer?.[0]?.server_id).toBe('0')
  })

  test('the objects-only fragment (event_obj_attr_tag.json) decodes as V24.ObjectsFragment, not as an event', () => {
    const raw = REAL('MISP__PyMISP/tests/mispevent_testfiles/event_obj_attr_tag.json')
    const r = decodeWith(V24.ObjectsFragment, 'Fragment')(raw)
    if (r._tag === 'Left') throw new Error(formatDecodeFailure(r.left))
    expect(r.right.Object.length).toBe(2)
    expect(decodeEvent24(raw)._tag).toBe('Left')
  })
})

describe.skipIf(sharedAvailable)('real MISP fixtures', () => {
  test.skip(SKIP_MESSAGE, () => {})
})
