/**
 * Event-level values that MISP 2.3 and 2.4 share unchanged: threat level, analysis state and the
 * read-only related-event items (`Event.php@v2.4.199:1997`, `Event.php@v2.4.0:1130-1145`).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import {
  either,
  Flag,
  Level,
  NumericString,
  OpenRecord,
  Str,
  Uuid,
  wireArray,
  wireStruct,
} from '../codecs/wire.js'

/**
 * Threat level: `1` high, `2` medium, `3` low, `4` undefined (`inList 1–4` in both versions).
 *
 * @category model
 * @since 0.1.0
 */
export const ThreatLevel = Level('ThreatLevel(1-4)', ['1', '2', '3', '4'])

/**
 * @category model
 * @since 0.1.0
 */
export type ThreatLevel = t.TypeOf<typeof ThreatLevel>

/**
 * Analysis: `0` initial, `1` ongoing, `2` completed (both versions).
 *
 * @category model
 * @since 0.1.0
 */
export const Analysis = Level('Analysis(0-2)', ['0', '1', '2'])

/**
 * @category model
 * @since 0.1.0
 */
export type Analysis = t.TypeOf<typeof Analysis>

/**
 * The short event shown inside a related-event item.
 *
 * @category model
 * @since 0.1.0
 */
export const RelatedEventBody = wireStruct(
  'RelatedEvent.Event',
  {},
  {
    id: NumericString,
    uuid: Uuid,
    info: Str,
    date: Str,
    published: Flag,
    timestamp: NumericString,
    analysis: Analysis,
    threat_level_id: ThreatLevel,
    distribution: NumericString,
    org: Str,
    orgc: Str,
    org_id: NumericString,
    orgc_id: NumericString,
    Org: OpenRecord,
    Orgc: OpenRecord,
  },
)

/**
 * A correlated event in `Event.RelatedEvent[]` (read-only, instance-local). MISP 2.3 and 2.4 up
 * to v2.4.34 wrap it in a one-element array (`{"Event": [{…}]}`), v2.4.35 and later do not
 * (`{"Event": {…}}`) (`JSONConverterTool.php@v2.4.34:55` vs `@v2.4.35:55`); both decode.
 *
 * @category model
 * @since 0.1.0
 */
export const RelatedEvent = wireStruct(
  'RelatedEvent',
  {
    Event: either(RelatedEventBody, wireArray(RelatedEventBody), 'RelatedEvent.Event | [RelatedEvent.Event]'),
  },
  {},
)

/**
 * @category model
 * @since 0.1.0
 */
export type RelatedEvent = t.TypeOf<typeof RelatedEvent>
