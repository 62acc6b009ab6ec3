/**
 * The emulator's edit rules that depend on the era (misp-versions.md §5.5, §7): locating the
 * event without a body uuid, omitted attribute fields, and MISP 2.3's foreign attribute id hazard.
 * Expected answers are written out here, not derived from the profile table.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { type EmulatorOptions, type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { arr, call, eventOf, obj, sampleEvent, uuid } from './support.js'

const NOT_FOUND = 'Event could not be saved: Could not find the local event.'
const NOW = 1_800_000_000

const started: Array<MispEmulator> = []
const start = async (options: EmulatorOptions): Promise<MispEmulator> => {
  const emu = await startMispEmulator({ clock: () => NOW, ...options })
  started.push(emu)
  return emu
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()))
})

const create = async (
  emu: MispEmulator,
  event: Record<string, unknown>,
): Promise<Record<string, unknown>> => {
  const r = await call(emu, 'POST', '/events', { body: { Event: event } })
  expect(r.status).toBe(200)
  return eventOf(r)
}

const attributesOf = (e: Record<string, unknown> | undefined): Array<Record<string, unknown>> =>
  arr(e?.['Attribute']).map(obj)

describe('§5.5 rule 1: an edit body without uuid', () => {
  test.each([
    {
      version: '2.3.178',
      status: 405,
      body: { name: NOT_FOUND, message: NOT_FOUND, url: '/events/1' },
    },
    {
      version: '2.4.0',
      status: 200,
      body: { name: 'Edit event failed.', message: 'Error', url: '/events/edit/1', errors: NOT_FOUND },
    },
    {
      version: '2.4.102',
      status: 200,
      body: { name: 'Edit event failed.', message: 'Error', url: '/events/edit/1', errors: NOT_FOUND },
    },
    {
      version: '2.4.198',
      status: 403,
      body: {
        saved: false,
        name: 'Could not edit Event',
        message: 'Could not edit Event',
        url: '/events/edit/1',
        errors: NOT_FOUND,
        id: '1',
      },
    },
  ] as const)('MISP $version cannot locate the event: "Could not find the local event."', async (row) => {
    const emu = await start({ version: row.version })
    const event = sampleEvent()
    await create(emu, event)
    const { uuid: _uuid, ...withoutUuid } = event
    const r = await call(emu, 'POST', '/events/1', {
      body: { Event: { ...withoutUuid, timestamp: '1700000100', info: 'no uuid' } },
    })
    expect(r.status).toBe(row.status)
    expect(r.json).toEqual(row.body)
    expect(emu.event('1')?.['info']).toBe('emulator test event')
  })

  test.each(['2.4.199', '2.5'] as const)('MISP %s falls back to the URL id', async (version) => {
    const emu = await start({ version })
    const event = sampleEvent()
    await create(emu, event)
    const { uuid: _uuid, ...withoutUuid } = event
    const r = await call(emu, 'POST', '/events/1', {
      body: { Event: { ...withoutUuid, timestamp: '1700000100', info: 'no uuid' } },
    })
    expect(r.status).toBe(200)
    expect(emu.event('1')?.['info']).toBe('no uuid')
  })
})

describe.each(['2.3.178', '2.4.0', '2.4.102', '2.4.199', '2.5'] as const)(
  '§5.5: an edit of a stored attribute with fields left out (MISP %s)',
  (version) => {
    test('type, category, value and distribution keep their stored values; no timestamp is "now"', async () => {
      const emu = await start({ version })
      const event = sampleEvent()
      await create(emu, event)
      const [first, second] = arr(event['Attribute']).map(obj)
      const r = await call(emu, 'POST', '/events/1', {
        body: {
          Event: {
            uuid: event['uuid'],
            timestamp: '1700000100',
            Attribute: [
              // only uuid and comment: no type, category, value, distribution, timestamp
              { uuid: first?.['uuid'], comment: 'edited without the other fields' },
              // only the value changes, with a newer timestamp
              { uuid: second?.['uuid'], value: 'e41d8cd98f00b204e9800998ecf8427e', timestamp: '1700000100' },
            ],
          },
        },
      })
      expect(r.status).toBe(200)
      const stored = Object.fromEntries(attributesOf(emu.event('1')).map((a) => [a['uuid'], a]))
      expect(stored[String(first?.['uuid'])]).toMatchObject({
        type: 'ip-dst',
        category: 'Network activity',
        value: '198.51.100.7',
        distribution: '3',
        to_ids: true,
        comment: 'edited without the other fields',
        timestamp: String(NOW),
      })
      expect(stored[String(second?.['uuid'])]).toMatchObject({
        type: 'md5',
        category: 'Payload delivery',
        value: 'e41d8cd98f00b204e9800998ecf8427e',
        distribution: '3',
        timestamp: '1700000100',
      })
      expect(attributesOf(emu.event('1'))).toHaveLength(2)
    })
  },
)

describe('§7: MISP 2.3 keeps a foreign attribute id on edit', () => {
  /** Two events; the second is edited with an attribute of unknown uuid that carries the first event's attribute id. */
  const scenario = async (version: '2.3.178' | '2.4.0') => {
    const emu = await start({ version })
    const victim = sampleEvent({ info: 'victim' })
    const target = sampleEvent({ info: 'target', Attribute: [] })
    await create(emu, victim)
    await create(emu, target)
    const victimAttributes = attributesOf(emu.event(String(victim['uuid'])))
    const victimId = String(victimAttributes[0]?.['id'])
    const foreign = {
      id: victimId, // an id from the source server, meaningless here
      uuid: uuid(),
      type: 'domain',
      category: 'Network activity',
      value: 'foreign.example',
      distribution: '3',
      to_ids: true,
      timestamp: '1700000100',
    }
    const r = await call(emu, 'POST', '/events/2', {
      body: { Event: { ...target, timestamp: '1700000100', Attribute: [foreign] } },
    })
    expect(r.status).toBe(200)
    return { emu, victim, victimAttributes, victimId, target, foreign }
  }

  test('2.3.178: the stored attribute with that id is overwritten and taken from its event', async () => {
    const { emu, victim, victimAttributes, victimId, target, foreign } = await scenario('2.3.178')
    const after = attributesOf(emu.event(String(victim['uuid'])))
    // the damage a client that does not strip ids causes: the other event lost an attribute
    expect(after.map((a) => a['uuid'])).toEqual(victimAttributes.slice(1).map((a) => a['uuid']))
    const moved = attributesOf(emu.event(String(target['uuid'])))
    expect(moved).toHaveLength(1)
    expect(moved[0]).toMatchObject({
      id: victimId,
      event_id: '2',
      uuid: foreign.uuid,
      value: 'foreign.example',
    })
    expect(emu.event(String(victim['uuid']))?.['attribute_count']).toBe(String(victimAttributes.length - 1))
  })

  test('2.4.0: the id is ignored, a new attribute is created, the other event is intact', async () => {
    const { emu, victim, victimAttributes, victimId, target, foreign } = await scenario('2.4.0')
    expect(attributesOf(emu.event(String(victim['uuid'])))).toEqual(victimAttributes)
    const created = attributesOf(emu.event(String(target['uuid'])))
    expect(created).toHaveLength(1)
    expect(created[0]?.['uuid']).toBe(foreign.uuid)
    expect(created[0]?.['id']).not.toBe(victimId)
  })

  test('2.3.178: a foreign id that is free here is kept by the new attribute', async () => {
    const emu = await start({ version: '2.3.178' })
    const target = sampleEvent({ Attribute: [] })
    await create(emu, target)
    const foreign = {
      id: '4242',
      uuid: uuid(),
      type: 'domain',
      category: 'Network activity',
      value: 'foreign.example',
      distribution: '3',
      timestamp: '1700000100',
    }
    await call(emu, 'POST', '/events/1', {
      body: { Event: { ...target, timestamp: '1700000100', Attribute: [foreign] } },
    })
    expect(attributesOf(emu.event('1'))[0]).toMatchObject({ id: '4242', uuid: foreign.uuid })
  })
})

