/**
 * The whole write's MISP 2.3 part: completing a short 2.3 copy. First edits that lead with one
 * attribute the copy holds (what any key that may edit the copy may do), then `attributes/add`
 * for whatever they did not store (`complete23.ts`; a site admin's or the creator org's key).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { complete23 } from './complete23.js'
import { liveAttributes } from './mirror.js'
import { onlyAttributes } from './pieces.js'
import { heldBy, missingFrom, published, type Stage, type WholeInput, type WholeSteps } from './wholeSteps.js'
import { write } from './write.js'

/** Completes the 2.3 copy `id` (as read: `copy`, at `copyTimestamp`) that lacks `missing`. */
export const complete23Copy = async <T extends ApiVersion>(
  w: WholeInput<T>,
  steps: WholeSteps<T>,
  id: string,
  copy: EventOf<T>,
  copyTimestamp: number,
  missing: ReadonlySet<string>,
): Promise<Stage<T>> => {
  const { want, read, send } = steps
  /**
   * MISP 2.3: the missing attributes one `attributes/add` each (a 2.3 edit does not store new
   * attributes), then — the adds unpublish the copy and stamp it with the server's clock — an edit
   * one second newer restoring the source's published state.
   */
  const addOneByOne = async (id: string, missing: ReadonlySet<string>): Promise<Stage<T>> => {
    const added = await complete23({
      to: w.to,
      id,
      value: w.value,
      missing,
      call: w.call,
      recovery: w.recovery,
      parallel: w.pieces.parallelAdds,
    })
    if (E.isLeft(added))
      return {
        ending: {
          outcome: 'failed',
          targetId: id,
          error: { _tag: 'TargetFailed', step: 'add-attribute', error: added.left.error },
          reason: `the copy lacked ${missing.size} of ${want.size} attributes; ${added.left.added} added, then an add failed`,
        },
      }
    const got = await read(id, 'the attributes were added')
    if ('ending' in got || !published(w.value)) return got
    const at = Number(got.copy.timestamp ?? 0) + 1
    const last = await write({
      ...w,
      value: { ...onlyAttributes(w.value, new Set()), timestamp: String(at) } as EventOf<T>,
      sending: at,
      known: { exists: true, id, timestamp: String(at - 1) },
      createFirst: false,
    })
    if (last.ending.outcome === 'failed' || last.ending.outcome === 'skipped')
      return { ending: { ...last.ending, targetId: id } }
    return last.stored === undefined ? read(id, 'the last edit') : { copy: last.stored }
  }

  /**
   * MISP 2.3: edits that carry, before the missing attributes, one attribute the copy holds with
   * the edit's timestamp. A real 2.3.178 REST edit saves a new attribute without `create()`: new
   * attributes sent before any existing one is saved overwrite one another (one survives), but
   * once an existing attribute has been saved in the edit, every new one after it is inserted
   * (seen on the real server with an admin and a "Sync user" key, 5 and 50 new attributes;
   * docs/guide.md). Unlike `attributes/add` (site admin or the event's creator org only), an edit
   * is what a sync key may do. Pieces of `pieces.size`, one second newer each. When the copy holds
   * none of the event's attributes (a create cut before its first), a first edit carries one new
   * attribute alone — stored, as the last new one always is — and leads the rest. `undefined`
   * when that one did not stay either: `attributes/add` is left.
   */
  const anchoredEdits = async (
    id: string,
    copy: EventOf<T>,
    copyTimestamp: number,
    missing: ReadonlySet<string>,
  ): Promise<(Stage<T> & { readonly at?: number }) | undefined> => {
    const live = liveAttributes(w.value as Parameters<typeof liveAttributes>[0])
    const holding = (held: ReadonlyMap<string, number>) =>
      live.find((a) => {
        const u = a.uuid?.toLowerCase()
        return u !== undefined && held.has(u)
      })
    let held = heldBy(copy)
    let from = copyTimestamp
    let todo = missing
    let anchor = holding(held)
    if (anchor === undefined) {
      const first = live.find((a) => a.uuid !== undefined && missing.has(a.uuid.toLowerCase()))
      if (first?.uuid === undefined) return undefined
      const rest = missingFrom(missing, new Map([[first.uuid.toLowerCase(), 0]]))
      const one = await send(
        id,
        onlyAttributes(w.value, new Set([first.uuid.toLowerCase()])),
        from,
        undefined,
        rest.size === 0 && published(w.value),
        held.size,
      )
      if ('ending' in one || rest.size === 0) return one
      held = heldBy(one.copy)
      from = one.at ?? from + 1
      anchor = holding(held)
      if (anchor === undefined) return undefined
      todo = missingFrom(rest, held)
      if (todo.size === 0) return one
    }
    const lead = anchor
    return send(
      id,
      onlyAttributes(w.value, todo),
      from,
      undefined,
      published(w.value),
      held.size,
      (piece, timestamp) =>
        ({
          ...piece,
          Attribute: [
            { ...lead, timestamp: String(timestamp) },
            ...((piece as { Attribute?: ReadonlyArray<unknown> }).Attribute ?? []),
          ],
        }) as EventOf<T>,
    )
  }

  const edited = await anchoredEdits(id, copy, copyTimestamp, missing)
  if (edited !== undefined && 'ending' in edited) return edited
  const now = edited === undefined ? copy : edited.copy
  const still = missingFrom(missing, heldBy(now))
  return still.size === 0 ? { copy: now } : addOneByOne(id, still)
}

/**
 * An update of a 2.3 copy, led by an attribute the copy holds: the first attribute no newer than
 * the copy's timestamp (the copy was written from the source at that time, so it has it), moved
 * first and re-sent with the edit's timestamp. A real 2.3.178 edit then stores every new
 * attribute that follows it, where without it only the last new one survives; a guess that
 * misses costs nothing (the whole-copy check completes the copy). The value as it is for other
 * targets, for creates, and when nothing qualifies.
 */
export const ledFor23 = <T extends ApiVersion>(w: WholeInput<T>): EventOf<T> => {
  const known = w.known
  if (w.to.apiVersion !== '2.3' || w.createFirst || known?.exists !== true || w.sending === undefined)
    return w.value
  const copyTimestamp = Number(known.timestamp)
  const list = (w.value as { Attribute?: ReadonlyArray<{ readonly timestamp?: unknown }> }).Attribute ?? []
  const i = list.findIndex((a) => Number(a.timestamp ?? Number.POSITIVE_INFINITY) <= copyTimestamp)
  if (i < 0 || w.sending <= copyTimestamp) return w.value
  const lead = { ...list[i], timestamp: String(w.sending) }
  return { ...w.value, Attribute: [lead, ...list.slice(0, i), ...list.slice(i + 1)] } as EventOf<T>
}
