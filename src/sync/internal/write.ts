/**
 * The write step: create the event on the target, or update it when the source's copy is newer —
 * and, when an answer is lost (a reset, a gateway error, a timeout, a cut body), reconcile: look
 * the event up by uuid, compare timestamps, and send again only if the write did not land. A
 * create is idempotent by uuid in MISP (a second one answers "already exists" and writes
 * nothing) and an edit that already landed answers "not newer", so a write is never applied
 * twice and an event never duplicated.
 *
 * @internal
 */
import { setTimeout as sleep } from 'node:timers/promises'
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import { formatMispError, type MispError } from '../../client/MispError.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { AuthenticationRefused, KeyNotPermitted } from '../RunResult.js'
import { backoff, type RecoveryPolicy, recoveryOf } from './recovery.js'
import type { Ending } from './spec.js'

/** What the write step needs. */
export interface WriteInput<T extends ApiVersion> {
  readonly to: MispClient<T>
  readonly value: EventOf<T>
  readonly uuid: string
  /** the timestamp the converted event carries (what the target will store) */
  readonly sending: number | undefined
  /** what the target has, when known (from the run's index read or a lookup) */
  readonly known: Exists | undefined
  readonly createFirst: boolean
  readonly dryRun: boolean
  readonly call: CallOptions
  readonly recovery: RecoveryPolicy
  /** asked right before the first write (also in a dry run): an answer ends the write unsent */
  readonly beforeWrite?: () => Promise<Written<T> | undefined>
}

/** How the write ended, and the event as the target stored it (for the archive and later steps). */
export interface Written<T extends ApiVersion> {
  readonly ending: Ending
  readonly stored?: EventOf<T>
  /** the run's gate refused the target's key: the run stops, this event counts as not attempted */
  readonly refused?: KeyNotPermitted | AuthenticationRefused
}

type Step = 'exists' | 'create' | 'update'

const failed = (step: Step, error: MispError, extra: Partial<Ending> = {}): Ending => ({
  outcome: 'failed',
  ...extra,
  error: { _tag: 'TargetFailed', step, error },
})

const lost = (what: string, e: MispError): string => `the ${what}'s answer was lost (${formatMispError(e)})`

