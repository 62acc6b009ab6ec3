/**
 * One event through the pipeline: look up (from the run's index read, or one lookup) → precheck
 * (as new? excluded? the target's own?) → read the source → policy and rules → convert → write
 * (with reconciliation, `whole.ts`) → mirror tags and retractions, arrive (`attemptMirror.ts`).
 * Without logging; never rejects.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { Loss } from '../../convert/Loss.js'
import type { Lossy } from '../../convert/Lossy.js'
import type * as V23 from '../../v23/index.js'
import type * as V24 from '../../v24/index.js'
import type { EventChanges } from '../TransferResult.js'
import { withArrivalTags } from './arrival.js'
import { gateOf } from './attemptGate.js'
import type { Attempted, AttemptInput } from './attemptInput.js'
import { afterWrite } from './attemptMirror.js'
import { arrive, exclude, indexedPublished, judge } from './attemptSharing.js'
import { resolvePieces } from './pieces.js'
import { asNew, mayBeShort, readsAnyway, timestampShift } from './precheck.js'
import { transientRead } from './recovery.js'
import { withoutTypes } from './ruleFacts.js'
import { type Documents, type Ending, flag, headerOf, messageOf } from './spec.js'
import { writeWhole } from './whole.js'
import type { Written } from './write.js'

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

/** The losses without the event-level `Tag`/`EventTag` drop (the mirror step carries them). */
const withoutEventTagLoss = (losses: ReadonlyArray<Loss>): ReadonlyArray<Loss> =>
  losses.flatMap((l) => {
    if (l._tag !== 'FieldsDropped' || l.path !== 'Event' || !('Tag' in l.fields || 'EventTag' in l.fields))
      return [l]
    const { Tag: _t, EventTag: _e, ...fields } = l.fields
    return Object.keys(fields).length === 0 ? [] : [{ ...l, fields }]
  })

const originalReason =
  "the target's copy was created on the target (not locked: not a synced replica); like MISP's own sync (filterEventIdsForPush), the bridge does not overwrite it"

/**
 * The precheck: how the event ends without reading it, if it does — excluded by the rules (its
 * index row tells), as new on the target (and nothing else says to look closer), or the target's
 * own event (never overwritten from a copy of it).
 */
const precheck = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  known: Exists | undefined,
): Promise<Ending | undefined> => {
  const { spec, options, uuid, row } = a
  if (a.verdict?._tag === 'Excluded') return exclude(a, a.verdict.reason, known)
  const tagsMode = options.tags ?? 'mirror'
  // a 2.3 source's retractions do not move its timestamp: a full run reads it anyway
  const readAnyway = readsAnyway(spec, options, a.compare)
  const same =
    row === undefined || known === undefined
      ? undefined
      : asNew(
          row,
          known,
          timestampShift(options),
          tagsMode === 'none' ? undefined : a.view?.tags(uuid),
          tagsMode,
        )
  // every run also compares the copy's attribute count with the source's where the indexes show
  // them (a cut write leaves a copy short; a run killed while completing a 2.3 copy leaves it
  // short and stamped newer by the adds); an event from the retry set is always read again
  const countShort = row !== undefined && mayBeShort(row.attributes, a.view?.attributeCount(uuid))
  if (same !== undefined && !readAnyway && !countShort && !a.retrying && a.verdict?._tag !== 'Undecided')
    return arrive(a, same, row?.published, indexedPublished(a))
  if (same === undefined && known?.exists === true && a.view?.locked(uuid) === false)
    return {
      outcome: 'skipped',
      targetId: known.id,
      targetTimestamp: Number(known.timestamp),
      reason: originalReason,
    }
  return undefined
}

/** The read: the first may come from the run's read-ahead; a read again is of this event alone. */
const readSource = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
): Promise<E.Either<Ending, EventOf<S>>> => {
  const got = await transientRead(
    (n) =>
      n === 1 && a.reader !== undefined
        ? a.reader.read(a.uuid, a.index, a.call)
        : a.spec.from.get(a.uuid, a.call)(),
    a.recovery,
    a.call.signal,
  )
  if (E.isRight(got)) return got
  if (a.retrying && got.left._tag === 'NotFound')
    return E.left({
      outcome: 'skipped',
      reason:
        'the source no longer has this event (deleted, or no longer visible to this key): dropped from the retry set',
    })
  return E.left({ outcome: 'failed', error: { _tag: 'SourceFailed', step: 'get', error: got.left } })
}

/** What the write sends, and what the attempt reports of it. */
interface Prepared<T extends ApiVersion> {
  readonly value: EventOf<T>
  readonly losses: ReadonlyArray<Loss>
  /** the tags the copy should carry (none: tags are not carried) */
  readonly wantTags: ReadonlyArray<string> | undefined
  /** the converted event's timestamp */
  readonly sending: number | undefined
}

/**
 * Converts the event (without the attribute types the rules block) into what the write sends:
 * the tags that cross, and the arrival policy's published state.
 */
