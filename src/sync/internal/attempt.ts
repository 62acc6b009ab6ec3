/**
 * One event through the pipeline: look up (from the run's index read, or one lookup) → read
 * the source → policy → convert → write (with reconciliation). Without logging; never rejects.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { Loss } from '../../convert/Loss.js'
import type { Lossy } from '../../convert/Lossy.js'
import type * as V23 from '../../v23/index.js'
import type * as V24 from '../../v24/index.js'
import type { ConnectorOptions } from '../Connector.js'
import type { TransferResult } from '../TransferResult.js'
import type { RecoveryPolicy } from './recovery.js'
import {
  type DirectionSpec,
  type Documents,
  type Ending,
  headerOf,
  messageOf,
  type SourceRow,
} from './spec.js'
import type { TargetView } from './targetView.js'
import { write } from './write.js'

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
  readonly dryRun: boolean
  readonly call: CallOptions
}

/** One attempt's result and documents. */
export interface Attempted {
  readonly result: TransferResult
  readonly docs: Documents
}

const timestampShift = (options: ConnectorOptions<ApiVersion>): number =>
  options.convert?.timestamps === 'decrement' ? 1 : 0

/**
 * The look-up step: what the target has. From the run's index read when there is one, else one
 * lookup; `undefined` (look up later, at the write) for "create-first" runs that write.
 */
const lookUp = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
): Promise<E.Either<Ending, Exists | undefined>> => {
  if (a.options.existence === 'create-first' && !a.dryRun) return E.right(undefined)
  if (a.view !== undefined) return E.right(a.view.exists(a.uuid))
  if (a.row === undefined) return E.right(undefined) // a single transfer looks up at the write
  const found = await a.spec.to.exists(a.uuid, a.call)()
  return E.isLeft(found)
    ? E.left({ outcome: 'failed', error: { _tag: 'TargetFailed', step: 'exists', error: found.left } })
    : E.right(found.right)
}

/**
 * With the source's index row, an event whose target copy is as new is `unchanged` without
 * downloading it. (`timestamps: 'decrement'` copies are one second older than their source.)
 */
const asNew = (row: SourceRow, known: Exists, shift: number): Ending | undefined => {
  if (!known.exists) return undefined
  const targetTimestamp = Number(known.timestamp)
  const expected = row.timestamp - shift
  return targetTimestamp >= expected
    ? {
        outcome: 'unchanged',
        targetId: known.id,
        targetTimestamp,
        reason: `the target's copy is as new as the source's index row (timestamp ${targetTimestamp} ≥ ${expected}); not downloaded`,
      }
    : undefined
}

/** One attempt. Never rejects. */
export const attempt = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
): Promise<Attempted> => {
  const { spec, options, uuid, row, dryRun, call } = a
  const started = Date.now()
  const docs: Documents = {}
  let losses: ReadonlyArray<Loss> = []
  let source: { readonly id?: string; readonly timestamp?: number } =
    row === undefined ? {} : { timestamp: row.timestamp }
  const end = (ending: Ending): Attempted => ({
    result: {
      uuid,
      direction: spec.name,
      outcome: ending.outcome,
      ...(source.id === undefined ? {} : { sourceId: source.id }),
      ...(source.timestamp === undefined ? {} : { sourceTimestamp: source.timestamp }),
      ...(ending.targetId === undefined ? {} : { targetId: ending.targetId }),
      ...(ending.targetTimestamp === undefined ? {} : { targetTimestamp: ending.targetTimestamp }),
      losses,
      ...(ending.error === undefined ? {} : { error: ending.error }),
      ...(ending.reason === undefined ? {} : { reason: ending.reason }),
      dryRun,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    },
    docs,
  })
  try {
    // look up
    const looked = await lookUp(a)
    if (E.isLeft(looked)) return end(looked.left)
    const known = looked.right
    if (row !== undefined && known !== undefined) {
      const same = asNew(row, known, timestampShift(options))
      if (same !== undefined) return end(same)
    }
    // read
    const got = await spec.from.get(uuid, call)()
    if (E.isLeft(got)) {
      if (a.retrying && got.left._tag === 'NotFound')
        return end({
          outcome: 'skipped',
          reason:
            'the source no longer has this event (deleted, or no longer visible to this key): dropped from the retry set',
        })
      return end({ outcome: 'failed', error: { _tag: 'SourceFailed', step: 'get', error: got.left } })
    }
    const event = got.right
    source = headerOf(event as V23.Event | V24.Event)
    docs.source = spec.encodeSource(event)
    // policy
    const skip = spec.policy(event) ?? options.skip?.(event)
    if (skip !== undefined) return end({ outcome: 'skipped', reason: skip })
    // convert
    let converted: Lossy<EventOf<T>>
    try {
      converted = spec.convert(event)
    } catch (e) {
      return end({ outcome: 'failed', error: { _tag: 'ConversionFailed', message: messageOf(e) } })
    }
    losses = converted.losses
    docs.sent = spec.encodeTarget(converted.value)
    // write (and reconcile)
    const written = await write({
      to: spec.to,
      value: converted.value,
      uuid,
      sending: headerOf(converted.value as V23.Event | V24.Event).timestamp,
      known,
      createFirst: options.existence === 'create-first',
      dryRun,
      call,
      recovery: a.recovery,
    })
    if (written.stored !== undefined) docs.stored = spec.encodeTarget(written.stored)
    return end(written.ending)
  } catch (e) {
    return end({ outcome: 'failed', error: { _tag: 'Unexpected', message: messageOf(e) } })
  }
}
