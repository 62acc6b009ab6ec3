/**
 * What one attempt is given and what it gives back (shared by the attempt and its steps).
 *
 * @internal
 */
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { ConnectorOptions } from '../Connector.js'
import type { AuthenticationRefused, KeyNotPermitted } from '../RunResult.js'
import type { TransferResult } from '../TransferResult.js'
import type { PublishGate } from './arrival.js'
import type { Permit } from './precheck.js'
import type { SourceReader } from './reader.js'
import type { RecoveryPolicy } from './recovery.js'
import type { Verdict } from './ruleCheck.js'
import type { RunTags } from './runTags.js'
import type { Sharing } from './sharing.js'
import type { DirectionSpec, Documents, SourceRow } from './spec.js'
import type { TargetView } from './targetView.js'

/** What one attempt is given. */
export interface AttemptInput<S extends ApiVersion, T extends ApiVersion> {
  readonly spec: DirectionSpec<S, T>
  readonly options: ConnectorOptions<S>
  readonly recovery: RecoveryPolicy
  readonly uuid: string
  /** the event's index row in a sync (none for a single transfer) */
  readonly row: SourceRow | undefined
  /** the target's index, when the run read it */
  readonly view: TargetView<T> | undefined
  /** the event came from the state's retry set (it may have gone from the source since) */
  readonly retrying: boolean
  /**
   * compare the target's copy even when its timestamp is as new (a full run): a 2.3 source's
   * tag changes and attribute deletions do not move its timestamp
   */
  readonly compare: boolean
  /** the run's tag readers */
  readonly tags: RunTags
  /** the run's source reader (reads events ahead, several per request), and this event's place */
  readonly reader?: SourceReader<S>
  readonly index?: number
  readonly dryRun: boolean
  readonly call: CallOptions
  /** the connector's sharing rules and arrival policy */
  readonly sharing: Sharing
  /** the run's memory of a refused quiet publish */
  readonly gate: PublishGate
  /** what the rules say from the event's index row (none: decided after the read) */
  readonly verdict?: Verdict
  /** the run's gate before its first write (the target key's permissions); none: no gate */
  readonly permit?: () => Promise<Permit>
}

/** One attempt's result and documents. */
export interface Attempted {
  readonly result: TransferResult
  readonly docs: Documents
  /** the gate refused the target's key: nothing of this event was written; the run stops */
  readonly refused?: KeyNotPermitted | AuthenticationRefused
}
