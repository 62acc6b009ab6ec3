/**
 * How each version writes an event (§2 of misp-versions.md: fields and nested keys by "since"),
 * numericWire (§2.4), and the emulator's own helpers: seed, events, setEvent, baseUrlPath, TLS.
 */
import { readFileSync } from 'node:fs'
import * as https from 'node:https'
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

/** A 2.4-shaped event using everything: tags, attribute tags, an object, a deleted attribute. */
const rich = (): Record<string, unknown> =>
  sampleEvent({
    Tag: [{ name: 'tlp:green' }],
    Attribute: [
      {
        uuid: uuid(),
        type: 'ip-dst',
        category: 'Network activity',
        value: '198.51.100.7',
        distribution: '3',
        timestamp: '1700000000',
        Tag: [{ name: 'kill-chain:c2' }],
      },
      {
        uuid: uuid(),
        type: 'url',
        category: 'Network activity',
        value: 'http://gone.example/',
        distribution: '3',
        deleted: true,
      },
    ],
    Object: [
      {
        uuid: uuid(),
        name: 'domain-ip',
        'meta-category': 'network',
        template_uuid: uuid(),
        template_version: '10',
        distribution: '5',
        timestamp: '1700000000',
        Attribute: [
          {
            uuid: uuid(),
            type: 'domain',
            category: 'Network activity',
            object_relation: 'domain',
            value: 'example.org',
            distribution: '5',
          },
        ],
      },
    ],
  })

const keysOf = (u: unknown): Array<string> => Object.keys(obj(u))

