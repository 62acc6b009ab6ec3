/**
 * The emulator's REST behaviour, profile by profile, pinned to misp-versions.md sections.
 * Expected values are written out here (not derived from the emulator's profile table), so a
 * wrong threshold in `profiles.ts` fails these tests.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { type EmulatorOptions, type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { arr, call, eventOf, obj, sampleEvent, uuid } from './support.js'

const NOT_NEWER = 'Event could not be saved: Event in the request not newer than the local copy.'
const NOT_AUTHORISED =
  'Event could not be saved: The user used to edit the event is not authorised to do so. This can be caused by the user not being of the same organisation as the original creator of the event whilst also not being a site administrator.'
const DUPLICATE = 'Event already exists, if you would like to edit it, use the url in the location header.'
const AUTH_FAILED =
  'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.'

interface Row {
  readonly version: '2.3.178' | '2.4.0' | '2.4.102' | '2.4.199' | '2.5'
  readonly reported: string
  readonly era: '2.3' | '2.4'
  readonly lateVersion: boolean
  readonly explicitHead: boolean
  readonly editByUuid: boolean
  readonly invalidEvent: string
  readonly indexTimestamp: boolean
  readonly indexNamed: boolean
  readonly minimal: boolean
  readonly restUuid: boolean
  readonly restTimestamp: boolean
  readonly restMetadata: boolean
  readonly noMatch: 404 | 200
  readonly xMispAuth: boolean
}

const rows: ReadonlyArray<Row> = [
  {
    version: '2.3.178',
    reported: '2.3.178',
    era: '2.3',
    lateVersion: false,
    explicitHead: false,
    editByUuid: false,
    invalidEvent: 'Invalid event', // an unknown uuid; an unknown id: 'Invalid event.' (real 2.3.178, rec 3c/3e)
    indexTimestamp: false,
    indexNamed: true,
    minimal: false,
    restUuid: false,
    restTimestamp: false,
    restMetadata: false,
    noMatch: 404,
    xMispAuth: false,
  },
  {
    version: '2.4.0',
    reported: '2.4.0',
    era: '2.4',
    lateVersion: false,
    explicitHead: false,
    editByUuid: false,
    invalidEvent: 'Invalid event.',
    indexTimestamp: false,
    indexNamed: true,
    minimal: false,
    restUuid: false,
    restTimestamp: false,
    restMetadata: false,
    noMatch: 404,
    xMispAuth: false, // §5.1 cites X-MISP-AUTH at v2.4.199 only (earliest verified)
  },
  {
    version: '2.4.102',
    reported: '2.4.102',
    era: '2.4',
    lateVersion: false,
    explicitHead: false,
    editByUuid: true,
    invalidEvent: 'Invalid event.',
    indexTimestamp: true,
    indexNamed: true,
    minimal: true,
    restUuid: true,
    restTimestamp: true,
    restMetadata: true,
    noMatch: 404,
    xMispAuth: false, // §5.1 cites X-MISP-AUTH at v2.4.199 only (earliest verified)
  },
  {
    version: '2.4.199',
    reported: '2.4.199',
    era: '2.4',
    lateVersion: true,
    explicitHead: true,
    editByUuid: true,
    invalidEvent: 'Invalid event.',
    indexTimestamp: true,
    indexNamed: true,
    minimal: true,
    restUuid: true,
    restTimestamp: true,
    restMetadata: true,
    noMatch: 200,
    xMispAuth: true,
  },
  {
    version: '2.5',
    reported: '2.5.1',
    era: '2.4',
    lateVersion: true,
    explicitHead: true,
    editByUuid: true,
    invalidEvent: 'Invalid event',
    indexTimestamp: true,
    indexNamed: false,
    minimal: true,
    restUuid: true,
    restTimestamp: true,
    restMetadata: true,
    noMatch: 200,
    xMispAuth: true,
  },
]

const started: Array<MispEmulator> = []
const start = async (options: EmulatorOptions): Promise<MispEmulator> => {
  const emu = await startMispEmulator(options)
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

const attributes = (e: Record<string, unknown>): Array<Record<string, unknown>> =>
  arr(e['Attribute']).map(obj)

describe.each(rows)('MISP $version', (p) => {
  // --- §5.2 version -----------------------------------------------------------------------------

  test(`§5.2 getVersion shape (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const r = await call(emu, 'GET', '/servers/getVersion')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json; charset=UTF-8')
    const body = obj(r.json)
    expect(body['version']).toBe(p.reported)
    expect(emu.version).toBe(p.reported)
    if (!p.lateVersion) {
      expect(body).toEqual({ version: p.reported })
      return
    }
    expect(Object.keys(body)).toEqual([
      'version',
      'pymisp_recommended_version',
      'perm_sync',
      'perm_sighting',
      'perm_galaxy_editor',
      'perm_analyst_data',
      'uuid',
      'request_encoding',
      'filter_sightings',
    ])
    expect(body['perm_sync']).toBe(true)
    expect(body['uuid']).toMatch(/^[0-9a-f-]{36}$/)
    const plain = await start({ version: p.version, role: 'user' })
    const u = obj((await call(plain, 'GET', '/servers/getVersion')).json)
    expect([u['perm_sync'], u['uuid']]).toEqual([false, '-'])
  })

  // --- §5.2 view and HEAD ---------------------------------------------------------------------

  test(`§5.2 view by id and by uuid, 404 for unknown (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent()
    const created = await create(emu, event)
    const id = String(created['id'])
    for (const path of [
      `/events/${id}`,
      `/events/view/${id}`,
      `/events/${event['uuid']}`,
      `/events/view/${event['uuid']}`,
    ]) {
      const r = await call(emu, 'GET', path)
      expect(r.status, path).toBe(200)
      expect(eventOf(r)['uuid']).toBe(event['uuid'])
      expect(eventOf(r)['id']).toBe(id)
    }
    const missing = await call(emu, 'GET', `/events/view/${uuid()}`)
    expect(missing.status).toBe(404)
    expect(obj(missing.json)['name']).toBe(p.invalidEvent)
    expect((await call(emu, 'GET', '/events/view/999')).status).toBe(404)
  })

  test(`§5.2 HEAD /events/view/{uuid} (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent()
    await create(emu, event)
    const known = await call(emu, 'HEAD', `/events/view/${event['uuid']}`)
    const unknown = await call(emu, 'HEAD', `/events/view/${uuid()}`)
    expect([known.status, unknown.status]).toEqual([200, 404])
    expect(known.text).toBe('')
    if (p.explicitHead) {
      // since v2.4.135: bare answer (rec#10, rec#11)
      expect(known.headers.get('content-type')).toBe('text/html; charset=UTF-8')
      expect(known.headers.get('content-length')).toBe('0')
    } else {
      // before: HEAD runs the view action; the body is dropped but its headers stay
      expect(known.headers.get('content-type')).toBe('application/json; charset=UTF-8')
      expect(Number(known.headers.get('content-length'))).toBeGreaterThan(100)
    }
  })

  // --- §5.3 create --------------------------------------------------------------------------------

  test(`§5.3 create → 200 with the full event, ids assigned, timestamps and locked kept (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent({ orgc: 'LEGACY-ORG', Orgc: { name: 'PARTNER-ORG' } })
    const e = await create(emu, event)
    expect(e['id']).toBe('1')
    expect(e['uuid']).toBe(event['uuid'])
    expect(e['timestamp']).toBe('1700000000')
    expect(e['locked']).toBe(true)
    expect(e['attribute_count']).toBe('2')
    const attrs = attributes(e)
    expect(attrs.map((a) => [a['id'], a['event_id'], a['timestamp']])).toEqual([
      ['1', '1', '1700000000'],
      ['2', '1', '1700000000'],
    ])
    if (p.era === '2.3') {
      // §4: org = the user's org; orgc string honoured for a sync user; no 2.4 keys
      expect([e['org'], e['orgc']]).toEqual(['ORGNAME', 'LEGACY-ORG'])
      for (const k of ['Org', 'Orgc', 'org_id', 'orgc_id', 'sharing_group_id'])
        expect(e).not.toHaveProperty(k)
    } else {
      // §4: Orgc object first (by name, created), org_id = the user's org
      expect(obj(e['Org'])['name']).toBe('ORGNAME')
      expect(obj(e['Orgc'])['name']).toBe('PARTNER-ORG')
      expect([e['org_id'], e['orgc_id']]).toEqual(['1', '2'])
      expect(e).not.toHaveProperty('org')
    }
    // /events/add and the {"response": …} wrapper (§5.2)
    const second = sampleEvent()
    const viaAdd = await call(emu, 'POST', '/events/add', { body: { response: { Event: second } } })
    expect(viaAdd.status).toBe(200)
    expect(eventOf(viaAdd)['uuid']).toBe(second['uuid'])
  })

  test(`§5.2 create with a bare event body: late 2.4 only (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent()
    const r = await call(emu, 'POST', '/events', { body: event })
    if (p.lateVersion) {
      expect(r.status).toBe(200)
      expect(eventOf(r)['uuid']).toBe(event['uuid'])
    } else {
      expect(obj(r.json)['errors']).toBeDefined()
      expect(emu.events()).toHaveLength(0)
    }
  })

  // --- §5.4 duplicate create ----------------------------------------------------------------------

  test(`§5.4 duplicate create → 404 + Location, nothing written (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent()
    await create(emu, event)
    for (const path of ['/events', '/events/add']) {
      const r = await call(emu, 'POST', path, { body: { Event: { ...event, info: 'changed' } } })
      expect(r.status).toBe(404)
      expect(r.headers.get('location')).toBe(`${emu.baseUrl}/events/1`)
      expect(r.json).toEqual({ name: DUPLICATE, message: DUPLICATE, url: path })
      expect(r.text).toContain('"url":"\\/events') // PHP json_encode escapes slashes
    }
    expect(emu.events().map((e) => e['info'])).toEqual(['emulator test event'])
  })

  test(`§5.4 duplicate create → 302 + Location with duplicateStatus 302 (${p.version})`, async () => {
    const emu = await start({ version: p.version, duplicateStatus: 302 })
    const event = sampleEvent()
    await create(emu, event)
    const r = await call(emu, 'POST', '/events', { body: { Event: event } })
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toBe(`${emu.baseUrl}/events/1`)
    expect(r.text).toBe('')
  })

  // --- §5.5 edit ------------------------------------------------------------------------------

  test(`§5.5 edit by numeric id (PUT /events/{id}, POST /events/edit/{id}) (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent()
    await create(emu, event)
    const a = await call(emu, 'PUT', '/events/1', {
      body: { Event: { ...event, timestamp: '1700000100', info: 'one' } },
    })
    expect(a.status).toBe(200)
    expect([eventOf(a)['info'], eventOf(a)['timestamp']]).toEqual(['one', '1700000100'])
    const b = await call(emu, 'POST', '/events/edit/1', {
      body: { Event: { ...event, timestamp: '1700000200', info: 'two' } },
    })
    expect(b.status).toBe(200)
    expect(emu.event('1')?.['info']).toBe('two')
  })

  test(`§5.5 edit by uuid in the URL: ${p.editByUuid ? 'accepted' : 'rejected before v2.4.60'} (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent()
    await create(emu, event)
    const r = await call(emu, 'PUT', `/events/edit/${event['uuid']}`, {
      body: { Event: { ...event, timestamp: '1700000100', info: 'by uuid' } },
    })
    if (p.editByUuid) {
      expect(r.status).toBe(200)
      expect(emu.event('1')?.['info']).toBe('by uuid')
    } else {
      expect(r.status).toBe(404)
      expect(obj(r.json)['name']).toBe('Invalid event')
      expect(emu.event('1')?.['info']).toBe('emulator test event')
    }
  })

  test(`§5.5 not-newer answer (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const event = sampleEvent()
    await create(emu, event)
    const r = await call(emu, 'PUT', '/events/1', { body: { Event: { ...event, info: 'same timestamp' } } })
    const expected: Record<string, { status: number; body: Record<string, unknown> }> = {
      '2.3': { status: 405, body: { name: NOT_NEWER, message: NOT_NEWER, url: '/events/1' } },
      early24: {
        status: 200,
        body: { name: 'Edit event failed.', message: 'Error', url: '/events/edit/1', errors: NOT_NEWER },
      },
      late: {
        status: 403,
        body: {
          saved: false,
          name: 'Could not edit Event',
          message: 'Could not edit Event',
          url: '/events/edit/1',
          errors: NOT_NEWER,
          id: '1',
        },
      },
    }
    const want = expected[p.era === '2.3' ? '2.3' : p.lateVersion ? 'late' : 'early24']
    expect(r.status).toBe(want?.status)
    expect(r.json).toEqual(want?.body)
    expect(Object.keys(obj(r.json))).toEqual(Object.keys(want?.body ?? {}))
    expect(emu.event('1')?.['info']).toBe('emulator test event')
  })

  test(`§5.5 rule 3: sync users edit locked events of other orgs, not unlocked ones (${p.version})`, async () => {
    const foreign = (locked: boolean): Record<string, unknown> =>
      sampleEvent({ locked, Orgc: { name: 'OTHER-ORG', uuid: uuid() }, orgc: 'OTHER-ORG' })
    const lockedEv = foreign(true)
    const unlockedEv = foreign(false)
    const emu = await start({ version: p.version, events: [lockedEv, unlockedEv] })
    const ok = await call(emu, 'POST', '/events/1', {
      body: { Event: { ...lockedEv, timestamp: '1700000100' } },
    })
    expect(ok.status).toBe(200)
    const refused = await call(emu, 'POST', '/events/2', {
      body: { Event: { ...unlockedEv, timestamp: '1700000100' } },
    })
    const errorText = p.era === '2.3' ? obj(refused.json)['name'] : obj(refused.json)['errors']
    expect(errorText).toBe(NOT_AUTHORISED)
    expect(refused.status).toBe(p.era === '2.3' ? 405 : p.lateVersion ? 403 : 200)
    // a site admin may edit anything
    const admin = await start({ version: p.version, role: 'site-admin', events: [unlockedEv] })
    const adminEdit = await call(admin, 'POST', '/events/1', {
      body: { Event: { ...unlockedEv, timestamp: '1700000100' } },
    })
    expect(adminEdit.status).toBe(200)
  })

  test(`§5.5 rule 3: a plain user of another org (${p.version})`, async () => {
    const ev = sampleEvent({
      Org: { name: 'OTHER-ORG' },
      org: 'OTHER-ORG',
      Orgc: { name: 'OTHER-ORG' },
      orgc: 'OTHER-ORG',
    })
    const emu = await start({ version: p.version, role: 'user', events: [ev] })
    const r = await call(emu, 'POST', '/events/1', { body: { Event: { ...ev, timestamp: '1700000100' } } })
    if (p.era === '2.3') {
      // 2.3 redirects non-sync, non-owner REST users before any check
      expect(r.status).toBe(302)
      expect(r.headers.get('location')).toBe(`${emu.baseUrl}/events/index`)
    } else {
      expect(obj(r.json)['errors']).toBe(NOT_AUTHORISED)
    }
    expect(emu.event('1')?.['timestamp']).toBe('1700000000')
  })

  test(`§5.5 rule 5: per-attribute timestamps, unknown attribute created, absent attribute kept (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const base = sampleEvent({
      Attribute: [
        {
          uuid: uuid(),
          type: 'ip-dst',
          category: 'Network activity',
          value: '198.51.100.1',
          distribution: '3',
          timestamp: '1700000000',
        },
        {
          uuid: uuid(),
          type: 'ip-dst',
          category: 'Network activity',
          value: '198.51.100.2',
          distribution: '3',
          timestamp: '1700000000',
        },
        {
          uuid: uuid(),
          type: 'ip-dst',
          category: 'Network activity',
          value: '198.51.100.3',
          distribution: '3',
          timestamp: '1700000000',
        },
      ],
    })
    await create(emu, base)
    const [same, newer, absent] = arr(base['Attribute']).map(obj)
    const added = {
      uuid: uuid(),
      type: 'domain',
      category: 'Network activity',
      value: 'example.org',
      distribution: '3',
      timestamp: '1700000100',
    }
    const r = await call(emu, 'PUT', '/events/1', {
      body: {
        Event: {
          ...base,
          timestamp: '1700000100',
          Attribute: [
            { ...same, value: '203.0.113.1' }, // same timestamp: silently skipped
            { ...newer, value: '203.0.113.2', timestamp: '1700000100' }, // newer: updated
            added, // unknown uuid: created
          ], // `absent` is not in the body: kept
        },
      },
    })
    expect(r.status).toBe(200)
    const values = Object.fromEntries(attributes(eventOf(r)).map((a) => [a['uuid'], a['value']]))
    expect(values).toEqual({
      [String(same?.['uuid'])]: '198.51.100.1',
      [String(newer?.['uuid'])]: '203.0.113.2',
      [String(absent?.['uuid'])]: '198.51.100.3',
      [added.uuid]: 'example.org',
    })
    expect(eventOf(r)['attribute_count']).toBe('4')
  })

  // --- §5.2 index -------------------------------------------------------------------------------

  test(`§5.2 index rows and filters (${p.version})`, async () => {
    const emu = await start({
      version: p.version,
      events: [
        sampleEvent({ timestamp: '1500000000', info: 'old' }),
        sampleEvent({ timestamp: '1700000000', info: 'new' }),
      ],
    })
    const all = arr((await call(emu, 'GET', '/events/index')).json).map(obj)
    // 2.3's REST index: newest id first (`EventsController.php@v2.3.178:503-515`, real 2.3.178)
    expect(all.map((r) => r['info'])).toEqual(p.era === '2.3' ? ['new', 'old'] : ['old', 'new'])
    const row = all[0] ?? {}
    expect(row).not.toHaveProperty('Attribute')
    if (p.era === '2.3') {
      expect(Object.keys(row)).toEqual([
        'id',
        'org',
        'date',
        'info',
        'published',
        'uuid',
        'attribute_count',
        'analysis',
        'orgc',
        'timestamp',
        'distribution',
        'proposal_email_lock',
        'locked',
        'threat_level_id',
        'publish_timestamp',
      ])
    } else {
      for (const k of ['Org', 'Orgc', 'EventTag', 'org_id', 'orgc_id', 'sharing_group_id'])
        expect(row).toHaveProperty(k)
    }
    const posted = arr(
      (await call(emu, 'POST', '/events/index', { body: { timestamp: '1600000000' } })).json,
    ).map(obj)
    const both = p.era === '2.3' ? ['new', 'old'] : ['old', 'new']
    expect(posted.map((r) => r['info'])).toEqual(p.indexTimestamp ? ['new'] : both)
    const named = arr((await call(emu, 'GET', '/events/index/timestamp:1600000000')).json).map(obj)
    expect(named.map((r) => r['info'])).toEqual(p.indexTimestamp && p.indexNamed ? ['new'] : both)
    const minimal = arr((await call(emu, 'POST', '/events/index', { body: { minimal: 1 } })).json).map(obj)
    if (p.minimal)
      expect(Object.keys(minimal[0] ?? {})).toEqual([
        'id',
        'timestamp',
        'sighting_timestamp',
        'published',
        'uuid',
        'orgc_uuid',
      ])
    else expect(minimal[0]).toHaveProperty('info')
    // 2.3 search* filters exist in every version
    const search = arr(
      (await call(emu, 'POST', '/events/index', { body: { searcheventinfo: 'ol' } })).json,
    ).map(obj)
    expect(search.map((r) => r['info'])).toEqual(['old'])
  })

  // --- §5.2 restSearch ---------------------------------------------------------------------------

  test(`§5.2 restSearch by uuid, timestamp, last, metadata; no match (${p.version})`, async () => {
    const now = 1800000000
    const a = sampleEvent({
      timestamp: '1500000000',
      published: true,
      publish_timestamp: String(now - 10 * 86400),
    })
    const b = sampleEvent({ timestamp: '1700000000', published: true, publish_timestamp: String(now - 3600) })
    const emu = await start({ version: p.version, clock: () => now, events: [a, b] })
    const search = async (params: Record<string, unknown>): Promise<Array<string>> => {
      const r = await call(emu, 'POST', '/events/restSearch', { body: { returnFormat: 'json', ...params } })
      expect(r.status).toBe(200)
      return arr(obj(r.json)['response']).map((x) => String(obj(obj(x)['Event'])['uuid']))
    }
    expect(await search({ uuid: b['uuid'] })).toEqual(p.restUuid ? [b['uuid']] : [a['uuid'], b['uuid']])
    // a uuid list: exact matches in any case, each event once, in id order, with the other filters
    const list = [String(b['uuid']).toUpperCase(), uuid(), a['uuid'], b['uuid']]
    expect(await search({ uuid: list })).toEqual([a['uuid'], b['uuid']])
    expect(await search({ uuid: list, last: '1d' })).toEqual([b['uuid']])
    if (p.restUuid) {
      // a part of a uuid matches nothing
      const part = await call(emu, 'POST', '/events/restSearch', {
        body: { returnFormat: 'json', uuid: [String(a['uuid']).slice(0, 8)] },
      })
      expect(part.status).toBe(p.noMatch)
    }
    expect(await search({ timestamp: '1600000000' })).toEqual(
      p.restTimestamp ? [b['uuid']] : [a['uuid'], b['uuid']],
    )
    expect(await search({ last: '1d' })).toEqual([b['uuid']]) // publish_timestamp, every version
    expect(await search({ request: { last: '1d' } })).toEqual([b['uuid']])
    const meta = await call(emu, 'POST', '/events/restSearch', {
      body: { returnFormat: 'json', eventid: '1', metadata: 1 },
    })
    const metaEvent = obj(obj(arr(obj(meta.json)['response'])[0])['Event'])
    expect('Attribute' in metaEvent).toBe(!p.restMetadata)
    const none = await call(emu, 'POST', '/events/restSearch', {
      body: { returnFormat: 'json', eventid: '99' },
    })
    expect(none.status).toBe(p.noMatch)
    expect(none.json).toEqual(
      p.noMatch === 404
        ? { name: 'No matches.', message: 'No matches.', url: '/events/restSearch' }
        : { response: [] },
    )
  })

  // --- §5.2 filterEventIdsForPush ---------------------------------------------------------------

  test(`§5.2 filterEventIdsForPush: unknown, or known + locked + older (${p.version})`, async () => {
    const locked = sampleEvent({ locked: true, timestamp: '1700000000' })
    const unlocked = sampleEvent({ locked: false, timestamp: '1700000000' })
    const emu = await start({ version: p.version, events: [locked, unlocked] })
    const fresh = uuid()
    const ask = (items: Array<[unknown, string]>) =>
      call(emu, 'POST', '/events/filterEventIdsForPush', {
        body: items.map(([u, timestamp]) => ({ Event: { uuid: u, timestamp } })),
      })
    const r = await ask([
      [locked['uuid'], '1700000100'],
      [unlocked['uuid'], '1700000100'],
      [fresh, '1600000000'],
    ])
    expect(r.json).toEqual([locked['uuid'], fresh])
    expect((await ask([[locked['uuid'], '1700000000']])).json).toEqual([]) // not newer
    // rec#22: a later entry for the same uuid overwrites an earlier one (PHP array keyed by uuid)
    expect(
      (
        await ask([
          [locked['uuid'], '1700000300'],
          [locked['uuid'], '1600000000'],
        ])
      ).json,
    ).toEqual([])
    const plain = await start({ version: p.version, role: 'user' })
    expect((await call(plain, 'POST', '/events/filterEventIdsForPush', { body: [] })).status).toBe(405)
  })

  // --- §5.1 authentication -----------------------------------------------------------------------

  test(`§5.1 auth: 403 JSON for REST, 302 to the login page otherwise (${p.version})`, async () => {
    const emu = await start({ version: p.version })
    const bad = 'x'.repeat(40)
    for (const key of [bad, null]) {
      const r = await call(emu, 'GET', '/servers/getVersion', { key })
      expect(r.status).toBe(403)
      expect(r.json).toEqual({ name: AUTH_FAILED, message: AUTH_FAILED, url: '/servers/getVersion' })
    }
    const browser = await call(emu, 'GET', '/servers/getVersion', { key: bad, accept: null })
    expect(browser.status).toBe(302)
    expect(browser.headers.get('location')).toBe(`${emu.baseUrl}/users/login`)
    const head = await call(emu, 'HEAD', `/events/view/${uuid()}`, { key: null, accept: null })
    expect(head.status).toBe(302)
    const viaJsonSuffix = await call(emu, 'GET', '/servers/getVersion.json', { key: bad, accept: null })
    expect(viaJsonSuffix.status).toBe(403)
    const commaList = await call(emu, 'GET', '/servers/getVersion', { key: `${bad},${emu.apiKey}` })
    expect(commaList.status).toBe(200)
    const xMisp = await call(emu, 'GET', '/servers/getVersion', {
      key: null,
      headers: { 'X-MISP-AUTH': emu.apiKey },
    })
    expect(xMisp.status).toBe(p.xMispAuth ? 200 : 403)
  })
})

// --- thresholds between the named profiles --------------------------------------------------------

describe('§5.5 not-newer envelope thresholds', () => {
  test.each([
    ['2.4.102', 200, ['name', 'message', 'url', 'errors']],
    ['2.4.103', 403, ['name', 'message', 'url', 'errors']],
    ['2.4.119', 403, ['name', 'message', 'url', 'errors']],
    ['2.4.120', 403, ['saved', 'name', 'message', 'url', 'errors']],
    ['2.4.158', 403, ['saved', 'name', 'message', 'url', 'errors']],
    ['2.4.159', 403, ['saved', 'name', 'message', 'url', 'errors', 'id']],
  ] as const)('§5.5 %s → %i %j', async (version, status, keys) => {
    const emu = await start({ version })
    const event = sampleEvent()
    await create(emu, event)
    const r = await call(emu, 'PUT', '/events/1', { body: { Event: event } })
    expect(r.status).toBe(status)
    expect(Object.keys(obj(r.json))).toEqual(keys)
    expect(obj(r.json)['errors']).toBe(NOT_NEWER)
  })

  test.each([
    ['2.4.59', 404],
    ['2.4.60', 200],
  ] as const)('§5.5 edit by uuid at %s → %i', async (version, status) => {
    const emu = await start({ version })
    const event = sampleEvent()
    await create(emu, event)
    const r = await call(emu, 'POST', `/events/${event['uuid']}`, {
      body: { Event: { ...event, timestamp: '1700000001' } },
    })
    expect(r.status).toBe(status)
  })

  test.each([
    ['2.4.134', 'application/json; charset=UTF-8'],
    ['2.4.135', 'text/html; charset=UTF-8'],
  ] as const)('§5.2 HEAD at %s answers %s', async (version, type) => {
    const emu = await start({ version })
    const event = sampleEvent()
    await create(emu, event)
    const r = await call(emu, 'HEAD', `/events/view/${event['uuid']}`)
    expect([r.status, r.headers.get('content-type')]).toEqual([200, type])
  })
})
