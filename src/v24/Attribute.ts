/**
 * A MISP 2.4 attribute and its proposals (fields: `Event.php@v2.4.0:1129`,
 * `Event.php@v2.4.199:1998`). Fields that appeared after 2.4.0 are
 * optional: `deleted` (v2.4.43), `disable_correlation` (v2.4.58), `Tag` (v2.4.60), `object_id` /
 * `object_relation` (v2.4.80), `Sighting` (v2.4.82), `first_seen` / `last_seen` (v2.4.120).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import {
  Flag,
  NumericString,
  nullable,
  OpenRecord,
  orEmpty,
  Str,
  Uuid,
  ValueString,
  wireArray,
  wireStruct,
} from '../codecs/wire.js'
import { shadowAttributeOptional, shadowAttributeRequired } from '../common/ShadowAttribute.js'
import { Distribution } from './Distribution.js'
import { Galaxy } from './Galaxy.js'
import { Org } from './Org.js'
import { SharingGroup } from './SharingGroup.js'
import { Sighting } from './Sighting.js'
import { Tag } from './Tag.js'

/**
 * A 2.4 proposal (`ShadowAttribute`).
 *
 * @category model
 * @since 0.1.0
 */
export const ShadowAttribute = wireStruct('V24.ShadowAttribute', shadowAttributeRequired, {
  ...shadowAttributeOptional,
  org_id: NumericString,
  event_org_id: NumericString,
  disable_correlation: Flag,
  first_seen: nullable(Str),
  last_seen: nullable(Str),
  Org: orEmpty(Org),
})

/**
 * @category model
 * @since 0.1.0
 */
export type ShadowAttribute = t.TypeOf<typeof ShadowAttribute>

const attributeOptional = {
  id: NumericString,
  event_id: NumericString,
  object_id: NumericString,
  object_relation: nullable(Str),
  to_ids: Flag,
  distribution: Distribution,
  sharing_group_id: NumericString,
  timestamp: NumericString,
  comment: Str,
  deleted: Flag,
  disable_correlation: Flag,
  first_seen: nullable(Str),
  last_seen: nullable(Str),
  /** base64 content of `attachment` / `malware-sample` attributes */
  data: Str,
  SharingGroup: orEmpty(SharingGroup),
  ShadowAttribute: wireArray(ShadowAttribute),
  RelatedAttribute: wireArray(OpenRecord),
  Tag: wireArray(Tag),
  Galaxy: wireArray(Galaxy),
  Sighting: wireArray(Sighting),
}

/**
 * A 2.4 attribute. `uuid`, `type`, `category` and `value` are required; `distribution` is
 * optional (feed exports omit it).
 *
 * @category model
 * @since 0.1.0
 */
export const Attribute = wireStruct(
  'V24.Attribute',
  { uuid: Uuid, type: Str, category: Str, value: ValueString },
  attributeOptional,
)

/**
 * @category model
 * @since 0.1.0
 */
export type Attribute = t.TypeOf<typeof Attribute>

/**
 * An attribute as a client drafts it before MISP assigns identifiers (e.g. inside a PyMISP
 * object payload): like {@link Attribute}, but `uuid` may be missing.
 *
 * @category model
 * @since 0.1.0
 */
export const AttributeDraft = wireStruct(
  'V24.AttributeDraft',
  { type: Str, category: Str, value: ValueString },
  { uuid: Str, ...attributeOptional },
)

/**
 * @category model
 * @since 0.1.0
 */
export type AttributeDraft = t.TypeOf<typeof AttributeDraft>
