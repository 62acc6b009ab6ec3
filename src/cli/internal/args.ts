/**
 * Command-line parsing on `node:util` `parseArgs`: usage errors as values, and the value parsers
 * the commands share (`--since`, versions, numbers).
 *
 * @internal
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { parseSince } from '../../sync/since.js'

/**
 * A usage or configuration problem: exit 2 with this message. `help: false` for a problem the
 * command's options do not explain (a server, a file, a key): no "Run '… --help'" after it.
 */
export interface UsageError {
  readonly _tag: 'UsageError'
  readonly message: string
  readonly help?: false
}

export const usageError = (message: string): UsageError => ({ _tag: 'UsageError', message })

/** A problem with the setup (a server, a file, a key) rather than with the command line. */
export const setupError = (message: string): UsageError => ({ _tag: 'UsageError', message, help: false })

type Options = NonNullable<ParseArgsConfig['options']>

export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | ReadonlyArray<string> | undefined>>
  readonly positionals: ReadonlyArray<string>
}

/** `parseArgs` in strict mode; an unknown flag, a missing value, … is a `UsageError`. */
export const parse = (
  args: ReadonlyArray<string>,
  options: Options,
  maxPositionals: number,
): E.Either<UsageError, Parsed> => {
  try {
    const r = parseArgs({ args: [...args], options, strict: true, allowPositionals: maxPositionals > 0 })
    if (r.positionals.length > maxPositionals)
      return E.left(usageError(`unexpected argument ${JSON.stringify(r.positionals[maxPositionals])}`))
    return E.right({ values: r.values as Parsed['values'], positionals: r.positionals })
  } catch (e) {
    return E.left(usageError(e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e)))
  }
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.values[name]
  return typeof v === 'string' ? v : undefined
}

export const flag = (p: Parsed, name: string): boolean => p.values[name] === true

export const list = (p: Parsed, name: string): ReadonlyArray<string> => {
  const v = p.values[name]
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
}

export const oneOf = <A extends string>(
  name: string,
  value: string | undefined,
  allowed: ReadonlyArray<A>,
): E.Either<UsageError, A | undefined> =>
  value === undefined || (allowed as ReadonlyArray<string>).includes(value)
    ? E.right(value as A | undefined)
    : E.left(usageError(`--${name} must be ${allowed.join(' or ')}, got ${JSON.stringify(value)}`))

export const positiveInt = (
  name: string,
  value: string | undefined,
): E.Either<UsageError, number | undefined> => {
  if (value === undefined) return E.right(undefined)
  return /^\d+$/.test(value) && Number(value) >= 1
    ? E.right(Number(value))
    : E.left(usageError(`--${name} must be a whole number of at least 1, got ${JSON.stringify(value)}`))
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }

/**
 * `--since`: see `parseSince` (durations, unix seconds, ISO-8601). Unix seconds out. A time in
 * the future (no event can have changed since), milliseconds given for seconds, or a duration
 * that reaches back before 1970 is a usage error: each would silently select nothing or
 * everything.
 */
export const sinceArg = (value: string, nowMs: number): E.Either<UsageError, number> => {
  const v = value.trim()
  const nowSec = Math.floor(nowMs / 1000)
  const duration = /^(\d+)\s*([smhdw])$/i.exec(v)
  if (duration !== null && Number(duration[1]) * UNIT_SECONDS[duration[2]!.toLowerCase()]! > nowSec)
    return E.left(
      usageError(`--since ${v} reaches back before 1970: to select every event, leave --since out`),
    )
  return pipe(
    parseSince(v, nowMs),
    E.mapLeft((expected) => usageError(`--since must be ${expected}`)),
    E.flatMap((t) =>
      t <= nowSec
        ? E.right(t)
        : E.left(
            usageError(
              `--since ${v} is in the future${t < 8.64e12 ? ` (${new Date(t * 1000).toISOString()})` : ''}: no event can have changed since${
                /^\d{13,}$/.test(v) ? '; --since takes unix seconds, not milliseconds' : ''
              }`,
            ),
          ),
    ),
  )
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const uuids = (values: ReadonlyArray<string>): E.Either<UsageError, ReadonlyArray<string>> => {
  const bad = values.find((u) => !UUID_RE.test(u))
  return bad === undefined
    ? E.right(values)
    : E.left(usageError(`--uuid must be a UUID, got ${JSON.stringify(bad)}`))
}

/** Collects the first usage error of several checks, or their values. */
export const all = <A extends ReadonlyArray<E.Either<UsageError, unknown>>>(
  ...checks: A
): E.Either<UsageError, { [K in keyof A]: A[K] extends E.Either<UsageError, infer B> ? B : never }> => {
  const values: Array<unknown> = []
  for (const c of checks) {
    if (E.isLeft(c)) return c
    values.push(c.right)
  }
  return E.right(values as { [K in keyof A]: A[K] extends E.Either<UsageError, infer B> ? B : never })
}
