/**
 * The arrival policy over real HTTP (emulator), both directions: copies of published events are
 * published without alert e-mails by default (asserted on the target's alert counter), 'never'
 * and 'as-source' (with and without MISP.disablerestalert), a refused quiet publish said once,
 * and arrival tags kept by a mirror re-run that writes nothing.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import { type ConnectorOptions, connect23to24, connect24to23 } from '../../src/sync/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { uuidOf, wire23, wire24 } from './support.js'

const WRITE = /^(PUT|DELETE) |^POST (?!\/events\/(restSearch|index)\b)/
const servers: Array<MispEmulator> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

type Role = 'site-admin' | 'sync' | 'org-admin'
const start = async (
  version: '2.3.178' | '2.5',
  events: ReadonlyArray<unknown>,
  o: { role?: Role; disableRestAlert?: boolean } = {},
) => {
  const e = await startMispEmulator({ version, events, ...o })
  servers.push(e)
  return e
}

const client = <V extends '2.3' | '2.4'>(e: MispEmulator, version: V) =>
  new MispClient({ url: e.url, key: e.apiKey, version, retry: 0 })

type Options = Omit<ConnectorOptions<'2.3'> & ConnectorOptions<'2.4'>, 'skip'>
const directions = [
  {
    name: '2.5 → 2.3',
    source: '2.5' as const,
    target: '2.3.178' as const,
    events: () => [wire24(1), wire24(2), wire24(3, { published: false })],
    connect: (from: MispEmulator, to: MispEmulator, o: Options = {}) =>
      connect24to23({ from: client(from, '2.4'), to: client(to, '2.3'), ...o }),
  },
  {
    name: '2.3 → 2.5',
    source: '2.3.178' as const,
    target: '2.5' as const,
    events: () => [wire23(1), wire23(2), wire23(3, { published: false })],
    connect: (from: MispEmulator, to: MispEmulator, o: Options = {}) =>
      connect23to24({ from: client(from, '2.3'), to: client(to, '2.4'), ...o }),
  },
]

const writes = (e: MispEmulator, from: number) =>
  e.requests
    .slice(from)
    .map((r) => `${r.method} ${r.path}`)
    .filter((l) => WRITE.test(l))

describe.each(directions)('arrival, $name', (d) => {
  test("'quiet' (default): published copies, 0 alert e-mails; a re-run writes nothing", async () => {
    const evs = d.events()
    const source = await start(d.source, evs)
    const target = await start(d.target, [], { role: 'site-admin' })
    const run = await d.connect(source, target).sync()()
    expect(run.ok).toBe(true)
    expect(run.counts.created).toBe(3)
    expect(target.alertEmails()).toEqual([])
    expect(evs.map((e) => target.event(uuidOf(e))?.['published'])).toEqual([true, true, false])
    // written unpublished, then published with the publish-without-e-mail call
    const sent = target.requests.filter((r) => r.method === 'POST' && /^\/events(\/add)?$/.test(r.path))
    expect(sent.map((r) => (r.body as { Event: { published: unknown } }).Event.published)).toEqual([
      false,
      false,
      false,
    ])
    expect(target.requests.filter((r) => r.path.startsWith('/events/publish/'))).toHaveLength(2)
    expect(target.requests.filter((r) => r.path.startsWith('/events/alert/'))).toEqual([])
    expect(run.events.find((e) => e.uuid === uuidOf(evs[0]!))?.reason).toMatch(
      /published \(without alert e-mails\)/,
    )

    const before = target.requests.length
    const again = await d.connect(source, target).sync()()
    expect(again.counts).toMatchObject({ unchanged: 3, created: 0, updated: 0, failed: 0 })
    expect(writes(target, before)).toEqual([])

    // an edit at the source: updated (written unpublished), published again, still no e-mail
    source.setEvent(uuidOf(evs[0]!), (e) => {
      e['info'] = 'edited'
      e['published'] = true
    })
    const edited = await d.connect(source, target).sync()()
    expect(edited.counts.updated).toBe(1)
    expect(target.event(uuidOf(evs[0]!))?.['published']).toBe(true)
    expect(target.alertEmails()).toEqual([])
  })

  test("'as-source' e-mails the target's users (unless disablerestalert); 'never' leaves copies unpublished", async () => {
    const evs = d.events()
    const source = await start(d.source, evs)
    const loud = await start(d.target, [], { role: 'site-admin' })
    await d.connect(source, loud, { arrival: { publish: 'as-source' } }).sync()()
    expect(loud.alertEmails().map((a) => a.via)).toEqual(['add', 'add'])
    const muted = await start(d.target, [], { role: 'site-admin', disableRestAlert: true })
    await d.connect(source, muted, { arrival: { publish: 'as-source' } }).sync()()
    expect(muted.alertEmails()).toEqual([])
    expect(muted.event(uuidOf(evs[0]!))?.['published']).toBe(true)
    const never = await start(d.target, [], { role: 'site-admin' })
    await d.connect(source, never, { arrival: { publish: 'never' } }).sync()()
    expect(never.alertEmails()).toEqual([])
    expect(evs.map((e) => never.event(uuidOf(e))?.['published'])).toEqual([false, false, false])
    expect(never.requests.filter((r) => r.path.startsWith('/events/publish/'))).toEqual([])
  })

  test('a refused quiet publish: copies unpublished, said once with the fix, no failure', async () => {
    const evs = d.events()
    const source = await start(d.source, evs)
    // not a site admin: may not publish another organisation's event (the copies keep their
    // creator); on 2.3 the stock "Org Admin" (perm_publish, and it may tag), on 2.5 a sync user
    const target = await start(d.target, [], { role: d.target === '2.3.178' ? 'org-admin' : 'sync' })
    const connector = d.connect(source, target, { concurrency: 1 })
    const run = await connector.sync()()
    expect(run.ok).toBe(true)
    expect(run.counts).toMatchObject({ created: 3, failed: 0 })
    expect(run.notices).toHaveLength(1)
    expect(run.notices?.[0]).toMatch(/refused to publish copies for this key .*site-admin key.*'never'/)
    expect(target.requests.filter((r) => r.path.startsWith('/events/publish/'))).toHaveLength(1)
    expect(target.alertEmails()).toEqual([])
    expect(evs.map((e) => target.event(uuidOf(e))?.['published'])).toEqual([false, false, false])
    // the same connector does not try again, and says so again
    const again = await connector.sync()()
    expect(again.notices).toHaveLength(1)
    expect(target.requests.filter((r) => r.path.startsWith('/events/publish/'))).toHaveLength(1)
  })

  test('arrival tags reach every copy and survive a mirror re-run that writes nothing', async () => {
    const evs = d.events()
    const source = await start(d.source, evs)
    const target = await start(d.target, [], { role: 'site-admin' })
    const o: Options = { arrival: { tags: ['source:misp-bridge'] } }
    await d.connect(source, target, o).sync()()
    for (const e of evs)
      expect(target.eventTags(uuidOf(e)).map((t) => t.name)).toContain('source:misp-bridge')
    const before = target.requests.length
    const again = await d.connect(source, target, o).sync()()
    expect(again.counts).toMatchObject({ unchanged: 3, updated: 0, failed: 0 })
    expect(writes(target, before)).toEqual([])
    for (const e of evs)
      expect(target.eventTags(uuidOf(e)).map((t) => t.name)).toContain('source:misp-bridge')
    // without them in the options, mirror removes them again (they are the bridge's, not the target's)
    await d.connect(source, target).sync()()
    expect(target.eventTags(uuidOf(evs[0]!)).map((t) => t.name)).not.toContain('source:misp-bridge')
  })
})

test('a source published later (publishing keeps the timestamp): the copy is published on the next run, nothing rewritten', async () => {
  const ev = wire24(1, { published: false })
  const source = await start('2.5', [ev], { role: 'site-admin' })
  const target = await start('2.3.178', [], { role: 'site-admin' })
  const connect = () => connect24to23({ from: client(source, '2.4'), to: client(target, '2.3') })
  await connect().sync()()
  expect(target.event(uuidOf(ev))?.['published']).toBe(false)
  const stamp = source.event(uuidOf(ev))?.['timestamp']
  const res = await fetch(new URL(`events/publish/${source.event(uuidOf(ev))?.['id']}`, source.url), {
    method: 'POST',
    headers: { Authorization: source.apiKey, Accept: 'application/json' },
  })
  expect(res.status).toBe(200)
  expect(source.event(uuidOf(ev))?.['timestamp']).toBe(stamp)
  const before = target.requests.length
  const run = await connect().sync()()
  expect(run.events[0]).toMatchObject({
    outcome: 'updated',
    reason: expect.stringMatching(/published \(without alert e-mails\)$/),
  })
  expect(writes(target, before)).toEqual([`POST /events/publish/${target.event(uuidOf(ev))?.['id']}`])
  expect(target.event(uuidOf(ev))?.['published']).toBe(true)
  expect(target.alertEmails()).toEqual([])
})

test('arrival tags need a tags mode: an InvalidOptions error with tags none', async () => {
  const source = await start('2.5', [])
  const target = await start('2.3.178', [])
  const run = await connect24to23({
    from: client(source, '2.4'),
    to: client(target, '2.3'),
    tags: 'none',
    arrival: { tags: ['x'] },
  }).sync()()
  expect(run.errors).toEqual([{ _tag: 'InvalidOptions', message: expect.stringMatching(/arrival\.tags/) }])
})
