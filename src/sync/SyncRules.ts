/**
 * Which events cross the bridge: sharing rules in MISP's own push-rules dialect, with **names**
 * where MISP keeps instance-local ids, so that a rules file moves between servers.
 *
 * ```json
 * { "tags": { "OR": ["tlp:clear", "tlp:green"], "NOT": ["tlp:red"] },
 *   "orgs": { "OR": [], "NOT": ["ACME-Internal"] },
 *   "published": true,
 *   "type_attributes": { "NOT": ["email-src"] } }
 * ```
 *
 * MISP's semantics (`Server::eventFilterPushableServers@v2.5.1`): within a field `OR` = at least
 * one must be present, `NOT` = none may be; the fields are AND-ed; an empty or missing list
 * constrains nothing. Tag names match the event's tags exactly but case-insensitively, and a
 * trailing `*` matches a prefix (`"tlp:*"`). Orgs match the creator organisation (2.4/2.5 `Orgc`
 * name or uuid, 2.3 `orgc` name), names case-insensitively. `published: true` lets only published
 * events cross (what MISP's own push and pull do). `type_attributes.NOT` keeps attributes of these
 * types out of the copy (the rest of the event crosses).
 *
 * {@link parseSyncRules} reads this shape, and also what MISP itself exports for a server link
 * (`push_rules` / `pull_rules` as JSON strings, `url_params` included) as far as it means the same.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * One rule field's lists: `OR` — at least one must be present; `NOT` — none may be.
 *
 * @category model
 * @since 0.3.0
 */
export interface RuleLists {
  readonly OR?: ReadonlyArray<string>
  readonly NOT?: ReadonlyArray<string>
}

/**
 * Which events cross and what of them (see the module's description).
 *
 * @category model
 * @since 0.3.0
 */
export interface SyncRules {
  /** event-level tags by name (case-insensitive, a trailing `*` matches a prefix) */
  readonly tags?: RuleLists
  /** the creator organisation, by name (case-insensitive) or uuid */
  readonly orgs?: RuleLists
  /** `true`: only published events cross */
  readonly published?: boolean
  /** attributes of these types are not sent */
  readonly type_attributes?: { readonly NOT?: ReadonlyArray<string> }
}

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>
const isRecord = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u)

const idHint = {
  tags: 'rules take tag names (e.g. "tlp:green"), not the instance-local ids MISP stores in its push rules: look the names up in /tags/index of the server the rules came from',
  orgs: 'rules take organisation names or uuids, not the instance-local ids MISP stores in its push rules: look them up in /organisations/index of the server the rules came from',
} as const