const prepare = <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  event: EventOf<S>,
  carried: ReadonlyArray<string> | undefined,
): E.Either<Ending, Prepared<T>> => {
  const { spec, options } = a
  const tagsMode = options.tags ?? 'mirror'
  let converted: Lossy<EventOf<T>>
  try {
    converted = spec.convert(withoutTypes(event, a.sharing.rules?.blockedTypes ?? new Set()).event)
  } catch (e) {
    return E.left({ outcome: 'failed', error: { _tag: 'ConversionFailed', message: messageOf(e) } })
  }
  // with tags carried by the mirror step, a 2.3 target will have the event's tags after all
  const losses =
    tagsMode !== 'none' && spec.to.apiVersion === '2.3'
      ? withoutEventTagLoss(converted.losses)
      : converted.losses
  // the tags that cross: a 2.4/2.5 target takes them in the event itself (by name, created if
  // missing, additive only — seen on a real MISP 2.5.1); the mirror step attaches and removes the rest
  // (and the arrival tags, kept by every mode)
  const wantTags =
    tagsMode === 'none' || carried === undefined ? undefined : withArrivalTags(carried, a.sharing.arrival)
  const tagged =
    wantTags === undefined || spec.to.apiVersion === '2.3' || spec.from.apiVersion !== '2.3'
      ? converted.value
      : ({
          ...converted.value,
          // MISP creates a missing tag with the colour given here (Tag::captureTag@v2.5.1:321-327)
          Tag: wantTags.map((name) => {
            const colour = a.tags.lookOf(name)?.colour
            return colour === undefined ? { name } : { name, colour }
          }),
        } as EventOf<T>)
  // the arrival policy: unless 'as-source', the write carries no publish (no alert e-mails)
  const value =
    a.sharing.arrival.publish === 'as-source' ? tagged : ({ ...tagged, published: false } as EventOf<T>)
  return E.right({
    value,
    losses,
    wantTags,
    sending: headerOf(converted.value as V23.Event | V24.Event).timestamp,
  })
}

/** The write (whole, in pieces when big), behind the gate; what the gate refused, if it did. */
const writeStep = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  p: Prepared<T>,
  known: Exists | undefined,
): Promise<{ readonly written: Written<T>; readonly refused: Written<T>['refused'] }> => {
  const { options } = a
  const gate = gateOf(a, (options.tags ?? 'mirror') === 'none' ? undefined : p.wantTags)
  let refused: Written<T>['refused']
  const written = await writeWhole({
    pieces: resolvePieces(options.pieces),
    // (a create-first run reads no index: it does not compare counts)
    check: a.retrying || options.existence !== 'create-first',
    counted: a.view?.attributeCount(a.uuid),
    to: a.spec.to,
    value: p.value,
    uuid: a.uuid,
    sending: p.sending,
    known,
    createFirst: options.existence === 'create-first',
    dryRun: a.dryRun,
    call: a.call,
    recovery: a.recovery,
    beforeWrite: async () => {
      const g = await gate()
      refused ??= g?.refused
      return g
    },
  })
  return { written, refused }
}

/** What an attempt reports as it goes: the documents, the losses, the changes, the source's header. */
const reportOf = <S extends ApiVersion, T extends ApiVersion>(a: AttemptInput<S, T>) => {
  const started = Date.now()
  const r = {
    docs: {} as Documents,
    losses: [] as ReadonlyArray<Loss>,
    changes: undefined as EventChanges | undefined,
    source: (a.row === undefined ? {} : { timestamp: a.row.timestamp }) as {
      readonly id?: string
      readonly timestamp?: number
    },
    /** the attempt's result, ending so */
    end: (ending: Ending): Attempted => ({
      result: {
        uuid: a.uuid,
        direction: a.spec.name,
        outcome: ending.outcome,
        ...(r.source.id === undefined ? {} : { sourceId: r.source.id }),
        ...(r.source.timestamp === undefined ? {} : { sourceTimestamp: r.source.timestamp }),
        ...(ending.targetId === undefined ? {} : { targetId: ending.targetId }),
        ...(ending.targetTimestamp === undefined ? {} : { targetTimestamp: ending.targetTimestamp }),
        losses: r.losses,
        ...(r.changes === undefined ? {} : { changes: r.changes }),
        ...(ending.error === undefined ? {} : { error: ending.error }),
        ...(ending.reason === undefined ? {} : { reason: ending.reason }),
        dryRun: a.dryRun,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
      },
      docs: r.docs,
    }),
  }
  return r
}

/** One attempt. Never rejects. */
export const attempt = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
): Promise<Attempted> => {
  const { spec, options } = a
  const report = reportOf(a)
  const { end } = report
  try {
    const looked = await lookUp(a)
    if (E.isLeft(looked)) return end(looked.left)
    const known = looked.right
    const early = await precheck(a, known)
    if (early !== undefined) return end(early)
    const got = await readSource(a)
    if (E.isLeft(got)) return end(got.left)
    const event = got.right
    report.source = headerOf(event as V23.Event | V24.Event)
    report.docs.source = spec.encodeSource(event)
    const skip = spec.policy(event) ?? options.skip?.(event)
    if (skip !== undefined) return end({ outcome: 'skipped', reason: skip })
    // the tags that cross (for the rules and the mirror step); the rules, where the row did not tell
    const judged = await judge(a, event, known)
    if (E.isLeft(judged)) return end(judged.left)
    const prepared = prepare(a, event, judged.right)
    if (E.isLeft(prepared)) return end(prepared.left)
    const p = prepared.right
    report.losses = p.losses
    report.docs.sent = spec.encodeTarget(p.value)
    const { written, refused } = await writeStep(a, p, known)
    if (written.stored !== undefined) report.docs.stored = spec.encodeTarget(written.stored)
    const w = written.ending
    // (kept aside: the write in pieces words its own ending)
    if (refused !== undefined) return { ...end(w), refused }
    if (w.outcome === 'failed' || w.outcome === 'skipped') return end(w)
    const published = flag((event as { published?: unknown }).published)
    const after = await afterWrite(
      a,
      { ending: w, stored: written.stored, sent: p.value, wantTags: p.wantTags, known },
      published,
    )
    report.changes = after.changes
    const ended = end(after.ending)
    return after.refused === undefined ? ended : { ...ended, refused: after.refused }
  } catch (e) {
    return end({ outcome: 'failed', error: { _tag: 'Unexpected', message: messageOf(e) } })
  }
}
