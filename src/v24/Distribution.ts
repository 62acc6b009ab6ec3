/**
 * MISP 2.4 distribution levels (`Event.php@v2.4.0:74-75`). Events take 0–4 (`4` = sharing group);
 * attributes, objects and event reports take 0–5 (`5` = inherit the event's level,
 * `Attribute.php@v2.4.0:67-68`).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { Level } from '../codecs/wire.js'

/**
 * Distribution of an attribute, object or event report: 0–5.
 *
 * @category model
 * @since 0.1.0
 */
export const Distribution = Level('V24.Distribution(0-5)', ['0', '1', '2', '3', '4', '5'])

/**
 * @category model
 * @since 0.1.0
 */
export type Distribution = t.TypeOf<typeof Distribution>

/**
 * Distribution of an event: 0–4 (an event cannot inherit).
 *
 * @category model
 * @since 0.1.0
 */
export const EventDistribution = Level('V24.EventDistribution(0-4)', ['0', '1', '2', '3', '4'])

/**
 * @category model
 * @since 0.1.0
 */
export type EventDistribution = t.TypeOf<typeof EventDistribution>
