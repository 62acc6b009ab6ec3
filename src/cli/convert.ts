/**
 * `misp-bridge convert`: one event file from one format to the other, offline. The
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
import { decodeEvent23, decodeEvent24, encodeEvent23, encodeEvent24, unwrapEvent } from '../decode.js'
import type { ExitCode, Io } from './Io.js'
import { all, flag, oneOf, parse, str, type UsageError, usageError } from './internal/args.js'
import { detectVersion, evidenceText } from './internal/detectVersion.js'
import { summariseLosses } from './internal/lossSummary.js'

/**
 * `misp-bridge convert --help`.
 *
 * @category help
 * @since 0.1.0
 */
export const convertHelp = `Usage: misp-bridge convert --to 2.3|2.4 [options] [FILE|-]

Converts one MISP event (JSON: {"Event": {...}}, a bare event, or a {"response": ...} answer)
read from FILE, or from stdin when FILE is - or missing (and stdin is not a terminal), into the
other format. The input's format is told from its shape (2.3 writes orgc/org as names; 2.4 writes
Orgc/Org objects, sharing groups, distribution 4 and 5, tags, objects, ...), and stderr says which
fields decided. The converted event is printed on stdout as {"Event": {...}}; what the conversion
dropped or changed (the losses) is printed on stderr, one line each. Nothing is sent anywhere.

  --to 2.3|2.4|2.5         the format to convert to (2.5 is 2.4's format); the input must be in
                           the other one: an input already in the --to format is refused
  --from 2.3|2.4|2.5       the input's format, when its shape does not tell (or tells wrong)
  --distribution PRESET    sharing levels: organisation-only (default), preserve, misp-push, misp-pull
  --verbose                every loss on its own line (default: losses that differ only in the
                           attribute or object they concern are counted on one line)
  -h, --help               this help

Exit status: 0 converted, 2 bad usage, an input already in the --to format, or an input that is
not a valid event of its format.
`

