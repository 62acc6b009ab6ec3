/**
 * A MISP 2.4 event, as MISP 2.4.0 … 2.4.199 and 2.5 serve it (fields: `Event.php@v2.4.0:1128`,
 * `Event.php@v2.4.199:1997`, `Event.php@v2.4.0:1130-1145`). Fields that appeared after 2.4.0 are
 * optional: `disable_correlation` (v2.4.58), `event_creator_email` (v2.4.67), `extends_uuid`
 * (v2.4.90), `protected` (v2.4.156), `Galaxy` (v2.4.56), `Object` (v2.4.80), `EventReport`
 * (v2.4.133), `CryptographicKey` (v2.4.156), analyst data (v2.4.186).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import {
  Flag,
  NumericString,
  nullable,
  OpenRecord,
  orEmpty,
  Str,
  Uuid,
  wireArray,
  wireStruct,
} from '../codecs/wire.js'
import { Analysis, RelatedEvent, ThreatLevel } from '../common/Event.js'
import { Attribute, ShadowAttribute } from './Attribute.js'
import { EventDistribution } from './Distribution.js'
import { EventReport } from './EventReport.js'
import { Galaxy } from './Galaxy.js'
import { MispObject } from './Object.js'
import { Org } from './Org.js'
import { SharingGroup } from './SharingGroup.js'
import { Tag } from './Tag.js'

/**
 * A legacy `EventTag[]` item (`{…, Tag: {…}}`) as found in index rows and older bodies.
 *
 * @category model
 * @since 0.1.0
 */
export const EventTag = wireStruct(
  'V24.EventTag',
  {},
  { id: NumericString, event_id: NumericString, tag_id: NumericString, local: Flag, Tag: Tag },
)

/**
 * @category model
 * @since 0.1.0
 */
export type EventTag = t.TypeOf<typeof EventTag>

/**
 * A 2.4 event. `uuid` and `info` are required. Legacy 2.3 `org`/`orgc` name strings are
 * accepted (upgraded databases still show them, and 2.4 reads `orgc` on input, `Event.php@v2.4.199:3462-3471`).
 *
 * @category model
 * @since 0.1.0
 */
export const Event = wireStruct(
  'V24.Event',
  { uuid: Uuid, info: Str },
  {
    id: NumericString,
    org_id: NumericString,
    orgc_id: NumericString,
    org: Str,
    orgc: Str,
    date: Str,
    threat_level_id: ThreatLevel,
    analysis: Analysis,
    distribution: EventDistribution,
    sharing_group_id: NumericString,
    published: Flag,
    timestamp: NumericString,
    publish_timestamp: NumericString,
    sighting_timestamp: NumericString,
    attribute_count: nullable(NumericString),
    proposal_email_lock: Flag,
    locked: Flag,
    disable_correlation: Flag,
    extends_uuid: nullable(Str),
    protected: nullable(Flag),
    event_creator_email: Str,
    Org: orEmpty(Org),
    Orgc: orEmpty(Org),
    SharingGroup: orEmpty(SharingGroup),
    Attribute: wireArray(Attribute),
    ShadowAttribute: wireArray(ShadowAttribute),
    RelatedEvent: wireArray(RelatedEvent),
    Tag: wireArray(Tag),
    EventTag: wireArray(EventTag),
    Galaxy: wireArray(Galaxy),
    Object: wireArray(MispObject),
    EventReport: wireArray(EventReport),
    CryptographicKey: wireArray(OpenRecord),
    Note: wireArray(OpenRecord),
    Opinion: wireArray(OpenRecord),
    Relationship: wireArray(OpenRecord),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type Event = t.TypeOf<typeof Event>
