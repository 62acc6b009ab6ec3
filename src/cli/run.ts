/**
 * `misp-bridge run --config FILE`: every link of a config file once (for cron and systemd
 * timers).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatRunResult } from '../sync/formatRunResult.js'
import { toRunReport } from '../sync/RunResult.js'
import type { ExitCode, Io } from './Io.js'
import { flag } from './internal/args.js'
import { startConfigCommand, usageExit } from './internal/configCommand.js'
import { type LinkRun, prepareLinks, refreshMetrics, runLink } from './internal/linkRunner.js'

/**
 * `misp-bridge run --help`.
 *
 * @category help
 * @since 0.2.0
 */
export const runHelp = `Usage: misp-bridge run --config FILE [--link NAME]... [--dry-run] [--json]

Runs every link of the config file once, one after the other (for cron and systemd timers): the
events changed since the link's last run go from its "from" server to its "to" server. The
config file is checked as a whole first, and every key and TLS file read, before anything is
sent. See docs/operations.md.

  --config FILE   the config file (JSON; relative paths in it are relative to its folder)
  --link NAME     only this link (repeatable)
  --dry-run       read, convert and look the targets up, write nothing (no lock, no status)
  --json          print {"ok", "links": [{"name", "status", "result"}]} on stdout

Each link runs under its lock (a file next to the state file): a link another misp-bridge is
running is skipped with a message ("busy") and nothing is sent or written for it; the other
links run. After each link its status (see 'misp-bridge status') and the metrics file are
rewritten.

Exit status: 0 every link ran and transferred everything, 1 a link was busy, could not start
(server unreachable, key refused) or had failed events, 2 bad usage or configuration.
`

const reportText = (r: LinkRun): string => {
  const head = `== ${r.link.name}: ${r.link.from.name} (${r.link.from.version}) → ${r.link.to.name} (${r.link.to.version})\n`
  switch (r._tag) {
    case 'Ran':
      return `${head}${r.tookOver === undefined ? '' : `  (took over the lock of pid ${r.tookOver}, which is no longer running)\n`}${formatRunResult(r.result)}`
    case 'Busy':
      return `${head}  ${r.message}\n`
    case 'NotStarted':
      return `${head}  did not start: ${r.message}\n`
  }
}

const reportJson = (r: LinkRun) => ({
  name: r.link.name,
  status: r._tag === 'Ran' ? (r.result.ok ? 'ok' : 'failed') : r._tag === 'Busy' ? 'busy' : 'not-started',
  ...(r._tag === 'Ran' ? { result: toRunReport(r.result) } : { message: r.message }),
})

/**
 * Runs `misp-bridge run` with its arguments (after `run`).
 *
 * @category commands
 * @since 0.2.0
 */
export const runCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const started = await startConfigCommand(
    args,
    { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    'run',
    runHelp,
    io,
  )
  if (E.isLeft(started)) return started.left
  const { p, config, links } = started.right
  const ready = await prepareLinks(links, io)
  if (E.isLeft(ready)) return usageExit(io, 'run', ready.left)
  const dryRun = flag(p, 'dry-run')
  const json = flag(p, 'json')
  const runs: Array<LinkRun> = []
  for (const link of ready.right) {
    if (io.signal?.aborted === true) break
    const r = await runLink(link, io, { dryRun, ...(io.signal === undefined ? {} : { signal: io.signal }) })
    runs.push(r)
    if (!json) io.stdout.write(reportText(r))
    if (!dryRun && r._tag !== 'Busy') await refreshMetrics(config, io)
  }
  const ok = runs.length === ready.right.length && runs.every((r) => r._tag === 'Ran' && r.result.ok)
  if (json) io.stdout.write(`${JSON.stringify({ ok, links: runs.map(reportJson) }, null, 2)}\n`)
  return ok ? 0 : 1
}
