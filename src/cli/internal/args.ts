/**
 * Command-line parsing on `node:util` `parseArgs`: usage errors as values (the value readers of
 * `sync`'s options are the option table's, `config/readers.ts`).
 *
 * @internal
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'

/** A usage or configuration problem: exit 2 with this message. */
export interface UsageError {
  readonly _tag: 'UsageError'
  readonly message: string
}

export const usageError = (message: string): UsageError => ({ _tag: 'UsageError', message })

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