const OPTIONS = {
  to: { type: 'string' },
  from: { type: 'string' },
  distribution: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const readInput = async (file: string | undefined, io: Io): Promise<E.Either<UsageError, string>> => {
  if (file === undefined && (io.stdin as { readonly isTTY?: boolean }).isTTY === true)
    return E.left(
      usageError(
        'no input: give a FILE, or pipe an event in (misp-bridge convert --to 2.3 < event.json); ' +
          "'-' reads the terminal (end with Ctrl-D)",
      ),
    )
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

type Format = '2.3' | '2.4'
const VERSIONS = ['2.3', '2.4', '2.5'] as const
/** MISP 2.5 speaks 2.4's format. */
const formatOf = (v: (typeof VERSIONS)[number]): Format => (v === '2.3' ? '2.3' : '2.4')
const other = (v: Format): Format => (v === '2.3' ? '2.4' : '2.3')

/** A `{"response": [...]}` answer that does not hold exactly one event: what to say. */
const manyEvents = (json: unknown): string | undefined => {
  const response =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)['response']
      : undefined
  if (!Array.isArray(response) || response.length === 1) return undefined
  return response.length === 0
    ? 'the input is a {"response": []} answer without events: there is nothing to convert'
    : `the input is a {"response": [...]} answer holding ${response.length} events; convert takes one event: pick one first, e.g. jq '.response[0]' FILE`
}

/**
 * The input's format: `--from` when given (with a warning when its shape says otherwise), else
 * what its shape says; an input already in the `--to` format is refused. The verdict and its
 * evidence go to stderr.
 */
const sourceOf = (
  json: unknown,
  to: Format,
  from: Format | undefined,
  io: Io,
): E.Either<UsageError, Format> => {
  const event = unwrapEvent(json)
  const d = E.isRight(event)
    ? detectVersion(event.right as Record<string, unknown>)
    : { version: undefined, evidence23: [], evidence24: [] }
  const evidence = (v: Format) => evidenceText(v === '2.3' ? d.evidence23 : d.evidence24)
  const say = (line: string) => io.stderr.write(`misp-bridge convert: ${line}\n`)
  if (from !== undefined) {
    if (d.version !== undefined && d.version !== from)
      say(`warning: --from ${from}, but the input looks like MISP ${d.version} (${evidence(d.version)})`)
    say(`input: MISP ${from} (--from ${from})`)
    return E.right(from)
  }
  if (d.version === to)
    return E.left(
      usageError(
        `the input is already MISP ${to} (${evidence(to)}): nothing to convert. ` +
          `To convert it to MISP ${other(to)}: --to ${other(to)}; if it really is MISP ${other(to)}: --from ${other(to)}`,
      ),
    )
  if (d.version !== undefined) {
    say(`input: MISP ${d.version} (${evidence(d.version)})`)
    return E.right(d.version)
  }
  const source = other(to)
  const why =
    d.evidence23.length > 0
      ? `mixed: 2.3 by ${evidenceText(d.evidence23)}, 2.4 by ${evidenceText(d.evidence24)}`
      : 'no field only one version has'
  say(`input: read as MISP ${source} because --to is ${to}; its shape does not tell (${why}): --from says it`)
  return E.right(source)
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
    oneOf('to', str(p, 'to'), VERSIONS),
    oneOf('from', str(p, 'from'), VERSIONS),
    oneOf('distribution', str(p, 'distribution'), [
      'organisation-only',
      'preserve',
      'misp-push',
      'misp-pull',
    ] as ReadonlyArray<PresetName>),
  )
  if (E.isLeft(checked)) return usage(checked.left)
  const [toGiven, fromGiven, distribution] = checked.right
  if (toGiven === undefined) return usage(usageError('--to is required'))
  const to = formatOf(toGiven)
  const from = fromGiven === undefined ? undefined : formatOf(fromGiven)
  if (from !== undefined && from === to) return usage(usageError(`--from and --to are both ${to}`))
  const text = await readInput(p.positionals[0], io)
  if (E.isLeft(text)) return usage(text.left)
  let json: unknown
  try {
    json = JSON.parse(text.right.replace(/^\uFEFF/, ''))
  } catch (e) {
    return usage(usageError(`the input is not JSON: ${(e as Error).message}`))
  }
  const many = manyEvents(json)
  if (many !== undefined) return usage(usageError(many))
  const source = sourceOf(json, to, from, io)
  if (E.isLeft(source)) return usage(source.left)
  const options = distribution === undefined ? {} : { distribution }
  let out: unknown
  let losses: ReturnType<typeof upgrade>['losses']
  if (source.right === '2.4') {
    const e = decodeEvent24(json)
    if (E.isLeft(e))
      return usage(usageError(`the input is not a valid MISP 2.4 event:\n${formatDecodeFailure(e.left)}`))
    const r = downgrade(e.right, options)
    out = encodeEvent23(r.value)
    losses = r.losses
  } else {
    const e = decodeEvent23(json)
    if (E.isLeft(e))
      return usage(usageError(`the input is not a valid MISP 2.3 event:\n${formatDecodeFailure(e.left)}`))
    const r = upgrade(e.right, options)
    out = encodeEvent24(r.value)
    losses = r.losses
  }
  io.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  const lines = flag(p, 'verbose') ? losses.map(formatLoss) : summariseLosses(losses)
  for (const l of lines) io.stderr.write(`${l}\n`)
  const kinds = Object.entries(countByKind(losses))
  io.stderr.write(
    `misp-bridge convert: ${source.right} → ${to}, ${losses.length} loss${losses.length === 1 ? '' : 'es'}${
      kinds.length === 0 ? '' : ` (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')})`
    }\n`,
  )
  if (lines.length < losses.length)
    io.stderr.write('misp-bridge convert: --verbose lists each loss on its own line\n')
  return 0
}
