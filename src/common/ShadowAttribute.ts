/**
 * The fields a proposal (`ShadowAttribute`) has in both MISP 2.3 and 2.4; each version's model
 * adds its own (2.3 names organisations by string, 2.4 by id and object).
 *
 * @since 0.1.0
 */
import { Flag, NumericString, Str, Uuid, ValueString } from '../codecs/wire.js'

/**
 * Required fields of a proposal in both versions.
 *
 * @category model
 * @since 0.1.0
 */
export const shadowAttributeRequired = { type: Str, value: ValueString }

/**
 * Optional fields of a proposal in both versions.
 *
 * @category model
 * @since 0.1.0
 */
export const shadowAttributeOptional = {
  id: NumericString,
  old_id: NumericString,
  event_id: NumericString,
  category: Str,
  uuid: Uuid,
  event_uuid: Uuid,
  to_ids: Flag,
  comment: Str,
  email: Str,
  deleted: Flag,
  proposal_to_delete: Flag,
  timestamp: NumericString,
}
