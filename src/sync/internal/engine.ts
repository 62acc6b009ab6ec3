/**
 * The engine both connectors share. A direction brings only its own concerns as a
 * {@link DirectionSpec}; the engine runs them through named steps, one module each:
 *
 * - `select.ts` — which events a run attempts (changed since the position, plus the retry set);
 * - `targetView.ts` — the target's index, read once per run (look-up without a request per event);
 * - `attempt.ts` — one event: look up → read → policy → convert → write;
 * - `write.ts` — create or update, reconciling lost answers (`recovery.ts`: the policy as data);
 * - `record.ts` — the transfer log and archive;
 * - `progress.ts` — the position and retry set the state store keeps;
 * - `run.ts` — a run: load the state → select and look up (`runSelect.ts`) → attempt under
 *   bounded concurrency, saving the state as it moves (`runAttempts.ts`) → summary; what the run
 *   has found so far, and how it stops once with the reason, in `runSoFar.ts`.
 *
 * @internal
 */

import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { Connector, ConnectorOptions } from '../Connector.js'
import { countOutcomes, type RunResult, sumChanges } from '../RunResult.js'
import type { TransferResult } from '../TransferResult.js'
import { publishGate } from './arrival.js'
import { attempt } from './attempt.js'
import { permitGate } from './precheck.js'
import { record } from './record.js'
import { resolveRecovery } from './recovery.js'
import { runSync } from './run.js'
import { eventTags } from './runTags.js'
import { resolveSharing } from './sharing.js'
import { type DirectionSpec, messageOf } from './spec.js'

export type { DirectionSpec, SourceRow } from './spec.js'

/** Builds a connector from a direction and the user's options. */
export const makeConnector = <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  options: ConnectorOptions<S>,
): Connector<S, T> => {
  const stateKey = `${spec.name} ${spec.from.url} -> ${spec.to.url}`
  const recovery = resolveRecovery(options.recovery)
  const sharing = resolveSharing(options)
  // a refused quiet publish is remembered for the connector's life: tried (and said) once
  const gate = publishGate()

  const transfer: Connector<S, T>['transfer'] =
    (uuid, o = {}) =>
    async () =>
      E.isLeft(sharing)
        ? invalid(uuid, o.dryRun === true, sharing.left)
        : record(
            spec,
            options,
            await attempt({
              spec,
              options,
              recovery,
              uuid,
              row: undefined,
              view: undefined,
              retrying: false,
              compare: true,
              tags: eventTags(
                spec,
                o.signal === undefined ? {} : { signal: o.signal },
                recovery,
                options.tags ?? 'mirror',
              ),
              dryRun: o.dryRun === true,
              call: o.signal === undefined ? {} : { signal: o.signal },
              permit: permitGate(
                spec.to,
                o.signal === undefined ? {} : { signal: o.signal },
                options.tags ?? 'mirror',
                recovery,
              ),
              sharing: sharing.right,
              gate,
            }),
          )

  const sync: Connector<S, T>['sync'] =
    (o = {}) =>
    async () => {
      const failedRun = (error: RunResult['errors'][number]): RunResult => {
        const now = new Date().toISOString()
        return {
          direction: spec.name,
          from: spec.from.url,
          to: spec.to.url,
          dryRun: o.dryRun === true,
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
          selected: 0,
          counts: countOutcomes([]),
          notAttempted: [],
          lossesByKind: {},
          changes: sumChanges([]),
          errors: [error],
          ok: false,
          events: [],
        }
      }
      if (E.isLeft(sharing)) return failedRun({ _tag: 'InvalidOptions', message: sharing.left })
      try {
        return await runSync({ spec, options, recovery, stateKey, sharing: sharing.right, gate }, o)
      } catch (e) {
        return failedRun({ _tag: 'Unexpected', message: messageOf(e) })
      }
    }

  /** a transfer under options that can't be used: failed, nothing sent */
  const invalid = (uuid: string, dryRun: boolean, message: string): TransferResult => ({
    uuid,
    direction: spec.name,
    outcome: 'failed',
    losses: [],
    error: { _tag: 'Unexpected', message: `invalid options: ${message}` },
    dryRun,
    startedAt: new Date().toISOString(),
    durationMs: 0,
  })

  return { direction: spec.name, from: spec.from, to: spec.to, stateKey, transfer, sync }
}
