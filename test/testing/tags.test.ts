/**
 * The emulator's tags and deletions per release, over raw HTTP: what MISP's source at v2.3.178 and
 * v2.4.199 answers, and what a real 2.5.1 was seen to do (misp-versions.md §6, §11, §12).
 */
import { afterEach, describe, expect, test } from 'vitest'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { arr, call, eventOf, obj, sampleEvent } from './support.js'

const open: Array<MispEmulator> = []
const start = async (version: '2.3.178' | '2.4.199' | '2.5', clock?: () => number) => {
  const emu = await startMispEmulator({
    version,
    role: version === '2.3.178' ? 'org-admin' : 'sync',
    ...(clock === undefined ? {} : { clock }),
  })
  open.push(emu)
  return emu
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})

/** A 2.3-shaped seed (org strings) with tags, which 2.3 keeps in event_tags only. */
const seed23 = (tags: ReadonlyArray<string>): Record<string, unknown> => ({
  ...sampleEvent(),
  orgc: 'ORGNAME',
  Tag: tags.map((name) => ({ name })),
})

describe('MISP 2.3.178', () => {
  test('a seeded event keeps its tags in event_tags; its JSON and index rows carry none', async () => {
    const emu = await start('2.3.178')
    const ev = seed23(['tlp:amber', 'osint:source-type="blog-post"'])
    emu.seed([ev])
    expect(emu.eventTags(String(ev['uuid'])).map((t) => t.name)).toEqual([
      'tlp:amber',
      'osint:source-type="blog-post"',
    ])
    const view = eventOf(await call(emu, 'GET', `/events/view/${ev['uuid']}`))
    expect(view).not.toHaveProperty('Tag')
    const rows = arr((await call(emu, 'GET', '/events/index')).json)
    expect(obj(rows[0])).not.toHaveProperty('EventTag')
  })

  test('tags in a create or edit body are ignored', async () => {
    const emu = await start('2.3.178')
    const body = { ...sampleEvent(), Tag: [{ name: 'tlp:red' }] }
    const created = eventOf(await call(emu, 'POST', '/events', { body: { Event: body } }))
    expect(emu.eventTags(String(created['id']))).toEqual([])
    await call(emu, 'POST', `/events/edit/${created['id']}`, {
      body: { Event: { ...body, timestamp: '1700000100' } },
    })
    expect(emu.eventTags(String(created['id']))).toEqual([])
  })

  test('addTag/removeTag: HTTP 200 with saved true/false and the source texts; the timestamp does not move', async () => {
    const emu = await start('2.3.178', () => 1_800_000_000)
    const ev = seed23(['tlp:green'])
    emu.seed([ev])
    const id = String(emu.event(String(ev['uuid']))?.['id'])
    const tags = arr(obj((await call(emu, 'GET', '/tags/index')).json)['Tag'])
    const green = obj(tags[0])
    expect(green).toMatchObject({ name: 'tlp:green', count: 1 })
    // a name in the URL with a colon is a CakePHP named parameter: the tag is missing
    expect((await call(emu, 'POST', `/events/addTag/${id}/tlp:green`)).json).toEqual({
      saved: false,
      errors: 'Invalid Tag.',
    })
    expect((await call(emu, 'POST', `/events/addTag/${id}/${green['id']}`)).json).toEqual({
      saved: false,
      errors: 'Tag is already attached to this event.',
    })
    expect((await call(emu, 'POST', `/events/addTag/${id}/999`)).json).toEqual({
      saved: false,
      errors: 'Invalid Tag.',
    })
    const added = await call(emu, 'POST', '/tags/add', {
      body: { Tag: { name: 'tlp:amber', colour: '#FFC000' } },
    })
    // REST success is a redirect to the tag's page (TagsController.php@v2.3.178:77)
    expect(added.status).toBe(302)
    const amberId = /\/tags\/view\/(\d+)$/.exec(added.headers.get('location') ?? '')?.[1]
    expect(amberId).toBeDefined()
    // by name in the body (`data['Event']['tag']`)
    const byName = await call(emu, 'POST', `/events/addTag/${id}`, { body: { Event: { tag: 'tlp:amber' } } })
    expect(byName.status).toBe(200)
    expect(byName.json).toEqual({ saved: true, success: 'Tag added.' })
    expect((await call(emu, 'POST', `/events/removeTag/${id}/${green['id']}`)).json).toEqual({
      saved: true,
      success: 'Tag removed.',
    })
    expect((await call(emu, 'POST', `/events/removeTag/${id}/${green['id']}`)).json).toEqual({
      saved: false,
      errors: 'Invalid event - tag combination.',
    })
    expect(emu.eventTags(id).map((t) => t.name)).toEqual(['tlp:amber'])
    expect(emu.event(id)?.['timestamp']).toBe('1700000000')
    expect(emu.event(id)?.['published']).toBe(false)
  })

  test('a taken tag name: 405 "…A similar name already exists."', async () => {
    const emu = await start('2.3.178')
    emu.seed([seed23(['tlp:red'])])
    const again = await call(emu, 'POST', '/tags/add', { body: { Tag: { name: 'tlp:red' } } })
    expect(again.status).toBe(405)
    expect(obj(again.json)['name']).toBe('Could not add the Tag. [name]: A similar name already exists.')
  })

  test('GET /tags/index pages 50 tags at a time; the page past the end is 404', async () => {
    const emu = await start('2.3.178')
    emu.seed([seed23(Array.from({ length: 60 }, (_, i) => `t:${String(i).padStart(2, '0')}`))])
    const page = async (n: number) => call(emu, 'GET', `/tags/index/page:${n}`)
    expect(arr(obj((await page(1)).json)['Tag'])).toHaveLength(50)
    expect(arr(obj((await page(2)).json)['Tag'])).toHaveLength(10)
    expect((await page(3)).status).toBe(404)
  })

  test('GET /events/index/searchtag:{id} keeps the events with that tag; an unknown tag keeps none', async () => {
    const emu = await start('2.3.178')
    const a = seed23(['tlp:red'])
    const b = seed23(['tlp:green'])
    emu.seed([a, b])
    const red = emu.eventTags(String(a['uuid']))[0]!
    const rows = arr((await call(emu, 'GET', `/events/index/searchtag:${red.id}`)).json)
    expect(rows.map((r) => obj(r)['uuid'])).toEqual([a['uuid']])
    expect(arr((await call(emu, 'GET', '/events/index/searchtag:999')).json)).toEqual([])
  })

  test('POST /attributes/delete/{id} hard-deletes and redirects to <base>/attributes (as real 2.3.178), also for a missing one', async () => {
    const emu = await start('2.3.178', () => 1_800_000_000)
    const ev = seed23([])
    emu.seed([ev])
    const stored = emu.event(String(ev['uuid']))!
    const attr = obj(arr(stored['Attribute'])[0])
    const del = await call(emu, 'POST', `/attributes/delete/${attr['id']}`)
    expect(del.status).toBe(302)
    expect(del.headers.get('location')).toBe(`${emu.baseUrl}/attributes`)
    expect(emu.attributeState(String(attr['uuid']))).toBe('absent')
    const after = eventOf(await call(emu, 'GET', `/events/view/${stored['id']}`))
    expect(after['timestamp']).toBe('1700000000')
    expect(after['attribute_count']).toBe('1')
    const missing = await call(emu, 'POST', `/attributes/delete/${attr['id']}`)
    expect(missing.status).toBe(302)
    expect((await call(emu, 'GET', `/attributes/view/${attr['id']}`)).status).toBe(404)
  })
})

