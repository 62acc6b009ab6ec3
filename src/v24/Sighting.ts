/**
 * A MISP 2.4 sighting (per attribute in event JSON since v2.4.82, `Event.php@v2.4.0:1130-1145`).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { NumericString, OpenRecord, orEmpty, Str, Uuid, wireStruct } from '../codecs/wire.js'

/**
 * @category model
 * @since 0.1.0
 */
export const Sighting = wireStruct(
  'V24.Sighting',
  {},
  {
    id: NumericString,
    attribute_id: NumericString,
    event_id: NumericString,
    org_id: NumericString,
    date_sighting: NumericString,
    uuid: Uuid,
    source: Str,
    type: NumericString,
    attribute_uuid: Uuid,
    Organisation: orEmpty(OpenRecord),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type Sighting = t.TypeOf<typeof Sighting>
