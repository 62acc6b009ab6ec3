/**
 * The client's tag and deletion calls over real HTTP against the emulator, per release: tag list
 * (paginated on 2.3), createTag, attachTag, detachTag, eventsWithTag, deleteAttribute and
 * get({deleted}) — results, MISP's refusals as typed errors, timestamp rules, no retried writes,
 * no key in any error.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type ApiVersion, MispClient } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { left, right } from './support.js'

type Version = '2.3.178' | '2.4.0' | '2.4.102' | '2.4.199' | '2.5'
const versions: ReadonlyArray<Version> = ['2.3.178', '2.4.0', '2.4.102', '2.4.199', '2.5']
const apiOf = (v: Version): ApiVersion => (v === '2.3.178' ? '2.3' : '2.4')
/** releases whose addTag/removeTag/delete bump the event timestamp (2.4.102+, §12) */
const bumps = (v: Version) => v === '2.4.102' || v === '2.4.199' || v === '2.5'
const fast = { limit: 2, baseDelay: 5, maxDelay: 20 } as const

/** A seedable event in the shape of either release (2.3: org strings; 2.4: Orgc object). */
const seedEvent = (v: Version, tags: ReadonlyArray<string>) => {
  const attr = (value: string) => ({
    uuid: randomUUID(),
    type: 'ip-dst',
    category: 'Network activity',
    to_ids: true,
    distribution: '1',
    timestamp: '1700000000',
    value,
  })
  return {
    uuid: randomUUID(),
    info: 'tagged event',
    date: '2024-01-01',
    threat_level_id: '2',
    analysis: '1',
    distribution: '1',
    published: true,
    timestamp: '1700000000',
    ...(v === '2.3.178' ? { orgc: 'ORGNAME', org: 'ORGNAME' } : { Orgc: { name: 'ORGNAME' } }),
    Tag: tags.map((name) => ({ name })),
    Attribute: [attr('198.51.100.1'), attr('198.51.100.2')],
  }
}