/** The write step. Never rejects. */
export const write = async <T extends ApiVersion>(w: WriteInput<T>): Promise<Written<T>> => {
  const { to, value, uuid, sending, call, recovery } = w
  /** what happened to earlier attempts, for the result's reason */
  /** the answers lost so far, in order, each with how often */
  const notes = new Map<string, number>()
  const reason = (r: string): string => {
    const said = [...notes].map(([n, k]) => (k === 1 ? n : `${n} (${k} times)`))
    return said.length === 0 ? r : `${said.join('; ')}; ${r}`
  }
  const note = (n: string): void => {
    notes.set(n, (notes.get(n) ?? 0) + 1)
  }

  const cancelled = (): boolean => call.signal?.aborted === true
  const pause = async (n: number): Promise<boolean> => {
    if (cancelled()) return false
    await sleep(
      backoff(recovery, n),
      undefined,
      call.signal === undefined ? {} : { signal: call.signal },
    ).catch(() => undefined)
    return !cancelled()
  }

  /** After a lost answer: has the target got (at least) what was sent? */
  const landed = async (): Promise<E.Either<MispError, Exists>> => to.exists(uuid, call)()

  const update = async (
    id: string,
    targetTimestamp: number | undefined,
    from: number,
  ): Promise<Written<T>> => {
    const before = targetTimestamp === undefined ? {} : { targetTimestamp }
    for (let n = from; ; n++) {
      const u = await to.update(value, { ...call, id })()
      if (E.isRight(u)) {
        if (u.right._tag === 'Updated')
          return {
            ending: {
              outcome: 'updated',
              targetId: u.right.id,
              ...before,
              ...(notes.size === 0 ? {} : { reason: reason('updated') }),
            },
            stored: u.right.event,
          }
        // "not newer": either the copy was already as new, or an earlier attempt of ours landed
        return {
          ending:
            notes.size === 0
              ? {
                  outcome: 'unchanged',
                  targetId: u.right.id,
                  ...before,
                  reason: 'the target answered "not newer than the local copy"',
                }
              : {
                  outcome: 'updated',
                  targetId: u.right.id,
                  ...before,
                  reason: reason('the target now answers "not newer": the earlier write landed'),
                },
        }
      }
      const e = u.left
      if (recoveryOf(e) !== 'reconcile' || n >= recovery.writeAttempts)
        return {
          ending: failed('update', e, {
            targetId: id,
            ...before,
            ...(notes.size === 0
              ? {}
              : { reason: reason(`gave up after ${recovery.writeAttempts} attempts`) }),
          }),
        }
      note(lost('edit', e))
      if (!(await pause(n))) return { ending: failed('update', e, { targetId: id, ...before }) }
      const found = await landed()
      if (
        E.isRight(found) &&
        found.right.exists &&
        sending !== undefined &&
        Number(found.right.timestamp) >= sending
      )
        return {
          ending: {
            outcome: 'updated',
            targetId: found.right.id,
            ...before,
            reason: reason(`the lookup shows the edit landed (timestamp ${found.right.timestamp})`),
          },
        }
    }
  }

  const create = async (): Promise<Written<T>> => {
    for (let n = 1; ; n++) {
      const c = await to.create(value, call)()
      if (E.isRight(c)) {
        if (c.right._tag === 'Created')
          return {
            ending: {
              outcome: 'created',
              targetId: c.right.id,
              ...(notes.size === 0 ? {} : { reason: reason('created') }),
            },
            stored: c.right.event,
          }
        // "already exists": someone (maybe our own earlier attempt) created it — update it
        const done = await update(c.right.id, undefined, n)
        if (notes.size > 0 && done.ending.outcome === 'updated' && done.stored === undefined)
          return { ending: { ...done.ending, outcome: 'created' } }
        return done
      }
      const e = c.left
      if (recoveryOf(e) !== 'reconcile' || n >= recovery.writeAttempts)
        return {
          ending: failed(
            'create',
            e,
            notes.size === 0 ? {} : { reason: reason(`gave up after ${recovery.writeAttempts} attempts`) },
          ),
        }
      note(lost('create', e))
      if (!(await pause(n))) return { ending: failed('create', e) }
      const found = await landed()
      if (E.isLeft(found)) continue // the create is idempotent by uuid: sending it again is safe
      if (!found.right.exists) continue
      const at = Number(found.right.timestamp)
      if (sending === undefined || at >= sending)
        return {
          ending: {
            outcome: 'created',
            targetId: found.right.id,
            reason: reason(`the lookup shows the create landed (timestamp ${found.right.timestamp})`),
          },
        }
      // someone else's older copy: update it
      return update(found.right.id, at, n + 1)
    }
  }

  /** the write, unless the gate before it answers first */
  const gated = async (send: () => Promise<Written<T>> | Written<T>): Promise<Written<T>> =>
    (await w.beforeWrite?.()) ?? send()
  if (w.createFirst && !w.dryRun) return gated(create)
  let found = w.known
  if (found === undefined) {
    const looked = await to.exists(uuid, call)()
    if (E.isLeft(looked)) return { ending: failed('exists', looked.left) }
    found = looked.right
  }
  if (!found.exists) return gated(() => (w.dryRun ? { ending: { outcome: 'created' } } : create()))
  const targetTimestamp = Number(found.timestamp)
  if (sending !== undefined && sending <= targetTimestamp)
    return {
      ending: {
        outcome: 'unchanged',
        targetId: found.id,
        targetTimestamp,
        reason: `the target's copy is as new (timestamp ${targetTimestamp} ≥ ${sending})`,
      },
    }
  if (w.dryRun) return gated(() => ({ ending: { outcome: 'updated', targetId: found.id, targetTimestamp } }))
  return gated(() => update(found.id, targetTimestamp, 1))
}
