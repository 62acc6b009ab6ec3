/**
 * Sharing rules over real HTTP (emulator), both directions: each rule field, prefix and case
 * rules, what the run reads (an excluded event is never read), dry-run reasons, a re-run that
 * writes nothing, and copies of events excluded after they were copied (keep, unpublish, delete).
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import {
  type ConnectorOptions,
  connect23to24,
  connect24to23,
  type RunResult,
  type SyncRules,
} from '../../src/sync/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { T0, uuidOf, wire23, wire24 } from './support.js'

const WRITE = /^(PUT|DELETE) |^POST (?!\/events\/(restSearch|index)\b)/
const servers: Array<MispEmulator> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const start = async (version: '2.3.178' | '2.5', events: ReadonlyArray<unknown>, role?: 'site-admin') => {
  // a 2.3 target's key must tag (2.3's stock "Sync user" may not): the stock "Org Admin"
  const e = await startMispEmulator({
    version,
    events,
    ...(role !== undefined ? { role } : version === '2.3.178' ? { role: 'org-admin' as const } : {}),
  })
  servers.push(e)
  return e
}

const ORG_UUID = '5f1c2a3e-0d4b-4c8e-9a1f-0000000000bb'

/** The same five events in either shape: what each rule sees. */
const fixture = (shape: '2.3' | '2.4') => {
  const mk = (
    n: number,
    o: { tags: ReadonlyArray<string>; org?: string; published?: boolean; email?: boolean },
  ) => {
    const base = shape === '2.3' ? wire23(n) : wire24(n)
    const e = base.Event
    const extra =
      o.email === true
        ? [
            {
              uuid: randomUUID(),
              type: 'email-src',
              category: 'Payload delivery',
              value: `attacker${n}@example.test`,
              to_ids: true,
              distribution: shape === '2.3' ? '1' : '5',
              comment: '',
              timestamp: String(T0 + n),
            },
          ]
        : []
    return {
      Event: {
        ...e,
        published: o.published ?? true,
        ...(shape === '2.3'
          ? { orgc: o.org ?? 'CIRCL' }
          : { Orgc: { name: o.org ?? 'CIRCL', uuid: o.org === 'ACME-Internal' ? ORG_UUID : randomUUID() } }),
        Tag: o.tags.map((name) => ({ name, exportable: true })),
        Attribute: [...(e['Attribute'] as Array<unknown>), ...extra],
      },
    }
  }
  return {
    red: mk(1, { tags: ['tlp:red'] }),
    acme: mk(2, { tags: ['tlp:green'], org: 'ACME-Internal' }),
    unpublished: mk(3, { tags: ['tlp:green'], published: false }),
    green: mk(4, { tags: ['TLP:GREEN', 'osint:source-type="blog-post"'], email: true }),
    untagged: mk(5, { tags: [] }),
  }
}

const rules: SyncRules = {
  tags: { OR: ['tlp:*'], NOT: ['TLP:RED'] },
  orgs: { NOT: ['acme-internal'] },
  published: true,
  type_attributes: { NOT: ['email-src'] },
}

const outcome = (r: RunResult, uuid: string) => r.events.find((e) => e.uuid === uuid)

interface Direction {
  readonly name: string
  readonly sourceVersion: '2.3.178' | '2.5'
  readonly targetVersion: '2.3.178' | '2.5'
  readonly shape: '2.3' | '2.4'
  readonly connect: (
    from: MispEmulator,
    to: MispEmulator,
    o: Omit<ConnectorOptions<'2.3'> & ConnectorOptions<'2.4'>, 'skip'>,
  ) => ReturnType<typeof connect23to24> | ReturnType<typeof connect24to23>
}

const client = <V extends '2.3' | '2.4'>(e: MispEmulator, version: V) =>
  new MispClient({ url: e.url, key: e.apiKey, version, retry: 0 })

const directions: ReadonlyArray<Direction> = [
  {
    name: '2.5 → 2.3',
    sourceVersion: '2.5',
    targetVersion: '2.3.178',
    shape: '2.4',
    connect: (from, to, o) => connect24to23({ from: client(from, '2.4'), to: client(to, '2.3'), ...o }),
  },
  {
    name: '2.3 → 2.5',
    sourceVersion: '2.3.178',
    targetVersion: '2.5',
    shape: '2.3',
    connect: (from, to, o) => connect23to24({ from: client(from, '2.3'), to: client(to, '2.4'), ...o }),
  },
]