describe('§2 event JSON per version', () => {
  test('§2.1/§2.2 2.3.178: org/orgc strings; no Org, SharingGroup, Tag or Object (input stripped)', async () => {
    const emu = await start({ version: '2.3.178' })
    const r = await call(emu, 'POST', '/events', { body: { Event: rich() } })
    const e = eventOf(r)
    expect(Object.keys(e)).toEqual([
      'id',
      'org',
      'date',
      'threat_level_id',
      'info',
      'published',
      'uuid',
      'attribute_count',
      'analysis',
      'timestamp',
      'distribution',
      'proposal_email_lock',
      'orgc',
      'locked',
      'publish_timestamp',
      'Attribute',
      'ShadowAttribute',
      'RelatedEvent',
    ])
    const attrs = arr(e['Attribute'])
    // 2.3 has no `deleted` flag (the second attribute is an ordinary one) and no objects
    expect(attrs).toHaveLength(2)
    expect(keysOf(attrs[0])).toEqual([
      'id',
      'type',
      'category',
      'to_ids',
      'uuid',
      'event_id',
      'distribution',
      'timestamp',
      'comment',
      'value',
      'ShadowAttribute',
    ])
  })

  test('§2 2.4.0: Org/Orgc objects, sharing_group_id, Tag; attribute SharingGroup []; no Object/Galaxy yet', async () => {
    const emu = await start({ version: '2.4.0' })
    const e = eventOf(await call(emu, 'POST', '/events', { body: { Event: rich() } }))
    expect(Object.keys(e)).toEqual([
      'id',
      'orgc_id',
      'org_id',
      'date',
      'threat_level_id',
      'info',
      'published',
      'uuid',
      'attribute_count',
      'analysis',
      'timestamp',
      'distribution',
      'proposal_email_lock',
      'locked',
      'publish_timestamp',
      'sharing_group_id',
      'Org',
      'Orgc',
      'Attribute',
      'ShadowAttribute',
      'RelatedEvent',
      'Tag',
    ])
    expect(keysOf(e['Org'])).toEqual(['id', 'name', 'uuid']) // `local` only from v2.4.114
    expect(arr(e['Tag']).map((t) => obj(t)['name'])).toEqual(['tlp:green'])
    expect(keysOf(arr(e['Tag'])[0])).toEqual(['id', 'name', 'colour', 'exportable'])
    const a = obj(arr(e['Attribute'])[0])
    expect(a['SharingGroup']).toEqual([])
    expect(a).not.toHaveProperty('Tag') // attribute tags from v2.4.60
    expect(a).not.toHaveProperty('deleted') // from v2.4.43
  })

  test('§2 2.4.102: Galaxy, Object, attribute deleted/object_id/Tag; deleted attribute hidden; no first_seen, protected', async () => {
    const emu = await start({ version: '2.4.102' })
    const e = eventOf(await call(emu, 'POST', '/events', { body: { Event: rich() } }))
    for (const k of ['disable_correlation', 'extends_uuid', 'Galaxy', 'Object']) expect(e).toHaveProperty(k)
    for (const k of ['protected', 'CryptographicKey', 'EventReport', 'event_creator_email'])
      expect(e).not.toHaveProperty(k)
    const attrs = arr(e['Attribute']).map(obj)
    expect(attrs.map((a) => a['value'])).toEqual(['198.51.100.7']) // deleted one hidden
    expect(e['attribute_count']).toBe('2') // + the object attribute
    const a = attrs[0] ?? {}
    for (const k of ['deleted', 'disable_correlation', 'object_id', 'object_relation', 'Galaxy', 'Tag'])
      expect(a).toHaveProperty(k)
    expect(a).not.toHaveProperty('first_seen')
    const o = obj(arr(e['Object'])[0])
    expect(obj(arr(o['Attribute'])[0])['object_relation']).toBe('domain')
    expect(obj(arr(o['Attribute'])[0])['object_id']).toBe(o['id'])
  })

  test('§2 2.4.199 and 2.5 write the 2.5.1 key set (rec#1)', async () => {
    for (const version of ['2.4.199', '2.5'] as const) {
      const emu = await start({ version, role: 'site-admin' })
      const e = eventOf(await call(emu, 'POST', '/events', { body: { Event: rich() } }))
      expect(Object.keys(e)).toEqual([
        'id',
        'orgc_id',
        'org_id',
        'date',
        'threat_level_id',
        'info',
        'published',
        'uuid',
        'attribute_count',
        'analysis',
        'timestamp',
        'distribution',
        'proposal_email_lock',
        'locked',
        'publish_timestamp',
        'sharing_group_id',
        'disable_correlation',
        'extends_uuid',
        'protected',
        'event_creator_email',
        'Org',
        'Orgc',
        'Attribute',
        'ShadowAttribute',
        'RelatedEvent',
        'Galaxy',
        'Object',
        'EventReport',
        'CryptographicKey',
        'Tag',
      ])
      expect(keysOf(e['Orgc'])).toEqual(['id', 'name', 'uuid', 'local'])
      expect(keysOf(arr(e['Attribute'])[0])).toEqual([
        'id',
        'type',
        'category',
        'to_ids',
        'uuid',
        'event_id',
        'distribution',
        'timestamp',
        'comment',
        'sharing_group_id',
        'deleted',
        'disable_correlation',
        'object_id',
        'object_relation',
        'first_seen',
        'last_seen',
        'value',
        'Galaxy',
        'ShadowAttribute',
        'Tag',
      ])
    }
  })

  test('§2.1 event_creator_email only for site admins; §11 Tag absent when the event has none', async () => {
    const emu = await start({ version: '2.5' })
    const e = eventOf(await call(emu, 'POST', '/events', { body: { Event: sampleEvent() } }))
    expect(e).not.toHaveProperty('event_creator_email')
    expect(e).not.toHaveProperty('Tag')
  })

  test('§2.2 RelatedEvent: {Event:[…]} up to v2.4.34, {Event:{…}} from v2.4.35; RelationshipInbound on 2.5 views', async () => {
    for (const [version, wrapped] of [
      ['2.3.178', true],
      ['2.4.34', true],
      ['2.4.35', false],
      ['2.5', false],
    ] as const) {
      const emu = await start({ version, events: [sampleEvent()] })
      const r = await call(emu, 'POST', '/events', { body: { Event: sampleEvent() } })
      const related = obj(arr(eventOf(r)['RelatedEvent'])[0])
      expect(Array.isArray(related['Event']), version).toBe(wrapped)
      const viewed = obj(arr(eventOf(await call(emu, 'GET', '/events/2'))['RelatedEvent'])[0])
      expect('RelationshipInbound' in viewed, version).toBe(version === '2.5')
    }
  })

  test('§2.4 numericWire (2.5): ids, timestamps, counters and levels as JSON numbers', async () => {
    const emu = await start({ version: '2.5', numericWire: true })
    const r = await call(emu, 'POST', '/events', { body: { Event: rich() } })
    const e = eventOf(r)
    expect([e['id'], e['timestamp'], e['distribution'], e['attribute_count'], e['threat_level_id']]).toEqual([
      1, 1700000000, 3, 2, 2,
    ])
    expect(obj(e['Org'])['id']).toBe(1)
    const a = obj(arr(e['Attribute'])[0])
    expect([a['id'], a['event_id'], a['sharing_group_id'], a['value']]).toEqual([1, 1, 0, '198.51.100.7'])
    const row = obj(arr((await call(emu, 'GET', '/events/index')).json)[0])
    expect([row['id'], row['publish_timestamp']]).toEqual([1, 0])
    expect(emu.event('1')?.['id']).toBe(1)
    await expect(startMispEmulator({ version: '2.4.199', numericWire: true })).rejects.toThrow(RangeError)
  })
})

