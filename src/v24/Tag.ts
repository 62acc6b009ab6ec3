/**
 * A MISP 2.4 tag row as found in `Event.Tag[]` and (since v2.4.60) `Attribute.Tag[]`
 * (`Event::__attachTags@v2.4.199:7394-7420`). MISP captures incoming tags by name.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { Flag, Json, NumericString, nullable, Str, wireStruct } from '../codecs/wire.js'

/**
 * @category model
 * @since 0.1.0
 */
export const Tag = wireStruct(
  'V24.Tag',
  { name: Str },
  {
    id: NumericString,
    colour: Str,
    exportable: Flag,
    hide_tag: Flag,
    user_id: NumericString,
    org_id: NumericString,
    numerical_value: nullable(Json),
    is_galaxy: Flag,
    is_custom_galaxy: Flag,
    local_only: Flag,
    local: Flag,
    relationship_type: nullable(Str),
    inherited: Flag,
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type Tag = t.TypeOf<typeof Tag>
