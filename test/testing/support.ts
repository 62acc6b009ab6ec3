/**
 * Helpers for the emulator's own tests: one real HTTP call with global fetch.
 */
import type { MispEmulator } from '../../src/testing/index.js'

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown
}

export interface CallOptions {
  readonly body?: unknown
  /** Default: the emulator's key. `null` sends no Authorization header. */
  readonly key?: string | null
  /** Default `application/json`; `null` sends none (fetch then sends its own `*\/*`). */
  readonly accept?: string | null
  readonly headers?: Record<string, string>
}

export const call = async (
  emu: MispEmulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> => {
  const headers: Record<string, string> = { ...options.headers }
  const key = options.key === undefined ? emu.apiKey : options.key
  if (key !== null) headers['Authorization'] = key
  const accept = options.accept === undefined ? 'application/json' : options.accept
  if (accept !== null) headers['Accept'] = accept
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(new URL(path.replace(/^\//, ''), emu.url), {
    method,
    headers,
    redirect: 'manual',
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

export const obj = (u: unknown): Record<string, unknown> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u))
    throw new Error(`not an object: ${JSON.stringify(u)}`)
  return u as Record<string, unknown>
}

export const arr = (u: unknown): Array<unknown> => {
  if (!Array.isArray(u)) throw new Error(`not an array: ${JSON.stringify(u)}`)
  return u
}

/** `answer.json.Event` */
export const eventOf = (a: Answer): Record<string, unknown> => obj(obj(a.json)['Event'])

let counter = 0
/** A fresh uuid-shaped string, stable per test run order. */
export const uuid = (): string => {
  counter += 1
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`
}

/** A small valid event body for any version (2.3 pairs, distributions 0–3). */
export const sampleEvent = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  uuid: uuid(),
  info: 'emulator test event',
  date: '2015-12-14',
  threat_level_id: '2',
  analysis: '1',
  distribution: '3',
  published: false,
  timestamp: '1700000000',
  locked: true,
  Attribute: [
    {
      uuid: uuid(),
      type: 'ip-dst',
      category: 'Network activity',
      to_ids: true,
      distribution: '3',
      timestamp: '1700000000',
      comment: 'c2',
      value: '198.51.100.7',
    },
    {
      uuid: uuid(),
      type: 'md5',
      category: 'Payload delivery',
      to_ids: true,
      distribution: '3',
      timestamp: '1700000000',
      comment: '',
      value: '9e107d9d372bb6826bd81d3542a419d6', // not the empty file's md5 (2.3 refuses that)
    },
  ],
  ...overrides,
})
