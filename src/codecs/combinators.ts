/**
 * Wire combinators: `nullable`, `orEmpty`, `wireArray`, `wireStruct` (open records whose unknown
 * fields are kept), `either`. Exported by `wire.ts`.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { structGuard } from './internal/structGuard.js'
import { described, isPlainRecord, type WireC, type WireProps } from './shape.js'

// ---------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------

/**
 * `null` or `A`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const nullable = <A>(codec: WireC<A>): WireC<A | null> =>
  described(
    new t.Type<A | null, A | null, unknown>(
      `${codec.name} | null`,
      (u): u is A | null => u === null || codec.is(u),
      (u, c) => (u === null ? t.success(null) : codec.validate(u, c)),
      t.identity,
    ),
    { kind: 'nullable', inner: codec },
  )

/**
 * The empty JSON array `[]`, which PHP emits for an empty associative array (e.g. an attribute's
 * `SharingGroup: []`, `XMLConverterTool.php@v2.4.0:27-41`).
 *
 * @category combinators
 * @since 0.1.0
 */
export type EmptyArray = readonly []

/**
 * `A`, or `[]` where PHP serialised an empty object as an empty array. `[]` is kept (so the
 * round trip is faithful) and means "absent" to the conversions.
 *
 * @category combinators
 * @since 0.1.0
 */
export const orEmpty = <A>(codec: WireC<A>): WireC<A | EmptyArray> => {
  const isEmpty = (u: unknown): u is EmptyArray => Array.isArray(u) && u.length === 0
  return described(
    new t.Type<A | EmptyArray, A | EmptyArray, unknown>(
      `${codec.name} | []`,
      (u): u is A | EmptyArray => isEmpty(u) || codec.is(u),
      (u, c) => (isEmpty(u) ? t.success(u) : codec.validate(u, c)),
      t.identity,
    ),
    { kind: 'orEmpty', inner: codec },
  )
}

/**
 * Whether a value is the `[]` that stands for an absent object.
 *
 * @category utils
 * @since 0.1.0
 */
export const isEmptyArray = (u: unknown): u is EmptyArray => Array.isArray(u) && u.length === 0

/**
 * An array codec that, like the rest, returns its input untouched when every element is
 * canonical, and otherwise copies only what changed.
 *
 * @category combinators
 * @since 0.1.0
 */
export interface WireArrayC<A> extends WireC<ReadonlyArray<A>> {
  readonly item: WireC<A>
}

/**
 * @category combinators
 * @since 0.1.0
 */
export const wireArray = <A>(item: WireC<A>, name = `Array<${item.name}>`): WireArrayC<A> => {
  const is = (u: unknown): u is ReadonlyArray<A> => {
    if (!Array.isArray(u)) return false
    for (let i = 0; i < u.length; i++) if (!item.is(u[i])) return false
    return true
  }
  const codec = new t.Type<ReadonlyArray<A>, ReadonlyArray<A>, unknown>(
    name,
    is,
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c)
      const errors: t.Errors = []
      let out: Array<unknown> | undefined
      for (let i = 0; i < u.length; i++) {
        const v: unknown = u[i]
        if (item.is(v)) continue // canonical: nothing to do, no context to allocate
        const r = item.validate(v, t.appendContext(c, String(i), item, v))
        if (r._tag === 'Left') errors.push(...r.left)
        else if (r.right !== v) {
          out ??= u.slice()
          out[i] = r.right
        }
      }
      return errors.length > 0 ? t.failures(errors) : t.success((out ?? u) as ReadonlyArray<A>)
    },
    t.identity,
  )
  return described(Object.assign(codec, { item }), { kind: 'array', item })
}

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/**
 * The decoded type of a wire struct: required fields, optional fields (absent, never
 * `undefined`).
 *
 * @category combinators
 * @since 0.1.0
 */
