/**
 * A MISP 2.3 event (fields: `Event.php@v2.3.178:894`).
 *
 * 2.3 names organisations by **name strings** (`org` owner, `orgc` creator) and has no sharing
 * groups, tags, objects, galaxies, reports or sightings in its event JSON.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { Flag, NumericString, nullable, Str, Uuid, wireArray, wireStruct } from '../codecs/wire.js'
import { Analysis, RelatedEvent, ThreatLevel } from '../common/Event.js'
import { Attribute, ShadowAttribute } from './Attribute.js'
import { Distribution } from './Distribution.js'

/**
 * A 2.3 event. `uuid` and `info` are required; everything else is optional (a create body
 * carries less than a server answer).
 *
 * @category model
 * @since 0.1.0
 */
export const Event = wireStruct(
  'V23.Event',
  { uuid: Uuid, info: Str },
  {
    id: NumericString,
    org: Str,
    orgc: Str,
    date: Str,
    threat_level_id: ThreatLevel,
    analysis: Analysis,
    distribution: Distribution,
    published: Flag,
    timestamp: NumericString,
    publish_timestamp: NumericString,
    attribute_count: nullable(NumericString),
    proposal_email_lock: Flag,
    locked: Flag,
    Attribute: wireArray(Attribute),
    ShadowAttribute: wireArray(ShadowAttribute),
    RelatedEvent: wireArray(RelatedEvent),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type Event = t.TypeOf<typeof Event>
