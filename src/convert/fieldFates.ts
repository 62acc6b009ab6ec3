/**
 * Field-fate tables: for every field of every model a conversion reads, what happens to it.
 * These tables drive the conversions (a field's fate is looked up here, not decided in code)
 * and generate `docs/mapping.md`. Each table is checked by the compiler to name every field of
 * its model, so a field added to a model does not compile until its fate is decided.
 *
 * @module
 * @since 0.1.0
 */
import type * as V23 from '../v23/index.js'
import type * as V24 from '../v24/index.js'
import type { DropReason } from './Loss.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * What the target does without a field it is not sent: it assigns or recomputes its own. Such a
 * field is left out and is **not a loss** — it is no information the target will miss.
 * - `instance-local`: an identifier or bookkeeping value of the source server (ids, the owner
 *   organisation); the target assigns its own.
 * - `recomputed`: derived data (counters, correlations); the target computes its own.
 *
 * @category model
 * @since 0.1.0
 */
export type NotALoss = 'instance-local' | 'recomputed'

/**
 * - `copied`: the same field, the same value.
 * - `converted`: written by the conversion's own logic (see the note).
 * - a {@link NotALoss}: left out, not reported.
 * - `not-in-target` / `not-transferred` (a {@link DropReason}): left out and reported in a
 *   `FieldsDropped` loss — unless its value carries nothing (see {@link carriesNothing}).
 *
 * @category model
 * @since 0.1.0
 */
export type Fate = 'copied' | 'converted' | NotALoss | Exclude<DropReason, 'unknown' | 'instance-local'>

/**
 * A field's fate, with a note for people (shown in `docs/mapping.md`) and, for a dropped field,
 * the values that mean what the target assumes without it (e.g. `deleted: false`): dropping one
 * of those loses nothing, so it is not reported.
 *
 * @category model
 * @since 0.1.0
 */
export type FieldFate = Fate | readonly [Fate, string] | readonly [Fate, string, Implied]

/**
 * Values of a dropped field that the target implies when the field is absent.
 *
 * @category model
 * @since 0.1.0
 */
export type Implied = ReadonlyArray<string | boolean>

type FieldsOf<C extends { readonly required: object; readonly optional: object }> =
  | keyof C['required']
  | keyof C['optional']

/**
 * A fate for each field of a model.
 *
 * @category model
 * @since 0.1.0
 */
export type FateTable<C extends { readonly required: object; readonly optional: object }> = Readonly<
  Record<FieldsOf<C>, FieldFate>
>

// ---------------------------------------------------------------------------------------------
// 2.4 → 2.3 (downgrade), `Event.php@v2.4.0:74-75`, `Event.php@v2.4.199:3462-3471`, `Attribute.php@v2.3.178:101-145`, docs/mapping.md
// ---------------------------------------------------------------------------------------------

/**
 * `V24.Event` → `V23.Event`.
 *
 * @category 2.4 → 2.3
 * @since 0.1.0
 */
export const eventToV23 = {
  uuid: 'copied',
  info: 'copied',
  id: 'instance-local',
  org_id: 'instance-local',
  orgc_id: 'instance-local',
  org: [
    'instance-local',
    'the owner is always the posting user’s organisation (`Event.php@v2.4.199:3462-3471`)',
  ],
  orgc: [
    'converted',
    'legacy creator name: used as `orgc` when `Orgc.name` is absent; reported when it disagrees with it',
  ],
  date: 'copied',
  threat_level_id: 'copied',
  analysis: 'copied',
  distribution: ['converted', 'through the distribution policy; missing → 0'],
  sharing_group_id: [
    'instance-local',
    'an id; the sharing group is reported under `SharingGroup`, its effect under `distribution`',
  ],
  published: 'copied',
  timestamp: [
    'copied',
    'kept, so that a later genuine change still wins (`timestamps: "decrement"` subtracts 1)',
  ],
  publish_timestamp: 'copied',
  sighting_timestamp: [
    'recomputed',
    'the latest sighting’s time; sightings are reported with their attribute',
  ],
  attribute_count: 'recomputed',
  proposal_email_lock: 'copied',
  locked: [
    'converted',
    'always `true`: a synced copy (sync users may edit only locked events, `Event::_edit@v2.4.199:4075-4160`)',
  ],
  disable_correlation: ['not-in-target', '2.3 correlates every event', [false]],
  extends_uuid: 'not-in-target',
  protected: ['not-in-target', '2.3 has no protected events', [false]],
  event_creator_email: 'not-in-target',
  Org: [
    'instance-local',
    'the owner is always the posting user’s organisation (`Event.php@v2.4.199:3462-3471`)',
  ],
  Orgc: ['converted', '`Orgc.name` → `orgc` (2.3 names organisations by string)'],
  SharingGroup: ['not-in-target', 'sharing groups do not exist in 2.3'],
  Attribute: ['converted', 'each attribute converted; some dropped (see attribute table)'],
  ShadowAttribute: ['not-transferred', 'proposals are not carried by an event transfer'],
  RelatedEvent: ['recomputed', 'correlations are computed by each server'],
  Tag: ['not-in-target', '2.3 event JSON has no tags (`JSONConverterTool.php@v2.3.178:44`)'],
  EventTag: 'not-in-target',
  Galaxy: 'not-in-target',
  Object: ['converted', 'flattened: object attributes become plain attributes'],
  EventReport: 'not-in-target',
  CryptographicKey: 'not-in-target',
  Note: 'not-in-target',
  Opinion: 'not-in-target',
  Relationship: 'not-in-target',
} as const satisfies FateTable<typeof V24.Event>

