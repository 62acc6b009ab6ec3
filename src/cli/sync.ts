/**
 * `misp-bridge sync`: one run of a connector between two MISP servers.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { hideUserinfo } from '../client/internal/url.js'
import { syncOptionsOf } from '../config/linkOptions.js'
import { formatRunResult } from '../sync/formatRunResult.js'
import { type RunResult, toRunReport } from '../sync/RunResult.js'
import type { ExitCode, Io } from './Io.js'
import type { UsageError } from './internal/args.js'
import {
  checkServers,
  clientsOf,
  connectorOf,
  type LinkSide,
  type MakeConnector,
} from './internal/connect.js'
import { bothKeys, keyOnCommandLine } from './internal/keyFlags.js'
import { acquireLock, formatLockBusy, type HeldLock, lockPath } from './internal/linkLock.js'
import { checkStateFolder, prepareRecords, type Records } from './internal/records.js'
import { progressLine } from './internal/report.js'
import { keyOf, type Settings, settingsOf } from './internal/syncSettings.js'

/**
 * `misp-bridge sync --help`.
 *
 * @category help
 * @since 0.1.0
 */
export const syncHelp = `Usage: misp-bridge sync --from URL --from-version 2.3|2.4|2.5 --to URL --to-version 2.3|2.4|2.5 [options]

Copies the events changed on the source MISP to the target MISP, converting them between the
MISP 2.3 and 2.4 formats (2.4 is also the format of MISP 2.5). Each event ends created, updated,
unchanged (the target's copy is as new), skipped (by policy) or failed.

Servers
  --from URL                 source MISP base URL
  --from-version 2.3|2.4|2.5 the source's MISP version (2.5 speaks 2.4's format; a full version
                             such as 2.5.1, as the server reports it, is fine too)
  --to URL                   target MISP base URL
  --to-version 2.3|2.4|2.5   the target's MISP version (2.3 on one side, 2.4 or 2.5 on the other)
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

const run = async (s: Settings, io: Io, make: MakeConnector, records: Records): Promise<RunResult> => {
  const progress = progressLine(io.stderr, s.dryRun)
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

/** After Ctrl-C: what is left, and how to continue. */
const resumeHint = (s: Settings, r: RunResult): string =>
  `interrupted, ${r.notAttempted.length} event(s) not attempted: ${
    s.link.state !== undefined
      ? 're-run the same command with the same --state to continue where it stopped'
      : (s.link.uuids?.length ?? 0) > 0
        ? 're-run the same command to continue'
        : 're-run the same command to continue (without --state it compares every event again; --state FILE keeps the position)'
  }`

/** A usage or configuration error: exit 2 (with a JSON document on stdout under `--json`). */
const usageFailure = (io: Io, json: boolean, e: UsageError): ExitCode => {
  const message = hideUserinfo(e.message)
  io.stderr.write(
    `misp-bridge sync: ${message}\n${e.help === false ? '' : "Run 'misp-bridge sync --help' for the options.\n"}`,
  )
  if (json)
    io.stdout.write(`${JSON.stringify({ ok: false, error: { kind: 'UsageError', message } }, null, 2)}\n`)
  return 2
}

/**
 * Runs `misp-bridge sync` with its arguments (after `sync`).
 *
 * @category commands
 * @since 0.1.0
 */
export const syncCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const usage = (e: UsageError): ExitCode => usageFailure(io, args.includes('--json'), e)
  const keyFlag = keyOnCommandLine(args)
  if (keyFlag !== undefined) return usage(keyFlag)
  const settings = settingsOf(args, io)
  if (E.isLeft(settings)) return usage(settings.left)
  if (settings.right === 'help') {
    io.stdout.write(syncHelp)
    return 0
  }
  const s = settings.right
  const keys = bothKeys(await keyOf('from', s.from, io), await keyOf('to', s.to, io))
  if (E.isLeft(keys)) return usage(keys.left)
  const [fromKey, toKey] = keys.right
  for (const note of [fromKey.note, toKey.note])
    if (note !== undefined) io.stderr.write(`misp-bridge sync: ${note}\n`)
  const side = (which: 'from' | 'to', key: string): LinkSide => ({
    ...s[which],
    key,
    versionAt: `--${which}-version`,
    ...(s[which].versionShown === undefined ? {} : { versionShown: s[which].versionShown }),
  })
  const clients = await clientsOf(side('from', fromKey.key), side('to', toKey.key))
  if (E.isLeft(clients)) return usage(clients.left)
  const checked = await checkServers(clients.right)
  if (E.isLeft(checked)) return usage(checked.left)
  const make = connectorOf(clients.right, s.link)
  if (s.link.state !== undefined) {
    const folder = await checkStateFolder(s.link.state, '--state')
    if (E.isLeft(folder)) return usage(folder.left)
  }
  const lock = await lockFor(s, make)
  if (E.isLeft(lock)) {
    io.stderr.write(`misp-bridge sync: ${lock.left}\n`)
    return 1
  }
  try {
    return await runAndReport(s, io, make, lock.right)
  } finally {
    await lock.right?.release()
  }
}

/** `--state` without `--uuid` or `--dry-run`: the link's lock (the one `run` takes for the same watermark). */
const lockFor = async (s: Settings, make: MakeConnector): Promise<E.Either<string, HeldLock | undefined>> => {
  if (s.link.state === undefined || s.dryRun || (s.link.uuids?.length ?? 0) > 0) return E.right(undefined)
  const lock = await acquireLock(lockPath(s.link.state, make({}).stateKey), 'sync')
  if (E.isRight(lock)) return lock
  return E.left(
    lock.left._tag === 'LockBusy'
      ? `${formatLockBusy(lock.left)}; nothing was sent or written`
      : `cannot take the lock ${lock.left.path}: ${lock.left.message}`,
  )
}

const runAndReport = async (
  s: Settings,
  io: Io,
  make: MakeConnector,
  lock: HeldLock | undefined,
): Promise<ExitCode> => {
  if (lock?.tookOverFrom !== undefined)
    io.stderr.write(
      `misp-bridge sync: took over the lock of pid ${lock.tookOverFrom.pid}, which is no longer running\n`,
    )
  const records = await prepareRecords(
    s.link,
    (name) => `--${name}`,
    (line) => io.stderr.write(`misp-bridge sync: ${line}\n`),
  )
  if (E.isLeft(records)) return usageFailure(io, s.json, records.left)
  const result = await run(s, io, make, records.right)
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
  if (result.stopped === 'aborted') io.stderr.write(`misp-bridge sync: ${resumeHint(s, result)}\n`)
  return result.ok ? 0 : 1
}
