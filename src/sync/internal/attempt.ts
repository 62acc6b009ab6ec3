/**
 * One event through the pipeline: look up (from the run's index read, or one lookup) → read
 * the source → policy → convert → write (with reconciliation). Without logging; never rejects.
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
import type { AuthenticationRefused, KeyNotPermitted } from '../RunResult.js'
import { type EventChanges, formatChanges, hasChanges, type TransferError } from '../TransferResult.js'
import { withArrivalTags } from './arrival.js'
import type { Attempted, AttemptInput } from './attemptInput.js'
import { arrive, exclude, indexedPublished, judge } from './attemptSharing.js'
import { liveAttributes, type Mirrored, mirror } from './mirror.js'
import { resolvePieces } from './pieces.js'
import { asNew, mayBeShort, readsAnyway, TAG_EDITOR_FIX, timestampShift } from './precheck.js'
import { transientRead } from './recovery.js'
import { withoutTypes } from './ruleFacts.js'
import { type Documents, type Ending, flag, headerOf, messageOf } from './spec.js'
import { tagsSettled } from './tagNames.js'
import { writeWhole } from './whole.js'
import type { Written } from './write.js'

/** An event's error for the gate's refusal of the target's key. */
const refusalError = (e: KeyNotPermitted | AuthenticationRefused): TransferError =>
  e._tag === 'KeyNotPermitted'
    ? {
        _tag: 'NotPermitted',
        permission: e.permission,
        ...(e.role === undefined ? {} : { role: e.role }),
        fix: e.fix,
      }
    : { _tag: 'TargetFailed', step: 'tags', error: e.error }

/**
 * What the gate says before the first write of an event: nothing (write), or the ending that
 * replaces the write — the key may not tag (the run stops), or, on 2.4/2.5, the event carries
 * tags the target lacks and the key may not create (MISP would drop them silently: the event
 * fails unwritten instead).
 */
const gateOf =
  <S extends ApiVersion, T extends ApiVersion>(
    a: AttemptInput<S, T>,
    wantTags: ReadonlyArray<string> | undefined,
  ) =>
  async (): Promise<Written<T> | undefined> => {
    if (a.permit === undefined) return undefined
    const g = await a.permit()
    if (g._tag === 'Refused')
      return { ending: { outcome: 'failed', error: refusalError(g.error) }, refused: g.error }
    // the key's permissions could not be learnt: nothing is written on a guess
    if (g._tag === 'Unknown')
      return {
        ending: { outcome: 'failed', error: { _tag: 'TargetFailed', step: 'permissions', error: g.error } },
      }
    if (g.tagEditor || wantTags === undefined || a.spec.to.apiVersion === '2.3') return undefined
    const missing: Array<string> = []
    for (const name of wantTags) {
      const found = await a.tags.book.get(name, false)
      if (E.isLeft(found))
        return {
          ending: { outcome: 'failed', error: { _tag: 'TargetFailed', step: 'tags', error: found.left } },
        }
      if (found.right === undefined) missing.push(name)
    }
    if (missing.length === 0) return undefined
    return {
      ending: {
        outcome: 'failed',
        error: {
          _tag: 'NotPermitted',
          permission: 'perm_tag_editor',
          ...(g.role === undefined ? {} : { role: g.role }),
          tags: missing,
          fix: TAG_EDITOR_FIX,
        },
      },
    }
  }

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
 * The mirror step's inputs from the write's outcome: what the target's copy should carry, what
 * is known of it, and whether checking its attributes is worth a read. `undefined`: nothing to do.
 */
const mirrorStep = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  w: Ending,
  stored: EventOf<T> | undefined,
  sent: EventOf<T>,
  wantTags: ReadonlyArray<string> | undefined,
  known: Exists | undefined,
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

const noChanges: EventChanges = { tagsAttached: [], tagsDetached: [], tagsCreated: [], attributesDeleted: [] }

