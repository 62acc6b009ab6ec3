/**
 * misp-bridge: typed MISP 2.3 and 2.4/2.5 event models, total conversions between them that
 * report every loss, a safe MISP client, and connectors that move events between MISP servers
 * of different versions.
 *
 * @packageDocumentation
 * @since 0.1.0
 */

export * from './client/index.js'
export * from './config/index.js'
export * from './convert/index.js'
export * from './DecodeFailure.js'
export * from './decode.js'
export * from './sync/index.js'
export * as V23 from './v23/index.js'
export * as V24 from './v24/index.js'
