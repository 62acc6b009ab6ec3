/**
 * Transfers between MISP servers (`misp-bridge/sync`): the two connectors, the pluggable transfer
 * log and archive, and the state stores that make sync runs resumable.
 *
 * @module
 * @since 0.1.0
 */

export type {
  ArrivalOptions,
  Connector,
  ConnectorOptions,
  ExcludedCopies,
  ExistenceCheck,
  PiecesOptions,
  PublishArrival,
  RecoveryOptions,
  RetractionsMode,
  SyncOptions,
  SyncProgress,
  TagsMode,
  TransferOptions,
} from './Connector.js'
export { type Connect23to24Options, connect23to24 } from './connect23to24.js'
export { type Connect24to23Options, connect24to23, type SharingGroupEvents } from './connect24to23.js'
export { type CrossingRule, crossingRules } from './crossingRules.js'
export { type ArchiveKind, archiveDocuments, archiveStem, directoryArchive } from './directoryArchive.js'
export { fileStateStore, type StateFile } from './fileStateStore.js'
export {
  type FormatRunOptions,
  formatOutcomeCounts,
  formatRunResult,
  formatTransferResult,
} from './formatRunResult.js'
export { type JsonLinesLogOptions, jsonLinesLog } from './jsonLinesLog.js'
export {
  type AuthenticationRefused,
  countOutcomes,
  type EventReport,
  formatRunError,
  type InvalidOptions,
  type KeyNotPermitted,
  type ListFailed,
  lossesByKind,
  type RunError,
  type RunReport,
  type RunResult,
  type StopReason,
  sumChanges,
  toRunReport,
} from './RunResult.js'
export {
  compareWatermarks,
  formatWatermark,
  isRetryEntry,
  isWatermark,
  type MemoryStateStore,
  memoryStateStore,
  type RetryEntry,
  type StateError,
  type StateStore,
  stateError,
  type Watermark,
} from './StateStore.js'
export {
  combineSyncRules,
  formatMispRules,
  parseSyncRules,
  type RuleLists,
  type SyncRules,
} from './SyncRules.js'
export { parseSince, type Since } from './since.js'
export {
  combineLoggers,
  type LogError,
  logError,
  type MemoryLogger,
  memoryLogger,
  runLogger,
  type TransferAttempt,
  type TransferLogger,
  transferLogger,
} from './TransferLogger.js'
export {
  type ChangeCounts,
  countChanges,
  DEFAULT_LOSS_SAMPLE,
  type LossSummary,
  lossRank,
  type RecordedError,
  recordError,
  summariseLosses,
  type TransferRecord,
  toTransferRecord,
} from './TransferRecord.js'
export {
  type ConversionFailed,
  type DirectionName,
  type EventChanges,
  formatChanges,
  formatTransferError,
  hasChanges,
  type Incomplete,
  type LogFailed,
  mispErrorTagOf,
  type Outcome,
  outcomes,
  type SourceFailed,
  type TargetFailed,
  type TransferError,
  type TransferResult,
  type Unexpected,
} from './TransferResult.js'
