/**
 * Readers of option values, shared by the command line (`--tags mirror`, always a string) and
 * the config file (`"tags": "mirror"`, JSON): each takes the raw value and `at`, the name the
 * value goes by where the user wrote it (`--tags` or `links[0].tags`), and answers the checked
 * value or a message that starts with `at`.
 *
 * @internal
 */
import { isAbsolute, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { UUID_RE } from '../client/internal/args.js'
import { checkBaseUrl, shownUrl } from '../client/internal/url.js'
import { parseSince } from '../sync/since.js'

/** Where relative paths are resolved (the working directory, or the config file's folder) and "now". */
export interface ReadContext {
  readonly base: string
  readonly nowMs: number
}

/** Reads one raw value; `Left` is a message that names `at`. */
export type Reader<A> = (value: unknown, at: string, context: ReadContext) => E.Either<string, A>

const got = (value: unknown): string => JSON.stringify(value) ?? String(value)

/** A non-empty string. */
export const text: Reader<string> = (value, at) =>
  typeof value === 'string' && value.trim() !== ''
    ? E.right(value.trim())
    : E.left(`${at} must be a non-empty string, got ${got(value)}`)

/** One of a few words. */
export const oneOf =
  <A extends string>(allowed: ReadonlyArray<A>): Reader<A> =>
  (value, at) =>
    typeof value === 'string' && (allowed as ReadonlyArray<string>).includes(value)
      ? E.right(value as A)
      : E.left(`${at} must be ${allowed.join(' or ')}, got ${got(value)}`)

/** A whole number of at least 1 (`"4"` on the command line, `4` in a file). */
export const positiveInt: Reader<number> = (value, at) => {
  const ok =
    typeof value === 'number'
      ? Number.isSafeInteger(value) && value >= 1
      : typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= 1
  return ok ? E.right(Number(value)) : E.left(`${at} must be a whole number of at least 1, got ${got(value)}`)
}

/** `true`/`false` (a command-line flag is always `true` when given). */
export const bool: Reader<boolean> = (value, at) =>
  typeof value === 'boolean' ? E.right(value) : E.left(`${at} must be true or false, got ${got(value)}`)

/** A file or folder path, resolved against the context's base (the config file's folder, or the working directory). */
export const path: Reader<string> = (value, at, context) =>
  pipe(
    text(value, at, context),
    E.map((p) => (isAbsolute(p) ? p : resolve(context.base, p))),
  )

/** An absolute http(s) base URL; the message names the problem, never the URL's credentials. */
export const baseUrl: Reader<string> = (value, at) => {
  if (value === undefined || (typeof value === 'string' && value.trim() === ''))
    return E.left(`${at} is required`)
  const checked = checkBaseUrl(value)
  return E.isLeft(checked)
    ? E.left(
        `${at} ${JSON.stringify(shownUrl(typeof value === 'string' ? value.trim() : value))}: ${checked.left}`,
      )
    : E.right(String(value).trim())
}

/** A list of event uuids (a repeated flag, or a JSON array). */
export const uuidList: Reader<ReadonlyArray<string>> = (value, at) => {
  const values: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value]
  const bad = values.find((u) => typeof u !== 'string' || !UUID_RE.test(u))
  return bad === undefined
    ? E.right(values as ReadonlyArray<string>)
    : E.left(`${at} must be a UUID, got ${got(bad)}`)
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }

/**
 * `since`: see `parseSince` (durations, unix seconds, ISO-8601). Unix seconds out. A time in
 * the future (no event can have changed since), milliseconds given for seconds, or a duration
 * that reaches back before 1970 is refused: each would silently select nothing or everything.
 */
export const since: Reader<number> = (value, at, context) => {
  if (typeof value !== 'string' && typeof value !== 'number')
    return E.left(`${at} must be a duration (7d), a date or unix seconds, got ${got(value)}`)
  const v = String(value).trim()
  const nowSec = Math.floor(context.nowMs / 1000)
  const duration = /^(\d+)\s*([smhdw])$/i.exec(v)
  if (duration !== null && Number(duration[1]) * UNIT_SECONDS[duration[2]!.toLowerCase()]! > nowSec)
    return E.left(`${at} ${v} reaches back before 1970: to select every event, leave ${at} out`)
  return pipe(
    parseSince(v, context.nowMs),
    E.mapLeft((expected) => `${at} must be ${expected}`),
    E.flatMap((t) =>
      t <= nowSec
        ? E.right(t)
        : E.left(
            `${at} ${v} is in the future${t < 8.64e12 ? ` (${new Date(t * 1000).toISOString()})` : ''}: no event can have changed since${
              /^\d{13,}$/.test(v) ? `; ${at} takes unix seconds, not milliseconds` : ''
            }`,
          ),
    ),
  )
}

/**
 * A duration (`30s`, `15m`, `1h`, `2d`) in milliseconds: a link's `every`, `status --max-lag`.
 * At least one second.
 */
export const duration: Reader<number> = (value, at) => {
  const m = typeof value === 'string' ? /^\s*(\d+)\s*([smhdw])\s*$/i.exec(value) : null
  if (m === null || Number(m[1]) < 1)
    return E.left(`${at} must be a duration such as 30s, 15m, 1h or 1d, got ${got(value)}`)
  return E.right(Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]! * 1000)
}
