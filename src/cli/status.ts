/**
 * `misp-bridge status --config FILE`: per link, the last run, the last success, the lag and the
 * events waiting in the retry set — read from the files next to the state file, without
 * contacting any server.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { LinkConfig } from '../config/BridgeConfig.js'
import { duration } from '../config/readers.js'
import { formatOutcomeCounts } from '../sync/formatRunResult.js'
import type { ExitCode, Io } from './Io.js'
import { flag, str, usageError } from './internal/args.js'
import { startConfigCommand, usageExit } from './internal/configCommand.js'
import { type RunRecord, readRunRecord } from './internal/runRecord.js'

/**
 * `misp-bridge status --help`.
 *
 * @category help
 * @since 0.2.0
 */
export const statusHelp = `Usage: misp-bridge status --config FILE [--link NAME]... [--json] [--max-lag 2h]

Shows each link's last run (when it ended, its outcome counts and errors), its last successful
run (every selected event done) and the lag since, and the events in its retry set with their
last error. Read from the status files next to the state file; no server is contacted.

  --config FILE    the config file
  --link NAME      only this link (repeatable)
  --json           one JSON document on stdout
  --max-lag D      exit 1 when a link's last success started longer than D ago (30m, 2h, 1d)
                   or it never succeeded: for monitoring (Nagios-style checks, systemd, cron)

Exit status: 0 (and every link within --max-lag), 1 a link is staler than --max-lag,
2 bad usage or configuration.
`

interface LinkStatus {
  readonly name: string
  readonly from: string
  readonly to: string
  readonly lastRun?: RunRecord['lastRun']
  readonly lastSuccess?: RunRecord['lastSuccess']
  /** seconds since the last success started; absent when it never succeeded */
  readonly lagSeconds?: number
  readonly consecutiveFailures: number
  readonly retry: RunRecord['retry']
  readonly stale?: boolean
  readonly problem?: string
}

const statusOf = async (
  link: LinkConfig,
  nowMs: number,
  maxLagMs: number | undefined,
): Promise<LinkStatus> => {
  const read = await readRunRecord(link.options.state, link.name)
  const r = E.isRight(read) ? read.right : undefined
  const lagSeconds =
    r?.lastSuccess === undefined
      ? undefined
      : Math.max(0, Math.round((nowMs - Date.parse(r.lastSuccess.startedAt)) / 1000))
  return {
    name: link.name,
    from: `${link.from.name} (${link.from.version})`,
    to: `${link.to.name} (${link.to.version})`,
    ...(r?.lastRun === undefined ? {} : { lastRun: r.lastRun }),
    ...(r?.lastSuccess === undefined ? {} : { lastSuccess: r.lastSuccess }),
    ...(lagSeconds === undefined ? {} : { lagSeconds }),
    consecutiveFailures: r?.failures ?? 0,
    retry: r?.retry ?? [],
    ...(maxLagMs === undefined ? {} : { stale: lagSeconds === undefined || lagSeconds * 1000 > maxLagMs }),
    ...(E.isLeft(read) ? { problem: read.left } : {}),
  }
}

const ago = (seconds: number): string =>
  seconds < 120
    ? `${seconds}s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)}m`
      : seconds < 172_800
        ? `${Math.round(seconds / 3600)}h`
        : `${Math.round(seconds / 86_400)}d`

const text = (s: LinkStatus): string => {
  const lines = [`${s.name}: ${s.from} → ${s.to}${s.stale === true ? '  STALE' : ''}`]
  if (s.problem !== undefined) lines.push(`  problem:      ${s.problem}`)
  if (s.lastRun === undefined) lines.push('  last run:     never')
  else {
    lines.push(
      `  last run:     ended ${s.lastRun.finishedAt}, ${s.lastRun.ok ? 'ok' : 'FAILED'}: ${formatOutcomeCounts(s.lastRun.counts)}${
        s.consecutiveFailures > 1 ? ` (${s.consecutiveFailures} failed runs in a row)` : ''
      }`,
    )
    for (const e of s.lastRun.errors) lines.push(`    error: ${e}`)
  }
  lines.push(
    s.lastSuccess === undefined || s.lagSeconds === undefined
      ? '  last success: never'
      : `  last success: started ${s.lastSuccess.startedAt} (lag ${ago(s.lagSeconds)})`,
  )
  lines.push(`  retry set:    ${s.retry.length} event(s)`)
  for (const r of s.retry) lines.push(`    ${r.uuid}: ${r.lastError} (${r.at})`)
  return `${lines.join('\n')}\n`
}

/**
 * Runs `misp-bridge status` with its arguments (after `status`).
 *
 * @category commands
 * @since 0.2.0
 */
export const statusCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const started = await startConfigCommand(
    args,
    { json: { type: 'boolean' }, 'max-lag': { type: 'string' } },
    'status',
    statusHelp,
    io,
  )
  if (E.isLeft(started)) return started.left
  const { p, links } = started.right
  const maxLagArg = str(p, 'max-lag')
  const maxLag =
    maxLagArg === undefined ? E.right(undefined) : duration(maxLagArg, '--max-lag', { base: '', nowMs: 0 })
  if (E.isLeft(maxLag)) return usageExit(io, 'status', usageError(maxLag.left))
  const now = Date.now()
  const statuses = await Promise.all(links.map((l) => statusOf(l, now, maxLag.right)))
  const stale = statuses.filter((s) => s.stale === true)
  if (flag(p, 'json'))
    io.stdout.write(
      `${JSON.stringify({ ok: stale.length === 0, at: new Date(now).toISOString(), links: statuses }, null, 2)}\n`,
    )
  else {
    io.stdout.write(statuses.map(text).join('\n'))
    if (stale.length > 0)
      io.stderr.write(
        `misp-bridge status: ${stale.map((s) => s.name).join(', ')}: no successful run within ${maxLagArg}\n`,
      )
  }
  return stale.length === 0 ? 0 : 1
}
