/**
 * An attempt's steps after a write that went through: the mirror step (the copy's tags and
 * retractions, `mirror.ts`) with what the write's outcome says is worth doing, then the arrival
 * policy (`arrival.ts`) — and the event's ending made of both.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { AuthenticationRefused, KeyNotPermitted } from '../RunResult.js'
import { type EventChanges, formatChanges, hasChanges } from '../TransferResult.js'
import { refusalError } from './attemptGate.js'
import type { AttemptInput } from './attemptInput.js'
import { arrive, indexedPublished } from './attemptSharing.js'
import { liveAttributes, type Mirrored, mirror } from './mirror.js'
import { type Ending, flag } from './spec.js'
import { tagsSettled } from './tagNames.js'

/** A write that went through, and what it was given. */
export interface WriteOutcome<T extends ApiVersion> {
  /** created, updated or unchanged */
  readonly ending: Ending
  /** the copy as the write's answer shows it */
  readonly stored: EventOf<T> | undefined
  /** what the write sent */
  readonly sent: EventOf<T>
  /** the tags the copy should carry (none: tags are not carried) */
  readonly wantTags: ReadonlyArray<string> | undefined
  /** what the target had before the write, when known */
  readonly known: Exists | undefined
}

const noChanges: EventChanges = { tagsAttached: [], tagsDetached: [], tagsCreated: [], attributesDeleted: [] }

/**
 * The mirror step's inputs from the write's outcome: what the target's copy should carry, what
 * is known of it, and whether checking its attributes is worth a read. `undefined`: nothing to do.
 */
const mirrorStep = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  { ending: w, stored, sent, wantTags, known }: WriteOutcome<T>,
): Promise<Mirrored | undefined> => {
  const { spec, options, uuid, dryRun, call } = a
  const tagsMode = options.tags ?? 'mirror'
  const created = w.outcome === 'created'
  const targetId = w.targetId
  if (targetId === undefined && !(dryRun && created)) return undefined
  // retractions: a new copy has exactly what was sent; an updated one is in the edit's answer; an
  // unchanged one is compared only in a full run (a 2.3 deletion does not move the timestamp),
  // and read only when the index's attribute count differs from what was sent
  let wantAttributes: ReadonlySet<string> | undefined
  if ((options.retractions ?? 'mirror') === 'mirror' && !created && targetId !== undefined) {
    const live = liveAttributes(sent as Parameters<typeof liveAttributes>[0])
    const counted = a.view?.attributeCount(uuid)
    const worth =
      stored !== undefined ||
      (dryRun && w.outcome === 'updated') ||
      (a.compare && (counted === undefined || counted !== live.length))
    if (worth)
      wantAttributes = new Set(live.flatMap((x) => (x.uuid === undefined ? [] : [x.uuid.toLowerCase()])))
  }
  // tags: skip the comparison when the index already shows what the mode asks for
  let tags = tagsMode === 'none' ? undefined : wantTags
  const indexed = a.view?.tags(uuid)
  if (
    tags !== undefined &&
    stored === undefined &&
    w.outcome === 'unchanged' &&
    indexed !== undefined &&
    tagsSettled(tagsMode, tags, indexed)
  )
    tags = undefined
  if (tags === undefined && wantAttributes === undefined) return undefined
  let tags23: ReadonlyArray<string> | undefined
  if (spec.to.apiVersion === '2.3' && tags !== undefined) {
    if (created || (known !== undefined && !known.exists)) tags23 = []
    else if (indexed !== undefined) tags23 = indexed
    else {
      const map = await a.tags.target23({ uuid, names: tags })
      if (E.isLeft(map))
        return { changes: noChanges, error: { _tag: 'TargetFailed', step: 'tags', error: map.left } }
      tags23 = map.right.get(uuid.toLowerCase()) ?? []
    }
  }
  return mirror({
    to: spec.to,
    tags: tagsMode,
    dryRun,
    call,
    book: a.tags.book,
    targetId: dryRun && created ? undefined : targetId,
    wantTags: tags,
    wantAttributes,
    stored,
    tags23,
    replica: a.view?.locked(uuid),
    recovery: a.recovery,
    ...(a.permit === undefined ? {} : { permit: a.permit }),
  })
}

/** How the event ends after a write that went through, and what the mirror step changed. */
export interface AfterWrite {
  readonly ending: Ending
  readonly changes?: EventChanges
  /** the gate refused the target's key at the mirror step: the run stops */
  readonly refused?: KeyNotPermitted | AuthenticationRefused
}

/**
 * After a write that went through: mirror the tags and retractions, then arrive (publish per the
 * policy). `published`: the source event's published state.
 */
export const afterWrite = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  written: WriteOutcome<T>,
  published: boolean | undefined,
): Promise<AfterWrite> => {
  const { ending: w, stored } = written
  // what the copy's published state is now: written unpublished, or as the index showed it
  const have =
    w.outcome === 'unchanged'
      ? indexedPublished(a)
      : (flag((stored as { published?: unknown } | undefined)?.published) ?? false)
  const mirrored = await mirrorStep(a, written)
  if (mirrored === undefined) return { ending: await arrive(a, w, published, have) }
  if (mirrored.refused !== undefined)
    return { ending: { outcome: 'failed', error: refusalError(mirrored.refused) }, refused: mirrored.refused }
  const changes =
    hasChanges(mirrored.changes) || mirrored.changes.tagsCreated.length > 0
      ? { changes: mirrored.changes }
      : {}
  if (mirrored.error !== undefined)
    return {
      ending: {
        ...w,
        outcome: 'failed',
        error: mirrored.error,
        reason: `${w.outcome} on the target, then a tag or retraction call failed`,
      },
      ...changes,
    }
  const ending =
    w.outcome === 'unchanged' && hasChanges(mirrored.changes)
      ? { ...w, outcome: 'updated' as const, reason: formatChanges(mirrored.changes) }
      : w
  return { ending: await arrive(a, ending, published, have), ...changes }
}
