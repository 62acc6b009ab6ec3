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
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { complete23 } from './complete23.js'
import { liveAttributes } from './mirror.js'
import {
  attributeTotal,
  attributeUuids,
  onlyAttributes,
  type PiecePolicy,
  piecesOf,
  writeBudget,
} from './pieces.js'
import type { Ending } from './spec.js'
import { type WriteInput, type Written, write } from './write.js'

/** What the whole write needs beyond the single write's input. */
export interface WholeInput<T extends ApiVersion> extends WriteInput<T> {
  readonly pieces: PiecePolicy
  /** check a copy the write leaves `unchanged` (a full run, or an event from the retry set) */
  readonly check: boolean
  /** the copy's live attribute count as the run's index read shows it, when it does */
  readonly counted: number | undefined
}

const SAMPLE = 10

type Stage<T extends ApiVersion> = { readonly copy: EventOf<T> } | { readonly ending: Ending }

/** The live attribute uuids of a copy, with their timestamps. */
const heldBy = <T extends ApiVersion>(copy: EventOf<T>): ReadonlyMap<string, number> =>
  new Map(
    liveAttributes(copy as Parameters<typeof liveAttributes>[0]).flatMap((a) =>
      a.uuid === undefined
        ? []
        : [[a.uuid.toLowerCase(), Number((a as { timestamp?: unknown }).timestamp ?? 0)] as const],
    ),
  )

const missingFrom = (want: ReadonlySet<string>, held: ReadonlyMap<string, number>): ReadonlySet<string> =>
  new Set([...want].filter((u) => !held.has(u)))

/** The whole write. Never rejects. */
export const writeWhole = async <T extends ApiVersion>(w: WholeInput<T>): Promise<Written<T>> => {
  if (w.dryRun) return write(w)
  const total = attributeTotal(w.value)
  const budget = (holding: number): CallOptions => ({
    ...w.call,
    timeout: writeBudget(w.pieces, holding, w.to.timeouts.event),
  })
  const want = attributeUuids(w.value)
  const sending = w.sending

  /** the copy as the target has it now */
  const read = async (id: string, step: string): Promise<Stage<T>> => {
    const got = await w.to.get(id, budget(total))()
    return E.isRight(got)
      ? { copy: got.right }
      : {
          ending: {
            outcome: 'failed',
            targetId: id,
            error: { _tag: 'TargetFailed', step: 'read', error: got.left },
            reason: `${step}; reading the copy to check it holds every attribute failed`,
          },
        }
  }

  /** the ending of a copy still short after everything */
  const incomplete = (id: string, held: ReadonlyMap<string, number>, said: string): Ending => {
    const missing = missingFrom(want, held)
    return {
      outcome: 'failed',
      targetId: id,
      error: {
        _tag: 'Incomplete',
        sent: want.size,
        held: want.size - missing.size,
        missing: [...missing].slice(0, SAMPLE),
      },
      reason: `${said}; the copy still lacks ${missing.size} of ${want.size} attributes (the target does not store them)`,
    }
  }

  /**
   * Sends `part` as edits in pieces at the timestamps after `from` (the copy's), the last one at
   * `last` when given (then the pieces before it stay below it). Answers the copy as the last
   * answered edit shows it, or read again after a lost answer.
   */
  const send = async (
    id: string,
    part: EventOf<T>,
    from: number,
    last: number | undefined,
    published: boolean,
    holding: number,
    lead?: (piece: EventOf<T>, timestamp: number) => EventOf<T>,
  ): Promise<Stage<T> & { readonly at?: number; readonly pieces?: number }> => {
    const end = last ?? from + Math.max(1, Math.ceil(attributeTotal(part) / w.pieces.size))
    const ps = piecesOf(part, w.pieces.size, end, Math.max(1, end - from))
    let at = from
    let stored: EventOf<T> | undefined
    let lost = false
    let holds = holding
    for (const [i, p] of ps.entries()) {
      const final = i === ps.length - 1
      const body = lead === undefined ? p.event : lead(p.event, p.timestamp)
      const event = (final ? { ...body, published } : body) as EventOf<T>
      holds += p.attributes
      const r = await write({
        ...w,
        value: event,
        sending: p.timestamp,
        known: { exists: true, id, timestamp: String(at) },
        createFirst: false,
        call: budget(holds),
      })
      if (r.ending.outcome === 'failed' || r.ending.outcome === 'skipped')
        return {
          ending: { ...r.ending, reason: `piece ${i + 1} of ${ps.length}: ${r.ending.reason ?? 'failed'}` },
        }
      if (r.ending.outcome === 'unchanged')
        // someone else's edit made the copy newer meanwhile: this piece was not applied
        return {
          ending: {
            outcome: 'failed',
            targetId: id,
            error: {
              _tag: 'Incomplete',
              sent: want.size,
              held: holding,
              missing: [],
            },
            reason: `piece ${i + 1} of ${ps.length}: ${r.ending.reason ?? 'not newer'} (the copy changed meanwhile); the next run sends what it lacks`,
          },
        }
      stored = r.stored
      lost ||= r.stored === undefined
      at = p.timestamp
    }
    if (stored !== undefined && !lost) return { copy: stored, at, pieces: ps.length }
    const again = await read(id, 'an edit answer was lost')
    return { ...again, at, pieces: ps.length }
  }

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
   * is what a sync key may do. Pieces of `pieces.size`, one second newer each. `undefined` when
   * the copy holds none of the event's attributes (nothing to lead with).
   */
  const anchoredEdits = async (
    id: string,
    copy: EventOf<T>,
    copyTimestamp: number,
    missing: ReadonlySet<string>,
  ): Promise<(Stage<T> & { readonly at?: number }) | undefined> => {
    const held = heldBy(copy)
    const anchor = liveAttributes(w.value as Parameters<typeof liveAttributes>[0]).find((a) => {
      const u = a.uuid?.toLowerCase()
      return u !== undefined && held.has(u) && !missing.has(u)
    })
    if (anchor === undefined) return undefined
    return send(
      id,
      onlyAttributes(w.value, missing),
      copyTimestamp,
      undefined,
      published(w.value),
      held.size,
      (piece, timestamp) =>
        ({
          ...piece,
          Attribute: [
            { ...anchor, timestamp: String(timestamp) },
            ...((piece as { Attribute?: ReadonlyArray<unknown> }).Attribute ?? []),
          ],
        }) as EventOf<T>,
    )
  }

  /** MISP 2.3: anchored edits, then `attributes/add` for whatever they did not store */
  const complete23Copy = async (
    id: string,
    copy: EventOf<T>,
    copyTimestamp: number,
    missing: ReadonlySet<string>,
  ): Promise<Stage<T>> => {
    const edited = await anchoredEdits(id, copy, copyTimestamp, missing)
    if (edited !== undefined && 'ending' in edited) return edited
    const now = edited === undefined ? copy : edited.copy
    const still = missingFrom(missing, heldBy(now))
    return still.size === 0 ? { copy: now } : addOneByOne(id, still)
  }

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
        ? await complete23Copy(id, copy, copyTimestamp, missing)
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
  if (!big) return settle(await write({ ...w, call: budget(total) }))

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

const published = (e: unknown): boolean => {
  const p = (e as { published?: unknown }).published
  return p === true || p === 1 || p === '1'
}