/**
 * `V24.Attribute` (also an object's attribute) → `V23.Attribute`.
 *
 * @category 2.4 → 2.3
 * @since 0.1.0
 */
export const attributeToV23 = {
  uuid: 'copied',
  type: ['copied', 'attributes whose type 2.3 does not know are dropped (`Attribute.php@v2.3.178:101-145`)'],
  category: [
    'copied',
    'attributes whose (category, type) pair 2.3 rejects are dropped (`Attribute.php@v2.3.178:101-145`)',
  ],
  value: ['copied', 'a second identical (type, category, value) is dropped: 2.3 `valueIsUnique`'],
  id: [
    'instance-local',
    'must not reach 2.3: its edit would overwrite a local attribute with that id (`EventsController.php@v2.3.178:1220-1262`)',
  ],
  event_id: 'instance-local',
  object_id: 'instance-local',
  object_relation: 'not-in-target',
  to_ids: 'copied',
  distribution: [
    'converted',
    'through the distribution policy; 5 (inherit) and missing resolve to the event’s (or object’s) level first',
  ],
  sharing_group_id: ['instance-local', 'an id; its effect is reported under `distribution`'],
  timestamp: 'copied',
  comment: 'copied',
  deleted: ['not-in-target', 'attributes with `deleted: true` are dropped whole', [false]],
  disable_correlation: ['not-in-target', '2.3 correlates every attribute', [false]],
  first_seen: 'not-in-target',
  last_seen: 'not-in-target',
  data: 'copied',
  SharingGroup: 'not-in-target',
  ShadowAttribute: 'not-transferred',
  RelatedAttribute: ['recomputed', 'correlations are computed by each server'],
  Tag: 'not-in-target',
  Galaxy: 'not-in-target',
  Sighting: 'not-in-target',
} as const satisfies FateTable<typeof V24.Attribute>

/**
 * `V24.Object` → its attributes, flattened into `V23.Event.Attribute`.
 *
 * @category 2.4 → 2.3
 * @since 0.1.0
 */
export const objectToV23 = {
  uuid: 'not-in-target',
  name: 'not-in-target',
  id: 'instance-local',
  event_id: 'instance-local',
  'meta-category': 'not-in-target',
  description: 'not-in-target',
  template_uuid: 'not-in-target',
  template_version: 'not-in-target',
  timestamp: 'not-in-target',
  distribution: [
    'not-in-target',
    'still restricts its attributes: each takes the narrower of its own and the object’s level (5, inherit, restricts nothing)',
    ['5'],
  ],
  sharing_group_id: 'instance-local',
  comment: 'not-in-target',
  deleted: ['not-in-target', 'a deleted object is dropped whole', [false]],
  first_seen: 'not-in-target',
  last_seen: 'not-in-target',
  SharingGroup: 'not-in-target',
  ObjectReference: 'not-in-target',
  Attribute: ['converted', 'each becomes a plain 2.3 attribute (see attribute table)'],
} as const satisfies FateTable<typeof V24.Object>

/**
 * `V24.Event.Orgc` → `V23.Event.orgc`.
 *
 * @category 2.4 → 2.3
 * @since 0.1.0
 */
