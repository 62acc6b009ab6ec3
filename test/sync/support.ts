/**
 * Helpers of the sync tests: emulator pairs, sample wire events, temporary directories, reading
 * the JSON Lines log and the archive back.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MispClient } from '../../src/client/index.js'
import type { TransferRecord } from '../../src/sync/index.js'
import { type EmulatorVersion, type MispEmulator, startMispEmulator } from '../../src/testing/index.js'

/** The 2.4-era profiles each direction is tested against (with MISP 2.3.178 on the other side). */
export const profiles24: ReadonlyArray<EmulatorVersion> = ['2.4.0', '2.4.199', '2.5']

export const T0 = 1_700_000_000

export interface Pair {
  readonly e23: MispEmulator
  readonly e24: MispEmulator
  readonly c23: MispClient<'2.3'>
  readonly c24: MispClient<'2.4'>
  readonly close: () => Promise<void>
}

/** A MISP 2.3.178 and a 2.4-era emulator, with clients that do not retry (fault tests stay fast). */
export const startPair = async (
  v24: EmulatorVersion,
  seed: {
    readonly events23?: ReadonlyArray<unknown>
    readonly events24?: ReadonlyArray<unknown>
    /** both servers' clock (unix seconds); default the real one */
    readonly clock?: () => number
    /** the 2.3 key's role (default the stock "Org Admin") */
    readonly role23?: 'sync' | 'org-admin' | 'site-admin'
  } = {},
): Promise<Pair> => {
  const clock = seed.clock === undefined ? {} : { clock: seed.clock }
  // 2.3's stock "Sync user" may not tag (MYSQL.sql@v2.3.178:536): the key of a bridge that carries tags
  // to a 2.3 needs a role with perm_sync and perm_tagger, such as the stock "Org Admin"
  const e23 = await startMispEmulator({
    version: '2.3.178',
    role: seed.role23 ?? 'org-admin',
    events: seed.events23 ?? [],
    ...clock,
  })
  const e24 = await startMispEmulator({ version: v24, events: seed.events24 ?? [], ...clock })
  const c23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3', retry: 0 })
  const c24 = new MispClient({ url: e24.url, key: e24.apiKey, version: '2.4', retry: 0 })
  return { e23, e24, c23, c24, close: async () => void (await Promise.all([e23.close(), e24.close()])) }
}

/** A 2.3 wire event: `n` orders it (timestamp T0 + n). */
export const wire23 = (
  n: number,
  overrides: Record<string, unknown> = {},
): { Event: Record<string, unknown> } => ({
  Event: {
    uuid: randomUUID(),
    info: `2.3 event ${n}`,
    date: '2024-01-01',
    threat_level_id: '2',
    analysis: '1',
    distribution: '1',
    published: true,
    timestamp: String(T0 + n),
    org: 'ORGNAME',
    orgc: 'CIRCL',
    locked: false,
    Attribute: [
      {
        uuid: randomUUID(),
        type: 'ip-dst',
        category: 'Network activity',
        value: `198.51.100.${n % 250}`,
        to_ids: true,
        distribution: '1',
        comment: '',
        timestamp: String(T0 + n),
      },
    ],
    ...overrides,
  },
})

/**
 * A 2.4 wire event: an object, a tag, an attribute inheriting the event's distribution (5) and
 * one 2.3 cannot hold (sha512).
 */
export const wire24 = (
  n: number,
  overrides: Record<string, unknown> = {},
): { Event: Record<string, unknown> } => ({
  Event: {
    uuid: randomUUID(),
    info: `2.4 event ${n}`,
    date: '2024-01-01',
    threat_level_id: '2',
    analysis: '1',
    distribution: '1',
    sharing_group_id: '0',
    published: true,
    timestamp: String(T0 + n),
    locked: false,
    Orgc: { name: 'CERT-XY', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000aa' },
    Tag: [{ name: 'tlp:green', colour: '#33FF00', exportable: true }],
    Attribute: [
      {
        uuid: randomUUID(),
        type: 'domain',
        category: 'Network activity',
        value: `host${n}.example.test`,
        to_ids: true,
        distribution: '5',
        sharing_group_id: '0',
        comment: '',
        timestamp: String(T0 + n),
      },
      {
        uuid: randomUUID(),
        type: 'sha512',
        category: 'Payload delivery',
        value: `${'ab'.repeat(63)}${String(n % 100).padStart(2, '0')}`,
        to_ids: true,
        distribution: '5',
        sharing_group_id: '0',
        comment: '',
        timestamp: String(T0 + n),
      },
    ],
    Object: [
      {
        uuid: randomUUID(),
        name: 'domain-ip',
        'meta-category': 'network',
        distribution: '5',
        sharing_group_id: '0',
        timestamp: String(T0 + n),
        deleted: false,
        Attribute: [
          {
            uuid: randomUUID(),
            type: 'ip-dst',
            category: 'Network activity',
            object_relation: 'ip',
            value: `192.0.2.${n % 250}`,
            to_ids: true,
            distribution: '5',
            sharing_group_id: '0',
            comment: '',
            timestamp: String(T0 + n),
          },
        ],
      },
    ],
    ...overrides,
  },
})

/** Overrides that make a 2.4 event a sharing-group event. */
export const sharingGroup = {
  distribution: '4',
  sharing_group_id: '1',
  SharingGroup: {
    name: 'Test ISAC',
    uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000005b1',
    releasability: 'members',
    Organisation: { name: 'CERT-XY', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000aa' },
    SharingGroupOrg: [
      { extend: true, Organisation: { name: 'CERT-XY', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000aa' } },
    ],
  },
}

export const uuidOf = (w: { Event: Record<string, unknown> }): string => w.Event['uuid'] as string

/** How many events with this uuid the emulator holds. */
export const copies = (e: MispEmulator, uuid: string): number =>
  e.events().filter((x) => x['uuid'] === uuid).length

/** A temporary directory, removed by the returned function. */
export const tempDir = async (): Promise<{ readonly path: string; readonly remove: () => Promise<void> }> => {
  const path = await mkdtemp(join(tmpdir(), 'misp-bridge-test-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** The JSON Lines log, parsed. */
export const readLog = async (path: string): Promise<Array<TransferRecord>> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TransferRecord)

/** The archive files of one event (names), or none. */
export const archived = async (dir: string, uuid: string): Promise<Array<string>> =>
  readdir(join(dir, uuid)).then(
    (names) => names.sort(),
    () => [],
  )

/** An archived JSON document. */
export const readArchived = async (dir: string, uuid: string, name: string): Promise<unknown> =>
  JSON.parse(await readFile(join(dir, uuid, name), 'utf8'))

/** Requests of an emulator as `METHOD /path` lines. */
export const lines = (e: MispEmulator, from = 0): Array<string> =>
  e.requests.slice(from).map((r) => `${r.method} ${r.path}`)

/**
 * Requests as `METHOD /path` lines, without the quiet publishes the target refused (a 405: the
 * sync key may not publish another organisation's copy; nothing was written — the connector tries
 * once and the run says so, see arrival.emulator.test.ts).
 */
export const landed = (e: MispEmulator, from = 0): Array<string> =>
  e.requests
    .slice(from)
    .filter((r) => !(r.status === 405 && /^\/events\/publish\/\d+$/.test(r.path)))
    .map((r) => `${r.method} ${r.path}`)
