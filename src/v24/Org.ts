/**
 * A MISP 2.4 organisation as embedded in events (`Org`, `Orgc`, sharing-group members):
 * `{id, name, uuid}`, plus `local` since v2.4.114 (`Event.php@v2.4.0:1130-1145`, `Event.php@v2.4.199:3462-3471`). Feed exports carry
 * only `{name, uuid}`; MISP matches an incoming `Orgc` by uuid, else by name.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { Flag, NumericString, Str, Uuid, wireStruct } from '../codecs/wire.js'

/**
 * @category model
 * @since 0.1.0
 */
export const Org = wireStruct(
  'V24.Org',
  {},
  { id: NumericString, name: Str, uuid: Uuid, local: Flag, date_created: Str, date_modified: Str },
)

/**
 * @category model
 * @since 0.1.0
 */
export type Org = t.TypeOf<typeof Org>
