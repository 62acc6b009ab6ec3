/**
 * What `run`, `daemon`, `status` and `check` share: `--config FILE` loaded and checked as a whole
 * (warnings on stderr), `--link NAME` selecting links.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import { type BridgeConfig, formatConfigError, type LinkConfig } from '../../config/BridgeConfig.js'
import { loadConfig } from '../../config/loadConfig.js'
import type { Io } from '../Io.js'
import { flag, type Parsed, parse, str, type UsageError, usageError } from './args.js'

export const CONFIG_OPTIONS = {
  config: { type: 'string' },
  link: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const

/** The config of `--config`, its warnings written to stderr as `misp-bridge <command>: warning: …`. */
export const configOf = async (
  p: Parsed,
  command: string,
  io: Io,
): Promise<
  E.Either<UsageError, { readonly config: BridgeConfig; readonly links: ReadonlyArray<LinkConfig> }>
> => {
  const file = str(p, 'config')
  if (file === undefined) return E.left(usageError('--config FILE is required'))
  const loaded = await loadConfig(file, io.cwd === undefined ? {} : { cwd: io.cwd })()
  if (E.isLeft(loaded))
    return E.left(usageError(`the config file has problems:\n${formatConfigError(loaded.left)}`))
  for (const w of loaded.right.warnings) io.stderr.write(`misp-bridge ${command}: warning: ${w.message}\n`)
  const names = p.values['link']
  const wanted = Array.isArray(names) ? (names as ReadonlyArray<string>) : []
  const unknown = wanted.filter((n) => !loaded.right.links.some((l) => l.name === n))
  if (unknown.length > 0)
    return E.left(
      usageError(
        `--link ${unknown.map((n) => JSON.stringify(n)).join(', ')}: no such link in ${loaded.right.file} (links: ${loaded.right.links.map((l) => l.name).join(', ')})`,
      ),
    )
  return E.right({
    config: loaded.right,
    links:
      wanted.length === 0 ? loaded.right.links : loaded.right.links.filter((l) => wanted.includes(l.name)),
  })
}

/** A usage or configuration error of a config command: exit 2. */
export const usageExit = (io: Io, command: string, e: UsageError): 2 => {
  io.stderr.write(
    `misp-bridge ${command}: ${e.message}\nRun 'misp-bridge ${command} --help' for the options.\n`,
  )
  return 2
}

type ExtraOptions = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly multiple?: boolean }>
>

/**
 * The start of `run`, `daemon` and `status`: flags parsed, `--help` answered, the config loaded.
 * `Left` is the exit status when the command ends here.
 */
export const startConfigCommand = async (
  args: ReadonlyArray<string>,
  extra: ExtraOptions,
  command: string,
  help: string,
  io: Io,
): Promise<
  E.Either<
    0 | 2,
    { readonly p: Parsed; readonly config: BridgeConfig; readonly links: ReadonlyArray<LinkConfig> }
  >
> => {
  const parsed = parse(args, { ...CONFIG_OPTIONS, ...extra }, 0)
  if (E.isLeft(parsed)) return E.left(usageExit(io, command, parsed.left))
  if (flag(parsed.right, 'help')) {
    io.stdout.write(help)
    return E.left(0)
  }
  const loaded = await configOf(parsed.right, command, io)
  return E.isLeft(loaded)
    ? E.left(usageExit(io, command, loaded.left))
    : E.right({ p: parsed.right, ...loaded.right })
}
