/**
 * The mirror step, after the write: the target's copy gets the source's tags and loses the
 * attributes the source retracted.
 *
 * - **Retractions**: every live attribute of the target's copy (objects' attributes included)
 *   whose uuid the converted source event no longer has is deleted on the target by its id
 *   (`deleteAttribute`: a hard delete on 2.3, a soft delete on 2.4/2.5). MISP never deletes an
 *   attribute an edit leaves out (`Event::_edit@v2.4.199:4075-4160`), so this is the only way a retraction
 *   arrives.
 * - **Tags**: the source's exportable, non-local tags are attached (created on the target first
 *   when missing); with `tags: 'mirror'` the target copy's other non-local tags are removed
 *   (`removeTag` by numeric id, seen on a real MISP 2.5.1), so `tlp:red` → `tlp:amber` never leaves both markings.
 *
 * In a dry run the step computes the same changes and writes nothing.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { TagsMode } from '../Connector.js'
import type { AuthenticationRefused, KeyNotPermitted } from '../RunResult.js'
import type { EventChanges, TargetFailed } from '../TransferResult.js'
import type { Permit } from './precheck.js'
import { idempotentWrite, type RecoveryPolicy } from './recovery.js'
import { flag } from './spec.js'
import type { TagBook } from './tagBook.js'
import { eventTagNames } from './tagNames.js'

/** What the mirror step is given. */
export interface MirrorInput<T extends ApiVersion> {
  readonly to: MispClient<T>
  readonly tags: TagsMode
  readonly dryRun: boolean
  readonly call: CallOptions
  readonly book: TagBook
  /** the target's id of the event; `undefined` in a dry run that would create it */
  readonly targetId: string | undefined
  /** the tags the target's copy should carry (sorted); `undefined`: leave tags alone */
  readonly wantTags: ReadonlyArray<string> | undefined
  /** the attribute uuids the target's copy should have (lower case); `undefined`: don't check */
  readonly wantAttributes: ReadonlySet<string> | undefined
  /** the target's copy, when the write step has it */
  readonly stored: EventOf<T> | undefined
  /** a 2.3 target's current tags of the event (its JSON has none), from the run's tag map */
  readonly tags23: ReadonlyArray<string> | undefined
  /**
   * whether the target's copy is a synced replica (`locked`), when known: an event created on the
   * target itself (`false`) is its own original — nothing of it is ever deleted or removed
   */
  readonly replica: boolean | undefined
  /** how idempotent writes are tried again after a lost answer */
  readonly recovery: RecoveryPolicy
  /** the run's gate, asked before the step's first write */
  readonly permit?: () => Promise<Permit>
}

/** What the step changed, or where it failed (with what it had changed before). */
export interface Mirrored {
  readonly changes: EventChanges
  readonly error?: TargetFailed
  /** the gate refused the target's key before the step's first write: nothing was written */
  readonly refused?: KeyNotPermitted | AuthenticationRefused
}

const none: EventChanges = { tagsAttached: [], tagsDetached: [], tagsCreated: [], attributesDeleted: [] }

interface AttributeLike {
  readonly id?: string
  readonly uuid?: string
  readonly deleted?: unknown
}

/** The live attributes of either version's event, objects' attributes included. */
export const liveAttributes = (e: {
  readonly Attribute?: ReadonlyArray<AttributeLike>
  readonly Object?: ReadonlyArray<{
    readonly Attribute?: ReadonlyArray<AttributeLike>
    readonly deleted?: unknown
  }>
}): ReadonlyArray<AttributeLike> =>
  [
    ...(e.Attribute ?? []),
    ...(e.Object ?? []).filter((o) => o.deleted !== true).flatMap((o) => o.Attribute ?? []),
  ].filter((a) => a.deleted !== true && a.deleted !== '1' && a.deleted !== 1)