describe.each(['2.4.199', '2.5'] as const)('MISP %s', (version) => {
  const seed24 = (tags: ReadonlyArray<string>): Record<string, unknown> => ({
    ...sampleEvent(),
    Orgc: { name: 'ORGNAME' },
    Tag: tags.map((name) => ({ name })),
  })

  test('Event.Tag in views (omitted when none, §11); tags in an edit body only add (§12)', async () => {
    const emu = await start(version)
    const bare = sampleEvent()
    const created = eventOf(await call(emu, 'POST', '/events/add', { body: { Event: bare } }))
    expect(created).not.toHaveProperty('Tag')
    await call(emu, 'PUT', `/events/edit/${created['id']}`, {
      body: { Event: { ...bare, timestamp: '1700000100', Tag: [{ name: 'tlp:green' }] } },
    })
    await call(emu, 'PUT', `/events/edit/${created['id']}`, {
      body: { Event: { ...bare, timestamp: '1700000200', Tag: [{ name: 'tlp:red' }] } },
    })
    await call(emu, 'PUT', `/events/edit/${created['id']}`, {
      body: { Event: { ...bare, timestamp: '1700000300', Tag: [] } },
    })
    const view = eventOf(await call(emu, 'GET', `/events/view/${created['id']}`))
    expect(arr(view['Tag']).map((t) => obj(t)['name'])).toEqual(['tlp:green', 'tlp:red'])
    expect(obj(arr(view['Tag'])[0])).toMatchObject({ exportable: true, local: false })
  })

  test('addTag by name in the body works, by name in the URL is "Invalid Tag."; removeTag by numeric id only (§12)', async () => {
    let now = 1_800_000_000
    const emu = await start(version, () => now)
    const ev = seed24(['tlp:green'])
    emu.seed([ev])
    const id = String(obj(emu.event(String(ev['uuid'])))['id'])
    const added = await call(emu, 'POST', '/tags/add', {
      body: { Tag: { name: 'tlp:amber', colour: '#FFC000' } },
    })
    expect(added.status).toBe(200)
    const amber = obj(obj(added.json)['Tag'])
    expect(amber).toMatchObject({ name: 'tlp:amber', colour: '#FFC000' })
    // an existing name answers the existing tag (TagsController.php@v2.4.199:155-165)
    expect(
      obj(obj((await call(emu, 'POST', '/tags/add', { body: { Tag: { name: 'tlp:amber' } } })).json)['Tag'])[
        'id'
      ],
    ).toBe(amber['id'])
    expect((await call(emu, 'POST', `/events/addTag/${id}/tlp:amber`)).json).toEqual({
      saved: false,
      errors: 'Invalid Tag.',
    })
    expect((await call(emu, 'POST', `/events/addTag/${id}`, { body: { tag: 'no:such' } })).json).toEqual({
      saved: false,
      errors: 'Invalid Tag.',
    })
    now += 10
    expect((await call(emu, 'POST', `/events/addTag/${id}`, { body: { tag: 'tlp:amber' } })).json).toEqual({
      saved: true,
      success: 'Tag added.',
      check_publish: true,
    })
    expect(String(emu.event(id)?.['timestamp'])).toBe(String(now))
    expect(emu.event(id)?.['published']).toBe(false)
    expect((await call(emu, 'POST', `/events/addTag/${id}/${amber['id']}/local:0`)).json).toEqual({
      saved: false,
      errors: 'Tag is already attached to this event.',
    })
    expect((await call(emu, 'POST', `/events/removeTag/${id}/tlp:green`)).json).toEqual({
      saved: false,
      errors: 'Invalid Tag.',
    })
    const green = emu.eventTags(id).find((t) => t.name === 'tlp:green')!
    now += 10
    expect((await call(emu, 'POST', `/events/removeTag/${id}/${green.id}`)).json).toEqual({
      saved: true,
      success: 'Tag removed.',
      check_publish: true,
    })
    expect(String(emu.event(id)?.['timestamp'])).toBe(String(now))
    expect(emu.eventTags(id).map((t) => t.name)).toEqual(['tlp:amber'])
  })

  test('GET /tags/index answers every tag at once with the late columns (§12)', async () => {
    const emu = await start(version)
    emu.seed([seed24(Array.from({ length: 60 }, (_, i) => `t:${String(i).padStart(2, '0')}`))])
    const tags = arr(obj((await call(emu, 'GET', '/tags/index')).json)['Tag'])
    expect(tags).toHaveLength(60)
    expect(Object.keys(obj(tags[0]))).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'colour',
        'exportable',
        'is_galaxy',
        'local_only',
        'favourite',
        'count',
        'attribute_count',
      ]),
    )
  })

  test('attribute deletes are soft and bump the event; views hide them unless asked (deleted:1, restSearch deleted [0,1])', async () => {
    let now = 1_800_000_000
    const emu = await start(version, () => now)
    const ev = seed24([])
    emu.seed([ev])
    const stored = obj(emu.event(String(ev['uuid'])))
    const attr = obj(arr(stored['Attribute'])[0])
    now += 5
    const del = await call(emu, 'POST', `/attributes/delete/${attr['id']}`)
    expect(del.status).toBe(200)
    expect(del.json).toEqual({ message: 'Attribute deleted.' })
    expect((await call(emu, 'POST', `/attributes/delete/${attr['id']}`)).status).toBe(404)
    const view = eventOf(await call(emu, 'GET', `/events/view/${stored['id']}`))
    expect(String(view['timestamp'])).toBe(String(now))
    expect(arr(view['Attribute']).map((a) => obj(a)['uuid'])).not.toContain(attr['uuid'])
    expect(String(view['attribute_count'])).toBe('1')
    const withDeleted = eventOf(await call(emu, 'GET', `/events/view/${stored['id']}/deleted:1`))
    const gone = arr(withDeleted['Attribute'])
      .map(obj)
      .find((a) => a['uuid'] === attr['uuid'])
    expect(gone).toMatchObject({ deleted: true, timestamp: String(now) })
    const search = obj(
      await call(emu, 'POST', '/events/restSearch', { body: { uuid: ev['uuid'], deleted: [0, 1] } }).then(
        (a) => a.json,
      ),
    )
    const found = obj(obj(arr(search['response'])[0])['Event'])
    expect(arr(found['Attribute']).map((a) => obj(a)['deleted'])).toContain(true)
  })

  test('an edit whose attribute carries deleted: true and a newer timestamp soft-deletes it (§12)', async () => {
    const emu = await start(version)
    const ev = seed24([])
    emu.seed([ev])
    const attrs = ev['Attribute'] as Array<Record<string, unknown>>
    const first = attrs[0]!
    await call(emu, 'PUT', `/events/edit/${ev['uuid']}`, {
      body: {
        Event: {
          ...ev,
          timestamp: '1700000100',
          Attribute: [{ ...first, deleted: true, timestamp: '1700000100' }],
        },
      },
    })
    expect(emu.attributeState(String(first['uuid']))).toBe('deleted')
    // an omitted attribute is never deleted
    expect(emu.attributeState(String(attrs[1]!['uuid']))).toBe('live')
  })

  test('the index filtered by {"tag": id} keeps the tagged events; rows carry EventTag and the live attribute_count', async () => {
    const emu = await start(version)
    const a = seed24(['tlp:red'])
    const b = seed24(['tlp:green'])
    emu.seed([a, b])
    const red = emu.eventTags(String(a['uuid']))[0]!
    const rows = arr((await call(emu, 'POST', '/events/index', { body: { tag: red.id } })).json).map(obj)
    expect(rows.map((r) => r['uuid'])).toEqual([a['uuid']])
    expect(arr(rows[0]!['EventTag']).map((et) => obj(obj(et)['Tag'])['name'])).toEqual(['tlp:red'])
    expect(String(rows[0]!['attribute_count'])).toBe('2')
  })
})

