/**
 * Conversions between MISP 2.3 and 2.4 events (`misp-bridge/convert`): total, never widening
 * sharing, and reporting every field they drop or change.
 *
 * @module
 * @since 0.1.0
 */
export type { ConvertOptions } from './ConvertOptions.js'
export {
  checkTable,
  type DistributionOption,
  type DistributionTable,
  isNarrowingOrEqual,
  type PresetName,
  presets,
  type ResolvedLevel,
} from './DistributionPolicy.js'
export { downgrade } from './downgrade.js'
export * as FieldFates from './fieldFates.js'
export * from './Loss.js'
export type { Lossy } from './Lossy.js'
export { upgrade } from './upgrade.js'
