/**
 * What each version accepts on create: event-level failures (§5.3), attribute validation and how
 * dropped attributes are reported (§7, §3; §11 and rec#26 for 2.5.1), creator org rules (§4).
 */
import { afterEach, describe, expect, test } from 'vitest'
import { type EmulatorOptions, type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { arr, call, eventOf, obj, sampleEvent, uuid } from './support.js'

const started: Array<MispEmulator> = []
const start = async (options: EmulatorOptions): Promise<MispEmulator> => {
  const emu = await startMispEmulator(options)
  started.push(emu)
  return emu
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()))
})

const attr = (type: string, category: string, value: string, distribution: string | null = '3') => ({
  uuid: uuid(),
  type,
  category,
  value,
  ...(distribution === null ? {} : { distribution }),
  timestamp: '1700000000',
})

const DIST_OPTIONS =
  'Options : Your organisation only, This community only, Connected communities, All communities'

describe('§7 2.3 attribute validation: dropped attributes listed under "errors" (2.3.178)', () => {
  test('§7 invalid type, bad category/type pair, missing or 2.4-only distribution, duplicate value, bad IP', async () => {
    const emu = await start({ version: '2.3.178' })
    const body = sampleEvent({
      Attribute: [
        attr('ip-dst', 'Network activity', '198.51.100.7'), // 0 ok
        attr('sha512', 'Payload delivery', 'a'.repeat(128)), // 1 2.4-only type
        attr('ip-src', 'Internal reference', '198.51.100.8'), // 2 pair not allowed in 2.3
        attr('comment', 'Other', 'no distribution', null), // 3 distribution required in 2.3
        attr('comment', 'Other', 'sharing group', '4'), // 4 distribution 4 does not exist in 2.3
        attr('ip-dst', 'Network activity', '198.51.100.7'), // 5 valueIsUnique
        attr('ip-dst', 'Network activity', 'not-an-ip'), // 6 value format
        attr('comment', 'Other', ''), // 7 empty value
        attr('md5', 'Payload delivery', 'd41d8cd98f00b204e9800998ecf8427e'), // 8 empty file (real 2.3.178, rec 2h)
        attr('md5', 'Payload delivery', '9e107d9d372bb6826bd81d3542a419d6'), // 9 ok
      ],
    })
    const r = await call(emu, 'POST', '/events', { body: { Event: body } })
    expect(r.status).toBe(200)
    const kept = arr(eventOf(r)['Attribute']).map((a) => obj(a)['value'])
    expect(kept).toEqual(['198.51.100.7', '9e107d9d372bb6826bd81d3542a419d6'])
    expect(eventOf(r)['attribute_count']).toBe('2')
    const errors = obj(obj(obj(r.json)['errors'])['Attribute'])
    expect(Object.keys(errors)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8'])
    expect(obj(errors['1'])).toHaveProperty('type')
    expect(obj(errors['2'])['type']).toEqual(['Options depend on the selected category.'])
    expect(obj(errors['3'])['distribution']).toEqual([DIST_OPTIONS])
    expect(obj(errors['4'])['distribution']).toEqual([DIST_OPTIONS])
    expect(obj(errors['5'])['value']).toEqual(['A similar attribute already exists for this event.'])
    // 2.3.178's own messages (`MispAttribute::runValidation@v2.3.178:549-792`, `AppModel::valueNotEmpty`)
    expect(obj(errors['6'])['value']).toEqual([
      'IP address has invalid format. Please double check the value or select "other" for a type.',
    ])
    expect(obj(errors['7'])['value']).toEqual(['Value cannot be empty.'])
    expect(obj(errors['8'])['value']).toEqual(['The supplied hash indicates an empty file.'])
  })

  test('§7 errors of the first attributes encode as a JSON list (PHP array with keys 0..n-1)', async () => {
    const emu = await start({ version: '2.3.178' })
    const body = sampleEvent({
      Attribute: [attr('btc', 'Financial fraud', 'x'), attr('comment', 'Other', 'ok')],
    })
    const r = await call(emu, 'POST', '/events', { body: { Event: body } })
    expect(Array.isArray(obj(obj(r.json)['errors'])['Attribute'])).toBe(true)
  })

  test('§3 2.3 event distribution 4 → Add event failed (200)', async () => {
    const emu = await start({ version: '2.3.178' })
    const r = await call(emu, 'POST', '/events', { body: { Event: sampleEvent({ distribution: '4' }) } })
    expect(r.status).toBe(200)
    expect(r.json).toEqual({
      name: 'Add event failed.',
      message: 'The event could not be saved.',
      url: '/events/add',
      errors: { Event: { distribution: [DIST_OPTIONS] } }, // 2.3 nests them under the model (rec 2e)
    })
    expect(emu.events()).toHaveLength(0)
  })
})

describe.each([
  { version: '2.4.0', listed: true },
  { version: '2.4.102', listed: true },
  { version: '2.4.199', listed: true },
  { version: '2.5', listed: false },
] as const)('§3/§7 2.4 attribute validation ($version)', ({ version, listed }) => {
  test(`§3 attribute distribution 0–5, 4 needs a sharing group; ${listed ? 'errors listed' : '2.5.1 drops silently (§11)'} (${version})`, async () => {
    const emu = await start({ version })
    const body = sampleEvent({
      Attribute: [
        attr('sha512', 'Payload delivery', 'a'.repeat(128)), // 2.4 type: ok
        attr('comment', 'Other', 'inherit', '5'), // ok
        attr('comment', 'Other', 'sharing group', '4'), // no sharing group: dropped
        attr('comment', 'Other', 'level 6', '6'), // dropped
        attr('ip-dst', 'Network activity', 'not-an-ip'), // dropped (rec#26)
      ],
    })
    const r = await call(emu, 'POST', '/events', { body: { Event: body } })
    expect(r.status).toBe(200)
    expect(arr(eventOf(r)['Attribute']).map((a) => obj(a)['value'])).toEqual(['a'.repeat(128), 'inherit'])
    if (listed) expect(Object.keys(obj(obj(obj(r.json)['errors'])['Attribute']))).toEqual(['2', '3', '4'])
    else expect(obj(r.json)).not.toHaveProperty('errors')
  })
})

describe('§5.3 event-level validation failure by era', () => {
  test.each([
    [
      '2.3.178',
      200,
      {
        name: 'Add event failed.',
        message: 'The event could not be saved.',
        url: '/events/add',
        errors: { Event: { info: ['Info cannot be empty.'] } }, // real 2.3.178 (rec 2g)
      },
    ],
    [
      '2.4.0',
      200,
      {
        name: 'Add event failed.',
        message: 'The event could not be saved.',
        url: '/events/add',
        errors: { info: ['Info cannot be empty.'] },
      },
    ],
    [
      '2.4.102',
      200,
      {
        name: 'Add event failed.',
        message: 'The event could not be saved.',
        url: '/events/add',
        errors: { info: ['Info cannot be empty.'] },
      },
    ],
    [
      '2.4.103',
      403,
      {
        name: 'Could not add Event',
        message: 'Could not add Event',
        url: '/events/add',
        errors: { Event: { info: ['Info cannot be empty.'] } },
      },
    ],
    [
      '2.4.199',
      403,
      {
        saved: false,
        name: 'Could not add Event',
        message: 'Could not add Event',
        url: '/events/add',
        errors: { Event: { info: ['Info cannot be empty.'] } },
      },
    ],
    [
      '2.5',
      403,
      {
        saved: false,
        name: 'Could not add Event',
        message: 'Could not add Event',
        url: '/events/add',
        errors: { Event: { info: ['Info cannot be empty.'] } },
      },
    ],
  ] as const)(
    '§5.3 empty info on %s → %i ("Info cannot be empty.", AppModel::valueNotEmpty; real 2.5.1)',
    async (version, status, body) => {
      const emu = await start({ version })
      const r = await call(emu, 'POST', '/events', { body: { Event: sampleEvent({ info: '' }) } })
      expect(r.status).toBe(status)
      expect(r.json).toEqual(body)
      expect(Object.keys(obj(r.json))).toEqual(Object.keys(body))
    },
  )

  test('§3 2.4 event distribution 4: needs an existing sharing group', async () => {
    const emu = await start({ version: '2.4.199' })
    const without = await call(emu, 'POST', '/events', {
      body: { Event: sampleEvent({ distribution: '4' }) },
    })
    expect(without.status).toBe(403)
    expect(obj(obj(without.json)['errors'])['Event']).toEqual({
      sharing_group_id: [
        'If the distribution is set to "Sharing Group", a sharing group has to be selected.',
      ],
    })
    const sg = await call(emu, 'POST', '/sharing_groups/add', {
      body: { SharingGroup: { name: 'group', releasability: 'r', description: 'd' } },
    })
    expect(sg.status).toBe(200)
    const id = obj(obj(sg.json)['SharingGroup'])['id']
    const withSg = await call(emu, 'POST', '/events', {
      body: { Event: sampleEvent({ distribution: '4', sharing_group_id: id }) },
    })
    expect(withSg.status).toBe(200)
    const sgOut = obj(eventOf(withSg)['SharingGroup'])
    expect(sgOut['name']).toBe('group')
    expect(sgOut).toHaveProperty('SharingGroupServer') // full group for a sync user
  })

  test('§2.2 a plain user sees the short SharingGroup', async () => {
    const sgEvent = sampleEvent({
      distribution: '4',
      SharingGroup: { name: 'seeded', uuid: uuid(), releasability: 'r', description: 'd' },
    })
    const emu = await start({ version: '2.4.199', role: 'user', events: [sgEvent] })
    const r = await call(emu, 'GET', '/events/1')
    expect(obj(eventOf(r)['SharingGroup'])).toEqual({
      id: '1',
      name: 'seeded',
      releasability: 'r',
      description: 'd',
    })
  })
})

describe('§4 creator organisation', () => {
  test('§4 2.3: a non-sync user gets orgc = own org', async () => {
    const emu = await start({ version: '2.3.178', role: 'user' })
    const r = await call(emu, 'POST', '/events', { body: { Event: sampleEvent({ orgc: 'ELSEWHERE' }) } })
    expect([eventOf(r)['org'], eventOf(r)['orgc']]).toEqual(['ORGNAME', 'ORGNAME'])
  })

  test.each([
    ['2.4.0', 'ELSEWHERE'],
    ['2.4.48', 'ELSEWHERE'],
    ['2.4.49', 'ORGNAME'],
    ['2.5', 'ORGNAME'],
  ] as const)("§4 a non-sync user's Orgc on %s → %s (stripped since v2.4.49)", async (version, expected) => {
    const emu = await start({ version, role: 'user' })
    const r = await call(emu, 'POST', '/events', {
      body: { Event: sampleEvent({ Orgc: { name: 'ELSEWHERE' } }) },
    })
    expect(obj(eventOf(r)['Orgc'])['name']).toBe(expected)
  })

  test('§4 a 2.3 orgc string on 2.4: the organisation is created by name (rec#23)', async () => {
    const emu = await start({ version: '2.4.199' })
    const r = await call(emu, 'POST', '/events', { body: { Event: sampleEvent({ orgc: 'LEGACY' }) } })
    const orgc = obj(eventOf(r)['Orgc'])
    expect([orgc['id'], orgc['name'], orgc['local']]).toEqual(['2', 'LEGACY', false])
    // the same name again: the same organisation
    const again = await call(emu, 'POST', '/events', {
      body: { Event: sampleEvent({ Orgc: { name: 'LEGACY' } }) },
    })
    expect(obj(eventOf(again)['Orgc'])['id']).toBe('2')
  })

  test('§4 Orgc by uuid: 2.4.0 falls back to the name, late 2.4 creates name_<n>', async () => {
    const seeded = sampleEvent({ Orgc: { name: 'PARTNER', uuid: uuid() } })
    const early = await start({ version: '2.4.0', events: [seeded] })
    const e = await call(early, 'POST', '/events', {
      body: { Event: sampleEvent({ Orgc: { name: 'PARTNER', uuid: uuid() } }) },
    })
    expect(obj(eventOf(e)['Orgc'])['id']).toBe('2')
    const late = await start({ version: '2.4.199', events: [seeded] })
    const l = await call(late, 'POST', '/events', {
      body: { Event: sampleEvent({ Orgc: { name: 'PARTNER', uuid: uuid() } }) },
    })
    expect(obj(eventOf(l)['Orgc'])['name']).toMatch(/^PARTNER_\d+$/)
  })
})