describe.each(versions)('MISP %s', (version) => {
  let emu: MispEmulator
  let misp: MispClient<ApiVersion>
  let now = 1_800_000_000
  beforeAll(async () => {
    emu = await startMispEmulator({
      version,
      clock: () => now,
      role: version === '2.3.178' ? 'org-admin' : 'sync',
    })
    misp = new MispClient({ url: emu.url, key: emu.apiKey, version: apiOf(version), retry: fast })
  })
  afterAll(async () => {
    await emu.close()
  })
  const stored = (uuid: string) => emu.event(uuid) as Record<string, unknown>
  const idOf = (uuid: string) => String(stored(uuid)['id'])

  test('tags lists the seeded tags with their event counts; createTag adds one, and gives it back when it exists', async () => {
    const ev = seedEvent(version, ['tlp:green', 'kill-chain:delivery'])
    emu.seed([ev])
    const before = await right(misp.tags())
    expect(before.find((t) => t.name === 'tlp:green')).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      count: 1,
    })
    const created = await right(misp.createTag({ name: 'tlp:amber' }))
    expect(created).toMatchObject({ name: 'tlp:amber', id: expect.stringMatching(/^\d+$/) })
    expect(created.colour?.toUpperCase()).toBe('#FFC000')
    const again = await right(misp.createTag({ name: 'tlp:amber' }))
    expect(again.id).toBe(created.id)
    const after = await right(misp.tags())
    expect(after.map((t) => t.name).sort()).toEqual(['kill-chain:delivery', 'tlp:amber', 'tlp:green'])
    if (version !== '2.3.178') expect(after.every((t) => t.exportable === true)).toBe(true)
  })

  test('attachTag: Attached, then AlreadyAttached; detachTag: Detached, then NotAttached; timestamps per release', async () => {
    const ev = seedEvent(version, [])
    emu.seed([ev])
    const id = idOf(ev.uuid)
    const tag = await right(misp.createTag({ name: 'tlp:red' }))
    now += 100
    expect(await right(misp.attachTag(id, tag))).toEqual({ _tag: 'Attached' })
    expect(emu.eventTags(ev.uuid).map((t) => t.name)).toEqual(['tlp:red'])
    const stamp = stored(ev.uuid)['timestamp']
    expect(String(stamp)).toBe(bumps(version) ? String(now) : '1700000000')
    if (bumps(version)) expect(stored(ev.uuid)['published']).toBe(false)
    expect(await right(misp.attachTag(id, tag))).toEqual({ _tag: 'AlreadyAttached' })
    now += 100
    expect(await right(misp.detachTag(id, tag.id))).toEqual({ _tag: 'Detached' })
    expect(emu.eventTags(ev.uuid)).toEqual([])
    expect(String(stored(ev.uuid)['timestamp'])).toBe(bumps(version) ? String(now) : '1700000000')
    expect(await right(misp.detachTag(id, tag.id))).toEqual({ _tag: 'NotAttached' })
  })

  test('attachTag by name alone (no numeric id) goes in the body and works', async () => {
    const ev = seedEvent(version, [])
    emu.seed([ev])
    await right(misp.createTag({ name: 'tlp:clear' }))
    expect(await right(misp.attachTag(idOf(ev.uuid), { id: '', name: 'tlp:clear' }))).toEqual({
      _tag: 'Attached',
    })
    expect(emu.eventTags(ev.uuid).map((t) => t.name)).toEqual(['tlp:clear'])
  })

  test('an unknown tag is a NotFound error (saved: false, HTTP 200)', async () => {
    const ev = seedEvent(version, [])
    emu.seed([ev])
    const e = await left(misp.attachTag(idOf(ev.uuid), { id: '9999', name: 'nope' }))
    expect(e).toMatchObject({ _tag: 'NotFound', status: 200, body: { saved: false } })
    const byName = await left(misp.attachTag(idOf(ev.uuid), { id: '', name: 'no:such-tag' }))
    expect(byName).toMatchObject({ _tag: 'NotFound', body: { errors: 'Invalid Tag.' } })
  })

  test('eventsWithTag lists exactly the events carrying the tag', async () => {
    const a = seedEvent(version, ['campaign:x'])
    const b = seedEvent(version, ['campaign:x', 'tlp:green'])
    const c = seedEvent(version, ['tlp:green'])
    emu.seed([a, b, c])
    const tags = await right(misp.tags())
    const x = tags.find((t) => t.name === 'campaign:x')!
    const rows = await right(misp.eventsWithTag(x.id))
    expect(rows.map((r) => r.uuid).sort()).toEqual([a.uuid, b.uuid].sort())
    expect(await right(misp.eventsWithTag('999999'))).toEqual([])
    // a list: the events carrying any of the tags (MISP ORs `a|b`), each once
    const green = tags.find((t) => t.name === 'tlp:green')!
    const withGreen = await right(misp.eventsWithTag(green.id))
    const any = await right(misp.eventsWithTag([x.id, Number(green.id), '999999']))
    expect(any.map((r) => r.uuid).sort()).toEqual(
      [...new Set([...rows, ...withGreen].map((r) => r.uuid))].sort(),
    )
    expect(any.map((r) => r.uuid)).toEqual(expect.arrayContaining([a.uuid, b.uuid, c.uuid]))
    expect(await left(misp.eventsWithTag([]))).toMatchObject({ _tag: 'InvalidArgument', argument: 'tagId' })
    expect(await left(misp.eventsWithTag([x.id, 'tlp:red']))).toMatchObject({ _tag: 'InvalidArgument' })
    if (version !== '2.3.178') {
      // 2.4 rows carry EventTag (Tag.name) and the live attribute_count
      const row = rows.find((r) => r.uuid === b.uuid) as Record<string, unknown>
      const names = (row['EventTag'] as Array<{ Tag: { name: string } }>).map((et) => et.Tag.name).sort()
      expect(names).toEqual(['campaign:x', 'tlp:green'])
      expect(row['attribute_count']).toBe('2')
    }
  })

  test('deleteAttribute: 2.3 deletes for good (timestamp kept), 2.4 soft-deletes (bumped); then NotFound', async () => {
    const ev = seedEvent(version, [])
    emu.seed([ev])
    const first = ev.Attribute[0]!
    const attrs = stored(ev.uuid)['Attribute'] as Array<Record<string, unknown>>
    const attrId = String(attrs.find((a) => a['uuid'] === first.uuid)?.['id'])
    now += 100
    expect(await right(misp.deleteAttribute(attrId))).toEqual({ _tag: 'Deleted' })
    const soft = version !== '2.3.178' && version !== '2.4.0'
    expect(emu.attributeState(first.uuid)).toBe(soft ? 'deleted' : 'absent')
    expect(emu.attributeUuids(ev.uuid)).toEqual([ev.Attribute[1]!.uuid])
    expect(String(stored(ev.uuid)['timestamp'])).toBe(soft ? String(now) : '1700000000')
    expect(await right(misp.deleteAttribute(attrId))).toEqual({ _tag: 'NotFound' })
    const plain = await right(misp.get(idOf(ev.uuid)))
    expect(plain.Attribute?.map((a) => a.uuid)).toEqual([ev.Attribute[1]!.uuid])
    expect(String(plain.attribute_count)).toBe('1')
    const withDeleted = await right(misp.get(idOf(ev.uuid), { deleted: true }))
    if (soft) {
      const gone = withDeleted.Attribute?.find((a) => a.uuid === first.uuid) as
        | Record<string, unknown>
        | undefined
      expect(gone?.['deleted']).toBe(true)
    } else expect(withDeleted.Attribute?.map((a) => a.uuid)).toEqual([ev.Attribute[1]!.uuid])
  })

  test('writes are never retried: a 503 on addTag is one request and an HttpError', async () => {
    const ev = seedEvent(version, [])
    emu.seed([ev])
    const tag = await right(misp.createTag({ name: 'retry:none' }))
    emu.inject({ kind: 'status', status: 503 }, { times: 5, match: { path: /addTag/ } })
    const n = emu.requests.length
    expect(await left(misp.attachTag(idOf(ev.uuid), tag))).toMatchObject({ _tag: 'HttpError', status: 503 })
    expect(emu.requests.length - n).toBe(1)
    emu.clearFaults()
  })

  test('reads are retried: a 503 on the tag list, then success', async () => {
    emu.inject({ kind: 'status', status: 503 }, { times: 1, match: { path: /tags\/index/ } })
    await right(misp.tags())
    emu.clearFaults()
  })

  test('garbage arguments are InvalidArgument and send nothing; nothing throws', async () => {
    const n = emu.requests.length
    const bad: Array<Promise<unknown>> = [
      misp.attachTag(null as never, { id: '1', name: 'x' })(),
      misp.attachTag('1', null as never)(),
      misp.detachTag('1', 'tlp:red')(),
      misp.detachTag(Symbol('x') as never, '1')(),
      misp.deleteAttribute({} as never)(),
      misp.eventsWithTag('tlp:red')(),
      misp.createTag({ name: '' })(),
      misp.createTag({ name: 'x', colour: 'red' })(),
      misp.createTag(undefined as never)(),
      misp.get('1', { deleted: 'yes' } as never)(),
    ]
    const results = (await Promise.all(bad)) as Array<{ _tag: string; left?: { _tag: string } }>
    expect(results.slice(0, -1).map((r) => r.left?._tag)).toEqual(Array(9).fill('InvalidArgument'))
    // a non-boolean `deleted` is simply not `true`: the plain view
    expect(emu.requests.slice(n).map((r) => r.path)).toEqual(['/events/view/1'])
  })

  test('a wrong key: AuthenticationFailed for every call, the key in no error', async () => {
    const key = 'WrongKeyWrongKeyWrongKeyWrongKey12345678'
    const bad = new MispClient({ url: emu.url, key, version: apiOf(version), retry: 0 })
    const errors = [
      await left(bad.tags()),
      await left(bad.createTag({ name: 'x' })),
      await left(bad.attachTag('1', { id: '1', name: 'x' })),
      await left(bad.detachTag('1', '1')),
      await left(bad.deleteAttribute('1')),
      await left(bad.eventsWithTag('1')),
      await left(bad.get('1', { deleted: true })),
    ]
    for (const e of errors) {
      expect(e._tag).toBe('AuthenticationFailed')
      expect(JSON.stringify(e)).not.toContain(key)
    }
  })
})

