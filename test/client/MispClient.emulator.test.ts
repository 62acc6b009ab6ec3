/**
 * The client against the MISP emulator, for every profile: real HTTP on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import { type ApiVersion, MispClient } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import type * as V23 from '../../src/v23/index.js'
import type * as V24 from '../../src/v24/index.js'
import { event23, event24, left, lines, profiles, right } from './support.js'

describe.each(profiles)('MISP $name', (p) => {
  let emu: MispEmulator
  let misp: MispClient<ApiVersion>
  const sample = (overrides: Record<string, unknown> = {}) =>
    p.api === '2.3' ? event23(overrides) : event24(overrides)

  beforeAll(async () => {
    emu = await startMispEmulator(p.options)
    misp = new MispClient<ApiVersion>({ url: emu.url, key: emu.apiKey, version: p.api })
  })
  afterAll(async () => {
    await emu.close()
  })

  test('version() reports the release', async () => {
    const v = await right(misp.version())
    expect(v.version).toBe(emu.version)
    expect([v.major, v.minor]).toEqual(emu.version.split('.').slice(0, 2).map(Number))
    expect(v.permSync === true).toBe(p.permSync)
  })

  test('detect() picks the wire format', async () => {
    const detected = await right(MispClient.detect({ url: emu.url, key: emu.apiKey }))
    expect(detected.apiVersion).toBe(p.api)
    const before = emu.requests.length
    // the detected client already knows the release: an edit target needs no second getVersion
    expect((await detected.index()())._tag).toBe('Right')
    expect(lines(emu.requests.slice(before))).not.toContain('GET /servers/getVersion')
  })

  test('exists() of an unknown uuid', async () => {
    expect(await right(misp.exists(randomUUID()))).toEqual({ exists: false })
  })

  test('create → exists → get by id and uuid → duplicate → update → not newer', async () => {
    const event = sample()
    const created = await right(misp.create(event))
    expect(created._tag).toBe('Created')
    if (created._tag !== 'Created') return
    expect(created.id).toMatch(/^\d+$/)
    expect(created.event.uuid).toBe(event.uuid)
    expect(emu.event(event.uuid)?.['info']).toBe(event.info)

    expect(await right(misp.exists(event.uuid))).toEqual({
      exists: true,
      id: created.id,
      timestamp: '1700000000',
    })

    const byId = await right(misp.get(created.id))
    const byUuid = await right(misp.get(event.uuid))
    expect(byId.uuid).toBe(event.uuid)
    expect(byUuid).toEqual(byId)
    expect(byId.Attribute?.[0]?.value).toBe('198.51.100.7')
    expect(byId.timestamp).toBe('1700000000')

    expect(await right(misp.create(event))).toEqual({ _tag: 'AlreadyExists', id: created.id })

    const newer = { ...event, timestamp: '1700000100', info: `${event.info} (edited)` }
    const before = emu.requests.length
    const updated = await right(misp.update(newer))
    expect(updated._tag).toBe('Updated')
    if (updated._tag !== 'Updated') return
    expect(updated.id).toBe(created.id)
    expect(updated.event.info).toBe(newer.info)
    expect(emu.event(event.uuid)?.['timestamp']).toEqual(
      p.options.numericWire === true ? 1700000100 : '1700000100',
    )
    const edits = lines(emu.requests.slice(before)).filter((l) => l.includes('/events/edit/'))
    // 2.3 and 2.4 < 2.4.60 are edited by numeric id (found by a lookup), later ones by uuid
    expect(edits).toEqual([
      `${p.api === '2.3' ? 'POST' : 'PUT'} /events/edit/${p.editByUuid ? event.uuid : created.id}`,
    ])

    expect(await right(misp.update(newer))).toEqual({ _tag: 'NotNewer', id: created.id })
    expect(await right(misp.update(newer, { id: created.id }))).toEqual({ _tag: 'NotNewer', id: created.id })
  })

  test('a create whose attribute the server drops is Created, with MISP’s errors where it lists them', async () => {
    const event = sample()
    const bad = {
      ...event,
      Attribute: [
        ...(event.Attribute ?? []),
        { ...event.Attribute![0]!, uuid: randomUUID(), value: 'not-an-ip' },
      ],
    }
    const created = await right(misp.create(bad))
    expect(created._tag).toBe('Created')
    if (created._tag !== 'Created') return
    expect(created.event.Attribute).toHaveLength(1)
    // MISP < 2.5 lists dropped attributes under a top-level "errors"; 2.5.1 drops them silently
    if (p.name.startsWith('2.5')) expect(created.errors).toBeUndefined()
    else expect(created.errors).toMatchObject({ Attribute: expect.anything() })
  })

  test('update with a known id sends no lookup', async () => {
    const event = sample()
    const created = await right(misp.create(event))
    if (created._tag !== 'Created') throw new Error('not created')
    await right(misp.version())
    const before = emu.requests.length
    const updated = await right(
      misp.update({ ...event, timestamp: '1700000500' }, { id: Number(created.id) }),
    )
    expect(updated).toMatchObject({ _tag: 'Updated', id: created.id })
    expect(lines(emu.requests.slice(before))).toEqual([
      `${p.api === '2.3' ? 'POST' : 'PUT'} /events/edit/${created.id}`,
    ])
  })

  test('update of an event the server does not have is NotFound, nothing is written', async () => {
    const event = sample()
    const before = emu.requests.length
    const e = await left(misp.update(event))
    expect(e._tag).toBe('NotFound')
    if (!p.editByUuid)
      expect(lines(emu.requests.slice(before)).filter((l) => l.includes('/events/edit/'))).toEqual([])
  })

  test('get() of an unknown event is NotFound; a bad id is InvalidArgument and sends nothing', async () => {
    expect((await left(misp.get(randomUUID())))._tag).toBe('NotFound')
    const before = emu.requests.length
    expect((await left(misp.get('12; DROP TABLE')))._tag).toBe('InvalidArgument')
    expect((await left(misp.exists('not-a-uuid')))._tag).toBe('InvalidArgument')
    expect(emu.requests.length).toBe(before)
  })

  test('an event that is not a valid model value is not sent', async () => {
    const before = emu.requests.length
    const bad = { ...sample(), distribution: '9' } as unknown as V24.Event
    const e = await left(misp.create(bad))
    expect(e._tag).toBe('InvalidArgument')
    if (e._tag === 'InvalidArgument') expect(e.failure?.problems[0]?.path).toBe('Event.distribution')
    expect(emu.requests.length).toBe(before)
  })

  test('index({since}) returns the events changed at or after since', async () => {
    const base = 1_600_000_000
    const uuids: Array<string> = [randomUUID(), randomUUID(), randomUUID()]
    emu.seed(
      uuids.map((uuid, i) => ({ uuid, info: `index ${i}`, timestamp: String(base + i * 100), locked: true })),
    )
    const before = emu.requests.length
    const since = await right(misp.index({ since: base + 100 }))
    const ours = since.filter((r) => uuids.includes(r.uuid))
    expect(ours.map((r) => r.uuid).sort()).toEqual(uuids.slice(1).sort()) // the server's order
    expect(since.every((r) => Number(r.timestamp) >= base + 100)).toBe(true)
    const sent = emu.requests.slice(before)
    if (p.api === '2.3') expect(lines(sent)).toEqual(['GET /events/index'])
    else {
      expect(lines(sent)).toEqual(['POST /events/index'])
      expect(sent[0]?.body).toEqual({ timestamp: String(base + 100) })
    }
    const all = await right(misp.index())
    expect(all.filter((r) => uuids.includes(r.uuid))).toHaveLength(3)
    expect(all.length).toBeGreaterThan(since.length)
    const fromDate = await right(misp.index({ since: new Date((base + 200) * 1000) }))
    expect(fromDate.filter((r) => uuids.includes(r.uuid)).map((r) => r.uuid)).toEqual(uuids.slice(2))
    expect((await left(misp.index({ since: 'yesterday' })))._tag).toBe('InvalidArgument')
  })

  test('no argument makes a call throw or reject: InvalidArgument, nothing sent', async () => {
    const before = emu.requests.length
    const calls: ReadonlyArray<[string, () => Promise<unknown>]> = [
      ['update(null)', () => misp.update(null as never)()],
      ['update(undefined)', () => misp.update(undefined as never)()],
      ['update(42, {id: symbol})', () => misp.update(42 as never, { id: Symbol('x') as never })()],
      ['create(42)', () => misp.create(42 as never)()],
      ['create(null)', () => misp.create(null as never)()],
      ['exists(null)', () => misp.exists(null as never)()],
      ['exists(symbol)', () => misp.exists(Symbol('x') as never)()],
      ['get(undefined)', () => misp.get(undefined as never)()],
      ['get(null)', () => misp.get(null as never)()],
      ['get({})', () => misp.get({} as never)()],
    ]
    for (const [name, run] of calls) {
      let pending: Promise<unknown> | undefined
      expect(() => {
        pending = run()
      }, name).not.toThrow()
      const r = await pending
      expect(r, name).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidArgument' } })
    }
    expect(emu.requests.length).toBe(before)
  })

  test('update naming an event the server cannot locate is NotFound ("Could not find the local event.")', async () => {
    const created = await right(misp.create(sample()))
    if (created._tag !== 'Created') throw new Error('not created')
    // the URL names a stored event, the body's uuid none: MISP's §5.5 refusal in this era's envelope
    const unknown = { ...sample(), timestamp: '1700000900' }
    const e = await left(misp.update(unknown, { id: created.id }))
    expect(e).toMatchObject({ _tag: 'NotFound' })
    if (e._tag === 'NotFound') expect(JSON.stringify(e.body)).toContain('Could not find the local event.')
  })

  if (p.api === '2.3')
    test('2.3: proposals, correlations and counters of the source are not sent', async () => {
      const source = event23()
      const attribute = source.Attribute![0]!
      const proposal = {
        id: '77',
        old_id: '78',
        event_id: '999',
        type: 'ip-dst',
        value: '203.0.113.9',
        category: 'Network activity',
        uuid: randomUUID(),
        org: 'SOURCE-ORG',
      }
      const withForeign: V23.Event = {
        ...source,
        id: '999',
        attribute_count: '1',
        ShadowAttribute: [proposal],
        RelatedEvent: [{ Event: [{ id: '55', uuid: randomUUID(), info: 'related on the source' }] }],
        Attribute: [
          {
            ...attribute,
            id: '4242',
            event_id: '999',
            ShadowAttribute: [{ ...proposal, uuid: randomUUID() }],
            RelatedAttribute: [{ id: '31', event_id: '55', value: '198.51.100.7' }],
          },
        ],
      }
      const before = emu.requests.length
      const created = await right(misp.create(withForeign))
      expect(created._tag).toBe('Created')
      await right(misp.update({ ...withForeign, timestamp: '1700000300' }))
      const writes = emu.requests.slice(before).filter((r) => r.method === 'POST')
      expect(writes.map((r) => r.path)).toEqual(['/events', expect.stringMatching(/^\/events\/edit\/\d+$/)])
      for (const r of writes) {
        const body = r.body as {
          Event: Record<string, unknown> & { Attribute: Array<Record<string, unknown>> }
        }
        for (const key of ['id', 'attribute_count', 'ShadowAttribute', 'RelatedEvent'])
          expect(body.Event[key], key).toBeUndefined()
        expect(body.Event.Attribute).toHaveLength(1)
        for (const key of ['id', 'event_id', 'ShadowAttribute', 'RelatedAttribute'])
          expect(body.Event.Attribute[0]?.[key], `Attribute.${key}`).toBeUndefined()
        expect(body.Event.Attribute[0]?.['uuid']).toBe(attribute.uuid)
      }
    })

  if (p.api === '2.3')
    test('2.3: an update carrying another server’s attribute ids leaves other events’ attributes intact', async () => {
      // an event already on this server, whose attribute has some local id
      const resident = event23({ info: 'resident' })
      await right(misp.create(resident))
      const residentBefore = emu.event(resident.uuid)
      const residentAttributes = (residentBefore?.['Attribute'] ?? []) as Array<Record<string, unknown>>
      const residentAttributeId = String(residentAttributes[0]?.['id'])
      // an event from another server whose new attribute has, by chance, that same id there
      const incoming = event23({ info: 'incoming', Attribute: [] })
      const created = await right(misp.create(incoming))
      if (created._tag !== 'Created') throw new Error('not created')
      const added: V23.Attribute = {
        id: residentAttributeId,
        event_id: '999',
        uuid: randomUUID(),
        type: 'domain',
        category: 'Network activity',
        value: 'incoming.example',
        distribution: '1',
        timestamp: '1700000100',
      }
      const updated = await right(misp.update({ ...incoming, timestamp: '1700000100', Attribute: [added] }))
      expect(updated._tag).toBe('Updated')
      // MISP 2.3 would have overwritten the resident attribute with that id (§7): not so here
      expect(emu.event(resident.uuid)).toEqual(residentBefore)
      const attributes = emu.event(incoming.uuid)?.['Attribute'] as Array<Record<string, unknown>>
      expect(attributes.map((a) => a['uuid'])).toEqual([added.uuid])
      expect(attributes[0]?.['id']).not.toBe(residentAttributeId)
    })

  if (p.api === '2.3')
    test('2.3: attribute and event ids are removed before sending', async () => {
      const event = event23({ id: '999' })
      const withIds = {
        ...event,
        Attribute: (event.Attribute ?? []).map((a) => ({ ...a, id: '4242', event_id: '999' })),
      }
      const before = emu.requests.length
      const created = await right(misp.create(withIds))
      expect(created._tag).toBe('Created')
      await right(misp.update({ ...withIds, timestamp: '1700000300' }))
      for (const r of emu.requests.slice(before).filter((r) => r.method === 'POST')) {
        const body = r.body as {
          Event: Record<string, unknown> & { Attribute: Array<Record<string, unknown>> }
        }
        expect(body.Event['id']).toBeUndefined()
        expect(body.Event.Attribute.every((a) => a['id'] === undefined && a['event_id'] === undefined)).toBe(
          true,
        )
      }
    })
})

describe.each(profiles)('MISP $name: duplicate create answered with 302', (p) => {
  test('302 + Location is AlreadyExists', async () => {
    const emu = await startMispEmulator({ ...p.options, duplicateStatus: 302 })
    try {
      const misp = new MispClient<ApiVersion>({ url: emu.url, key: emu.apiKey, version: p.api })
      const event = p.api === '2.3' ? event23() : event24()
      const created = await right(misp.create(event))
      if (created._tag !== 'Created') throw new Error('not created')
      expect(await right(misp.create(event))).toEqual({ _tag: 'AlreadyExists', id: created.id })
      expect(emu.requests.at(-1)?.status).toBe(302)
    } finally {
      await emu.close()
    }
  })
})

describe.each(profiles)('MISP $name: the sync user rule', (p) => {
  test('a sync user may edit a locked event of another organisation, not an unlocked one', async () => {
    const unlocked = randomUUID()
    const locked = randomUUID()
    const other = { org: 'OTHER-ORG', orgc: 'OTHER-ORG', timestamp: '1000', info: 'theirs' }
    const emu = await startMispEmulator({
      ...p.options,
      role: 'sync',
      events: [
        { uuid: unlocked, locked: false, ...other },
        { uuid: locked, locked: true, ...other },
      ],
    })
    try {
      const misp = new MispClient<ApiVersion>({ url: emu.url, key: emu.apiKey, version: p.api })
      const sample = (uuid: string) => (p.api === '2.3' ? event23({ uuid }) : event24({ uuid }))
      const refused = await left(misp.update({ ...sample(unlocked), timestamp: '2000' }))
      // late 2.4 says who the user is (perm_sync): its refusal can only mean "not locked"
      expect(refused._tag).toBe(p.permSync ? 'NotLocked' : 'Forbidden')
      expect(await right(misp.update({ ...sample(locked), timestamp: '2000' }))).toMatchObject({
        _tag: 'Updated',
      })
    } finally {
      await emu.close()
    }
  })

  if (p.api === '2.3')
    test('2.3: a plain user editing another organisation’s event is redirected: Forbidden', async () => {
      const uuid = randomUUID()
      const emu = await startMispEmulator({
        ...p.options,
        role: 'user',
        events: [
          { uuid, org: 'OTHER-ORG', orgc: 'OTHER-ORG', timestamp: '1000', info: 'theirs', distribution: '3' },
        ],
      })
      try {
        const misp = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.3' })
        const e = await left(misp.update({ ...event23({ uuid }), timestamp: '2000' }))
        expect(e).toMatchObject({ _tag: 'Forbidden', status: 302 })
      } finally {
        await emu.close()
      }
    })
})

describe('typing by version', () => {
  test('a 2.3 client takes and returns V23 events, a 2.4 client V24 events', () => {
    const c23 = new MispClient({ url: 'http://127.0.0.1:1/', key: 'k'.repeat(40), version: '2.3' })
    const c24 = new MispClient({ url: 'http://127.0.0.1:1/', key: 'k'.repeat(40), version: '2.4' })
    expectTypeOf(c23).toEqualTypeOf<MispClient<'2.3'>>()
    expectTypeOf(c23.create).parameter(0).toEqualTypeOf<V23.Event>()
    expectTypeOf(c24.create).parameter(0).toEqualTypeOf<V24.Event>()
    expectTypeOf(c23.get).returns.returns.resolves.toEqualTypeOf<
      import('fp-ts/lib/Either.js').Either<import('../../src/client/index.js').MispError, V23.Event>
    >()
    expectTypeOf(c24.update).parameter(0).toEqualTypeOf<V24.Event>()
  })

  test('a client with invalid options fails every call with InvalidArgument, without throwing', async () => {
    const bad = new MispClient({ url: 'not a url', key: '', version: '2.4' })
    const e = await left(bad.version())
    expect(e).toMatchObject({ _tag: 'InvalidArgument', argument: 'options' })
    const creds = new MispClient({
      url: 'https://user:pw@misp.example/',
      key: 'k'.repeat(40),
      version: '2.4',
    })
    expect(await left(creds.index())).toMatchObject({ _tag: 'InvalidArgument' })
  })
})