/** The mirror step. Never rejects. */
export const mirror = async <T extends ApiVersion>(m: MirrorInput<T>): Promise<Mirrored> => {
  const { to, call, dryRun } = m
  const is23 = to.apiVersion === '2.3'
  const attached: Array<string> = []
  const detached: Array<string> = []
  const created: Array<string> = []
  const deleted: Array<{ uuid: string; id: string }> = []
  const changes = (): EventChanges => ({
    tagsAttached: attached,
    tagsDetached: detached,
    tagsCreated: created,
    attributesDeleted: deleted,
  })
  // the gate, once, before the first write
  let cleared = m.permit === undefined
  const refused = async (): Promise<Mirrored | undefined> => {
    if (cleared || m.permit === undefined) return undefined
    const g = await m.permit()
    if (g._tag === 'Refused') return { changes: none, refused: g.error }
    // the key's permissions could not be learnt: nothing is written on a guess
    if (g._tag === 'Unknown') return fail('permissions', g.error)
    cleared = true
    return undefined
  }
  const fail = (step: TargetFailed['step'], error: MispError): Mirrored => ({
    changes: changes(),
    error: { _tag: 'TargetFailed', step, error },
  })

  // a dry run that would create the event: every wanted tag would be attached
  if (m.targetId === undefined) {
    if (m.wantTags === undefined || m.tags === 'none') return { changes: none }
    for (const name of m.wantTags) {
      const found = await m.book.get(name, false)
      if (E.isLeft(found)) return fail('tags', found.left)
      if (found.right === undefined && m.book.claim(name)) created.push(name)
      attached.push(name)
    }
    return { changes: changes() }
  }
  const targetId = m.targetId

  // the target's copy, when the step needs it and the write did not return it
  let replica = m.replica ?? flag((m.stored as { locked?: unknown } | undefined)?.locked)
  const destructive = m.wantAttributes !== undefined || m.tags === 'mirror'
  const needCopy =
    m.wantAttributes !== undefined ||
    (!is23 && m.wantTags !== undefined && m.tags !== 'none') ||
    (destructive && replica === undefined)
  let copy = m.stored
  if (needCopy && copy === undefined) {
    const got = await to.get(targetId, call)()
    if (E.isLeft(got)) return fail('read', got.left)
    copy = got.right
    replica ??= flag((copy as { locked?: unknown }).locked)
  }
  // MISP's own sync never overwrites an event the target created itself (filterEventIdsForPush
  // offers only unknown or locked events, `EventsController.php@v2.4.199:4275-4302`): the bridge deletes and removes
  // nothing of such an event — its source here is a copy of it, possibly a lossy one
  const original = replica === false

  // retractions
  if (m.wantAttributes !== undefined && copy !== undefined && !original) {
    const want = m.wantAttributes
    for (const a of liveAttributes(copy as Parameters<typeof liveAttributes>[0])) {
      if (a.uuid === undefined || a.id === undefined || want.has(a.uuid.toLowerCase())) continue
      if (!dryRun) {
        const stop = await refused()
        if (stop !== undefined) return stop
        const id = a.id
        const d = await idempotentWrite(() => to.deleteAttribute(id, call)(), m.recovery, call.signal)
        if (E.isLeft(d)) return fail('delete-attribute', d.left)
      }
      deleted.push({ uuid: a.uuid.toLowerCase(), id: a.id })
    }
  }

  // tags
  if (m.wantTags !== undefined && m.tags !== 'none') {
    const current = is23
      ? (m.tags23 ?? [])
      : eventTagNames((copy ?? {}) as Parameters<typeof eventTagNames>[0])
    const have = new Set(current)
    const want = new Set(m.wantTags)
    for (const name of m.wantTags) {
      if (have.has(name)) continue
      const stop = dryRun ? undefined : await refused()
      if (stop !== undefined) return stop
      const found = await m.book.get(name, !dryRun)
      if (E.isLeft(found)) return fail('tags', found.left)
      // counted by the one event that created it (or, in a dry run, first claimed it)
      if (found.right === undefined ? m.book.claim(name) : found.right.created) created.push(name)
      if (!dryRun && found.right !== undefined) {
        const tag = { id: found.right.tag.id, name }
        const a = await idempotentWrite(() => to.attachTag(targetId, tag, call)(), m.recovery, call.signal)
        if (E.isLeft(a)) return fail('attach-tag', a.left)
      }
      attached.push(name)
    }
    if (m.tags === 'mirror' && !original)
      for (const name of current) {
        if (want.has(name)) continue
        const found = await m.book.get(name, false)
        if (E.isLeft(found)) return fail('tags', found.left)
        if (found.right === undefined) continue // not a tag the target knows: nothing to remove
        if (!dryRun) {
          const stop = await refused()
          if (stop !== undefined) return stop
          const tagId = found.right.tag.id
          const d = await idempotentWrite(
            () => to.detachTag(targetId, tagId, call)(),
            m.recovery,
            call.signal,
          )
          if (E.isLeft(d)) return fail('detach-tag', d.left)
        }
        detached.push(name)
      }
  }
  return { changes: changes() }
}
