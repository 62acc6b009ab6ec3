/**
 * `misp-bridge convert`: one event file from one format to the other, offline (contract §5). The
 * converted event goes to stdout, the losses to stderr.
 *
 * @since 0.1.0
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { PresetName } from '../convert/DistributionPolicy.js'
import { downgrade } from '../convert/downgrade.js'
import { countByKind, formatLoss } from '../convert/Loss.js'
import { upgrade } from '../convert/upgrade.js'
import { formatDecodeFailure } from '../DecodeFailure.js'
import { decodeEvent23, decodeEvent24, encodeEvent23, encodeEvent24 } from '../decode.js'
import type { ExitCode, Io } from './Io.js'
import { all, flag, oneOf, parse, str, type UsageError, usageError } from './internal/args.js'

/**
 * `misp-bridge convert --help`.
 *
 * @category help
 * @since 0.1.0
 */
export const convertHelp = `Usage: misp-bridge convert --to 2.3|2.4 [options] [FILE|-]

Converts one MISP event (JSON: {"Event": {...}}, a bare event, or a {"response": ...} answer)
read from FILE, or from stdin when FILE is - or missing, into the other format. The converted
event is printed on stdout as {"Event": {...}}; what the conversion dropped or changed (the
losses) is printed on stderr, one line each. Nothing is sent anywhere.

  --to 2.3|2.4             the format to convert to; the input is in the other one
  --from 2.3|2.4           the input's format (optional: it is the one --to is not)
  --distribution PRESET    sharing levels: organisation-only (default), preserve, misp-push, misp-pull
  -h, --help               this help

Exit status: 0 converted, 2 bad usage or an input that is not a valid event of its format.
`

const OPTIONS = {
  to: { type: 'string' },
  from: { type: 'string' },
  distribution: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const readInput = async (file: string | undefined, io: Io): Promise<E.Either<UsageError, string>> => {
  if (file === undefined || file === '-') {
    const chunks: Array<Buffer> = []
    for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c))
    return E.right(Buffer.concat(chunks).toString('utf8'))
  }
  try {
    return E.right(await readFile(resolve(io.cwd ?? process.cwd(), file), 'utf8'))
  } catch (e) {
    return E.left(usageError(`cannot read ${file}: ${(e as Error).message}`))
  }
}

/**
 * Runs `misp-bridge convert` with its arguments (after `convert`).
 *
 * @category commands
 * @since 0.1.0
 */
export const convertCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const usage = (e: UsageError): ExitCode => {
    io.stderr.write(`misp-bridge convert: ${e.message}\nRun 'misp-bridge convert --help' for the options.\n`)
    return 2
  }
  const parsed = parse(args, OPTIONS, 1)
  if (E.isLeft(parsed)) return usage(parsed.left)
  const p = parsed.right
  if (flag(p, 'help')) {
    io.stdout.write(convertHelp)
    return 0
  }
  const checked = all(
    oneOf('to', str(p, 'to'), ['2.3', '2.4'] as const),
    oneOf('from', str(p, 'from'), ['2.3', '2.4'] as const),
    oneOf('distribution', str(p, 'distribution'), [
      'organisation-only',
      'preserve',
      'misp-push',
      'misp-pull',
    ] as ReadonlyArray<PresetName>),
  )
  if (E.isLeft(checked)) return usage(checked.left)
  const [to, from, distribution] = checked.right
  if (to === undefined) return usage(usageError('--to is required'))
  if (from !== undefined && from === to) return usage(usageError(`--from and --to are both ${to}`))
  const text = await readInput(p.positionals[0], io)
  if (E.isLeft(text)) return usage(text.left)
  let json: unknown
  try {
    json = JSON.parse(text.right)
  } catch (e) {
    return usage(usageError(`the input is not JSON: ${(e as Error).message}`))
  }
  const options = distribution === undefined ? {} : { distribution }
  const source = to === '2.3' ? '2.4' : '2.3'
  let out: unknown
  let losses: ReturnType<typeof upgrade>['losses']
  if (to === '2.3') {
    const e = decodeEvent24(json)
    if (E.isLeft(e))
      return usage(
        usageError(`the input is not a valid MISP ${source} event:\n${formatDecodeFailure(e.left)}`),
      )
    const r = downgrade(e.right, options)
    out = encodeEvent23(r.value)
    losses = r.losses
  } else {
    const e = decodeEvent23(json)
    if (E.isLeft(e))
      return usage(
        usageError(`the input is not a valid MISP ${source} event:\n${formatDecodeFailure(e.left)}`),
      )
    const r = upgrade(e.right, options)
    out = encodeEvent24(r.value)
    losses = r.losses
  }
  io.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  for (const l of losses) io.stderr.write(`${formatLoss(l)}\n`)
  const kinds = Object.entries(countByKind(losses))
  io.stderr.write(
    `misp-bridge convert: ${source} → ${to}, ${losses.length} loss${losses.length === 1 ? '' : 'es'}${
      kinds.length === 0 ? '' : ` (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')})`
    }\n`,
  )
  return 0
}
