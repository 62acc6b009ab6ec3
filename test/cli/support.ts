/**
 * Helpers of the CLI tests: an in-memory `Io`, distinctive API keys, emulator pairs.
 */
import type { Io } from '../../src/cli/main.js'
import { type EmulatorVersion, type MispEmulator, startMispEmulator } from '../../src/testing/index.js'

/** 40-character keys that are easy to find in any output. */
export const KEY23 = 'K23secretKEYneverPRINTED0123456789abcdef'
export const KEY24 = 'K24secretKEYneverPRINTED0123456789abcdef'

export interface Captured {
  readonly io: Io
  readonly out: () => string
  readonly err: () => string
}

/** An `Io` that records stdout and stderr; stdin is `input`. */
export const capture = (
  options: {
    readonly env?: Record<string, string>
    readonly input?: string
    readonly tty?: boolean
    readonly cwd?: string
    readonly signal?: AbortSignal
  } = {},
): Captured => {
  let out = ''
  let err = ''
  const input = options.input ?? ''
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s), isTTY: options.tty === true },
      stdin: (async function* () {
        yield input
      })(),
      env: options.env ?? {},
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
    out: () => out,
    err: () => err,
  }
}

export interface Servers {
  readonly e23: MispEmulator
  readonly e24: MispEmulator
  readonly close: () => Promise<void>
}

export const startServers = async (
  v24: EmulatorVersion,
  seed: { readonly events23?: ReadonlyArray<unknown>; readonly events24?: ReadonlyArray<unknown> } = {},
): Promise<Servers> => {
  const e23 = await startMispEmulator({
    version: '2.3.178',
    role: 'org-admin', // 2.3's stock "Sync user" may not tag
    apiKey: KEY23,
    events: seed.events23 ?? [],
  })
  const e24 = await startMispEmulator({ version: v24, apiKey: KEY24, events: seed.events24 ?? [] })
  return { e23, e24, close: async () => void (await Promise.all([e23.close(), e24.close()])) }
}

/** `sync` arguments for 2.3 → 2.4 (or back) between the servers. */
export const syncArgs = (s: Servers, direction: '2.3->2.4' | '2.4->2.3'): Array<string> =>
  direction === '2.3->2.4'
    ? ['sync', '--from', s.e23.url, '--from-version', '2.3', '--to', s.e24.url, '--to-version', '2.4']
    : ['sync', '--from', s.e24.url, '--from-version', '2.4', '--to', s.e23.url, '--to-version', '2.3']

/** The environment with the keys of a direction. */
export const keysFor = (direction: '2.3->2.4' | '2.4->2.3'): Record<string, string> =>
  direction === '2.3->2.4'
    ? { MISP_FROM_KEY: KEY23, MISP_TO_KEY: KEY24 }
    : { MISP_FROM_KEY: KEY24, MISP_TO_KEY: KEY23 }
