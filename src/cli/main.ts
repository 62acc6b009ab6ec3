#!/usr/bin/env node
/**
 * The `misp-bridge` command: `sync`, `run`, `daemon`, `status`, `convert` and `demo` (contract §5). `main(argv, io)` is the
 * whole CLI as a function (tests call it in-process); run as a program, this module calls it with
 * the process's streams and exits with its status.
 *
 * @since 0.1.0
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hideUserinfo } from '../client/internal/url.js'
import { checkCommand, checkHelp } from './check.js'
import { convertCommand, convertHelp } from './convert.js'
import { daemonCommand, daemonHelp } from './daemon.js'
import { demoCommand, demoHelp } from './demo.js'
import { type ExitCode, type Io, processIo } from './Io.js'
import { runCommand, runHelp } from './run.js'
import { statusCommand, statusHelp } from './status.js'
import { syncCommand, syncHelp } from './sync.js'

export { checkHelp } from './check.js'
export { convertHelp } from './convert.js'
export { daemonHelp } from './daemon.js'
export { demoHelp } from './demo.js'
export type { ExitCode, Io, TextOut } from './Io.js'
export { runHelp } from './run.js'
export { statusHelp } from './status.js'
export { syncHelp } from './sync.js'

/**
 * `misp-bridge --help`.
 *
 * @category help
 * @since 0.1.0
 */
export const help = `misp-bridge: move MISP events between MISP 2.3 and MISP 2.4/2.5 servers

Usage
  misp-bridge sync    --from URL --from-version 2.3|2.4 --to URL --to-version 2.3|2.4
                      [--since 7d|ISO|unix] [--uuid U]... [--dry-run] [--concurrency N]
                      [--log FILE] [--archive DIR] [--state FILE] [--json]
                      keys from MISP_FROM_KEY / MISP_TO_KEY, or --from-key-file / --to-key-file
  misp-bridge run     --config FILE [--link NAME]... [--dry-run] [--json]
                      every link of a config file once (cron, systemd timers)
  misp-bridge daemon  --config FILE              each link on its "every", until SIGTERM
  misp-bridge status  --config FILE [--json] [--max-lag 2h]
                      last run, last success, lag and retry set of each link
  misp-bridge check   --config FILE | --url URL --version 2.3|2.4
                      each server's version and what its key may do, against each link
  misp-bridge convert --to 2.3|2.4 [FILE|-]     converted event JSON on stdout, losses on stderr
  misp-bridge demo                               two built-in MISP emulators, both directions

  misp-bridge <command> --help                   the options of a command (or: help <command>)

Exit status: 0 all transferred (or unchanged/skipped by policy), 1 some events failed,
2 bad usage or configuration.
`

const commands: Readonly<Record<string, (args: ReadonlyArray<string>, io: Io) => Promise<ExitCode>>> = {
  sync: syncCommand,
  run: runCommand,
  daemon: daemonCommand,
  status: statusCommand,
  check: checkCommand,
  convert: convertCommand,
  demo: demoCommand,
}

const commandHelp: Readonly<Record<string, string>> = {
  sync: syncHelp,
  run: runHelp,
  daemon: daemonHelp,
  status: statusHelp,
  check: checkHelp,
  convert: convertHelp,
  demo: demoHelp,
}

/**
 * Runs the CLI: `argv` without the `node` and script paths (e.g. `['sync', '--from', …]`).
 * Resolves to the exit status; never rejects (an unexpected failure is reported on stderr with
 * status 1).
 *
 * @example
 * const code = await main(['convert', '--to', '2.3', 'event.json'], processIo())
 *
 * @category commands
 * @since 0.1.0
 */
export const main = async (argv: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const [command, ...args] = argv
  if (command === 'help' && args.length > 0) {
    const text = Object.hasOwn(commandHelp, args[0]!) ? commandHelp[args[0]!] : undefined
    if (text !== undefined && args.length === 1) {
      io.stdout.write(text)
      return 0
    }
    io.stderr.write(`misp-bridge help: no command ${JSON.stringify(args.join(' '))}\n\n${help}`)
    return 2
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    ;(command === undefined ? io.stderr : io.stdout).write(help)
    return command === undefined ? 2 : 0
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write('misp-bridge 0.1.0\n')
    return 0
  }
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined
  if (run === undefined) {
    io.stderr.write(`misp-bridge: unknown command ${JSON.stringify(command)}\n\n${help}`)
    return 2
  }
  try {
    return await run(args, io)
  } catch (e) {
    // a URL's credentials never reach the terminal, not even in a stack trace
    io.stderr.write(
      hideUserinfo(
        `misp-bridge ${command}: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      ),
    )
    return 1
  }
}

const isMain = (): boolean => {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMain()) {
  const controller = new AbortController()
  let interrupts = 0
  process.on('SIGINT', () => {
    interrupts++
    if (interrupts > 1) process.exit(130)
    process.stderr.write(
      '\nmisp-bridge: interrupted; finishing the running events (Ctrl-C again to quit now)\n',
    )
    controller.abort()
  })
  process.on('SIGTERM', () => {
    process.stderr.write('misp-bridge: SIGTERM; finishing the running events, then stopping\n')
    controller.abort()
  })
  void main(process.argv.slice(2), processIo(controller.signal)).then((code) => {
    process.exitCode = code
  })
}
