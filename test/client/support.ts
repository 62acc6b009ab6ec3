/**
 * Helpers of the client tests: running TaskEithers, sample events, emulator profiles.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { formatMispError, type MispError } from '../../src/client/index.js'
import type { EmulatorOptions } from '../../src/testing/index.js'
import type * as V23 from '../../src/v23/index.js'
import type * as V24 from '../../src/v24/index.js'

/** `../shared` next to the repository (absent in a user's clone). */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url))
export const sharedPresent = existsSync(SHARED)
export const SKIP_SHARED = `../shared not found at ${SHARED}: skipping`

/** Runs a TaskEither and insists on Right, showing the error otherwise. */
export const right = async <A>(te: TE.TaskEither<MispError, A>): Promise<A> => {
  const r = await te()
  if (E.isLeft(r))
    throw new Error(`expected Right, got ${formatMispError(r.left)}\n${JSON.stringify(r.left)}`)
  return r.right
}

/** Runs a TaskEither and insists on Left. */
export const left = async <A>(te: TE.TaskEither<MispError, A>): Promise<MispError> => {
  const r = await te()
  if (E.isRight(r)) throw new Error(`expected Left, got ${JSON.stringify(r.right).slice(0, 500)}`)
  return r.left
}

/** The emulator profiles the client is tested against. */
export interface Profile {
  readonly name: string
  readonly api: '2.3' | '2.4'
  readonly options: EmulatorOptions
  /** the edit URL takes a uuid (2.4.60+) */
  readonly editByUuid: boolean
  /** getVersion reports perm_sync (late 2.4) */
  readonly permSync: boolean
  /** the server applies the index timestamp filter (2.4.54+) */
  readonly indexFilter: boolean
}

export const profiles: ReadonlyArray<Profile> = [
  {
    name: '2.3.178',
    api: '2.3',
    options: { version: '2.3.178' },
    editByUuid: false,
    permSync: false,
    indexFilter: false,
  },
  {
    name: '2.4.0',
    api: '2.4',
    options: { version: '2.4.0' },
    editByUuid: false,
    permSync: false,
    indexFilter: false,
  },
  {
    name: '2.4.102',
    api: '2.4',
    options: { version: '2.4.102' },
    editByUuid: true,
    permSync: false,
    indexFilter: true,
  },
  {
    name: '2.4.199',
    api: '2.4',
    options: { version: '2.4.199' },
    editByUuid: true,
    permSync: true,
    indexFilter: true,
  },
  {
    name: '2.5',
    api: '2.4',
    options: { version: '2.5' },
    editByUuid: true,
    permSync: true,
    indexFilter: true,
  },
  {
    name: '2.5 numericWire',
    api: '2.4',
    options: { version: '2.5', numericWire: true },
    editByUuid: true,
    permSync: true,
    indexFilter: true,
  },
]

/** A small 2.3 event with one attribute. */
export const event23 = (overrides: Partial<V23.Event> = {}): V23.Event => ({
  uuid: randomUUID(),
  info: 'misp-bridge client test (2.3)',
  date: '2024-01-01',
  threat_level_id: '2',
  analysis: '1',
  distribution: '1',
  published: false,
  timestamp: '1700000000',
  locked: true,
  Attribute: [
    {
      uuid: randomUUID(),
      type: 'ip-dst',
      category: 'Network activity',
      value: '198.51.100.7',
      distribution: '1',
      to_ids: true,
      comment: '',
      timestamp: '1700000000',
    },
  ],
  ...overrides,
})

/** A small 2.4 event with one attribute. */
export const event24 = (overrides: Partial<V24.Event> = {}): V24.Event => ({
  uuid: randomUUID(),
  info: 'misp-bridge client test (2.4)',
  date: '2024-01-01',
  threat_level_id: '2',
  analysis: '1',
  distribution: '1',
  published: false,
  timestamp: '1700000000',
  locked: true,
  Attribute: [
    {
      uuid: randomUUID(),
      type: 'ip-dst',
      category: 'Network activity',
      value: '198.51.100.7',
      distribution: '5',
      to_ids: true,
      comment: '',
      timestamp: '1700000000',
    },
  ],
  ...overrides,
})

/** Requests of an emulator log as `METHOD /path` lines. */
export const lines = (
  requests: ReadonlyArray<{ readonly method: string; readonly path: string }>,
): Array<string> => requests.map((r) => `${r.method} ${r.path}`)
