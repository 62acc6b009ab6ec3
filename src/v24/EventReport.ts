/**
 * A MISP 2.4 event report (since v2.4.133): a markdown document attached to an event
 * (`Event.php@v2.4.0:1130-1145`).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { Flag, NumericString, orEmpty, Str, Uuid, wireStruct } from '../codecs/wire.js'
import { Distribution } from './Distribution.js'
import { SharingGroup } from './SharingGroup.js'

/**
 * @category model
 * @since 0.1.0
 */
export const EventReport = wireStruct(
  'V24.EventReport',
  { uuid: Uuid, name: Str },
  {
    id: NumericString,
    event_id: NumericString,
    content: Str,
    distribution: Distribution,
    sharing_group_id: NumericString,
    timestamp: NumericString,
    deleted: Flag,
    SharingGroup: orEmpty(SharingGroup),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type EventReport = t.TypeOf<typeof EventReport>