describe("MISP 2.3.178's REST edit of new attributes (real 2.3.178, docs/guide.md)", () => {
  const T0 = NOW - 1000
  const a = (i: number, ts: number) => ({
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: 'ip-dst',
    category: 'Network activity',
    value: `10.77.0.${i}`,
    to_ids: true,
    distribution: '1',
    comment: '',
    timestamp: String(ts),
  })
  // [the edit's attributes as index:timestamp (T0: as stored, T1: newer)], the indexes stored after
  test.each([
    ['3 new', [2, 3, 4].map((i) => [i, 1]), [0, 1, 4]],
    [
      '2 existing (not newer), 3 new',
      [
        [0, 0],
        [1, 0],
        [2, 1],
        [3, 1],
        [4, 1],
      ],
      [0, 1, 4],
    ],
    [
      '2 existing (newer), 3 new',
      [
        [0, 1],
        [1, 1],
        [2, 1],
        [3, 1],
        [4, 1],
      ],
      [0, 1, 2, 3, 4],
    ],
    [
      '1 existing (newer) first, 5 new',
      [[0, 1], ...[2, 3, 4, 5, 6].map((i) => [i, 1])],
      [0, 1, 2, 3, 4, 5, 6],
    ],
    ['5 new, then 1 existing (newer)', [...[2, 3, 4, 5, 6].map((i) => [i, 1]), [0, 1]], [0, 1, 6]],
  ] as const)('%s', async (_, edit, stored) => {
    const emu = await start({ version: '2.3.178', role: 'site-admin' })
    const u = uuid()
    const made = await create(emu, {
      ...sampleEvent({ uuid: u, timestamp: String(T0) }),
      Attribute: [a(0, T0), a(1, T0)],
    })
    const T1 = T0 + 100
    const r = await call(emu, 'POST', `/events/${String(made['id'])}`, {
      body: {
        Event: {
          ...sampleEvent({ uuid: u, timestamp: String(T1) }),
          Attribute: edit.map(([i, newer]) => a(i, newer === 1 ? T1 : T0)),
        },
      },
    })
    expect(r.status).toBe(200)
    const values = attributesOf(eventOf(r)).map((x) => Number(String(x['value']).split('.')[3]))
    expect(values.sort((x, y) => x - y)).toEqual([...stored])
  })

  test('2.4 and 2.5 store every new attribute', async () => {
    for (const version of ['2.4.199', '2.5'] as const) {
      const emu = await start({ version, role: 'site-admin' })
      const u = uuid()
      const made = await create(emu, {
        ...sampleEvent({ uuid: u, timestamp: String(T0) }),
        Attribute: [a(0, T0)],
      })
      const r = await call(emu, 'POST', `/events/edit/${String(made['id'])}`, {
        body: {
          Event: {
            ...sampleEvent({ uuid: u, timestamp: String(T0 + 1) }),
            Attribute: [2, 3, 4].map((i) => a(i, T0 + 1)),
          },
        },
      })
      expect(r.status).toBe(200)
      expect(attributesOf(eventOf(r))).toHaveLength(4)
    }
  })
})