/** A JSON string MISP keeps rules in, parsed; an empty string is no rules. */
const fromString = (u: unknown, where: string): E.Either<string, unknown> => {
  if (typeof u !== 'string') return E.right(u)
  if (u.trim() === '') return E.right({})
  try {
    return E.right(JSON.parse(u))
  } catch (e) {
    return E.left(`${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
}

const names = (
  u: unknown,
  where: string,
  ids: 'tags' | 'orgs' | undefined,
): E.Either<string, ReadonlyArray<string>> => {
  if (u === undefined || u === null) return E.right([])
  // PHP encodes a list with holes as an object: {"0": "a", "2": "b"}
  const list = Array.isArray(u) ? u : isRecord(u) ? Object.values(u) : undefined
  if (list === undefined) return E.left(`${where}: expected a list of names`)
  const out: Array<string> = []
  for (const x of list) {
    const s = typeof x === 'number' ? String(x) : x
    if (typeof s !== 'string') return E.left(`${where}: expected names (strings), got ${JSON.stringify(x)}`)
    const name = s.trim()
    if (name === '') continue
    if (ids !== undefined && /^\d+$/.test(name))
      return E.left(`${where}: "${name}" looks like a MISP id; ${idHint[ids]}`)
    if (!out.some((o) => o.toLowerCase() === name.toLowerCase())) out.push(name)
  }
  return E.right(out)
}

const lists = (
  u: unknown,
  where: string,
  ids: 'tags' | 'orgs' | undefined,
  allowed: ReadonlyArray<'OR' | 'NOT'>,
): E.Either<string, RuleLists | undefined> => {
  if (u === undefined || u === null) return E.right(undefined)
  if (!isRecord(u)) return E.left(`${where}: expected {"OR": [...], "NOT": [...]}`)
  const out: { OR?: ReadonlyArray<string>; NOT?: ReadonlyArray<string> } = {}
  for (const [k, v] of Object.entries(u)) {
    if (!(allowed as ReadonlyArray<string>).includes(k))
      return E.left(`${where}.${k}: unknown (expected ${allowed.join(' or ')})`)
    const got = names(v, `${where}.${k}`, ids)
    if (E.isLeft(got)) return got
    if (got.right.length > 0) out[k as 'OR' | 'NOT'] = got.right
  }
  return E.right(Object.keys(out).length === 0 ? undefined : out)
}

const FIELDS = ['tags', 'orgs', 'published', 'type_attributes', 'type_objects', 'url_params'] as const

/** The bridge's own shape (MISP's `url_params` and empty `type_objects` tolerated). */
const ownShape = (u: Json, where: string): E.Either<string, SyncRules> => {
  for (const k of Object.keys(u))
    if (!(FIELDS as ReadonlyArray<string>).includes(k))
      return E.left(`${where}.${k}: unknown rule field (expected ${FIELDS.slice(0, 4).join(', ')})`)
  const tags = lists(u['tags'], `${where}.tags`, 'tags', ['OR', 'NOT'])
  if (E.isLeft(tags)) return tags
  const orgs = lists(u['orgs'], `${where}.orgs`, 'orgs', ['OR', 'NOT'])
  if (E.isLeft(orgs)) return orgs
  const types = lists(u['type_attributes'], `${where}.type_attributes`, undefined, ['OR', 'NOT'])
  if (E.isLeft(types)) return types
  if (types.right?.OR !== undefined)
    return E.left(
      `${where}.type_attributes.OR: MISP's rules only block attribute types (NOT); list the types to leave out there`,
    )
  const objects = lists(u['type_objects'], `${where}.type_objects`, undefined, ['OR', 'NOT'])
  if (E.isLeft(objects)) return objects
  if (objects.right !== undefined)
    return E.left(
      `${where}.type_objects: object template filters are not supported by the bridge; use type_attributes.NOT`,
    )
  let published: boolean | undefined
  const p = u['published']
  if (p === true || p === 1 || p === '1') published = true
  else if (p === false || p === 0 || p === '0') published = false
  else if (p !== undefined && p !== null) return E.left(`${where}.published: expected true or false`)
  const params = fromString(u['url_params'], `${where}.url_params`)
  if (E.isLeft(params)) return params
  if (params.right !== undefined && params.right !== null) {
    if (!isRecord(params.right) && !Array.isArray(params.right))
      return E.left(`${where}.url_params: expected an object`)
    const entries = isRecord(params.right) ? Object.entries(params.right) : []
    for (const [k, v] of entries) {
      if (k === 'published' && (v === 1 || v === '1' || v === true)) published = true
      else
        return E.left(
          `${where}.url_params.${k}: MISP search parameters other than "published" have no bridge rule; use since (--since) or drop it`,
        )
    }
  }
  return E.right({
    ...(tags.right === undefined ? {} : { tags: tags.right }),
    ...(orgs.right === undefined ? {} : { orgs: orgs.right }),
    ...(published === undefined ? {} : { published }),
    ...(types.right === undefined ? {} : { type_attributes: types.right as { NOT: ReadonlyArray<string> } }),
  })
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * Reads sharing rules from JSON (parsed or text): the bridge's own shape, or what MISP exports
 * for a server link — `{"push_rules": "<json>"}`, `{"pull_rules": "<json>"}`, a whole
 * `{"Server": {…}}`, or a bare push-rules string. MISP pushes and pulls only published events,
 * so rules read from `push_rules`/`pull_rules` have `published: true`. Ids where names are
 * expected (MISP's push rules store tag and organisation ids) are refused with the fix.
 *
 * @example
 * parseSyncRules('{"tags": {"NOT": ["tlp:red"]}}')
 * // right({ tags: { NOT: ['tlp:red'] } })
 *
 * @category constructors
 * @since 0.3.0
 */
export const parseSyncRules = (input: unknown): E.Either<string, SyncRules> => {
  const parsed = fromString(input, 'rules')
  if (E.isLeft(parsed)) return parsed
  let u = parsed.right
  if (u === undefined || u === null) return E.right({})
  if (!isRecord(u)) return E.left('rules: expected an object')
  if (isRecord(u['Server'])) u = u['Server']
  const r = u as Json
  if ('push_rules' in r || 'pull_rules' in r) {
    const push = fromString(r['push_rules'], 'rules.push_rules')
    if (E.isLeft(push)) return push
    const pull = fromString(r['pull_rules'], 'rules.pull_rules')
    if (E.isLeft(pull)) return pull
    const pushRules =
      push.right === undefined ? undefined : ownShape(asRecord(push.right), 'rules.push_rules')
    const pullRules =
      pull.right === undefined ? undefined : ownShape(asRecord(pull.right), 'rules.pull_rules')
    if (pushRules !== undefined && E.isLeft(pushRules)) return pushRules
    if (pullRules !== undefined && E.isLeft(pullRules)) return pullRules
    const a = pushRules === undefined ? undefined : (pushRules as E.Right<SyncRules>).right
    const b = pullRules === undefined ? undefined : (pullRules as E.Right<SyncRules>).right
    const meaningful = [a, b].filter((x): x is SyncRules => x !== undefined && Object.keys(x).length > 0)
    if (meaningful.length > 1)
      return E.left(
        'rules: both push_rules and pull_rules are set; give the bridge one of them (the direction it copies in)',
      )
    return E.right({ ...(meaningful[0] ?? {}), published: true })
  }
  return ownShape(r, 'rules')
}

const asRecord = (u: unknown): Json => (isRecord(u) ? u : Array.isArray(u) && u.length === 0 ? {} : { '': u })

/**
 * Adds rules to rules: the lists are joined (without duplicates); `published: true` wins.
 *
 * @category combinators
 * @since 0.3.0
 */
export const combineSyncRules = (a: SyncRules, b: SyncRules): SyncRules => {
  const join = (x?: ReadonlyArray<string>, y?: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
    const all = [...(x ?? []), ...(y ?? [])].filter(
      (n, i, xs) => xs.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i,
    )
    return all.length === 0 ? undefined : all
  }
  const field = (x?: RuleLists, y?: RuleLists): RuleLists | undefined => {
    const OR = join(x?.OR, y?.OR)
    const NOT = join(x?.NOT, y?.NOT)
    return OR === undefined && NOT === undefined
      ? undefined
      : { ...(OR === undefined ? {} : { OR }), ...(NOT === undefined ? {} : { NOT }) }
  }
  const tags = field(a.tags, b.tags)
  const orgs = field(a.orgs, b.orgs)
  const types = join(a.type_attributes?.NOT, b.type_attributes?.NOT)
  const published = a.published === true || b.published === true ? true : (a.published ?? b.published)
  return {
    ...(tags === undefined ? {} : { tags }),
    ...(orgs === undefined ? {} : { orgs }),
    ...(published === undefined ? {} : { published }),
    ...(types === undefined ? {} : { type_attributes: { NOT: types } }),
  }
}

// ---------------------------------------------------------------------------------------------
// destructors
// ---------------------------------------------------------------------------------------------

/**
 * The rules as MISP keeps them for a server link: `{"push_rules": "<json>"}` with the tags,
 * orgs and attribute types (by name — a MISP server takes names in its pull rules; its push-rule
 * editor stores ids). `published` has no field there: MISP pushes only published events.
 * {@link parseSyncRules} reads it back.
 *
 * @category destructors
 * @since 0.3.0
 */
export const formatMispRules = (rules: SyncRules): { readonly push_rules: string } => {
  const both = (l?: RuleLists) => ({ OR: [...(l?.OR ?? [])], NOT: [...(l?.NOT ?? [])] })
  return {
    push_rules: JSON.stringify({
      tags: both(rules.tags),
      orgs: both(rules.orgs),
      type_attributes: { NOT: [...(rules.type_attributes?.NOT ?? [])] },
      type_objects: { NOT: [] },
    }),
  }
}
