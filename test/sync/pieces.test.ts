/**
 * Laws of the big-event pieces (issue 15): every live attribute goes in exactly one piece, objects
 * whole; piece timestamps are consecutive seconds ending at `last`, all unpublished; pieces keep
 * to their size (one object may overflow it) and to the room between the copy and the source; the
 * policy's bounds.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  attributeTotal,
  defaultPiecePolicy,
  piecesOf,
  resolvePieces,
  writeBudget,
} from '../../src/sync/internal/pieces.js'

const attr = (i: number) => ({ uuid: `a-${i}`, type: 'ip-dst', value: `10.0.${i >> 8}.${i & 255}` })

/** an event of `n` top-level attributes and objects of the given sizes (uuids unique) */
const eventOf = (n: number, objects: ReadonlyArray<number>) => {
  let k = n
  return {
    uuid: 'e',
    info: 'x',
    timestamp: '1700000100',
    published: true,
    Attribute: Array.from({ length: n }, (_, i) => attr(i)),
    Object: objects.map((m, o) => ({
      uuid: `o-${o}`,
      name: 'domain-ip',
      Attribute: Array.from({ length: m }, () => attr(k++)),
    })),
  }
}

type Piece = ReturnType<typeof piecesOf<'2.4'>>[number]
const uuidsIn = (p: Piece): Array<string> => {
  const e = p.event as unknown as {
    Attribute: Array<{ uuid: string }>
    Object?: Array<{ Attribute: Array<{ uuid: string }> }>
  }
  return [...e.Attribute, ...(e.Object ?? []).flatMap((o) => o.Attribute)].map((a) => a.uuid)
}

const shapes = fc.record({
  n: fc.integer({ min: 0, max: 300 }),
  objects: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }),
  size: fc.integer({ min: 1, max: 120 }),
  room: fc.integer({ min: 1, max: 400 }),
})

describe('piecesOf', () => {
  test('every attribute in exactly one piece, every object whole and in one piece', () => {
    fc.assert(
      fc.property(shapes, ({ n, objects, size, room }) => {
        const e = eventOf(n, objects) as never
        const ps = piecesOf<'2.4'>(e, size, 1700000099, room)
        const all = ps.flatMap(uuidsIn)
        expect(all.length).toBe(attributeTotal<'2.4'>(e))
        expect(new Set(all).size).toBe(all.length)
        const objectIds = ps.flatMap((p) =>
          ((p.event as unknown as { Object?: Array<{ uuid: string }> }).Object ?? []).map((o) => o.uuid),
        )
        expect(objectIds.sort()).toEqual(objects.map((_, o) => `o-${o}`).sort())
        for (const p of ps) expect(p.attributes).toBe(uuidsIn(p).length)
      }),
    )
  })

  test('consecutive seconds ending at `last`, all unpublished, the event fields kept', () => {
    fc.assert(
      fc.property(shapes, ({ n, objects, size, room }) => {
        const ps = piecesOf<'2.4'>(eventOf(n, objects) as never, size, 1700000099, room)
        ps.forEach((p, i) => {
          expect(p.timestamp).toBe(1700000099 - (ps.length - 1) + i)
          const ev = p.event as unknown as Record<string, unknown>
          expect(ev['timestamp']).toBe(String(p.timestamp))
          expect(ev['published']).toBe(false)
          expect(ev['uuid']).toBe('e')
          expect(ev['info']).toBe('x')
        })
      }),
    )
  })

  test('a piece keeps to its size unless one object alone overflows it; with room to spare, no more pieces than room', () => {
    fc.assert(
      fc.property(shapes, ({ n, objects, size, room }) => {
        const e = eventOf(n, objects) as never
        const ps = piecesOf<'2.4'>(e, size, 1700000099, room)
        const natural = piecesOf<'2.4'>(e, size, 1700000099, Number.MAX_SAFE_INTEGER)
        if (natural.length <= room) {
          expect(ps).toEqual(natural)
          for (const p of ps) {
            const objs = (p.event as unknown as { Object?: Array<unknown> }).Object ?? []
            if (p.attributes > size) expect(objs.length).toBeGreaterThan(0)
          }
        }
        // top-level attributes only: regrouped to fit the room
        if (objects.length === 0) expect(ps.length).toBeLessThanOrEqual(Math.max(room, 1))
      }),
    )
  })
})

describe('the policy', () => {
  test('defaults, and bad values fall back; parallelAdds is 1–16', () => {
    expect(resolvePieces(undefined)).toEqual(defaultPiecePolicy)
    expect(resolvePieces({ threshold: -1, size: Number.NaN, baseMs: 0 })).toEqual(defaultPiecePolicy)
    expect(resolvePieces({ parallelAdds: 64 }).parallelAdds).toBe(16)
    expect(resolvePieces({ parallelAdds: 0 }).parallelAdds).toBe(defaultPiecePolicy.parallelAdds)
    expect(resolvePieces({ parallelAdds: 2.7 }).parallelAdds).toBe(2)
    expect(resolvePieces({ msPerAttribute: 0 }).msPerAttribute).toBe(0)
  })

  test('a write budget grows with what the copy holds, never below the client budget', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.nat({ max: 10_000_000 }), (holding, client) => {
        const b = writeBudget(defaultPiecePolicy, holding, client)
        expect(b).toBeGreaterThanOrEqual(client)
        expect(b).toBeGreaterThanOrEqual(
          defaultPiecePolicy.baseMs + defaultPiecePolicy.msPerAttribute * holding,
        )
        expect(writeBudget(defaultPiecePolicy, holding + 1, client)).toBeGreaterThanOrEqual(b)
      }),
    )
  })
})
