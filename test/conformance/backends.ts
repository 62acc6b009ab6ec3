/**
 * The servers the conformance scenarios run against: a pair of MISP emulators (2.3.178 and 2.5),
 * or the real MISP 2.3.178 and 2.5.1 that `../shared/real-misp/misp-real` starts (found through
 * `MISP_REAL_23_URL/KEY/SYNC_KEY` and `MISP_REAL_25_URL/KEY`). The scenarios see only REST
 * clients — never an emulator's internals — so the same code asserts the same outcomes on both.
 *
 * Every client records the requests it sends (method and path, client side), so a scenario can
 * tell that a run wrote nothing on a real server as well as on an emulator.
 */
import { MispClient } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'

/** One request a client sent: `METHOD /path` (no query string) and the status it got. */
export interface Sent {
  readonly line: string
  readonly status: number
}

/** A client and the requests it has sent so far (appended in order). */
export interface Recorded<V extends '2.3' | '2.4'> {
  readonly client: MispClient<V>
  readonly sent: Array<Sent>
}

/** What a scenario is given. */
export interface Backend {
  /** e.g. `emulators (string ids)`, `real MISP 2.3.178 + 2.5.1 (numeric ids)` */
  readonly name: string
  readonly real: boolean
  /** the 2.3.178 server, site admin key */
  readonly s23: Recorded<'2.3'>
  /** the 2.5.1 server, site admin key */
  readonly s25: Recorded<'2.4'>
  /** a 2.3.178 server's key of the stock "Sync user" role (perm_sync, no perm_tagger) */
  readonly sync23: Recorded<'2.3'>
  /** reads the server `sync23` writes to, with a key that sees everything there */
  readonly sync23Reader: MispClient<'2.3'>
  /** clients with a key each server refuses */
  readonly bad23: Recorded<'2.3'>
  readonly bad25: Recorded<'2.4'>
  readonly close: () => Promise<void>
}

/** A fetch that records what it sends into `sent`. */
const recordingFetch =
  (sent: Array<Sent>): typeof globalThis.fetch =>
  async (input, init) => {
    const req = new Request(input, init)
    const res = await globalThis.fetch(req)
    sent.push({ line: `${req.method} ${new URL(req.url).pathname}`, status: res.status })
    return res
  }

const recorded = <V extends '2.3' | '2.4'>(url: string, key: string, version: V): Recorded<V> => {
  const sent: Array<Sent> = []
  // no retries: a scenario sees every answer as the server gave it
  return { client: new MispClient({ url, key, version, retry: 0, fetch: recordingFetch(sent) }), sent }
}

/** A key no server has (40 characters, like a real one). */
export const WRONG_KEY = 'NotAKeyOfThisServerNotAKeyOfThisServer00'

/** The emulator pair (and a 2.3 emulator whose key has the "Sync user" role). */
export const emulatorBackend = async (numeric: boolean): Promise<Backend> => {
  const e23 = await startMispEmulator({ version: '2.3.178', role: 'site-admin', orgName: 'ADMIN' })
  const e25 = await startMispEmulator({
    version: '2.5',
    role: 'site-admin',
    orgName: 'ADMIN',
    ...(numeric ? { numericWire: true } : {}),
  })
  const eSync: MispEmulator = await startMispEmulator({ version: '2.3.178', role: 'sync', orgName: 'ADMIN' })
  return {
    name: `emulators 2.3.178 + 2.5 (${numeric ? 'numeric' : 'string'} ids)`,
    real: false,
    s23: recorded(e23.url, e23.apiKey, '2.3'),
    s25: recorded(e25.url, e25.apiKey, '2.4'),
    sync23: recorded(eSync.url, eSync.apiKey, '2.3'),
    sync23Reader: new MispClient({ url: eSync.url, key: eSync.apiKey, version: '2.3', retry: 0 }),
    bad23: recorded(e23.url, WRONG_KEY, '2.3'),
    bad25: recorded(e25.url, WRONG_KEY, '2.4'),
    close: async () => void (await Promise.all([e23.close(), e25.close(), eSync.close()])),
  }
}

/** The environment variables the real servers are found through. */
export const REAL_ENV = [
  'MISP_REAL_23_URL',
  'MISP_REAL_23_KEY',
  'MISP_REAL_23_SYNC_KEY',
  'MISP_REAL_25_URL',
  'MISP_REAL_25_KEY',
] as const

/** The names of the variables that are not set (empty when the real servers can be used). */
export const missingRealEnv = (env: NodeJS.ProcessEnv = process.env): ReadonlyArray<string> =>
  REAL_ENV.filter((k) => (env[k] ?? '') === '')

/** The skip message of the real-server tests. */
export const SKIP_REAL = (missing: ReadonlyArray<string>): string =>
  `real MISP servers not configured (${missing.join(', ')} unset): skipping; run \`./dev real\` ` +
  '(brings up MISP 2.3.178 and 2.5.1 from ../shared/real-misp and runs this suite against them)'

/** Whether the real servers answer ids as JSON numbers (`MISP_REAL_NUMERIC_IDS=1` when started). */
export const realNumeric = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env['MISP_REAL_NUMERIC_IDS'] === '1'

/** The real MISP 2.3.178 and 2.5.1 named by the environment. */
export const realBackend = (env: NodeJS.ProcessEnv = process.env): Backend => {
  const get = (k: (typeof REAL_ENV)[number]): string => env[k] ?? ''
  const u23 = get('MISP_REAL_23_URL')
  const u25 = get('MISP_REAL_25_URL')
  return {
    name: `real MISP 2.3.178 + 2.5.1 (${realNumeric(env) ? 'numeric' : 'string'} ids)`,
    real: true,
    s23: recorded(u23, get('MISP_REAL_23_KEY'), '2.3'),
    s25: recorded(u25, get('MISP_REAL_25_KEY'), '2.4'),
    sync23: recorded(u23, get('MISP_REAL_23_SYNC_KEY'), '2.3'),
    sync23Reader: new MispClient({ url: u23, key: get('MISP_REAL_23_KEY'), version: '2.3', retry: 0 }),
    bad23: recorded(u23, WRONG_KEY, '2.3'),
    bad25: recorded(u25, WRONG_KEY, '2.4'),
    close: async () => undefined,
  }
}