describe('MISP 2.3 tag list pages', () => {
  test('120 tags come back in full from 50-tag pages, and the walk stops at the short page', async () => {
    const emu = await startMispEmulator({ version: '2.3.178', role: 'org-admin' })
    try {
      const names = Array.from({ length: 120 }, (_, i) => `t:${String(i).padStart(3, '0')}`)
      emu.seed([{ ...seedEvent('2.3.178', names) }])
      const misp = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.3' })
      const n = emu.requests.length
      const tags = await right(misp.tags())
      expect(tags.map((t) => t.name)).toEqual(names)
      expect(emu.requests.slice(n).map((r) => r.path)).toEqual([
        '/tags/index/page:1',
        '/tags/index/page:2',
        '/tags/index/page:3',
      ])
    } finally {
      await emu.close()
    }
  })

  test('exactly 50 tags: the page past the end (404) ends the walk', async () => {
    const emu = await startMispEmulator({ version: '2.3.178', role: 'org-admin' })
    try {
      emu.seed([
        seedEvent(
          '2.3.178',
          Array.from({ length: 50 }, (_, i) => `u:${String(i).padStart(2, '0')}`),
        ),
      ])
      const misp = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.3' })
      expect(await right(misp.tags())).toHaveLength(50)
    } finally {
      await emu.close()
    }
  })
})
