/**
 * `misp-bridge sync`'s settings: its flags parsed and checked before anything is contacted (both
 * URLs, versions, `--since`, …), and the API keys. The flags come from the option tables
 * (`config/linkOptions.ts`), which the config file's links share.
 *
 * @internal
 */
import { readFile } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import {
  argsOptions,
  checkDirection,
  LINK_OPTIONS,
  type LinkOptions,
  readOptions,
  SERVER_OPTIONS,
  type ServerOptions,
  SHARED_SERVER_FLAGS,
} from '../../config/linkOptions.js'
import type { Io } from '../Io.js'
import { flag, type Parsed, parse, type UsageError, usageError } from './args.js'

const SHARED = Object.fromEntries(
  SHARED_SERVER_FLAGS.map((name) => [SERVER_OPTIONS[name].flag, { type: 'string' as const }]),
)

export const OPTIONS = {
  ...argsOptions(SERVER_OPTIONS, 'from'),
  ...argsOptions(SERVER_OPTIONS, 'to'),
  ...SHARED,
  ...argsOptions(LINK_OPTIONS),
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** One side of a `sync` run: its URL and format, and how to reach it. */
export type SideSettings = ServerOptions & {
  readonly url: string
  readonly version: ApiVersion
  /** the key file as the user wrote it (for messages) */
  readonly keyFileShown?: string
  /** the flag an option of this side was given with (`--from-ca` or `--ca`) */
  readonly at: (name: keyof typeof SERVER_OPTIONS) => string
}

/** The checked flags of one `sync` run. */
export interface Settings {
  readonly from: SideSettings
  readonly to: SideSettings
  readonly link: LinkOptions
  readonly dryRun: boolean
  readonly json: boolean
}

const sharedName = (name: string): name is (typeof SHARED_SERVER_FLAGS)[number] =>
  (SHARED_SERVER_FLAGS as ReadonlyArray<string>).includes(name)

/** The flag a server option of one side was given with (`--from-ca`, else the shared `--ca`). */
const sideFlag = (p: Parsed, side: 'from' | 'to', name: keyof typeof SERVER_OPTIONS): string => {
  const suffix = SERVER_OPTIONS[name].flag
  const own = suffix === '' ? side : `${side}-${suffix}`
  return p.values[own] === undefined && sharedName(name) && p.values[suffix] !== undefined ? suffix : own
}

const readSide = (
  p: Parsed,
  side: 'from' | 'to',
  base: string,
  nowMs: number,
): E.Either<ReadonlyArray<string>, SideSettings> => {
  const read = readOptions(
    SERVER_OPTIONS,
    (name) => (SERVER_OPTIONS[name].inCli ? p.values[sideFlag(p, side, name)] : undefined),
    (name) => `--${sideFlag(p, side, name)}`,
    { base, nowMs },
  )
  const missing = (['url', 'version'] as const)
    .filter((name) => p.values[sideFlag(p, side, name)] === undefined)
    .map((name) => `--${sideFlag(p, side, name)} is required`)
  const errors = [...missing, ...(E.isLeft(read) ? read.left : [])]
  if (errors.length > 0 || E.isLeft(read)) return E.left(errors)
  const shown = p.values[`${side}-key-file`]
  return E.right({
    ...read.right,
    url: read.right.url!,
    version: read.right.version!,
    ...(typeof shown === 'string' ? { keyFileShown: shown } : {}),
    at: (name) => `--${sideFlag(p, side, name)}`,
  })
}

/** Parses and checks the flags; `'help'` for `--help`. Paths are resolved against `io.cwd`. */
export const settingsOf = (args: ReadonlyArray<string>, io: Io): E.Either<UsageError, Settings | 'help'> => {
  const parsed = parse(args, OPTIONS, 0)
  if (E.isLeft(parsed)) return parsed
  const p = parsed.right
  if (flag(p, 'help')) return E.right('help')
  const base = io.cwd ?? process.cwd()
  const nowMs = Date.now()
  const from = readSide(p, 'from', base, nowMs)
  const to = readSide(p, 'to', base, nowMs)
  const link = readOptions(
    LINK_OPTIONS,
    (name) => (LINK_OPTIONS[name].inCli ? p.values[LINK_OPTIONS[name].flag] : undefined),
    (name) => `--${LINK_OPTIONS[name].flag}`,
    { base, nowMs },
  )
  const errors = [from, to, link].flatMap((r) => (E.isLeft(r) ? r.left : []))
  if (errors.length > 0 || E.isLeft(from) || E.isLeft(to) || E.isLeft(link))
    return E.left(usageError(errors.join('\n')))
  if (from.right.version === to.right.version)
    return E.left(
      usageError(
        `--from-version and --to-version are both ${from.right.version}: misp-bridge syncs 2.3 → 2.4 and 2.4 → 2.3`,
      ),
    )
  const direction = checkDirection(link.right, from.right.version, (name) => `--${LINK_OPTIONS[name].flag}`)
  if (E.isLeft(direction)) return E.left(usageError(direction.left))
  return E.right({
    from: from.right,
    to: to.right,
    link: link.right,
    dryRun: flag(p, 'dry-run'),
    json: flag(p, 'json'),
  })
}

/**
 * The API key of one side: its key file when `--from-key-file`/`--to-key-file` is given (it wins
 * over the environment variable, and `note` says so when both are set), else `MISP_FROM_KEY` /
 * `MISP_TO_KEY`. Never echoed.
 */
export const keyOf = async (
  side: 'from' | 'to',
  settings: SideSettings,
  io: Io,
): Promise<E.Either<UsageError, { readonly key: string; readonly note?: string }>> => {
  const variable = side === 'from' ? 'MISP_FROM_KEY' : 'MISP_TO_KEY'
  const fromEnv = io.env[variable]?.trim()
  const file = settings.keyFile
  if (file !== undefined) {
    const shown = settings.keyFileShown ?? file
    let key: string
    try {
      key = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trim()
    } catch (e) {
      const code = (e as { code?: unknown }).code
      return E.left(
        usageError(`cannot read --${side}-key-file ${shown}${typeof code === 'string' ? ` (${code})` : ''}`),
      )
    }
    if (key === '') return E.left(usageError(`--${side}-key-file ${shown} is empty`))
    return E.right(
      fromEnv === undefined || fromEnv === ''
        ? { key }
        : {
            key,
            note: `--${side}-key-file wins over ${variable}: using the key in ${shown}, not ${variable}`,
          },
    )
  }
  return fromEnv === undefined || fromEnv === ''
    ? E.left(usageError(`no API key for --${side}: set ${variable} or pass --${side}-key-file FILE`))
    : E.right({ key: fromEnv })
}