/** The source requests that read an event (one by one, or a batch naming it). */
const readsOf = (source: MispEmulator, uuid: string) =>
  source.requests.filter(
    (r) =>
      (r.method === 'GET' && r.path.toLowerCase().includes(`/events/view/${uuid.toLowerCase()}`)) ||
      (r.path.startsWith('/events/restSearch') && JSON.stringify(r.body ?? '').includes(uuid)),
  )

describe.each(directions)('rules, $name', (d) => {
  test('each field excludes with its reason; prefix and case rules; excluded events are never read; a re-run writes nothing', async () => {
    const f = fixture(d.shape)
    const source = await start(d.sourceVersion, Object.values(f))
    const target = await start(d.targetVersion, [])
    const run = await d.connect(source, target, { rules, concurrency: 2 }).sync()()
    expect(run.ok).toBe(true)
    expect(outcome(run, uuidOf(f.red))).toMatchObject({
      outcome: 'skipped',
      reason: 'rules.tags.NOT: tlp:red',
    })
    expect(outcome(run, uuidOf(f.acme))).toMatchObject({
      outcome: 'skipped',
      reason: 'rules.orgs.NOT: ACME-Internal',
    })
    expect(outcome(run, uuidOf(f.unpublished))).toMatchObject({
      outcome: 'skipped',
      reason: 'rules.published: the event is not published',
    })
    expect(outcome(run, uuidOf(f.untagged))).toMatchObject({
      outcome: 'skipped',
      reason: 'rules.tags.OR: none of tlp:* (the event has no tags)',
    })
    expect(outcome(run, uuidOf(f.green))?.outcome).toBe('created')
    // the index told: no excluded event was read from the source
    for (const e of [f.red, f.acme, f.unpublished, f.untagged]) expect(readsOf(source, uuidOf(e))).toEqual([])
    // only the included event crossed, without its email-src attribute
    expect(target.events().map((e) => e['uuid'])).toEqual([uuidOf(f.green)])
    // 2.3 source: its ip-dst; 2.5 source: the domain and the object's ip-dst (2.3 has no sha512)
    expect(target.attributeUuids(uuidOf(f.green))).toHaveLength(d.shape === '2.3' ? 1 : 2)
    const sentTypes = JSON.stringify(target.event(uuidOf(f.green)))
    expect(sentTypes).not.toContain('email-src')
    expect(sentTypes).not.toContain('attacker4@example.test')

    // a re-run with the rules and nothing changed writes nothing
    const before = target.requests.length
    const again = await d.connect(source, target, { rules }).sync()()
    expect(again.counts).toMatchObject({ created: 0, updated: 0, failed: 0, skipped: 4, unchanged: 1 })
    expect(
      target.requests
        .slice(before)
        .filter((r) => !(r.status === 405 && r.path.startsWith('/events/publish/')))
        .map((r) => `${r.method} ${r.path}`)
        .filter((l) => WRITE.test(l)),
    ).toEqual([])

    // a dry run for one uuid answers "why did it not cross?"
    const why = await d.connect(source, target, { rules }).sync({ uuids: [uuidOf(f.red)], dryRun: true })()
    expect(why.events[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'rules.tags.NOT: tlp:red',
      dryRun: true,
    })
    const one = await d.connect(source, target, { rules }).transfer(uuidOf(f.acme))()
    expect(one).toMatchObject({ outcome: 'skipped', reason: 'rules.orgs.NOT: ACME-Internal' })
  })

  test('orgs by uuid (2.4/2.5) or name, OR lists, and rules that let everything through', async () => {
    const f = fixture(d.shape)
    const source = await start(d.sourceVersion, [f.acme, f.green])
    const target = await start(d.targetVersion, [])
    const onlyAcme: SyncRules = { orgs: { OR: [d.shape === '2.4' ? ORG_UUID : 'acme-internal'] } }
    const run = await d.connect(source, target, { rules: onlyAcme }).sync()()
    expect(outcome(run, uuidOf(f.acme))?.outcome).toBe('created')
    expect(outcome(run, uuidOf(f.green))).toMatchObject({
      outcome: 'skipped',
      reason: `rules.orgs.OR: CIRCL is not among ${onlyAcme.orgs?.OR?.[0]}`,
    })
    const open = await d.connect(source, target, { rules: { tags: { OR: [], NOT: [] } } }).sync()()
    expect(open.counts.skipped).toBe(0)
  })

  test('a copy excluded later: kept (not updated) by default, unpublished or deleted on request', async () => {
    const f = fixture(d.shape)
    const source = await start(d.sourceVersion, [f.green])
    const target = await start(d.targetVersion, [], 'site-admin')
    const G = uuidOf(f.green)
    const blockRed: SyncRules = { tags: { NOT: ['tlp:red'] } }
    expect((await d.connect(source, target, { rules: blockRed }).sync()()).counts.created).toBe(1)
    expect(target.event(G)?.['published']).toBe(true)
    // reclassified at the source
    source.setEvent(G, (e) => {
      e['info'] = 'now red'
      e['Tag'] = [{ name: 'tlp:red', exportable: true }]
    })
    const kept = await d.connect(source, target, { rules: blockRed }).sync()()
    expect(outcome(kept, G)?.outcome).toBe('skipped')
    expect(outcome(kept, G)?.reason).toMatch(
      /^rules\.tags\.NOT: tlp:red; its copy on the target \(id \d+\) is left as is and not updated while excluded/,
    )
    expect(target.event(G)?.['info']).not.toBe('now red')
    expect(readsOf(source, G)).toHaveLength(1) // the first run's read only

    if (d.targetVersion === '2.5') {
      const unpub = await d.connect(source, target, { rules: blockRed, excludedCopies: 'unpublish' }).sync()()
      expect(outcome(unpub, G)?.reason).toMatch(/was unpublished \(excludedCopies: 'unpublish'\)$/)
      expect(target.event(G)?.['published']).toBe(false)
    } else {
      const unpub = await d.connect(source, target, { rules: blockRed, excludedCopies: 'unpublish' }).sync()()
      expect(outcome(unpub, G)?.reason).toMatch(/MISP 2\.3 has no unpublish call/)
    }
    const dry = await d
      .connect(source, target, { rules: blockRed, excludedCopies: 'delete' })
      .sync({ dryRun: true })()
    expect(outcome(dry, G)?.reason).toMatch(/would be deleted/)
    expect(target.event(G)).toBeDefined()
    const del = await d.connect(source, target, { rules: blockRed, excludedCopies: 'delete' }).sync()()
    expect(outcome(del, G)?.reason).toMatch(/was deleted \(excludedCopies: 'delete'\)$/)
    expect(target.event(G)).toBeUndefined()
  })

  test("the target's own event is never unpublished or deleted", async () => {
    const f = fixture(d.shape)
    const source = await start(d.sourceVersion, [f.red])
    // the target has an event of its own with the same uuid (not locked)
    const own =
      d.targetVersion === '2.3.178' ? wire23(9, { uuid: uuidOf(f.red) }) : wire24(9, { uuid: uuidOf(f.red) })
    const target = await start(d.targetVersion, [own], 'site-admin')
    const run = await d
      .connect(source, target, { rules: { tags: { NOT: ['tlp:red'] } }, excludedCopies: 'delete' })
      .sync()()
    expect(outcome(run, uuidOf(f.red))?.reason).toMatch(
      /is the target's own event \(not locked\): left alone$/,
    )
    expect(target.event(uuidOf(f.red))).toBeDefined()
  })
})

test('invalid rules are an InvalidOptions error of the run (and a failed transfer), nothing sent', async () => {
  const source = await start('2.5', [])
  const target = await start('2.3.178', [])
  const bad = { tags: { NOT: ['12'] } } as SyncRules
  const c = connect24to23({ from: client(source, '2.4'), to: client(target, '2.3'), rules: bad })
  const run = await c.sync()()
  expect(run.ok).toBe(false)
  expect(run.errors[0]).toMatchObject({ _tag: 'InvalidOptions' })
  expect(run.errors[0]?._tag === 'InvalidOptions' && run.errors[0].message).toMatch(
    /"12" looks like a MISP id/,
  )
  expect((await c.transfer(randomUUID())()).outcome).toBe('failed')
  expect(source.requests).toEqual([])
})