describe('emulator helpers', () => {
  test('seed keeps ids and timestamps; events() are deep copies with deleted attributes', async () => {
    const seeded = rich()
    const emu = await start({ version: '2.4.199', events: [{ Event: { ...seeded, id: '42' } }] })
    const [first] = emu.events()
    expect(first?.['id']).toBe('42')
    expect(first?.['timestamp']).toBe('1700000000')
    expect(arr(first?.['Attribute']).map((a) => obj(a)['deleted'])).toEqual([false, true])
    ;(first as Record<string, unknown>)['info'] = 'mutated'
    expect(emu.event(String(seeded['uuid']))?.['info']).toBe('emulator test event')
    expect(() => emu.seed([seeded])).toThrow(/already stored/)
    const view = eventOf(await call(emu, 'GET', '/events/42'))
    expect(arr(view['Attribute'])).toHaveLength(1)
  })

  test('setEvent edits as a local user: timestamps of the event and of changed attributes bump', async () => {
    const emu = await start({ version: '2.4.199', clock: () => 1800000000, events: [rich()] })
    const after = emu.setEvent('1', (e) => {
      e['info'] = 'edited locally'
      obj(arr(e['Attribute'])[0])['value'] = '203.0.113.9'
    })
    expect([after['info'], after['timestamp']]).toEqual(['edited locally', '1800000000'])
    const attrs = arr(after['Attribute']).map(obj)
    expect(attrs.map((a) => [a['value'], a['timestamp'], a['id']])).toEqual([
      ['203.0.113.9', '1800000000', '1'],
      ['http://gone.example/', '1800000000', '2'], // seeded without a timestamp: "now"
    ])
    expect(obj(arr(after['Object'])[0])['id']).toBe('1')
    // the edited event now refuses an older push
    const r = await call(emu, 'PUT', '/events/1', {
      body: { Event: { uuid: after['uuid'], timestamp: '1700000100' } },
    })
    expect(r.status).toBe(403)
    // an explicit timestamp is kept
    const explicit = emu.setEvent(String(after['uuid']), (e) => {
      e['timestamp'] = '1900000000'
    })
    expect(explicit['timestamp']).toBe('1900000000')
  })

  test('baseUrlPath: MISP in a sub-directory', async () => {
    const emu = await start({ version: '2.4.199', baseUrlPath: '/misp/' })
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/misp\/$/)
    expect((await call(emu, 'GET', 'servers/getVersion')).status).toBe(200)
    const event = sampleEvent()
    await call(emu, 'POST', 'events', { body: { Event: event } })
    const dup = await call(emu, 'POST', 'events', { body: { Event: event } })
    expect(dup.headers.get('location')).toBe(`${emu.baseUrl}/events/1`)
    expect(obj(dup.json)['url']).toBe('/misp/events')
    const outside = await fetch(new URL('/servers/getVersion', emu.url), {
      headers: { Authorization: emu.apiKey },
    })
    expect(outside.status).toBe(404)
    expect(emu.requests.at(-1)?.path).toBe('/servers/getVersion')
    expect(emu.requests[0]?.path).toBe('/servers/getVersion')
  })

  test('tls: serves HTTPS', async () => {
    const key = readFileSync(new URL('./fixtures/tls-key.pem', import.meta.url))
    const cert = readFileSync(new URL('./fixtures/tls-cert.pem', import.meta.url))
    const emu = await start({ version: '2.5', tls: { key, cert } })
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/)
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        new URL('servers/getVersion', emu.url),
        { ca: cert, headers: { Authorization: emu.apiKey, Accept: 'application/json' } },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => {
            text += c.toString()
          })
          res.on('end', () => resolve(text))
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(obj(JSON.parse(body))['version']).toBe('2.5.1')
  })

  test('requests log: method, path, status and body of each request', async () => {
    const emu = await start({ version: '2.3.178' })
    await call(emu, 'GET', '/servers/getVersion?x=1')
    await call(emu, 'POST', '/events', { body: { Event: sampleEvent() } })
    expect(emu.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/servers/getVersion?x=1', 200],
      ['POST', '/events', 200],
    ])
    expect(obj(obj(emu.requests[1]?.body)['Event'])['info']).toBe('emulator test event')
  })
})
