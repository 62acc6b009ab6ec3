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
 * - `copied`: the same field, the same value.
 * - `converted`: written by the conversion's own logic (see the note).
 * - a {@link DropReason}: left out and reported in a `FieldsDropped` loss.
 *
 * @category model
 * @since 0.1.0
 */
export type Fate = 'copied' | 'converted' | Exclude<DropReason, 'unknown'>

/**
 * A field's fate, with a note for people (shown in `docs/mapping.md`).
 *
 * @category model
 * @since 0.1.0
 */
export type FieldFate = Fate | readonly [Fate, string]

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
// 2.4 → 2.3 (downgrade), misp-versions.md §3, §4, §7, §8
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
  org: ['instance-local', 'the owner is always the posting user’s organisation (§4)'],
  orgc: ['converted', 'legacy creator name: used as `orgc` when `Orgc.name` is absent'],
  date: 'copied',
  threat_level_id: 'copied',
  analysis: 'copied',
  distribution: ['converted', 'through the distribution policy; missing → 0'],
  sharing_group_id: ['instance-local', 'sharing groups do not exist in 2.3'],
  published: 'copied',
  timestamp: [
    'copied',
    'kept, so that a later genuine change still wins (`timestamps: "decrement"` subtracts 1)',
  ],
  publish_timestamp: 'copied',
  sighting_timestamp: 'instance-local',
  attribute_count: 'instance-local',
  proposal_email_lock: 'copied',
  locked: ['converted', 'always `true`: a synced copy (sync users may edit only locked events, §5.5)'],
  disable_correlation: 'not-in-target',
  extends_uuid: 'not-in-target',
  protected: 'not-in-target',
  event_creator_email: 'not-in-target',
  Org: ['instance-local', 'the owner is always the posting user’s organisation (§4)'],
  Orgc: ['converted', '`Orgc.name` → `orgc` (2.3 names organisations by string)'],
  SharingGroup: ['not-in-target', 'sharing groups do not exist in 2.3'],
  Attribute: ['converted', 'each attribute converted; some dropped (see attribute table)'],
  ShadowAttribute: ['not-transferred', 'proposals are not carried by an event transfer'],
  RelatedEvent: ['instance-local', 'correlations are computed by each server'],
  Tag: ['not-in-target', '2.3 event JSON has no tags (§6)'],
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
  type: ['copied', 'attributes whose type 2.3 does not know are dropped (§7)'],
  category: ['copied', 'attributes whose (category, type) pair 2.3 rejects are dropped (§7)'],
  value: ['copied', 'a second identical (type, category, value) is dropped: 2.3 `valueIsUnique`'],
  id: ['instance-local', 'must not reach 2.3: its edit would overwrite a local attribute with that id (§7)'],
  event_id: 'instance-local',
  object_id: 'instance-local',
  object_relation: 'not-in-target',
  to_ids: 'copied',
  distribution: [
    'converted',
    'through the distribution policy; 5 (inherit) and missing resolve to the event’s (or object’s) level first',
  ],
  sharing_group_id: 'instance-local',
  timestamp: 'copied',
  comment: 'copied',
  deleted: ['not-in-target', 'attributes with `deleted: true` are dropped whole'],
  disable_correlation: 'not-in-target',
  first_seen: 'not-in-target',
  last_seen: 'not-in-target',
  data: 'copied',
  SharingGroup: 'not-in-target',
  ShadowAttribute: 'not-transferred',
  RelatedAttribute: 'instance-local',
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
    'still restricts its attributes: each takes the narrower of its own and the object’s level',
  ],
  sharing_group_id: 'instance-local',
  comment: 'not-in-target',
  deleted: ['not-in-target', 'a deleted object is dropped whole'],
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
// 2.3 → 2.4 (upgrade), misp-versions.md §4, §8
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
  org: ['instance-local', 'the owner is always the posting user’s organisation (§4)'],
  orgc: ['converted', 'becomes `Orgc: {name}`: 2.4 finds or creates the organisation by name (§4)'],
  date: 'copied',
  threat_level_id: 'copied',
  analysis: 'copied',
  distribution: ['converted', 'through the distribution policy; missing → 0'],
  published: 'copied',
  timestamp: ['copied', 'kept (`timestamps: "decrement"` subtracts 1)'],
  publish_timestamp: 'copied',
  attribute_count: 'instance-local',
  proposal_email_lock: 'copied',
  locked: ['converted', 'always `true`: a synced copy (§5.5)'],
  Attribute: ['converted', 'each attribute converted (see attribute table)'],
  ShadowAttribute: ['not-transferred', 'proposals are not carried by an event transfer'],
  RelatedEvent: ['instance-local', 'correlations are computed by each server'],
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
  RelatedAttribute: 'instance-local',
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
