/**
 * MISP 2.3 wire models (`misp-bridge/v23`): io-ts codecs named after MISP's own objects.
 *
 * @module
 * @since 0.1.0
 */
export { Analysis, RelatedEvent, ThreatLevel } from '../common/Event.js'
export { Attribute, ShadowAttribute } from './Attribute.js'
export {
  type AttributeType,
  attributeTypes,
  type Category,
  categories,
  categoryTypes,
  isCategory,
  isType,
  isValidPair,
} from './attributeTypes.js'
export { Distribution } from './Distribution.js'
export { Event } from './Event.js'
export { IndexRow } from './IndexRow.js'
