/**
 * Distribution policy as data: how each sharing level of the source becomes a level of the
 * target, for events and for attributes, in both directions (`Event.php@v2.4.0:74-75`).
 *
 * The one rule no table may break: **nothing is ever shared more widely than it was**. Levels
 * 0–3 are ordered (your organisation < this community < connected communities < all); a sharing
 * group (4) is not comparable with them, so it may only become 0 (your organisation only, the
 * narrowest level there is) or be dropped. "Inherit" (5) is resolved to the level it inherits
 * before any table is applied.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as V23 from '../v23/index.js'
import type * as V24 from '../v24/index.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * A 2.4 level other than "inherit": what an attribute's level resolves to.
 *
 * @category model
 * @since 0.1.0
 */
export type ResolvedLevel = Exclude<V24.Distribution, '5'>

/**
 * A complete distribution table. Attribute entries (which also apply to object attributes and
 * event reports) may say `'drop'`: the attribute is left out and reported. Events cannot be
 * dropped by a conversion (a connector can skip them).
 *
 * @category model
 * @since 0.1.0
 */
export interface DistributionTable {
  readonly name: string
  readonly downgrade: {
    readonly event: Readonly<Record<V24.EventDistribution, V23.Distribution>>
    readonly attribute: Readonly<Record<ResolvedLevel, V23.Distribution | 'drop'>>
  }
  readonly upgrade: {
    readonly event: Readonly<Record<V23.Distribution, V23.Distribution>>
    readonly attribute: Readonly<Record<V23.Distribution, V23.Distribution | 'drop'>>
  }
}

/**
 * The names of the shipped presets.
 *
 * @category model
 * @since 0.1.0
 */
export type PresetName = 'organisation-only' | 'preserve' | 'misp-push' | 'misp-pull'

/**
 * What `options.distribution` accepts: a preset name or a custom table.
 *
 * @category model
 * @since 0.1.0
 */
export type DistributionOption = PresetName | DistributionTable

// ---------------------------------------------------------------------------------------------
// presets
// ---------------------------------------------------------------------------------------------

const all0 = { '0': '0', '1': '0', '2': '0', '3': '0' } as const
const same = { '0': '0', '1': '1', '2': '2', '3': '3' } as const

/**
 * The shipped presets.
 *
 * - `organisation-only` (default): everything becomes 0, the seed tool's advice.
 * - `preserve`: 0–3 kept; a sharing group (4) becomes 0; inherit (5) takes the event's
 *   resulting level.
 * - `misp-push`: the level rewrite of MISP's own push (`Event.php@v2.4.199:1125-1150`,
 *   `__updateAttributeForSync`): 2 → 1, attributes below 2 dropped, sharing-group attributes
 *   dropped (as MISP's 2.3 "mangle" push did, `Event.php@v2.4.0:880-883`), sharing-group events
 *   → 0. Only the rewrite: MISP's push also never sends an event at level 0 or 1, nor an
 *   unpublished one, while this preset keeps such events at 0 or 1 — choose which events cross
 *   with the sharing rules (`rules`, e.g. `published: true`).
 * - `misp-pull`: what MISP's own pull does (`Server::__updatePulledEventBeforeInsert@v2.4.199`):
 *   1 → 0, 2 → 1, sharing groups → 0.
 *
 * @category presets
 * @since 0.1.0
 */
export const presets: Readonly<Record<PresetName, DistributionTable>> = {
  'organisation-only': {
    name: 'organisation-only',
    downgrade: { event: { ...all0, '4': '0' }, attribute: { ...all0, '4': '0' } },
    upgrade: { event: all0, attribute: all0 },
  },
  preserve: {
    name: 'preserve',
    downgrade: { event: { ...same, '4': '0' }, attribute: { ...same, '4': '0' } },
    upgrade: { event: same, attribute: same },
  },
  'misp-push': {
    name: 'misp-push',
    downgrade: {
      event: { '0': '0', '1': '1', '2': '1', '3': '3', '4': '0' },
      attribute: { '0': 'drop', '1': 'drop', '2': '1', '3': '3', '4': 'drop' },
    },
    upgrade: {
      event: { '0': '0', '1': '1', '2': '1', '3': '3' },
      attribute: { '0': 'drop', '1': 'drop', '2': '1', '3': '3' },
    },
  },
  'misp-pull': {
    name: 'misp-pull',
    downgrade: {
      event: { '0': '0', '1': '0', '2': '1', '3': '3', '4': '0' },
      attribute: { '0': '0', '1': '0', '2': '1', '3': '3', '4': '0' },
    },
    upgrade: {
      event: { '0': '0', '1': '0', '2': '1', '3': '3' },
      attribute: { '0': '0', '1': '0', '2': '1', '3': '3' },
    },
  },
}