/** One attempt. Never rejects. */
export const attempt = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
): Promise<Attempted> => {
  const { spec, options, uuid, row, dryRun, call } = a
  const started = Date.now()
  const docs: Documents = {}
  let losses: ReadonlyArray<Loss> = []
  let changes: EventChanges | undefined
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
      ...(changes === undefined ? {} : { changes }),
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
    // the rules, where the index row tells: an excluded event is not read
    if (a.verdict?._tag === 'Excluded') return end(await exclude(a, a.verdict.reason, known))
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
      return end(await arrive(a, same, row?.published, indexedPublished(a)))
    // the target's own event (not a synced replica) is never overwritten from a copy of it
    if (same === undefined && known?.exists === true && a.view?.locked(uuid) === false)
      return end({
        outcome: 'skipped',
        targetId: known.id,
        targetTimestamp: Number(known.timestamp),
        reason: originalReason,
      })
    // read
    // the first read may come from the run's read-ahead; a read again is of this event alone
    const got = await transientRead(
      (n) =>
        n === 1 && a.reader !== undefined ? a.reader.read(uuid, a.index, call) : spec.from.get(uuid, call)(),
      a.recovery,
      call.signal,
    )
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
    // the tags that cross (for the rules and the mirror step); the rules, where the row did not tell
    const judged = await judge(a, event, known)
    if (E.isLeft(judged)) return end(judged.left)
    const carried = judged.right
    const rules = a.sharing.rules
    const published = flag((event as { published?: unknown }).published)
    // convert (without the attribute types the rules block)
    let converted: Lossy<EventOf<T>>
    try {
      converted = spec.convert(withoutTypes(event, rules?.blockedTypes ?? new Set()).event)
    } catch (e) {
      return end({ outcome: 'failed', error: { _tag: 'ConversionFailed', message: messageOf(e) } })
    }
    // with tags carried by the mirror step, a 2.3 target will have the event's tags after all
    losses =
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
    docs.sent = spec.encodeTarget(value)
    // write (and reconcile)
    const gate = gateOf(a, tagsMode === 'none' ? undefined : wantTags)
    let refused: Written<T>['refused']
    const written = await writeWhole({
      pieces: resolvePieces(options.pieces),
      // (a create-first run reads no index: it does not compare counts)
      check: a.retrying || options.existence !== 'create-first',
      counted: a.view?.attributeCount(uuid),
      to: spec.to,
      value,
      uuid,
      sending: headerOf(converted.value as V23.Event | V24.Event).timestamp,
      known,
      createFirst: options.existence === 'create-first',
      dryRun,
      call,
      recovery: a.recovery,
      beforeWrite: async () => {
        const g = await gate()
        refused ??= g?.refused
        return g
      },
    })
    if (written.stored !== undefined) docs.stored = spec.encodeTarget(written.stored)
    const w = written.ending
    // (kept aside: the write in pieces words its own ending)
    if (refused !== undefined) return { ...end(w), refused }
    if (w.outcome === 'failed' || w.outcome === 'skipped') return end(w)
    // what the copy's published state is now: written unpublished, or as the index showed it
    const have =
      w.outcome === 'unchanged'
        ? indexedPublished(a)
        : (flag((written.stored as { published?: unknown } | undefined)?.published) ?? false)
    // mirror: tags and retractions
    const mirrored = await mirrorStep(a, w, written.stored, value, wantTags, known)
    if (mirrored === undefined) return end(await arrive(a, w, published, have))
    if (mirrored.refused !== undefined)
      return {
        ...end({ outcome: 'failed', error: refusalError(mirrored.refused) }),
        refused: mirrored.refused,
      }
    if (hasChanges(mirrored.changes) || mirrored.changes.tagsCreated.length > 0) changes = mirrored.changes
    if (mirrored.error !== undefined)
      return end({
        ...w,
        outcome: 'failed',
        error: mirrored.error,
        reason: `${w.outcome} on the target, then a tag or retraction call failed`,
      })
    if (w.outcome === 'unchanged' && hasChanges(mirrored.changes))
      return end(
        await arrive(
          a,
          { ...w, outcome: 'updated', reason: formatChanges(mirrored.changes) },
          published,
          have,
        ),
      )
    return end(await arrive(a, w, published, have))
  } catch (e) {
    return end({ outcome: 'failed', error: { _tag: 'Unexpected', message: messageOf(e) } })
  }
}
