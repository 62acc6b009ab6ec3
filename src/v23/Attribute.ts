/**
 * A MISP 2.3 attribute and its proposals, as found in `Event.Attribute[]` (fields:
 * `$fieldsAtt`, `Event.php@v2.3.178:895`; `Event.php@v2.4.199:1998`).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import {
  Flag,
  NumericString,
  OpenRecord,
  Str,
  Uuid,
  ValueString,
  wireArray,
  wireStruct,
} from '../codecs/wire.js'
import { shadowAttributeOptional, shadowAttributeRequired } from '../common/ShadowAttribute.js'
import { Distribution } from './Distribution.js'

/**
 * A 2.3 proposal (`ShadowAttribute`): a change suggested by another organisation.
 *
 * @category model
 * @since 0.1.0
 */
export const ShadowAttribute = wireStruct('V23.ShadowAttribute', shadowAttributeRequired, {
  ...shadowAttributeOptional,
  org: Str,
  event_org: Str,
})

/**
 * @category model
 * @since 0.1.0
 */
export type ShadowAttribute = t.TypeOf<typeof ShadowAttribute>

/**
 * A 2.3 attribute. `uuid`, `type`, `category`, `value` and `distribution` are required (2.3
 * validates `distribution` as required, `Attribute.php@v2.3.178:307-309`).
 *
 * @category model
 * @since 0.1.0
 */
export const Attribute = wireStruct(
  'V23.Attribute',
  { uuid: Uuid, type: Str, category: Str, value: ValueString, distribution: Distribution },
  {
    id: NumericString,
    event_id: NumericString,
    to_ids: Flag,
    comment: Str,
    timestamp: NumericString,
    /** base64 content of `attachment` / `malware-sample` attributes */
    data: Str,
    ShadowAttribute: wireArray(ShadowAttribute),
    /** read-only correlations computed by the server */
    RelatedAttribute: wireArray(OpenRecord),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type Attribute = t.TypeOf<typeof Attribute>
