/**
 * `addAttribute` over real HTTP against the emulator: MISP 2.3's `POST /attributes/add/{eventId}`
 * adds one attribute (uuid and timestamp kept; the event unpublished and stamped), answers
 * "already exists" for a stored uuid (`AlreadyExists`: idempotent by uuid), refuses a key of
 * another org that is not a site admin (`Forbidden`, not a refused key); on 2.4/2.5 it is an
 * `InvalidArgument`.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { left, right } from './support.js'

const started: Array<MispEmulator> = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()))
})

const start = async (role: 'sync' | 'site-admin', version: '2.3.178' | '2.5' = '2.3.178') => {
  const e = await startMispEmulator({
    version,
    role,
    events: [
      {
        Event: {
          uuid: randomUUID(),
          info: 'a synced copy',
          orgc: 'CERT-XY',
          Orgc: { name: 'CERT-XY' },
          locked: true,
          published: true,
          timestamp: '1700000000',
          Attribute: [],
        },
      },
    ],
  })
  started.push(e)
  const c = new MispClient({
    url: e.url,
    key: e.apiKey,
    version: version === '2.5' ? '2.4' : '2.3',
    retry: 0,
  })
  return { e, c, id: String(e.events()[0]?.['id']), uuid: String(e.events()[0]?.['uuid']) }
}

const attribute = () => ({
  uuid: randomUUID(),
  type: 'ip-dst',
  category: 'Network activity',
  value: '10.20.30.40',
  to_ids: true,
  distribution: '0',
  timestamp: '1700000000',
})

test('2.3: added with its uuid and timestamp; the event unpublished and stamped; a second add: AlreadyExists', async () => {
  const { e, c, id, uuid } = await start('site-admin')
  const a = attribute()
  const r = await right(c.addAttribute(id, a))
  expect(r).toEqual({ _tag: 'Added', id: expect.stringMatching(/^\d+$/) })
  const ev = e.event(uuid)
  const stored = ((ev?.['Attribute'] ?? []) as Array<Record<string, unknown>>)[0]
  expect([stored?.['uuid'], stored?.['timestamp']]).toEqual([a.uuid, '1700000000'])
  expect(ev?.['published']).toBe(false)
  expect(Number(ev?.['timestamp'])).toBeGreaterThan(1700000000)
  expect(await right(c.addAttribute(id, a))).toEqual({ _tag: 'AlreadyExists' })
  expect(((e.event(uuid)?.['Attribute'] ?? []) as Array<unknown>).length).toBe(1)
  expect(e.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
    `POST /attributes/add/${id} 200`,
    `POST /attributes/add/${id} 404`,
  ])
})

test('2.3: a sync user adding to a copy another org created is Forbidden (not AuthenticationFailed)', async () => {
  const { e, c, id, uuid } = await start('sync')
  const err = await left(c.addAttribute(id, attribute()))
  expect(err._tag).toBe('Forbidden')
  expect(((e.event(uuid)?.['Attribute'] ?? []) as Array<unknown>).length).toBe(0)
})

test('2.4/2.5: InvalidArgument (an edit adds attributes there); nothing sent', async () => {
  const { e, c, id } = await start('site-admin', '2.5')
  const err = await left(c.addAttribute(id, attribute()))
  expect(err._tag).toBe('InvalidArgument')
  expect(e.requests).toHaveLength(0)
})
