/**
 * `misp-bridge sync`: one run of a connector between two MISP servers (contract §5).
 *
 * @since 0.1.0
 */
import { mkdir, open, readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { MispClient } from '../client/MispClient.js'
import { formatMispError } from '../client/MispError.js'
import { type ApiVersion, apiVersionOf } from '../client/ServerVersion.js'
import type { PresetName } from '../convert/DistributionPolicy.js'
import type { ExistenceCheck } from '../sync/Connector.js'
import { connect23to24 } from '../sync/connect23to24.js'
import { connect24to23, type SharingGroupEvents } from '../sync/connect24to23.js'
import { directoryArchive } from '../sync/directoryArchive.js'
import { fileStateStore } from '../sync/fileStateStore.js'
import { formatRunResult } from '../sync/formatRunResult.js'
import { jsonLinesLog } from '../sync/jsonLinesLog.js'
import { type RunResult, toRunReport } from '../sync/RunResult.js'
import type { StateStore } from '../sync/StateStore.js'
import { combineLoggers, type TransferLogger } from '../sync/TransferLogger.js'
import type { ExitCode, Io } from './Io.js'
import {
  all,
  flag,
  list,
  oneOf,
  parse,
  positiveInt,
  sinceArg,
  str,
  type UsageError,
  usageError,
  uuids,
} from './internal/args.js'
import { progressLine } from './internal/report.js'

/**
 * `misp-bridge sync --help`.
 *
 * @category help
 * @since 0.1.0
 */
export const syncHelp = `Usage: misp-bridge sync --from URL --from-version 2.3|2.4 --to URL --to-version 2.3|2.4 [options]

Copies the events changed on the source MISP to the target MISP, converting them between the
MISP 2.3 and 2.4 formats (2.4 is also the format of MISP 2.5). Each event ends created, updated,
unchanged (the target's copy is as new), skipped (by policy) or failed.

Servers
  --from URL                 source MISP base URL
  --from-version 2.3|2.4     the source's format
  --to URL                   target MISP base URL
  --to-version 2.3|2.4       the target's format (the other one)
  API keys come from the environment, MISP_FROM_KEY and MISP_TO_KEY, or from files:
  --from-key-file FILE       read the source's API key from FILE
  --to-key-file FILE         read the target's API key from FILE

Which events
  --since 7d|ISO|unix        only events changed since: a duration back from now (30m, 12h, 7d,
                             2w), an ISO-8601 date or date-time, or unix seconds
  --uuid UUID                only this event (repeatable); --state is then not used

How
  --dry-run                  read, convert and look the target up, but write nothing to it
  --concurrency N            events transferred at the same time (default 4)
  --distribution PRESET      sharing levels: organisation-only (default: everything becomes 0),
                             preserve, misp-push or misp-pull
  --sharing-group-events convert|skip
                             2.4 → 2.3 only: sharing-group events become distribution 0
                             (convert, default) or are skipped
  --existence lookup|create-first
                             find the target's copy by uuid first (lookup, default), or create
                             and update on MISP's "already exists" answer (create-first)

Records
  --log FILE                 append one JSON line per event attempt (JSON Lines; never truncated)
  --archive DIR              keep each event's JSON as read and as sent: DIR/<uuid>/<time>-*.json
  --state FILE               resume from the watermark in FILE and move it past the events done
  --json                     print the run's result as one JSON document on stdout

  -h, --help                 this help

Exit status: 0 all transferred (or unchanged/skipped by policy), 1 some events failed or the
run did not finish, 2 bad usage or configuration (flags, keys, unreachable servers, files).
`

const OPTIONS = {
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
  log: { type: 'string' },
  archive: { type: 'string' },
  state: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const VERSIONS: ReadonlyArray<ApiVersion> = ['2.3', '2.4']
const PRESETS: ReadonlyArray<PresetName> = ['organisation-only', 'preserve', 'misp-push', 'misp-pull']

interface Settings {
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
  readonly log: string | undefined
  readonly archive: string | undefined
  readonly state: string | undefined
  readonly json: boolean
  readonly fromKeyFile: string | undefined
  readonly toKeyFile: string | undefined
}

const required = (name: string, value: string | undefined): E.Either<UsageError, string> =>
  value === undefined || value.trim() === '' ? E.left(usageError(`--${name} is required`)) : E.right(value)

const settingsOf = (args: ReadonlyArray<string>, io: Io): E.Either<UsageError, Settings | 'help'> => {
  const parsed = parse(args, OPTIONS, 0)
  if (E.isLeft(parsed)) return parsed
  const p = parsed.right
  if (flag(p, 'help')) return E.right('help')
  const checked = all(
    required('from', str(p, 'from')),
    required('from-version', str(p, 'from-version')),
    required('to', str(p, 'to')),
    required('to-version', str(p, 'to-version')),
    oneOf('from-version', str(p, 'from-version'), VERSIONS),
    oneOf('to-version', str(p, 'to-version'), VERSIONS),
    positiveInt('concurrency', str(p, 'concurrency')),
    oneOf('distribution', str(p, 'distribution'), PRESETS),
    oneOf('sharing-group-events', str(p, 'sharing-group-events'), ['convert', 'skip'] as const),
    oneOf('existence', str(p, 'existence'), ['lookup', 'create-first'] as const),
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
    log: path('log'),
    archive: path('archive'),
    state: path('state'),
    json: flag(p, 'json'),
    fromKeyFile: str(p, 'from-key-file'),
    toKeyFile: str(p, 'to-key-file'),
  })
}

/** The API key of one side: its key file, else its environment variable. Never echoed. */
const keyOf = async (
  side: 'from' | 'to',
  file: string | undefined,
  io: Io,
): Promise<E.Either<UsageError, string>> => {
  const variable = side === 'from' ? 'MISP_FROM_KEY' : 'MISP_TO_KEY'
  if (file !== undefined) {
    try {
      const key = (await readFile(resolve(io.cwd ?? process.cwd(), file), 'utf8')).trim()
      return key === '' ? E.left(usageError(`--${side}-key-file ${file} is empty`)) : E.right(key)
    } catch (e) {
      const code = (e as { code?: unknown }).code
      return E.left(
        usageError(`cannot read --${side}-key-file ${file}${typeof code === 'string' ? ` (${code})` : ''}`),
      )
    }
  }
  const key = io.env[variable]?.trim()
  return key === undefined || key === ''
    ? E.left(usageError(`no API key for --${side}: set ${variable} or pass --${side}-key-file FILE`))
    : E.right(key)
}

/** Reaches a server and checks that it speaks the declared format. */
const checkServer = async (
  side: 'from' | 'to',
  client: MispClient<ApiVersion>,
  declared: ApiVersion,
): Promise<E.Either<UsageError, string>> => {
  const v = await client.version()()
  const name = side === 'from' ? 'source' : 'target'
  if (E.isLeft(v)) return E.left(usageError(`cannot use the ${name} server: ${formatMispError(v.left)}`))
  const actual = apiVersionOf(v.right)
  return actual === declared
    ? E.right(v.right.version)
    : E.left(
        usageError(
          `--${side}-version ${declared}, but the ${name} server is MISP ${v.right.version} (use --${side}-version ${actual})`,
        ),
      )
}

/** Checks the record files before the run: a path that cannot be written is a configuration error. */
const prepareRecords = async (s: Settings): Promise<E.Either<UsageError, Records>> => {
  const loggers: Array<TransferLogger> = []
  if (s.archive !== undefined) {
    try {
      await mkdir(s.archive, { recursive: true })
    } catch (e) {
      return E.left(usageError(`cannot create --archive ${s.archive}: ${(e as Error).message}`))
    }
    loggers.push(directoryArchive(s.archive))
  }
  if (s.log !== undefined) {
    try {
      await (await open(s.log, 'a')).close()
    } catch (e) {
      return E.left(usageError(`cannot append to --log ${s.log}: ${(e as Error).message}`))
    }
    loggers.push(jsonLinesLog(s.log))
  }
  let state: StateStore | undefined
  if (s.state !== undefined) {
    state = fileStateStore(s.state)
    const loaded = await state.load('')()
    if (E.isLeft(loaded)) return E.left(usageError(`cannot use --state ${s.state}: ${loaded.left.message}`))
  }
  return E.right({
    ...(loggers.length === 0
      ? {}
      : { logger: loggers.length === 1 ? loggers[0]! : combineLoggers(...loggers) }),
    ...(state === undefined ? {} : { state }),
  })
}

interface Records {
  readonly logger?: TransferLogger
  readonly state?: StateStore
}

type MakeConnector = (records: Records) => { readonly sync: ReturnType<typeof connect23to24>['sync'] }

/** Creates the clients and checks both servers: reachable, key accepted, the declared version. */
const reach = async (
  s: Settings,
  keys: { from: string; to: string },
): Promise<E.Either<UsageError, MakeConnector>> => {
  const options = (records: Records) => ({
    ...records,
    ...(s.existence === undefined ? {} : { existence: s.existence }),
    ...(s.distribution === undefined ? {} : { convert: { distribution: s.distribution } }),
  })
  if (s.fromVersion === '2.3') {
    const from = new MispClient({ url: s.from, key: keys.from, version: '2.3' })
    const to = new MispClient({ url: s.to, key: keys.to, version: '2.4' })
    const checked = all(
      ...(await Promise.all([checkServer('from', from, '2.3'), checkServer('to', to, '2.4')])),
    )
    return E.isLeft(checked)
      ? checked
      : E.right((records) => connect23to24({ from, to, ...options(records) }))
  }
  const from = new MispClient({ url: s.from, key: keys.from, version: '2.4' })
  const to = new MispClient({ url: s.to, key: keys.to, version: '2.3' })
  const checked = all(
    ...(await Promise.all([checkServer('from', from, '2.4'), checkServer('to', to, '2.3')])),
  )
  const sharingGroupEvents =
    s.sharingGroupEvents === undefined ? {} : { sharingGroupEvents: s.sharingGroupEvents }
  return E.isLeft(checked)
    ? checked
    : E.right((records) => connect24to23({ from, to, ...options(records), ...sharingGroupEvents }))
}

const run = async (s: Settings, io: Io, make: MakeConnector, records: Records): Promise<RunResult> => {
  const progress = progressLine(io.stderr)
  const label = `${s.fromVersion} → ${s.toVersion}`
  const result = await make(records).sync({
    ...(s.since === undefined ? {} : { since: s.since }),
    ...(s.uuids.length === 0 ? {} : { uuids: s.uuids }),
    dryRun: s.dryRun,
    ...(s.concurrency === undefined ? {} : { concurrency: s.concurrency }),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
    onProgress: (p) =>
      p._tag === 'Selected'
        ? progress.selected(p.total, label)
        : progress.done(p.result, p.done, p.total, label),
  })()
  progress.end()
  return result
}

/**
 * Runs `misp-bridge sync` with its arguments (after `sync`).
 *
 * @category commands
 * @since 0.1.0
 */
export const syncCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const usage = (e: UsageError): ExitCode => {
    io.stderr.write(`misp-bridge sync: ${e.message}\nRun 'misp-bridge sync --help' for the options.\n`)
    return 2
  }
  const settings = settingsOf(args, io)
  if (E.isLeft(settings)) return usage(settings.left)
  if (settings.right === 'help') {
    io.stdout.write(syncHelp)
    return 0
  }
  const s = settings.right
  const keys = all(await keyOf('from', s.fromKeyFile, io), await keyOf('to', s.toKeyFile, io))
  if (E.isLeft(keys)) return usage(keys.left)
  const make = await reach(s, { from: keys.right[0], to: keys.right[1] })
  if (E.isLeft(make)) return usage(make.left)
  const records = await prepareRecords(s)
  if (E.isLeft(records)) return usage(records.left)
  const result = await run(s, io, make.right, records.right)
  if (s.json) io.stdout.write(`${JSON.stringify(toRunReport(result), null, 2)}\n`)
  else {
    io.stdout.write(formatRunResult(result))
    const where = [
      ...(s.log === undefined ? [] : [`log: ${s.log}`]),
      ...(s.archive === undefined ? [] : [`archive: ${s.archive}`]),
      ...(s.state === undefined ? [] : [`state: ${s.state}`]),
    ]
    if (where.length > 0) io.stdout.write(`  ${where.join('  ')}\n`)
  }
  return result.ok ? 0 : 1
}
