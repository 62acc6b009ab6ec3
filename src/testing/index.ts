/**
 * `misp-bridge/testing`: an in-memory MISP server (2.3.178 … 2.5.1) on 127.0.0.1 for tests and
 * demos, with per-version behaviour and fault injection.
 *
 * @module
 * @since 0.1.0
 */
export {
  type Fault,
  type FaultMatch,
  type FaultPlan,
  faultLabel,
  type InjectOptions,
  makeFaultPlan,
  seededRandom,
} from './faults.js'
export {
  type AlertEmail,
  type AttributeState,
  DEFAULT_API_KEY,
  type EmulatorOptions,
  type EmulatorRole,
  type EventTagInfo,
  type MispEmulator,
  type RequestRecord,
  startMispEmulator,
} from './MispEmulator.js'
export {
  type Behaviour,
  type BehaviourName,
  behaviours,
  compareVersions,
  type EmulatorVersion,
  type Profile,
  parseVersion,
  profileVersions,
  resolveProfile,
  type VersionTriple,
} from './profiles.js'
