/**
 * MISP 2.3 distribution levels (`Event.php@v2.3.178:61-74`): `0` your organisation only, `1` this
 * community only, `2` connected communities, `3` all communities. 2.3 has no sharing groups and
 * no "inherit": `Event.php@v2.3.178:167` and `Attribute.php@v2.3.178:308` accept 0–3 only.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { Level } from '../codecs/wire.js'

/**
 * @category model
 * @since 0.1.0
 */
export const Distribution = Level('V23.Distribution(0-3)', ['0', '1', '2', '3'])

/**
 * @category model
 * @since 0.1.0
 */
export type Distribution = t.TypeOf<typeof Distribution>
