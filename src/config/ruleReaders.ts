/**
 * Readers of the sharing options: a rules file (`--rules FILE`) or inline rules (a config file's
 * `"rules": {…}`), the name lists of the shorthands (`--block-tag tlp:red`, repeatable), and the
 * arrival policy (`"arrival": {"publish": "quiet", "tags": [...]}`).
 *
 * @internal
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import type { ArrivalOptions, PublishArrival } from '../sync/Connector.js'
import { parseSyncRules, type SyncRules } from '../sync/SyncRules.js'
import { path, type Reader } from './readers.js'

const got = (value: unknown): string => JSON.stringify(value) ?? String(value)

/** Rules: a path to a JSON file (the bridge's shape or MISP's exported server rules), or inline. */
export const rulesReader: Reader<SyncRules> = (value, at, context) => {
  if (typeof value !== 'string') {
    const parsed = parseSyncRules(value)
    return E.isLeft(parsed) ? E.left(`${at}: ${parsed.left}`) : parsed
  }
  const file = path(value, at, context)
  if (E.isLeft(file)) return file
  let text: string
  try {
    text = readFileSync(file.right, 'utf8')
  } catch (e) {
    return E.left(`${at} ${value}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  const parsed = parseSyncRules(text)
  return E.isLeft(parsed) ? E.left(`${at} ${value}: ${parsed.left}`) : parsed
}

/** Non-empty names (a repeated flag, or a JSON list). */
export const names: Reader<ReadonlyArray<string>> = (value, at) => {
  const values: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value]
  const bad = values.find((v) => typeof v !== 'string' || v.trim() === '')
  return bad === undefined
    ? E.right(values.map((v) => (v as string).trim()))
    : E.left(`${at} must be a non-empty name, got ${got(bad)}`)
}

const PUBLISH: ReadonlyArray<PublishArrival> = ['quiet', 'never', 'as-source']

/** The arrival policy as a config file writes it. */
export const arrivalReader: Reader<ArrivalOptions> = (value, at, context) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return E.left(`${at} must be an object such as {"publish": "quiet", "tags": ["source:misp-2.3"]}`)
  const { publish, tags, ...rest } = value as Record<string, unknown>
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) return E.left(`${at}.${unknown} is not an arrival option (publish, tags)`)
  if (publish !== undefined && !(PUBLISH as ReadonlyArray<unknown>).includes(publish))
    return E.left(`${at}.publish must be ${PUBLISH.join(' or ')}, got ${got(publish)}`)
  const t = tags === undefined ? E.right(undefined) : names(tags, `${at}.tags`, context)
  if (E.isLeft(t)) return t
  return E.right({
    ...(publish === undefined ? {} : { publish: publish as PublishArrival }),
    ...(t.right === undefined ? {} : { tags: t.right }),
  })
}
