/**
 * The arrival policy: how a copy lands on the target — its published state (quietly published
 * after the write, never, or as the source has it) and the tags added to every copy. A run's
 * {@link PublishGate} remembers a refused quiet publish, so the run tries (and says) it once.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import { formatMispError } from '../../client/MispError.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { ConnectorOptions, PublishArrival } from '../Connector.js'
import type { TransferError } from '../TransferResult.js'
import type { Ending } from './spec.js'

/** The arrival options, resolved. */
export interface Arrival {
  readonly publish: PublishArrival
  /** sorted, without duplicates */
  readonly tags: ReadonlyArray<string>
}

/** The arrival options with their defaults; a reason when they can't be used. */
export const resolveArrival = (options: ConnectorOptions<ApiVersion>): E.Either<string, Arrival> => {
  const publish = options.arrival?.publish ?? 'quiet'
  if (!['quiet', 'never', 'as-source'].includes(publish))
    return E.left(`arrival.publish: expected 'quiet', 'never' or 'as-source', got ${JSON.stringify(publish)}`)
  const given = options.arrival?.tags ?? []
  if (!Array.isArray(given) || given.some((t) => typeof t !== 'string' || t.trim() === ''))
    return E.left('arrival.tags: expected a list of tag names')
  const tags = [...new Set(given.map((t) => t.trim()))].sort()
  if (tags.length > 0 && options.tags === 'none')
    return E.left("arrival.tags: needs a tags mode other than 'none' (tags are left alone with 'none')")
  return E.right({ publish, tags })
}

/** The tags a copy should carry: the source's and the arrival tags (sorted). */
export const withArrivalTags = (tags: ReadonlyArray<string>, arrival: Arrival): ReadonlyArray<string> =>
  arrival.tags.length === 0 ? tags : [...new Set([...tags, ...arrival.tags])].sort()

/**
 * A connector's memory of a refused quiet publish: after the first refusal, its runs do not try
 * again (a new connector does) and each says so once.
 */
export interface PublishGate {
  /** what the run says once when the target refused, `undefined` while it has not */
  refused: string | undefined
  /** the target published a copy for this key: publishes run in parallel from then on */
  allowed: boolean
  /** the first publish, while it runs: the others wait for its answer (a refusal is tried once) */
  probe: Promise<void> | undefined
}

export const publishGate = (): PublishGate => ({ refused: undefined, allowed: false, probe: undefined })

const refusedText = (to: MispClient<ApiVersion>, cause: string): string =>
  `the target refused to publish copies for this key (${cause}); copies arrive unpublished. ` +
  (to.apiVersion === '2.3'
    ? 'MISP 2.3 lets only a site admin or the creator organisation publish: use a site-admin key on the target, '
    : "MISP 2.4/2.5 lets a site admin, or a role with perm_publish in the event's creator organisation, publish: use a site-admin key on the target, ") +
  "or choose arrival publish 'never' (--publish never) to stop trying, or 'as-source' (the target then e-mails its users unless it sets MISP.disablerestalert)"

/** What settling the published state needs. */
export interface SettleInput {
  readonly to: MispClient<ApiVersion>
  readonly arrival: Arrival
  readonly gate: PublishGate
  readonly targetId: string | undefined
  /** the source's published state */
  readonly want: boolean | undefined
  /** the copy's, when known */
  readonly have: boolean | undefined
  readonly dryRun: boolean
  readonly call: CallOptions
}

/** What settling the published state did. */
export interface Settled {
  /** for the result's reason: what was done (or would be, in a dry run) */
  readonly note?: string
  readonly error?: TransferError
  /** a call changed the copy */
  readonly changed: boolean
}

/**
 * With `'quiet'`: makes the copy's published state the source's — publish without e-mail (`POST
 * /events/publish/{id}`) or, on 2.4/2.5, unpublish. `have` is the copy's state when known.
 */
export const settlePublished = async (s: SettleInput): Promise<Settled> => {
  const { to, targetId, want, have } = s
  if (s.arrival.publish !== 'quiet' || want === undefined || have === undefined || want === have)
    return { changed: false }
  if (!want && to.apiVersion === '2.3') return { changed: false } // 2.3 has no unpublish call
  const verb = want ? 'published (without alert e-mails)' : 'unpublished (as its source is)'
  if (s.dryRun || targetId === undefined) return { note: `would be ${verb}`, changed: false }
  // until the target has answered one publish, publishes go one at a time: a refusal is met once
  const gate = s.gate
  while (want && !gate.allowed && gate.probe !== undefined) await gate.probe
  if (want && gate.refused !== undefined) return { changed: false }
  let release: () => void = () => undefined
  const probing = want && !gate.allowed
  if (probing) gate.probe = new Promise<void>((resolve) => (release = resolve))
  const done = await (want ? to.publish(targetId, s.call) : to.unpublish(targetId, s.call))()
  // the gate learns the answer before the waiting publishes go on
  let first = false
  if (want && E.isRight(done)) gate.allowed = true
  if (want && E.isLeft(done) && done.left._tag === 'Forbidden') {
    first = gate.refused === undefined
    gate.refused ??= refusedText(to, formatMispError(done.left))
  }
  if (probing) {
    gate.probe = undefined
    release()
  }
  if (E.isRight(done)) return done.right._tag === 'Done' ? { note: verb, changed: true } : { changed: false }
  if (want && done.left._tag === 'Forbidden')
    return first ? { note: `left unpublished: ${gate.refused}`, changed: false } : { changed: false }
  return {
    changed: false,
    error: { _tag: 'TargetFailed', step: want ? 'publish' : 'unpublish', error: done.left },
  }
}

/**
 * The arrival step after a write: with `'quiet'`, the copy's published state made the source's.
 * An unchanged copy that was published becomes `updated`; a failed call fails the event.
 */
export const arriveAs = async (e: Ending, s: Omit<SettleInput, 'targetId'>): Promise<Ending> => {
  if (e.outcome !== 'created' && e.outcome !== 'updated' && e.outcome !== 'unchanged') return e
  const settled = await settlePublished({ ...s, targetId: e.targetId })
  const note = settled.note
  const reason = note === undefined ? e.reason : e.reason === undefined ? note : `${e.reason}; ${note}`
  if (settled.error !== undefined)
    return {
      ...e,
      outcome: 'failed',
      error: settled.error,
      reason: `${e.outcome} on the target, then the publish call failed`,
    }
  const outcome = e.outcome === 'unchanged' && settled.changed ? 'updated' : e.outcome
  return { ...e, outcome, ...(reason === undefined ? {} : { reason }) }
}
