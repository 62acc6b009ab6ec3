/**
 * The write step that makes sure the target's copy is whole: a copy is done only when it holds
 * every attribute that was sent.
 *
 * - **Checked, not assumed.** After a write whose answer showed the copy, its attributes are
 *   compared with what was sent; after a lost answer (the lookup only shows that the event is
 *   there) the copy is read. A copy left `unchanged` by its timestamp is checked too when the run
 *   asks (a full run, an event from the retry set): by the index's attribute count, and when that
 *   is short, by reading the copy.
 * - **Completed.** The attributes a short copy lacks are sent again in an edit (MISP's edit is
 *   additive: the attributes there stay as they are, `Event::_edit@v2.4.199:4075-4160`), newer by one second than the copy.
 *   What the target still does not hold after that, it refuses: the event ends `failed`
 *   (`Incomplete`) and stays in the retry set.
 * - **Big events in pieces.** Above the policy's threshold the event is created with its first
 *   piece of attributes and the others follow in edits, each one second newer, all below the
 *   source's timestamp and unpublished; the last edit carries the source's timestamp and published
 *   state, once the copy holds everything. A copy cut between pieces is older than its source, so
 *   the next run updates it — and sends only what the copy lacks.
 *
 * The steps it is made of are in `wholeSteps.ts`; completing a MISP 2.3 copy, in `whole23.ts`.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { liveAttributes } from './mirror.js'
import { onlyAttributes, piecesOf } from './pieces.js'
import type { Ending } from './spec.js'
import { complete23Copy, ledFor23 } from './whole23.js'
import { heldBy, missingFrom, published, type WholeInput, wholeSteps } from './wholeSteps.js'
import { type Written, write } from './write.js'

export type { WholeInput } from './wholeSteps.js'

/** The whole write. Never rejects. */
export const writeWhole = async <T extends ApiVersion>(w: WholeInput<T>): Promise<Written<T>> => {
  if (w.dryRun) return write(w)
  const steps = wholeSteps(w)
  const { total, want, budget, read, incomplete, send } = steps
  const sending = w.sending

  /** completes a copy that lacks `missing`, one second newer than `from` */
  const complete = async (
    id: string,
    copy: EventOf<T>,
    copyTimestamp: number,
    missing: ReadonlySet<string>,
    ending: Ending,
  ): Promise<Written<T>> => {
    const sent =
      w.to.apiVersion === '2.3'
        ? await complete23Copy(w, steps, id, copy, copyTimestamp, missing)
        : await send(
            id,
            onlyAttributes(w.value, missing),
            copyTimestamp,
            undefined,
            published(w.value),
            want.size,
          )
    if ('ending' in sent) return { ending: sent.ending }
    const held = heldBy(sent.copy)
    const said = `the copy lacked ${missing.size} of ${want.size} attributes; sent them again`
    if (missingFrom(want, held).size > 0) return { ending: incomplete(id, held, said) }
    return {
      ending: {
        ...ending,
        outcome: ending.outcome === 'unchanged' ? 'updated' : ending.outcome,
        targetId: id,
        reason: [ending.reason, `${said}: the copy is whole`].filter((x) => x !== undefined).join('; '),
      },
      stored: sent.copy,
    }
  }

  /** after a write that was not in pieces: is the copy whole? (completed when it is not) */
  const settle = async (r: Written<T>): Promise<Written<T>> => {
    const e = r.ending
    if (e.outcome === 'failed' || e.outcome === 'skipped' || e.targetId === undefined) return r
    const id = e.targetId
    let copy = r.stored
    if (copy === undefined) {
      if (e.outcome === 'unchanged' && (!w.check || w.counted === want.size)) return r
      const got = await read(id, e.reason ?? e.outcome)
      if ('ending' in got) return { ending: got.ending }
      copy = got.copy
    }
    const missing = missingFrom(want, heldBy(copy))
    if (missing.size === 0) return { ...r, stored: copy }
    return complete(id, copy, Number(copy.timestamp ?? sending ?? 0), missing, e)
  }

  // a real MISP 2.3.178 edit does not reliably store the new attributes it carries (docs/guide.md):
  // a 2.3 target gets the event in one create, with a time budget for its size
  const big = total > w.pieces.threshold && sending !== undefined && w.to.apiVersion !== '2.3'
  if (!big) return settle(await write({ ...w, value: ledFor23(w), call: budget(total) }))

  // big: look up (a create-first run too: a big create is never sent blindly)
  let found: Exists | undefined = w.known
  if (found === undefined) {
    const looked = await w.to.exists(w.uuid, w.call)()
    if (E.isLeft(looked))
      return {
        ending: { outcome: 'failed', error: { _tag: 'TargetFailed', step: 'exists', error: looked.left } },
      }
    found = looked.right
  }
  return found.exists ? resume(found.id, Number(found.timestamp), undefined, 'updated') : createInPieces()

  async function createInPieces(): Promise<Written<T>> {
    const S = sending as number
    const first = piecesOf(w.value, w.pieces.size, S - 1, S - 1)[0]
    if (first === undefined) return settle(await write({ ...w, call: budget(total) }))
    const r = await write({
      ...w,
      value: first.event,
      sending: first.timestamp,
      known: { exists: false },
      createFirst: false,
      call: budget(first.attributes),
    })
    const e = r.ending
    if (e.outcome === 'failed' || e.outcome === 'skipped' || e.targetId === undefined) return r
    // someone else's copy was there after all: it is updated like any other
    const outcome = e.outcome === 'created' ? 'created' : 'updated'
    const at = e.outcome === 'created' ? first.timestamp : (e.targetTimestamp ?? first.timestamp)
    return resume(e.targetId, at, r.stored, outcome, e.reason)
  }

  /**
   * The copy `id` (timestamp `at`) gets what it lacks or holds older, in pieces below the
   * source's timestamp; then the last edit at the source's timestamp, published as the source.
   */
  async function resume(
    id: string,
    at: number,
    answered: EventOf<T> | undefined,
    outcome: 'created' | 'updated',
    said?: string,
  ): Promise<Written<T>> {
    const S = sending as number
    if (at >= S) {
      // as new by its timestamp: only a check (and a completion) can find it short
      const unchanged: Ending = {
        outcome: 'unchanged',
        targetId: id,
        targetTimestamp: at,
        reason: `the target's copy is as new (timestamp ${at} ≥ ${S})`,
      }
      return settle({ ending: unchanged })
    }
    let copy = answered
    if (copy === undefined) {
      const got = await read(id, 'resuming the copy')
      if ('ending' in got) return { ending: got.ending }
      copy = got.copy
    }
    const held = heldBy(copy)
    // what the copy lacks, or holds older than the source
    const stale = new Set(
      liveAttributes(w.value as Parameters<typeof liveAttributes>[0]).flatMap((a) => {
        const u = a.uuid?.toLowerCase()
        if (u === undefined) return []
        const t = held.get(u)
        return t === undefined || t < Number((a as { timestamp?: unknown }).timestamp ?? 0) ? [u] : []
      }),
    )
    const notes: Array<string> = said === undefined ? [] : [said]
    let holding = held.size
    let now = at
    if (stale.size > 0 && S - 1 > at) {
      const part = onlyAttributes(w.value, stale)
      const sent = await send(id, part, at, S - 1, false, holding)
      if ('ending' in sent) return { ending: { ...sent.ending, targetId: id } }
      notes.push(
        `${outcome === 'created' ? stale.size + held.size : stale.size} attributes in ${(sent.pieces ?? 0) + (outcome === 'created' ? 1 : 0)} pieces`,
      )
      copy = sent.copy
      now = sent.at ?? now
      holding = heldBy(copy).size
    }
    // the last edit: the source's timestamp and published state, and whatever is still missing
    const rest = missingFrom(want, heldBy(copy))
    const last = await write({
      ...w,
      value: { ...onlyAttributes(w.value, rest), timestamp: String(S) } as EventOf<T>,
      sending: S,
      known: { exists: true, id, timestamp: String(now) },
      createFirst: false,
      call: budget(holding + rest.size),
    })
    if (last.ending.outcome === 'failed' || last.ending.outcome === 'skipped')
      return {
        ending: {
          ...last.ending,
          targetId: id,
          reason: [...notes, last.ending.reason ?? 'the last edit failed'].join('; '),
        },
      }
    let final = last.stored
    if (final === undefined) {
      const got = await read(id, 'the last edit')
      if ('ending' in got) return { ending: got.ending }
      final = got.copy
    }
    const finalHeld = heldBy(final)
    const reason = [...notes, 'the copy is whole'].join('; ')
    if (missingFrom(want, finalHeld).size > 0)
      return { ending: incomplete(id, finalHeld, notes.join('; ') || 'written') }
    return {
      ending: {
        outcome,
        targetId: id,
        ...(outcome === 'updated' ? { targetTimestamp: at } : {}),
        reason,
      },
      stored: final,
    }
  }
}
