/**
 * The MISP client (`misp-bridge/client`): `MispClient`, its options, results and errors.
 *
 * @module
 * @since 0.1.0
 */

export type { KeyPermissions, PermissionsSource } from './KeyPermissions.js'
export {
  DEFAULT_USER_AGENT,
  type GetOptions,
  type IndexOptions,
  MispClient,
  type UpdateOptions,
} from './MispClient.js'
export {
  type CallOptions,
  type DetectOptions,
  defaultRetryPolicy,
  defaultTimeouts,
  type MispClientOptions,
  type RetryPolicy,
  type Timeouts,
} from './MispClientOptions.js'
export {
  type Aborted,
  type AuthenticationFailed,
  type Blocklisted,
  errorsLines,
  type Forbidden,
  formatMispError,
  type HttpError,
  type InvalidArgument,
  isMispError,
  isTransient,
  type MispError,
  type MispErrorBody,
  type MispErrorTag,
  type NotFound,
  type NotLocked,
  type RateLimited,
  type RequestInfo,
  type Timeout,
  type TransportError,
  type TransportReason,
  type UnexpectedReason,
  type UnexpectedResponse,
  type ValidationFailed,
} from './MispError.js'
export type {
  AddAttributeResult,
  AlreadyExists,
  AttachResult,
  Created,
  CreateResult,
  DeleteAttributeResult,
  DetachResult,
  EventOf,
  EventStateResult,
  Exists,
  IndexEntryOf,
  NotNewer,
  TagEntry,
  Updated,
  UpdateResult,
} from './Results.js'
export {
  type ApiVersion,
  apiVersionOf,
  atLeast,
  parseServerVersion,
  type ServerVersion,
} from './ServerVersion.js'
