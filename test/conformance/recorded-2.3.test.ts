/**
 * Replays the exchanges recorded from a real MISP 2.3.178 (../shared/fixtures/real-server-2.3:
 * 56 for a site admin's key, 56 for a key of the stock "Sync user" role) against a fresh 2.3.178
 * emulator of the same role, in recording order, and diffs each answer with the real one: status,
 * `Location` (base replaced), content type, and the whole JSON body — key order included, so the
 * shapes match as well as the values. The recording started on a fresh database (ids from 1), and
 * every uuid and timestamp in it came from the requests, so nothing needs masking.
 */
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type EmulatorRole, type MispEmulator, startMispEmulator } from '../../src/testing/index.js'

/** One recorded exchange (PROVENANCE.md there). */
interface Exchange {
  readonly step: string
  readonly method: string
  readonly path: string
  /** the request body as sent ('' or absent for none) */
  readonly request: string | null
  readonly status: number
  readonly location: string | null
  readonly contentType: string | null
  /** the parsed JSON body; absent when the answer had none (then `text` is) */
  readonly body?: unknown
  readonly text?: string
}

/**
 * Exchanges the emulator does not imitate, and why: an artefact of the recording server's PHP 8
 * patch (../shared/real-misp/README.md: "POST /events/filterEventIdsForPush with bare uuid strings
 * answers 500 (PHP 5 answered 200 with junk)").
 */
const notImitated: Record<string, string> = {
  '8b POST events/filterEventIdsForPush bare uuids': 'a PHP 8 artefact of the recording server (500)',
}

const dir = new URL('../../../shared/fixtures/real-server-2.3/', import.meta.url)
const recordedBase = 'http://127.0.0.1:8082'
const present = existsSync(dir)
if (!present) console.warn('../shared not found: skipping the replay of real MISP 2.3.178 exchanges')

const load = (file: string): ReadonlyArray<Exchange> =>
  present ? (JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as ReadonlyArray<Exchange>) : []

/** Every object's keys in order, by path: the shape `toEqual` does not compare. */
const keyOrder = (v: unknown, path = '$', out: Record<string, string> = {}): Record<string, string> => {
  if (Array.isArray(v)) for (const [i, x] of v.entries()) keyOrder(x, `${path}[${i}]`, out)
  else if (typeof v === 'object' && v !== null) {
    out[path] = Object.keys(v).join(',')
    for (const [k, x] of Object.entries(v)) keyOrder(x, `${path}.${k}`, out)
  }
  return out
}

const recordings: ReadonlyArray<{ readonly file: string; readonly role: EmulatorRole }> = [
  { file: 'exchanges-site-admin.json', role: 'site-admin' },
  { file: 'exchanges-sync-user.json', role: 'sync' },
]

describe.runIf(present).each(recordings)('real MISP 2.3.178 replay: $file', ({ file, role }) => {
  const exchanges = load(file)
  let emu: MispEmulator
  beforeAll(async () => {
    emu = await startMispEmulator({ version: '2.3.178', role, orgName: 'ADMIN' })
  })
  afterAll(async () => {
    await emu?.close()
  })

  const send = async (e: Exchange, key: string): Promise<Response> =>
    fetch(new URL(e.path, emu.url), {
      method: e.method,
      headers: { Authorization: key, Accept: 'application/json', 'Content-Type': 'application/json' },
      redirect: 'manual',
      ...(e.request === null || e.request === '' ? {} : { body: e.request }),
    })

  for (const [i, e] of exchanges.entries()) {
    const why = notImitated[e.step]
    test.skipIf(why !== undefined)(`#${i} ${e.step}${why === undefined ? '' : ` (${why})`}`, () => replay(e))
  }

  const replay = async (e: Exchange): Promise<void> => {
    const key = /wrong key/.test(e.step) ? 'x'.repeat(40) : /no key/.test(e.step) ? '' : emu.apiKey
    const res = await send(e, key)
    const text = await res.text()
    expect(res.status).toBe(e.status)
    expect(res.headers.get('location')).toBe(e.location?.replace(recordedBase, emu.baseUrl) ?? null)
    if (e.method !== 'HEAD') expect(res.headers.get('content-type')).toBe(e.contentType)
    if (e.method === 'HEAD' || e.body === null || e.body === undefined) {
      expect(text).toBe(e.text ?? '')
      return
    }
    const got: unknown = JSON.parse(text.replaceAll(emu.baseUrl, recordedBase))
    expect(got).toEqual(e.body)
    expect(keyOrder(got)).toEqual(keyOrder(e.body))
  }
})