export type StructOf<R extends WireProps, O extends WireProps> = Simplify<
  { readonly [K in keyof R]: t.TypeOf<R[K]> } & { readonly [K in keyof O]?: t.TypeOf<O[K]> }
>

/**
 * A MISP object codec: known fields are checked (required ones must be present), unknown fields
 * are kept, canonical input is returned as is. Exposes its field lists so that conversions,
 * generators and docs are derived from the model itself.
 *
 * @category combinators
 * @since 0.1.0
 */
export interface WireStructC<R extends WireProps, O extends WireProps> extends WireC<StructOf<R, O>> {
  readonly required: R
  readonly optional: O
  /** Every field the model knows, required and optional. */
  readonly known: ReadonlySet<string>
}

/**
 * Builds a {@link WireStructC}.
 *
 * @example
 * const Org = wireStruct('V24.Org', { name: Str }, { id: NumericString, uuid: Uuid })
 * Org.decode({ name: 'CIRCL', id: 1, extra: true }) // right({ name: 'CIRCL', id: '1', extra: true })
 *
 * @category combinators
 * @since 0.1.0
 */
export const wireStruct = <R extends WireProps, O extends WireProps>(
  name: string,
  required: R,
  optional: O,
): WireStructC<R, O> => {
  const req = Object.entries(required)
  const opt = Object.entries(optional)
  const fields = [...req, ...opt]
  const is = structGuard(
    fields.map(([k]) => k),
    fields.map(([, c]) => c.is),
    req.length,
  ) as (u: unknown) => u is StructOf<R, O>
  const codec = new t.Type<StructOf<R, O>, StructOf<R, O>, unknown>(
    name,
    is,
    (u, c) => {
      if (!isPlainRecord(u)) return t.failure(u, c)
      const errors: t.Errors = []
      let out: Record<string, unknown> | undefined
      const check = (k: string, codec: WireC<unknown>, v: unknown) => {
        if (codec.is(v)) return // canonical: nothing to do, no context to allocate
        const r = codec.validate(v, t.appendContext(c, k, codec, v))
        if (r._tag === 'Left') errors.push(...r.left)
        else if (r.right !== v) {
          out ??= { ...u }
          out[k] = r.right
        }
      }
      for (const [k, codec] of req) check(k, codec, u[k])
      for (const [k, codec] of opt) {
        const v = u[k]
        if (v !== undefined) check(k, codec, v)
      }
      return errors.length > 0 ? t.failures(errors) : t.success((out ?? u) as StructOf<R, O>)
    },
    t.identity,
  )
  return described(
    Object.assign(codec, {
      required,
      optional,
      known: new Set([...Object.keys(required), ...Object.keys(optional)]),
    }),
    { kind: 'struct', required, optional },
  )
}

/**
 * The fields of a record that its model does not know (kept by decode, reported by conversions).
 *
 * @category utils
 * @since 0.1.0
 */
export const unknownFields = (
  codec: { readonly known: ReadonlySet<string> },
  value: object,
): Array<[string, unknown]> => {
  const out: Array<[string, unknown]> = []
  for (const k in value) {
    if (!codec.known.has(k)) out.push([k, (value as Record<string, unknown>)[k]])
  }
  return out
}

/**
 * `A | B`: the first codec whose guard or decoder accepts the value wins.
 *
 * @category combinators
 * @since 0.1.0
 */
export const either = <A, B>(a: WireC<A>, b: WireC<B>, name = `${a.name} | ${b.name}`): WireC<A | B> =>
  described(
    new t.Type<A | B, A | B, unknown>(
      name,
      (u): u is A | B => a.is(u) || b.is(u),
      (u, c) => {
        if (a.is(u) || b.is(u)) return t.success(u)
        const ra = a.validate(u, c)
        if (ra._tag === 'Right') return ra
        const rb = b.validate(u, c)
        return rb._tag === 'Right' ? rb : t.failure(u, c)
      },
      t.identity,
    ),
    { kind: 'either', members: [a, b] },
  )
