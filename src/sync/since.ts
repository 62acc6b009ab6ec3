/**
 * `since`: the point after which events count as changed, as people write it — a duration back
 * from now (`30m`, `12h`, `7d`, `2w`), an ISO-8601 date or date-time, unix seconds, or a `Date`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'

/**
 * What `sync({ since })` and `misp-bridge sync --since` accept.
 *
 * @category model
 * @since 0.1.0
 */
export type Since = number | Date | string

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }

/**
 * Unix seconds of a `since`: numbers are unix seconds; strings are a duration back from
 * `nowMs` (`30m`, `12h`, `7d`, `2w`), unix seconds (`"1732699200"`) or an ISO-8601 date or
 * date-time (`2024-11-27`, `2024-11-27T10:00:00Z`). `Left` says what was expected.
 *
 * @example
 * parseSince('7d', Date.parse('2024-11-27T00:00:00Z')) // right(1732060800)
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseSince = (since: Since, nowMs: number = Date.now()): E.Either<string, number> => {
  if (since instanceof Date) {
    const ms = since.getTime()
    return Number.isFinite(ms) ? E.right(Math.max(0, Math.floor(ms / 1000))) : E.left('an invalid Date')
  }
  if (typeof since === 'number')
    return Number.isFinite(since) && since >= 0
      ? E.right(Math.floor(since))
      : E.left(`unix seconds, got ${String(since)}`)
  const v = since.trim()
  const duration = /^(\d+)\s*([smhdw])$/i.exec(v)
  if (duration !== null)
    return E.right(
      Math.max(0, Math.floor(nowMs / 1000) - Number(duration[1]) * UNITS[duration[2]!.toLowerCase()]!),
    )
  if (/^\d+$/.test(v)) return E.right(Number(v))
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const ms = Date.parse(v)
    if (Number.isFinite(ms)) return E.right(Math.max(0, Math.floor(ms / 1000)))
  }
  return E.left(
    `a duration (30m, 12h, 7d, 2w), unix seconds or an ISO-8601 date, got ${JSON.stringify(since)}`,
  )
}