export const orgToV23 = {
  name: ['converted', 'becomes `Event.orgc`'],
  id: 'instance-local',
  uuid: ['not-in-target', '2.3 organisations have no uuid'],
  local: 'instance-local',
  date_created: 'instance-local',
  date_modified: 'instance-local',
} as const satisfies FateTable<typeof V24.Org>

// ---------------------------------------------------------------------------------------------
// 2.3 → 2.4 (upgrade), `Event.php@v2.4.199:3462-3471`, docs/mapping.md
// ---------------------------------------------------------------------------------------------

/**
 * `V23.Event` → `V24.Event`.
 *
 * @category 2.3 → 2.4
 * @since 0.1.0
 */
export const eventToV24 = {
  uuid: 'copied',
  info: 'copied',
  id: 'instance-local',
  org: [
    'instance-local',
    'the owner is always the posting user’s organisation (`Event.php@v2.4.199:3462-3471`)',
  ],
  orgc: [
    'converted',
    'becomes `Orgc: {name}`: 2.4 finds or creates the organisation by name (`Event.php@v2.4.199:3462-3471`)',
  ],
  date: 'copied',
  threat_level_id: 'copied',
  analysis: 'copied',
  distribution: ['converted', 'through the distribution policy; missing → 0'],
  published: 'copied',
  timestamp: ['copied', 'kept (`timestamps: "decrement"` subtracts 1)'],
  publish_timestamp: 'copied',
  attribute_count: 'recomputed',
  proposal_email_lock: 'copied',
  locked: ['converted', 'always `true`: a synced copy (`Event::_edit@v2.4.199:4075-4160`)'],
  Attribute: ['converted', 'each attribute converted (see attribute table)'],
  ShadowAttribute: ['not-transferred', 'proposals are not carried by an event transfer'],
  RelatedEvent: ['recomputed', 'correlations are computed by each server'],
} as const satisfies FateTable<typeof V23.Event>

/**
 * `V23.Attribute` → `V24.Attribute`.
 *
 * @category 2.3 → 2.4
 * @since 0.1.0
 */
export const attributeToV24 = {
  uuid: 'copied',
  type: 'copied',
  category: 'copied',
  value: 'copied',
  distribution: ['converted', 'through the distribution policy (0–3 stay explicit: no inherit)'],
  id: 'instance-local',
  event_id: 'instance-local',
  to_ids: 'copied',
  comment: 'copied',
  timestamp: 'copied',
  data: 'copied',
  ShadowAttribute: 'not-transferred',
  RelatedAttribute: ['recomputed', 'correlations are computed by each server'],
} as const satisfies FateTable<typeof V23.Attribute>

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

/**
 * The fate of a table entry, without its note.
 *
 * @category utils
 * @since 0.1.0
 */
export const fateOf = (f: FieldFate): Fate => (typeof f === 'string' ? f : f[0])

/**
 * The note of a table entry, if any.
 *
 * @category utils
 * @since 0.1.0
 */
export const noteOf = (f: FieldFate): string | undefined => (typeof f === 'string' ? undefined : f[1])

/**
 * The values of a dropped field that the target implies without it (not reported when dropped).
 *
 * @category utils
 * @since 0.1.0
 */
export const impliedOf = (f: FieldFate): Implied => (typeof f === 'string' ? [] : (f[2] ?? []))

/**
 * Whether a fate leaves a field out without it being a loss.
 *
 * @category utils
 * @since 0.1.0
 */
export const isNotALoss = (f: Fate): f is NotALoss => f === 'instance-local' || f === 'recomputed'

/**
 * Whether a value carries no information: absent, `null`, `""`, `[]` or `{}`. A dropped field
 * holding such a value (an empty list of tags, a `null` `first_seen`, PHP's `[]` for an absent
 * sharing group) is not reported: the target, without it, has exactly what it said.
 *
 * @example
 * carriesNothing([])        // true
 * carriesNothing({ a: [] }) // false: a field with a (possibly empty) value is content
 *
 * @category utils
 * @since 0.1.0
 */
export const carriesNothing = (v: unknown): boolean => {
  if (v === undefined || v === null || v === '') return true
  if (typeof v !== 'object') return false
  if (Array.isArray(v)) return v.length === 0
  for (const _ in v) return false
  return true
}
