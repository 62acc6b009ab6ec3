/**
 * The steps the whole write is made of, shared by its general part (`whole.ts`) and its MISP 2.3
 * part (`whole23.ts`): reading the copy, sending attributes as edits in pieces, and saying what a
 * copy still lacks. See `whole.ts` for the whole.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { liveAttributes } from './mirror.js'
import { attributeTotal, attributeUuids, type PiecePolicy, piecesOf, writeBudget } from './pieces.js'
import { type Ending, flag } from './spec.js'
import { type WriteInput, write } from './write.js'

/** What the whole write needs beyond the single write's input. */
export interface WholeInput<T extends ApiVersion> extends WriteInput<T> {
  readonly pieces: PiecePolicy
  /** check a copy the write leaves `unchanged` (a full run, or an event from the retry set) */
  readonly check: boolean
  /** the copy's live attribute count as the run's index read shows it, when it does */
  readonly counted: number | undefined
}

const SAMPLE = 10

/** A step's result: the copy as it is now, or how the event ends. */
export type Stage<T extends ApiVersion> = { readonly copy: EventOf<T> } | { readonly ending: Ending }

/** The live attribute uuids of a copy, with their timestamps. */
export const heldBy = <T extends ApiVersion>(copy: EventOf<T>): ReadonlyMap<string, number> =>
  new Map(
    liveAttributes(copy as Parameters<typeof liveAttributes>[0]).flatMap((a) =>
      a.uuid === undefined
        ? []
        : [[a.uuid.toLowerCase(), Number((a as { timestamp?: unknown }).timestamp ?? 0)] as const],
    ),
  )

/** The uuids of `want` that `held` lacks. */
export const missingFrom = (
  want: ReadonlySet<string>,
  held: ReadonlyMap<string, number>,
): ReadonlySet<string> => new Set([...want].filter((u) => !held.has(u)))

/** Whether an event is published (MISP's booleans in every era). */
export const published = (e: unknown): boolean => flag((e as { published?: unknown }).published) === true

/** The steps of one whole write (see the module's comment). */
export const wholeSteps = <T extends ApiVersion>(w: WholeInput<T>) => {
  const total = attributeTotal(w.value)
  const budget = (holding: number): CallOptions => ({
    ...w.call,
    timeout: writeBudget(w.pieces, holding, w.to.timeouts.event),
  })
  const want = attributeUuids(w.value)

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

  return { total, want, budget, read, incomplete, send }
}

/** The steps of one whole write. */
export type WholeSteps<T extends ApiVersion> = ReturnType<typeof wholeSteps<T>>