// ---------------------------------------------------------------------------------------------
// checks
// ---------------------------------------------------------------------------------------------

const ORDERED: ReadonlyArray<string> = ['0', '1', '2', '3']

/**
 * Whether mapping `from` to `to` keeps sharing at most as wide as it was: within 0–3 the level
 * may only go down; a sharing group (4) may only become 0; `'drop'` is always safe.
 *
 * @category checks
 * @since 0.1.0
 */
export const isNarrowingOrEqual = (from: string, to: string): boolean => {
  if (to === 'drop') return true
  if (from === '4') return to === '0'
  const f = ORDERED.indexOf(from)
  const t = ORDERED.indexOf(to)
  return f >= 0 && t >= 0 && t <= f
}

const TARGET_23: ReadonlyArray<string> = ORDERED

/**
 * Checks a custom table: every entry present, every target a valid 2.3/2.4 level, and no entry
 * that could widen sharing. Returns the table, or every problem found.
 *
 * @example
 * checkTable({ ...presets.preserve, name: 'mine', upgrade: { ...presets.preserve.upgrade, event: { '0': '3', '1': '1', '2': '2', '3': '3' } } })
 * // left(['upgrade.event: 0 → 3 would widen sharing'])
 *
 * @category checks
 * @since 0.1.0
 */
export const checkTable = (table: unknown): E.Either<ReadonlyArray<string>, DistributionTable> => {
  const problems: Array<string> = []
  const isRec = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null
  if (!isRec(table)) return E.left(['not an object'])
  const part = (
    dir: 'downgrade' | 'upgrade',
    level: 'event' | 'attribute',
    sources: ReadonlyArray<string>,
  ) => {
    const d = table[dir]
    const m = isRec(d) ? d[level] : undefined
    if (!isRec(m)) {
      problems.push(`${dir}.${level}: missing`)
      return
    }
    for (const s of sources) {
      const to = m[s]
      if (typeof to !== 'string') problems.push(`${dir}.${level}: no entry for ${s}`)
      else if (to === 'drop' && level === 'event')
        problems.push(`${dir}.${level}: an event cannot be dropped (${s})`)
      else if (to !== 'drop' && !TARGET_23.includes(to))
        problems.push(`${dir}.${level}: ${s} → ${to} is not a level`)
      else if (!isNarrowingOrEqual(s, to)) problems.push(`${dir}.${level}: ${s} → ${to} would widen sharing`)
    }
  }
  part('downgrade', 'event', ['0', '1', '2', '3', '4'])
  part('downgrade', 'attribute', ['0', '1', '2', '3', '4'])
  part('upgrade', 'event', ORDERED)
  part('upgrade', 'attribute', ORDERED)
  if (typeof table['name'] !== 'string') problems.push('name: missing')
  return problems.length > 0 ? E.left(problems) : E.right(table as unknown as DistributionTable)
}

/**
 * Resolves `options.distribution` to a table. A preset name or a valid table is used as is;
 * anything else falls back to `organisation-only` and says why (never throws).
 *
 * @category checks
 * @since 0.1.0
 */
export const resolveTable = (
  option: DistributionOption | undefined,
): { readonly table: DistributionTable; readonly problems: ReadonlyArray<string> } => {
  if (option === undefined) return { table: presets['organisation-only'], problems: [] }
  if (typeof option === 'string') {
    return Object.hasOwn(presets, option)
      ? { table: presets[option], problems: [] }
      : { table: presets['organisation-only'], problems: [`unknown preset ${JSON.stringify(option)}`] }
  }
  const checked = checkTable(option)
  return checked._tag === 'Right'
    ? { table: checked.right, problems: [] }
    : { table: presets['organisation-only'], problems: checked.left }
}

/**
 * The narrower of two resolved levels: a sharing group (4) counts as narrower than any ordered
 * level, since it can only ever become 0.
 *
 * @category checks
 * @since 0.1.0
 */
export const narrower = (a: ResolvedLevel, b: ResolvedLevel): ResolvedLevel => {
  if (a === '4' || b === '4') return '4'
  return a <= b ? a : b
}
