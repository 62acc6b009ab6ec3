/**
 * A row of MISP 2.4's event index (`GET|POST /events/index`): the event's own columns without
 * attributes, plus `Org`, `Orgc`, `EventTag` and `SharingGroup` (`json/index.ctp@v2.4.0`). With
 * `minimal: 1` (v2.4.72+) rows shrink to `{id, timestamp, sighting_timestamp, published, uuid,
 * orgc_uuid}` (recorded from MISP 2.5.1, seen on a real MISP 2.5.1).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { NumericString, Str, Uuid, wireStruct } from '../codecs/wire.js'
import { Event } from './Event.js'

const {
  Attribute: _a,
  ShadowAttribute: _s,
  RelatedEvent: _r,
  Object: _o,
  EventReport: _e,
  Galaxy: _g,
  ...rowFields
} = Event.optional

/**
 * @category model
 * @since 0.1.0
 */
export const IndexRow = wireStruct(
  'V24.IndexRow',
  { id: NumericString, uuid: Uuid },
  { ...rowFields, info: Str, orgc_uuid: Uuid },
)

/**
 * @category model
 * @since 0.1.0
 */
export type IndexRow = t.TypeOf<typeof IndexRow>
