/**
 * `getMany` over real HTTP: one restSearch by uuid list where MISP has the filter (≥ 2.4.55),
 * one view per event elsewhere (2.4.0, 2.3); missing events are absent; bad arguments are
 * `InvalidArgument`; a cut answer is read again.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import { type ApiVersion, MispClient } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { left, right } from './support.js'

type Version = '2.3.178' | '2.4.0' | '2.4.199' | '2.5'
const apiOf = (v: Version): ApiVersion => (v === '2.3.178' ? '2.3' : '2.4')

const event = (v: Version, n: number) => ({
  Event: {
    uuid: randomUUID(),
    info: `event ${n}`,
    date: '2024-01-01',
    threat_level_id: '2',
    analysis: '1',
    distribution: '1',
    published: true,
    timestamp: String(1_700_000_000 + n),
    ...(v === '2.3.178' ? { orgc: 'ORGNAME', org: 'ORGNAME' } : { Orgc: { name: 'ORGNAME' } }),
    Attribute: [
      {
        uuid: randomUUID(),
        type: 'ip-dst',
        category: 'Network activity',
        to_ids: true,
        distribution: '1',
        timestamp: String(1_700_000_000 + n),
        value: `198.51.100.${n}`,
      },
    ],
  },
})

let e: MispEmulator | undefined
afterEach(async () => {
  await e?.close()
  e = undefined
})

describe.each(['2.3.178', '2.4.0', '2.4.199', '2.5'] as const)('MISP %s', (v) => {
  test('getMany: the events asked for (missing ones absent), in one search where MISP has it', async () => {
    const events = [1, 2, 3].map((n) => event(v, n))
    e = await startMispEmulator({ version: v, events })
    const c = new MispClient({ url: e.url, key: e.apiKey, version: apiOf(v), retry: 0 })
    await right(c.version())
    const before = e.requests.length
    const wanted = [events[0]!.Event.uuid, events[2]!.Event.uuid, randomUUID()]
    const got = await right(c.getMany(wanted))
    expect(got.map((x) => x.uuid).sort()).toEqual([events[0]!.Event.uuid, events[2]!.Event.uuid].sort())
    expect(got.map((x) => x.Attribute?.length)).toEqual([1, 1])
    const sent = e.requests.slice(before).map((r) => `${r.method} ${r.path}`)
    if (v === '2.4.199' || v === '2.5') expect(sent).toEqual(['POST /events/restSearch'])
    else expect(sent).toHaveLength(3) // one view each
    expect(await right(c.getMany([]))).toEqual([])
    expect((await left(c.getMany(['not-a-uuid'])))._tag).toBe('InvalidArgument')
  })
})

test('getMany: a cut answer is read again (a read)', async () => {
  const events = [1, 2].map((n) => event('2.5', n))
  e = await startMispEmulator({ version: '2.5', events })
  const c = new MispClient({ url: e.url, key: e.apiKey, version: '2.4', retry: { limit: 2, baseDelay: 1 } })
  e.inject({ kind: 'truncated-json' }, { times: 1, match: { method: 'POST', path: /restSearch/ } })
  const got = await right(c.getMany(events.map((x) => x.Event.uuid)))
  expect(got).toHaveLength(2)
})
