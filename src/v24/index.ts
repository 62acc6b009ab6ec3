/**
 * MISP 2.4 wire models (`misp-bridge/v24`), also spoken by MISP 2.5: io-ts codecs named after
 * MISP's own objects.
 *
 * @module
 * @since 0.1.0
 */
export { Analysis, RelatedEvent, ThreatLevel } from '../common/Event.js'
export { Attribute, AttributeDraft, ShadowAttribute } from './Attribute.js'
export { Distribution, EventDistribution } from './Distribution.js'
export { Event, EventTag } from './Event.js'
export { EventReport } from './EventReport.js'
export { Galaxy, GalaxyCluster } from './Galaxy.js'
export { IndexRow } from './IndexRow.js'
export { MispObject as Object, ObjectDraft, ObjectReference, ObjectsFragment } from './Object.js'
export { Org } from './Org.js'
export { SharingGroup, SharingGroupListEntry, SharingGroupOrg, SharingGroupServer } from './SharingGroup.js'
export { Sighting } from './Sighting.js'
export { Tag } from './Tag.js'
