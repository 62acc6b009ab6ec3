/**
 * `misp-bridge daemon --config FILE`: each link on its `every`, until SIGTERM or SIGINT.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { BridgeConfig } from '../config/BridgeConfig.js'
import { formatOutcomeCounts } from '../sync/formatRunResult.js'
import type { ExitCode, Io } from './Io.js'
import { usageError } from './internal/args.js'
import { startConfigCommand, usageExit } from './internal/configCommand.js'
import { type LinkRun, prepareLinks, type ReadyLink, refreshMetrics, runLink } from './internal/linkRunner.js'
import { firstDelay, nextDelay, sleep } from './internal/scheduler.js'

/**
 * `misp-bridge daemon --help`.
 *
 * @category help
 * @since 0.2.0
 */
export const daemonHelp = `Usage: misp-bridge daemon --config FILE [--link NAME]...

Runs each link of the config file on its "every" (30s, 15m, 1h, …), jittered by ±10 % so that
links drift apart; after a failed run the wait doubles (up to 8 × every) until a run succeeds.
Writes one line per run on stdout; each run takes the link's lock, rewrites its status and the
metrics file, as 'misp-bridge run' does. A busy link (another misp-bridge runs it) is skipped
until its next turn.

SIGTERM or SIGINT stops it cleanly: no new run or event starts, the running events finish, the
state is saved, then it exits 0. A second SIGINT quits at once.

  --config FILE   the config file; every link needs "every"
  --link NAME     only this link (repeatable)

Exit status: 0 stopped by a signal, 2 bad usage or configuration.
`

const line = (r: LinkRun, nextMs: number): string => {
  const when = new Date().toISOString()
  const next = `next in ${Math.round(nextMs / 1000)}s`
  switch (r._tag) {
    case 'Ran':
      return `${when} ${r.link.name}: ${r.result.ok ? 'ok' : 'FAILED'}, ${formatOutcomeCounts(r.result.counts)} in ${(r.result.durationMs / 1000).toFixed(1)}s${
        r.result.errors.length > 0 ? ` (${r.result.errors.length} error(s))` : ''
      }${r.result.stopped === undefined ? '' : ` (stopped: ${r.result.stopped})`}; ${next}\n`
    case 'Busy':
      return `${when} ${r.link.name}: skipped, ${r.message}; ${next}\n`
    case 'NotStarted':
      return `${when} ${r.link.name}: did not start: ${r.message}; ${next}\n`
  }
}

/** One link's loop: wait, run, log, until the signal. */
const loop = async (ready: ReadyLink, config: BridgeConfig, io: Io): Promise<void> => {
  const every = ready.link.every!
  let failures = 0
  await sleep(firstDelay(every), io.signal)
  while (io.signal?.aborted !== true) {
    const r = await runLink(ready, io, {
      dryRun: false,
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    })
    if (r._tag !== 'Busy') await refreshMetrics(config, io)
    failures = r._tag === 'Ran' && r.result.ok ? 0 : r._tag === 'Busy' ? failures : failures + 1
    const wait = nextDelay(every, failures)
    io.stdout.write(line(r, wait))
    await sleep(wait, io.signal)
  }
}

/**
 * Runs `misp-bridge daemon` with its arguments (after `daemon`); resolves when `io.signal` fires
 * and the running links have finished.
 *
 * @category commands
 * @since 0.2.0
 */
export const daemonCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const started = await startConfigCommand(args, {}, 'daemon', daemonHelp, io)
  if (E.isLeft(started)) return started.left
  const { config, links } = started.right
  const unscheduled = links.filter((l) => l.every === undefined)
  if (unscheduled.length > 0)
    return usageExit(
      io,
      'daemon',
      usageError(
        unscheduled
          .map((l) => `${l.path}.every is required by daemon (how often ${l.name} runs: 15m, 1h, …)`)
          .join('\n'),
      ),
    )
  const ready = await prepareLinks(links, io)
  if (E.isLeft(ready)) return usageExit(io, 'daemon', ready.left)
  io.stdout.write(
    `${new Date().toISOString()} misp-bridge daemon: started (pid ${process.pid}), links: ${ready.right
      .map((r) => `${r.link.name} every ${Math.round(r.link.every! / 1000)}s`)
      .join(', ')}\n`,
  )
  await Promise.all(ready.right.map((r) => loop(r, config, io)))
  io.stdout.write(`${new Date().toISOString()} misp-bridge daemon: stopped; state saved\n`)
  return 0
}
