/**
 * A row of MISP 2.3's event index (`GET /events/index`): a bare event row with every column
 * but `user_id` and no attributes (`View/Events/json/index.ctp@v2.3.178`).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { NumericString, Str, Uuid, wireStruct } from '../codecs/wire.js'
import { Event } from './Event.js'

const { Attribute: _a, ShadowAttribute: _s, RelatedEvent: _r, ...rowFields } = Event.optional

/**
 * @category model
 * @since 0.1.0
 */
export const IndexRow = wireStruct(
  'V23.IndexRow',
  { id: NumericString, uuid: Uuid },
  { ...rowFields, info: Str },
)

/**
 * @category model
 * @since 0.1.0
 */
export type IndexRow = t.TypeOf<typeof IndexRow>
