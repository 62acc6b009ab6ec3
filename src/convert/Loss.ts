/**
 * What a conversion dropped or changed. Every loss is plain data with the `path` of the input
 * it concerns (e.g. `Event.Attribute[3].distribution`), what it was and, where it still exists,
 * what it became. A loss is information the target will not have: nothing a conversion does to
 * its input goes unreported, except leaving out what carries no information — empty values
 * (`[]`, `{}`, `null`, `""`), values the target implies (`deleted: false`) and fields the target
 * assigns or recomputes itself (ids, counters, correlations, the owner). Those fates are
 * documented field by field in `docs/mapping.md`.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * Why a field was dropped:
 * - `instance-local`: only meaningful on the server that produced it. Ids, counters, the owner
 *   and correlations are left out without a loss (the target assigns its own); this reason is
 *   reported only where such a field still said something, e.g. a legacy `orgc` name that
 *   disagrees with `Orgc.name`.
 * - `not-in-target`: the target version has no such field.
 * - `not-transferred`: exists in both versions but is not carried by an event transfer
 *   (proposals, which MISP syncs separately).
 * - `unknown`: a field the model does not know (newer MISP, or a client's own field).
 *
 * @category model
 * @since 0.1.0
 */
export type DropReason = 'instance-local' | 'not-in-target' | 'not-transferred' | 'unknown'

/**
 * Fields of one object (event, attribute, object, org) that are absent from the output. Covers
 * exactly `path.<field>` for each listed field.
 *
 * @category model
 * @since 0.1.0
 */
export interface FieldsDropped {
  readonly _tag: 'FieldsDropped'
  readonly path: string
  readonly reason: DropReason
  /** field name → the value it had */
  readonly fields: Readonly<Record<string, unknown>>
}

/**
 * A distribution level that changed (including one that was missing and was made explicit).
 *
 * @category model
 * @since 0.1.0
 */
export interface DistributionChanged {
  readonly _tag: 'DistributionChanged'
  readonly path: string
  readonly from: string | undefined
  readonly to: string
  /** the policy that decided it, e.g. `organisation-only` */
  readonly policy: string
}

/**
 * Why an attribute did not make it into the output.
 *
 * @category model
 * @since 0.1.0
 */
export type AttributeDropReason =
  | 'deleted'
  | 'type-not-in-2.3'
  | 'category-not-in-2.3'
  | 'category-type-pair-not-in-2.3'
  | 'duplicate-in-2.3'
  | 'distribution-policy'

/**
 * An attribute left out of the output as a whole (covers every field below `path`).
 *
 * @category model
 * @since 0.1.0
 */
export interface AttributeDropped {
  readonly _tag: 'AttributeDropped'
  readonly path: string
  readonly reason: AttributeDropReason
  readonly uuid: string
  readonly type: string
  readonly category: string
  readonly value: string
}

/**
 * A deleted 2.4 object left out as a whole (covers every field below `path`).
 *
 * @category model
 * @since 0.1.0
 */
export interface ObjectDropped {
  readonly _tag: 'ObjectDropped'
  readonly path: string
  readonly reason: 'deleted'
  readonly uuid: string
  readonly name: string
}

/**
 * A 2.4 object whose attributes became plain 2.3 attributes (2.3 has no objects). Its own fields
 * are reported by a {@link FieldsDropped} at the same path; `moved` says where each attribute
 * went.
 *
 * @category model
 * @since 0.1.0
 */
export interface ObjectFlattened {
  readonly _tag: 'ObjectFlattened'
  readonly path: string
  readonly uuid: string
  readonly name: string
  readonly moved: ReadonlyArray<{ readonly from: string; readonly to: string }>
}

/**
 * A value that the conversion set or changed (e.g. `locked` forced to `true`, a timestamp moved
 * back by one second).
 *
 * @category model
 * @since 0.1.0
 */
export interface ValueChanged {
  readonly _tag: 'ValueChanged'
  readonly path: string
  readonly from: unknown
  readonly to: unknown
  readonly reason: string
}

/**
 * A custom distribution table that was refused because it could widen sharing; the conversion
 * used the `organisation-only` preset instead.
 *
 * @category model
 * @since 0.1.0
 */
export interface PolicyRejected {
  readonly _tag: 'PolicyRejected'
  readonly path: 'options.distribution'
  readonly problems: ReadonlyArray<string>
}

/**
 * Everything a conversion can report.
 *
 * @category model
 * @since 0.1.0
 */
export type Loss =
  | FieldsDropped
  | DistributionChanged
  | AttributeDropped
  | ObjectDropped
  | ObjectFlattened
  | ValueChanged
  | PolicyRejected

// ---------------------------------------------------------------------------------------------
// destructors
// ---------------------------------------------------------------------------------------------

const show = (u: unknown): string => {
  if (u === undefined) return '(missing)'
  const s = JSON.stringify(u) ?? String(u)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/**
 * Renders a loss for people, one line.
 *
 * @example
 * formatLoss({ _tag: 'DistributionChanged', path: 'Event.distribution', from: '3', to: '0', policy: 'organisation-only' })
 * // 'Event.distribution: distribution 3 → 0 (policy organisation-only)'
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatLoss = (loss: Loss): string => {
  switch (loss._tag) {
    case 'FieldsDropped':
      return `${loss.path}: dropped ${Object.keys(loss.fields).join(', ')} (${loss.reason})`
    case 'DistributionChanged':
      return `${loss.path}: distribution ${loss.from ?? '(missing)'} → ${loss.to} (policy ${loss.policy})`
    case 'AttributeDropped':
      return `${loss.path}: attribute ${loss.uuid} (${loss.category}/${loss.type} ${show(loss.value)}) dropped: ${loss.reason}`
    case 'ObjectDropped':
      return `${loss.path}: object ${loss.uuid} (${loss.name}) dropped: ${loss.reason}`
    case 'ObjectFlattened':
      return `${loss.path}: object ${loss.uuid} (${loss.name}) flattened into ${loss.moved.length} attribute(s)`
    case 'ValueChanged':
      return `${loss.path}: ${show(loss.from)} → ${show(loss.to)} (${loss.reason})`
    case 'PolicyRejected':
      return `${loss.path}: custom distribution table refused, used organisation-only: ${loss.problems.join('; ')}`
  }
}

/**
 * Counts losses by `_tag`, e.g. for a run summary.
 *
 * @category destructors
 * @since 0.1.0
 */
export const countByKind = (losses: ReadonlyArray<Loss>): Readonly<Partial<Record<Loss['_tag'], number>>> => {
  const out: Partial<Record<Loss['_tag'], number>> = {}
  for (const l of losses) out[l._tag] = (out[l._tag] ?? 0) + 1
  return out
}
