/**
 * A big event in pieces: its attributes (objects whole) in groups of about `size`, each piece a
 * copy of the event's own fields with one group; the time budget a write of a given size gets;
 * and the attribute uuids a copy should hold.
 *
 * A piece carries a timestamp below the event's own, and `published: false`: a copy that holds
 * only some pieces never looks as new as the source, and is never published while short (the
 * write's last step sets the real timestamp and published state, once the copy is whole).
 *
 * @internal
 */
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { liveAttributes } from './mirror.js'

/** How big events are written (the connector's `pieces` option, resolved). */
export interface PiecePolicy {
  /** an event with more live attributes than this is written in pieces */
  readonly threshold: number
  /** attributes per piece (an object is never split: a piece may exceed this by one object) */
  readonly size: number
  /** the time budget of a write: `baseMs` plus `msPerAttribute` for each attribute the target holds after it */
  readonly baseMs: number
  readonly msPerAttribute: number
  /** MISP 2.3: attribute adds in flight at once while completing a copy */
  readonly parallelAdds: number
}

/** Pieces above 10,000 attributes, 10,000 per piece; 5 min plus 4 ms per attribute (measured, docs/performance.md). */
export const defaultPiecePolicy: PiecePolicy = {
  threshold: 10_000,
  size: 10_000,
  baseMs: 300_000,
  msPerAttribute: 4,
  parallelAdds: 4,
}

const positive = (n: unknown, fallback: number, min = 1): number =>
  typeof n === 'number' && Number.isFinite(n) && n >= min ? Math.floor(n) : fallback

/** The policy from the user's partial one (bad values fall back to the defaults). */
export const resolvePieces = (p: Partial<PiecePolicy> | undefined): PiecePolicy => ({
  threshold: positive(p?.threshold, defaultPiecePolicy.threshold),
  size: positive(p?.size, defaultPiecePolicy.size),
  baseMs: positive(p?.baseMs, defaultPiecePolicy.baseMs),
  msPerAttribute: positive(p?.msPerAttribute, defaultPiecePolicy.msPerAttribute, 0),
  parallelAdds: Math.min(16, positive(p?.parallelAdds, defaultPiecePolicy.parallelAdds)),
})

/** The budget of a write after which the target's copy holds `holding` attributes. */
export const writeBudget = (policy: PiecePolicy, holding: number, clientBudget: number): number =>
  Math.max(clientBudget, policy.baseMs + policy.msPerAttribute * holding)

type Wire = Record<string, unknown> & {
  readonly Attribute?: ReadonlyArray<{ readonly uuid?: string }>
  readonly Object?: ReadonlyArray<{ readonly Attribute?: ReadonlyArray<unknown>; readonly deleted?: unknown }>
}

/** The lower-case uuids of an event's live attributes (objects' included). */
export const attributeUuids = <T extends ApiVersion>(e: EventOf<T>): ReadonlySet<string> =>
  new Set(
    liveAttributes(e as Parameters<typeof liveAttributes>[0]).flatMap((a) =>
      a.uuid === undefined ? [] : [a.uuid.toLowerCase()],
    ),
  )

/** How many live attributes an event carries (objects' included). */
export const attributeTotal = <T extends ApiVersion>(e: EventOf<T>): number =>
  liveAttributes(e as Parameters<typeof liveAttributes>[0]).length

/**
 * The event with only the attributes (and objects) whose uuids `keep` holds: what a completion
 * sends. An object is kept whole when any of its attributes is missing (MISP matches an object's
 * attributes by uuid, so the ones there stay as they are).
 */
export const onlyAttributes = <T extends ApiVersion>(
  e: EventOf<T>,
  keep: ReadonlySet<string>,
): EventOf<T> => {
  const w = e as unknown as Wire
  const has = (a: unknown): boolean => {
    const u = (a as { uuid?: unknown }).uuid
    return typeof u === 'string' && keep.has(u.toLowerCase())
  }
  return {
    ...w,
    Attribute: (w.Attribute ?? []).filter(has),
    ...(w.Object === undefined ? {} : { Object: w.Object.filter((o) => (o.Attribute ?? []).some(has)) }),
  } as unknown as EventOf<T>
}

/** The event's attribute groups: top-level attributes, then objects (whole), about `size` each. */
const groups = (w: Wire, size: number): ReadonlyArray<{ Attribute: unknown[]; Object: unknown[] }> => {
  const out: Array<{ Attribute: unknown[]; Object: unknown[]; n: number }> = []
  let cur = { Attribute: [] as unknown[], Object: [] as unknown[], n: 0 }
  const push = (n: number): void => {
    if (cur.n > 0 && cur.n + n > size) {
      out.push(cur)
      cur = { Attribute: [], Object: [], n: 0 }
    }
    cur.n += n
  }
  for (const a of w.Attribute ?? []) {
    push(1)
    cur.Attribute.push(a)
  }
  for (const o of w.Object ?? []) {
    push(Math.max(1, (o.Attribute ?? []).length))
    cur.Object.push(o)
  }
  if (cur.n > 0) out.push(cur)
  return out
}

/**
 * The event split into pieces of about `size` attributes, each with its own timestamp:
 * consecutive seconds ending at `last` (each edit must be newer than the copy). At most
 * `room` pieces (the seconds free between the copy's timestamp and `last`): with less room the
 * pieces grow. Every piece carries the event's own fields, `published: false`.
 */
export const piecesOf = <T extends ApiVersion>(
  e: EventOf<T>,
  size: number,
  last: number,
  room: number,
): ReadonlyArray<{ readonly event: EventOf<T>; readonly timestamp: number; readonly attributes: number }> => {
  const w = e as unknown as Wire
  let gs = groups(w, size)
  if (gs.length > room && room >= 1) gs = groups(w, Math.ceil(attributeTotal(e) / room) + 1)
  const first = last - gs.length + 1
  return gs.map((g, i) => ({
    event: {
      ...w,
      Attribute: g.Attribute,
      ...(w.Object === undefined ? {} : { Object: g.Object }),
      timestamp: String(first + i),
      published: false,
    } as unknown as EventOf<T>,
    timestamp: first + i,
    attributes:
      g.Attribute.length + g.Object.reduce<number>((s, o) => s + ((o as Wire).Attribute?.length ?? 0), 0),
  }))
}

/** The event's own fields only (no attributes, no objects), with `timestamp`: the final edit. */
export const headOnly = <T extends ApiVersion>(e: EventOf<T>, timestamp: number): EventOf<T> => {
  const w = e as unknown as Wire
  return {
    ...w,
    Attribute: [],
    ...(w.Object === undefined ? {} : { Object: [] }),
    timestamp: String(timestamp),
  } as unknown as EventOf<T>
}
