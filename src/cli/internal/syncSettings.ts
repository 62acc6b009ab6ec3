/**
 * `misp-bridge sync`'s settings: its flags parsed and checked before anything is contacted (both
 * URLs, versions, `--since`, …), and the API keys.
 *
 * @internal
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { checkBaseUrl, shownUrl } from '../../client/internal/url.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { PresetName } from '../../convert/DistributionPolicy.js'
import type { ExistenceCheck, RetractionsMode, TagsMode } from '../../sync/Connector.js'
import type { SharingGroupEvents } from '../../sync/connect24to23.js'
import type { Io } from '../Io.js'
import {
  all,
  flag,
  list,
  oneOf,
  parse,
  positiveInt,
  setupError,
  sinceArg,
  str,
  type UsageError,
  usageError,
  uuids,
} from './args.js'

export const OPTIONS = {
  from: { type: 'string' },
  'from-version': { type: 'string' },
  to: { type: 'string' },
  'to-version': { type: 'string' },
  'from-key-file': { type: 'string' },
  'to-key-file': { type: 'string' },
  since: { type: 'string' },
  uuid: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  concurrency: { type: 'string' },
  distribution: { type: 'string' },
  'sharing-group-events': { type: 'string' },
  existence: { type: 'string' },
  tags: { type: 'string' },
  retractions: { type: 'string' },
  log: { type: 'string' },
  archive: { type: 'string' },
  state: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const VERSIONS: ReadonlyArray<ApiVersion> = ['2.3', '2.4']
const PRESETS: ReadonlyArray<PresetName> = ['organisation-only', 'preserve', 'misp-push', 'misp-pull']

/** The checked flags of one `sync` run. */
export interface Settings {
  readonly from: string
  readonly fromVersion: ApiVersion
  readonly to: string
  readonly toVersion: ApiVersion
  readonly since: number | undefined
  readonly uuids: ReadonlyArray<string>
  readonly dryRun: boolean
  readonly concurrency: number | undefined
  readonly distribution: PresetName | undefined
  readonly sharingGroupEvents: SharingGroupEvents | undefined
  readonly existence: ExistenceCheck | undefined
  readonly tags: TagsMode | undefined
  readonly retractions: RetractionsMode | undefined
  readonly log: string | undefined
  readonly archive: string | undefined
  readonly state: string | undefined
  readonly json: boolean
  readonly fromKeyFile: string | undefined
  readonly toKeyFile: string | undefined
}

const required = (name: string, value: string | undefined): E.Either<UsageError, string> =>
  value === undefined || value.trim() === '' ? E.left(usageError(`--${name} is required`)) : E.right(value)

/** `--from`/`--to`: an absolute http(s) URL; the message names the problem, never the URL's credentials. */
const baseUrl = (name: string, value: string | undefined): E.Either<UsageError, string> => {
  if (value === undefined || value.trim() === '') return E.left(usageError(`--${name} is required`))
  const checked = checkBaseUrl(value)
  return E.isLeft(checked)
    ? E.left(usageError(`--${name} ${JSON.stringify(shownUrl(value.trim()))}: ${checked.left}`))
    : E.right(value.trim())
}

/** Parses and checks the flags; `'help'` for `--help`. Paths are resolved against `io.cwd`. */
export const settingsOf = (args: ReadonlyArray<string>, io: Io): E.Either<UsageError, Settings | 'help'> => {
  const parsed = parse(args, OPTIONS, 0)
  if (E.isLeft(parsed)) return parsed
  const p = parsed.right
  if (flag(p, 'help')) return E.right('help')
  const checked = all(
    baseUrl('from', str(p, 'from')),
    required('from-version', str(p, 'from-version')),
    baseUrl('to', str(p, 'to')),
    required('to-version', str(p, 'to-version')),
    oneOf('from-version', str(p, 'from-version'), VERSIONS),
    oneOf('to-version', str(p, 'to-version'), VERSIONS),
    positiveInt('concurrency', str(p, 'concurrency')),
    oneOf('distribution', str(p, 'distribution'), PRESETS),
    oneOf('sharing-group-events', str(p, 'sharing-group-events'), ['convert', 'skip'] as const),
    oneOf('existence', str(p, 'existence'), ['lookup', 'create-first'] as const),
    oneOf('tags', str(p, 'tags'), ['mirror', 'add-only', 'none'] as const),
    oneOf('retractions', str(p, 'retractions'), ['mirror', 'keep'] as const),
    uuids(list(p, 'uuid')),
  )
  if (E.isLeft(checked)) return checked
  const [
    from,
    ,
    to,
    ,
    fromVersion,
    toVersion,
    concurrency,
    distribution,
    sharingGroupEvents,
    existence,
    tags,
    retractions,
    ids,
  ] = checked.right
  if (fromVersion === toVersion)
    return E.left(
      usageError(
        `--from-version and --to-version are both ${fromVersion}: misp-bridge syncs 2.3 → 2.4 and 2.4 → 2.3`,
      ),
    )
  if (sharingGroupEvents !== undefined && fromVersion !== '2.4')
    return E.left(usageError('--sharing-group-events applies to 2.4 → 2.3 only (2.3 has no sharing groups)'))
  const sinceValue = str(p, 'since')
  const since = sinceValue === undefined ? E.right(undefined) : sinceArg(sinceValue, Date.now())
  if (E.isLeft(since)) return since
  const path = (name: string) => {
    const v = str(p, name)
    return v === undefined ? undefined : resolve(io.cwd ?? process.cwd(), v)
  }
  return E.right({
    from,
    fromVersion: fromVersion as ApiVersion,
    to,
    toVersion: toVersion as ApiVersion,
    since: since.right,
    uuids: ids,
    dryRun: flag(p, 'dry-run'),
    concurrency,
    distribution,
    sharingGroupEvents,
    existence,
    tags,
    retractions,
    log: path('log'),
    archive: path('archive'),
    state: path('state'),
    json: flag(p, 'json'),
    fromKeyFile: str(p, 'from-key-file'),
    toKeyFile: str(p, 'to-key-file'),
  })
}

/**
 * The API key of one side: its key file when `--from-key-file`/`--to-key-file` is given (it wins
 * over the environment variable, and `note` says so when both are set), else `MISP_FROM_KEY` /
 * `MISP_TO_KEY`. Never echoed.
 */
export const keyOf = async (
  side: 'from' | 'to',
  file: string | undefined,
  io: Io,
): Promise<E.Either<UsageError, { readonly key: string; readonly note?: string }>> => {
  const variable = side === 'from' ? 'MISP_FROM_KEY' : 'MISP_TO_KEY'
  const fromEnv = io.env[variable]?.trim()
  if (file !== undefined) {
    let key: string
    try {
      key = (await readFile(resolve(io.cwd ?? process.cwd(), file), 'utf8')).replace(/^\uFEFF/, '').trim()
    } catch (e) {
      const code = (e as { code?: unknown }).code
      return E.left(
        setupError(`cannot read --${side}-key-file ${file}${typeof code === 'string' ? ` (${code})` : ''}`),
      )
    }
    if (key === '') return E.left(setupError(`--${side}-key-file ${file} is empty`))
    return E.right(
      fromEnv === undefined || fromEnv === ''
        ? { key }
        : {
            key,
            note: `--${side}-key-file wins over ${variable}: using the key in ${file}, not ${variable}`,
          },
    )
  }
  return fromEnv === undefined || fromEnv === ''
    ? E.left(usageError(`no API key for --${side}: set ${variable} or pass --${side}-key-file FILE`))
    : E.right({ key: fromEnv })
}
