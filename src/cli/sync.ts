/**
 * `misp-bridge sync`: one run of a connector between two MISP servers (contract §5).
 *
 * @since 0.1.0
 */
import { mkdir, open, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { hideUserinfo } from '../client/internal/url.js'
import { MispClient } from '../client/MispClient.js'
import { formatMispError } from '../client/MispError.js'
import { type ApiVersion, apiVersionOf } from '../client/ServerVersion.js'
import {
  connectorOptionsOf,
  type LinkOptions,
  sharingGroupOptionOf,
  syncOptionsOf,
} from '../config/linkOptions.js'
import { dispatcherOf } from '../config/tls.js'
import { connect23to24 } from '../sync/connect23to24.js'
import { connect24to23 } from '../sync/connect24to23.js'
import { directoryArchive } from '../sync/directoryArchive.js'
import { fileStateStore } from '../sync/fileStateStore.js'
import { formatRunResult } from '../sync/formatRunResult.js'
import { jsonLinesLog } from '../sync/jsonLinesLog.js'
import { type RunResult, toRunReport } from '../sync/RunResult.js'
import type { StateStore } from '../sync/StateStore.js'
import { combineLoggers, type TransferLogger } from '../sync/TransferLogger.js'
import type { ExitCode, Io } from './Io.js'
import { all, type UsageError, usageError } from './internal/args.js'
import { progressLine } from './internal/report.js'
import { keyOf, type Settings, settingsOf } from './internal/syncSettings.js'

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
  URLs are http:// or https:// base URLs without credentials (checked before anything is sent).
  API keys come from the environment, MISP_FROM_KEY and MISP_TO_KEY, or from files:
  --from-key-file FILE       read the source's API key from FILE (wins over MISP_FROM_KEY)
  --to-key-file FILE         read the target's API key from FILE (wins over MISP_TO_KEY)

TLS and proxy (for both servers, or one: --from-ca, --to-ca, --from-proxy, …)
  --ca FILE                  trust the CA certificate(s) in this PEM file (instead of the system's;
                             NODE_EXTRA_CA_CERTS=FILE adds to them for the whole process)
  --client-cert FILE         present this client certificate (PEM), with --client-key FILE
  --proxy URL                reach the server through this HTTP(S) proxy
  These need the optional package undici@7 installed next to misp-bridge.

Which events
  --since 7d|ISO|unix        only events changed since: a duration back from now (30m, 12h, 7d,
                             2w), an ISO-8601 date or date-time, or unix seconds (not in the
                             future)
  --uuid UUID                only this event (repeatable); --state is then not used; with
                             --dry-run, each event's reason says why it would not cross
  --rules FILE               sharing rules in MISP's push-rules JSON with names (or a server's
                             exported push_rules/pull_rules): tags/orgs OR and NOT lists,
                             "published": true, "type_attributes": {"NOT": [types]}
  --allow-tag T              only events with one of these tags (repeatable; a trailing *
                             matches a prefix: tlp:*; names are case-insensitive)
  --block-tag T              no event with this tag (repeatable), e.g. --block-tag tlp:red
  --allow-org O              only events created by one of these organisations (name or uuid)
  --block-org O              no event created by this organisation (repeatable)
  --published-only           only published events (what MISP's own sync sends)
  --block-type TYPE          attributes of this type are not sent (repeatable)
  --excluded-copies keep|unpublish|delete
                             the bridge's copy of an event the rules exclude later: left as is
                             (keep, default), unpublished (2.4/2.5 targets), or deleted

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
  --tags mirror|add-only|none
                             the source's exportable, non-local tags (TLP, galaxies): the copy
                             carries exactly them (mirror, default), gains them without losing
                             others (add-only), or tags are left alone (none)
  --retractions mirror|keep  attributes the source deleted are deleted on the copy too (mirror,
                             default) or kept (keep)
  --publish quiet|never|as-source
                             a published source event's copy is published without alert
                             e-mails (quiet, default; needs a key that may publish on the target,
                             else copies stay unpublished and the run says so once), left
                             unpublished (never), or written published (as-source: the target
                             e-mails its users unless it sets MISP.disablerestalert)
  --arrival-tag T            add this tag to every copy (repeatable), e.g. source:misp-2.3

Records
  --log FILE                 append one JSON line per event attempt (JSON Lines; never truncated)
  --archive DIR              keep each event's JSON as read and as sent: DIR/<uuid>/<time>-*.json
  --state FILE               resume from the watermark in FILE and move it past the events done
                             (FILE's folder must exist and be writable)
  --json                     print the run's result as one JSON document on stdout (on exit 2:
                             {"ok": false, "error": {"kind": "UsageError", "message": ...}})

  -h, --help                 this help

Exit status: 0 all transferred (or unchanged/skipped by policy), 1 some events failed or the
run did not finish, 2 bad usage or configuration (flags, keys, unreachable servers, files).
`

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

/**
 * The state file is saved by writing a temporary file next to it and renaming it: its folder must
 * exist and take a new file. Checked by doing it once, before anything is sent.
 */
const checkStateFolder = async (path: string): Promise<E.Either<UsageError, void>> => {
  const folder = dirname(path)
  try {
    if (!(await stat(folder)).isDirectory())
      return E.left(usageError(`cannot use --state ${path}: ${folder} is not a folder`))
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return E.left(
      usageError(
        code === 'ENOENT'
          ? `cannot use --state ${path}: the folder ${folder} does not exist (create it first)`
          : `cannot use --state ${path}: ${(e as Error).message}`,
      ),
    )
  }
  const probe = `${path}.${process.pid}.check.tmp`
  try {
    await (await open(probe, 'wx')).close()
    await rm(probe, { force: true })
    return E.right(undefined)
  } catch (e) {
    return E.left(
      usageError(`cannot use --state ${path}: cannot write in ${folder}: ${(e as Error).message}`),
    )
  }
}

/** Checks the record files before the run: a path that cannot be written is a configuration error. */
const prepareRecords = async (s: LinkOptions): Promise<E.Either<UsageError, Records>> => {
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
    const writable = await checkStateFolder(s.state)
    if (E.isLeft(writable)) return writable
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
  const options = (records: Records) => ({ ...records, ...connectorOptionsOf(s.link) })
  const dispatchers = all(
    ...(await Promise.all([s.from, s.to].map((side) => dispatcherOf(side, side.at)))).map(
      E.mapLeft(usageError),
    ),
  )
  if (E.isLeft(dispatchers)) return dispatchers
  const [fromTls, toTls] = dispatchers.right.map((d) => (d === undefined ? {} : { dispatcher: d }))
  if (s.from.version === '2.3') {
    const from = new MispClient({ url: s.from.url, key: keys.from, version: '2.3', ...fromTls })
    const to = new MispClient({ url: s.to.url, key: keys.to, version: '2.4', ...toTls })
    const checked = all(
      ...(await Promise.all([checkServer('from', from, '2.3'), checkServer('to', to, '2.4')])),
    )
    return E.isLeft(checked)
      ? checked
      : E.right((records) => connect23to24({ from, to, ...options(records) }))
  }
  const from = new MispClient({ url: s.from.url, key: keys.from, version: '2.4', ...fromTls })
  const to = new MispClient({ url: s.to.url, key: keys.to, version: '2.3', ...toTls })
  const checked = all(
    ...(await Promise.all([checkServer('from', from, '2.4'), checkServer('to', to, '2.3')])),
  )
  return E.isLeft(checked)
    ? checked
    : E.right((records) => connect24to23({ from, to, ...options(records), ...sharingGroupOptionOf(s.link) }))
}

const run = async (s: Settings, io: Io, make: MakeConnector, records: Records): Promise<RunResult> => {
  const progress = progressLine(io.stderr)
  const label = `${s.from.version} → ${s.to.version}`
  const result = await make(records).sync({
    ...syncOptionsOf(s.link),
    dryRun: s.dryRun,
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
  const json = args.includes('--json')
  const usage = (e: UsageError): ExitCode => {
    const message = hideUserinfo(e.message)
    io.stderr.write(`misp-bridge sync: ${message}\nRun 'misp-bridge sync --help' for the options.\n`)
    if (json)
      io.stdout.write(`${JSON.stringify({ ok: false, error: { kind: 'UsageError', message } }, null, 2)}\n`)
    return 2
  }
  const settings = settingsOf(args, io)
  if (E.isLeft(settings)) return usage(settings.left)
  if (settings.right === 'help') {
    io.stdout.write(syncHelp)
    return 0
  }
  const s = settings.right
  const keys = all(await keyOf('from', s.from, io), await keyOf('to', s.to, io))
  if (E.isLeft(keys)) return usage(keys.left)
  const [fromKey, toKey] = keys.right
  for (const note of [fromKey.note, toKey.note])
    if (note !== undefined) io.stderr.write(`misp-bridge sync: ${note}\n`)
  const make = await reach(s, { from: fromKey.key, to: toKey.key })
  if (E.isLeft(make)) return usage(make.left)
  const records = await prepareRecords(s.link)
  if (E.isLeft(records)) return usage(records.left)
  const result = await run(s, io, make.right, records.right)
  if (s.json) io.stdout.write(`${JSON.stringify(toRunReport(result), null, 2)}\n`)
  else {
    // with --uuid, every event is shown with its reason ("why did U not cross?")
    io.stdout.write(formatRunResult(result, { allEvents: s.link.uuids !== undefined }))
    const where = [
      ...(s.link.log === undefined ? [] : [`log: ${s.link.log}`]),
      ...(s.link.archive === undefined ? [] : [`archive: ${s.link.archive}`]),
      ...(s.link.state === undefined ? [] : [`state: ${s.link.state}`]),
    ]
    if (where.length > 0) io.stdout.write(`  ${where.join('  ')}\n`)
  }
  return result.ok ? 0 : 1
}
