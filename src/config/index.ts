/**
 * Config files (`misp-bridge run|daemon|status|check --config FILE`): servers, links and records
 * in one JSON document, checked as a whole before anything is sent.
 *
 * @module
 * @since 0.2.0
 */

export {
  type BridgeConfig,
  type ConfigError,
  type ConfigProblem,
  formatConfigError,
  type LinkConfig,
  type ServerConfig,
} from './BridgeConfig.js'
export { serverKey } from './keys.js'
export type { LinkOptions } from './linkOptions.js'
export { loadConfig } from './loadConfig.js'