describe('direct access', () => {
  test('tagEvent/untagEvent/deleteAttribute follow the release: 2.3 keeps the timestamp, 2.5 moves it', async () => {
    const e23 = await start('2.3.178', () => 1_800_000_000)
    const e25 = await start('2.5', () => 1_800_000_000)
    const ev = sampleEvent()
    e23.seed([{ ...ev, orgc: 'ORGNAME' }])
    e25.seed([ev])
    const uuid = String(ev['uuid'])
    const attr = String((ev['Attribute'] as Array<Record<string, unknown>>)[0]!['uuid'])
    for (const emu of [e23, e25]) {
      emu.tagEvent(uuid, 'tlp:amber')
      emu.tagEvent(uuid, 'tlp:red')
      emu.untagEvent(uuid, 'tlp:red')
      emu.deleteAttribute(attr)
      expect(emu.eventTags(uuid).map((t) => t.name)).toEqual(['tlp:amber'])
    }
    expect(e23.event(uuid)?.['timestamp']).toBe('1700000000')
    expect(e23.attributeState(attr)).toBe('absent')
    expect(Number(e25.event(uuid)?.['timestamp'])).toBeGreaterThan(1_700_000_000)
    expect(e25.attributeState(attr)).toBe('deleted')
    // setEvent keeps a 2.3 event's tags (its rendering has none)
    e23.setEvent(uuid, (e) => {
      e['info'] = 'changed'
    })
    expect(e23.eventTags(uuid).map((t) => t.name)).toEqual(['tlp:amber'])
  })
})
