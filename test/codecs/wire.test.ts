import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import * as _ from '../../src/codecs/wire.js'
import { decodeWith } from '../../src/decode.js'

describe('leaf codecs decode leniently into the canonical wire form', () => {
  test('NumericString: digit strings and non-negative safe integers → string', () => {
    expect(_.NumericString.decode('42')).toEqual(E.right('42'))
    expect(_.NumericString.decode(42)).toEqual(E.right('42'))
    expect(_.NumericString.decode(0)).toEqual(E.right('0'))
    for (const bad of [-1, 1.5, '4x', '', ' 4', null, true, Number.MAX_SAFE_INTEGER + 2])
      expect(E.isLeft(_.NumericString.decode(bad))).toBe(true)
  })

  test('Flag: true/false, 0/1, "0"/"1" → boolean; anything else fails', () => {
    expect([true, 1, '1'].map((u) => _.Flag.decode(u))).toEqual([E.right(true), E.right(true), E.right(true)])
    expect([false, 0, '0'].map((u) => _.Flag.decode(u))).toEqual([
      E.right(false),
      E.right(false),
      E.right(false),
    ])
    for (const bad of ['true', 2, null, '', 'yes']) expect(E.isLeft(_.Flag.decode(bad))).toBe(true)
  })

  test('Level: the listed strings, or the same integers', () => {
    const L = _.Level('L', ['0', '1', '2'])
    expect(L.decode(2)).toEqual(E.right('2'))
    expect(L.decode('1')).toEqual(E.right('1'))
    expect(E.isLeft(L.decode('3'))).toBe(true)
    expect(E.isLeft(L.decode(1.0000001))).toBe(true)
  })

  test('Uuid: 8-4-4-4-12 hexadecimal, case kept', () => {
    expect(_.Uuid.decode('5A4C0C79-5CF4-4B2E-9D6C-7A2F950D210F')).toEqual(
      E.right('5A4C0C79-5CF4-4B2E-9D6C-7A2F950D210F'),
    )
    expect(E.isLeft(_.Uuid.decode('a'))).toBe(true)
  })

  test('orEmpty: [] is kept as [] (PHP’s empty object)', () => {
    const S = _.orEmpty(_.wireStruct('S', { a: _.Str }, {}))
    expect(S.decode([])).toEqual(E.right([]))
    expect(S.decode({ a: 'x' })).toEqual(E.right({ a: 'x' }))
    expect(E.isLeft(S.decode([1]))).toBe(true)
  })
})

describe('wireStruct', () => {
  const S = _.wireStruct('S', { id: _.NumericString }, { on: _.Flag, note: _.Str })

  test('canonical input is returned as is (no copy), encode is the identity', () => {
    const u = { id: '1', on: true, extra: { keep: 'me' } }
    const r = S.decode(u)
    expect(E.isRight(r) && r.right).toBe(u)
    expect(S.encode(u as never)).toBe(u)
  })

  test('lenient input is copied once, unknown fields kept', () => {
    const u = { id: 1, on: '0', extra: [1] }
    expect(S.decode(u)).toEqual(E.right({ id: '1', on: false, extra: [1] }))
    expect(u.id).toBe(1) // the input is not mutated
  })

  test('every problem is reported with its path', () => {
    const r = decodeWith(_.wireArray(S), 'Rows')([{ on: 'x' }, { id: 'y', note: 3 }])
    expect(E.isLeft(r) && r.left.problems.map((p) => p.path)).toEqual([
      'Rows[0].id',
      'Rows[0].on',
      'Rows[1].id',
      'Rows[1].note',
    ])
  })

  test('known and unknown fields', () => {
    expect([...S.known].sort()).toEqual(['id', 'note', 'on'])
    expect(_.unknownFields(S, { id: '1', zz: 2 })).toEqual([['zz', 2]])
  })
})
