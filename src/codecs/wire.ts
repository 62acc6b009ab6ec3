/**
 * Wire codecs: the small io-ts building blocks every MISP model is made of.
 *
 * MISP servers differ in the JSON types they send for the same field (strings in PHP 7 MISP,
 * numbers in a PHP 8 MISP 2.5 without `PDO::ATTR_STRINGIFY_FETCHES`; booleans as `true`, `1` or
 * `"1"`), so every codec here **decodes leniently** into the **canonical wire form** of MISP
 * (ids, counters, timestamps and levels as decimal strings, flags as booleans, see
 * misp-versions.md §2.4) and **encodes as the identity**. A value that is already canonical
 * decodes to itself, without a copy: that is what keeps decoding fast and a decode → encode
 * round trip faithful.
 *
 * Records are open: fields a model does not know are kept untouched by decode and encode (they
 * are reported by the conversions, never dropped silently).
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { structGuard } from './internal/structGuard.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * A codec whose decoded value is the canonical wire value, so that `encode` is the identity.
 *
 * @category model
 * @since 0.1.0
 */
export type WireC<A> = t.Type<A, A, unknown>

/**
 * A wire codec of any decoded type.
 *
 * @category model
 * @since 0.1.0
 */
// biome-ignore lint/suspicious/noExplicitAny: a codec of any decoded type (WireC is invariant in A)
export type AnyWireC = WireC<any>

/**
 * The shape of a wire codec, for code that walks models generically (test generators, docs).
 *
 * @category model
 * @since 0.1.0
 */
export type Shape =
  | { readonly kind: 'leaf'; readonly name: string }
  | { readonly kind: 'level'; readonly levels: ReadonlyArray<string> }
  | { readonly kind: 'nullable'; readonly inner: AnyWireC }
  | { readonly kind: 'orEmpty'; readonly inner: AnyWireC }
  | { readonly kind: 'either'; readonly members: readonly [AnyWireC, AnyWireC] }
  | { readonly kind: 'array'; readonly item: AnyWireC }
  | { readonly kind: 'struct'; readonly required: WireProps; readonly optional: WireProps }

const shapes = new WeakMap<object, Shape>()
const described = <C extends object>(codec: C, shape: Shape): C => {
  shapes.set(codec, shape)
  return codec
}

/**
 * The {@link Shape} of a codec built by this module.
 *
 * @category model
 * @since 0.1.0
 */
export const shapeOf = (codec: AnyWireC): Shape => shapes.get(codec) ?? { kind: 'leaf', name: codec.name }

const isPlainRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

// ---------------------------------------------------------------------------------------------
// leaves
// ---------------------------------------------------------------------------------------------

/** `/^\d+$/` without a regular expression call: this runs for every id and timestamp. */
const isDigits = (s: string): boolean => {
  const n = s.length
  if (n === 0) return false
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/**
 * A non-negative integer in MISP's canonical wire form, a decimal string (`"42"`). Decodes a
 * decimal string or a non-negative safe integer (MISP 2.5 on PHP 8 can send `42`).
 *
 * @example
 * NumericString.decode(42)   // right('42')
 * NumericString.decode('42') // right('42')
 * NumericString.decode('4x') // left(…)
 *
 * @category leaves
 * @since 0.1.0
 */
export const NumericString: WireC<string> = new t.Type<string, string, unknown>(
  'NumericString',
  (u): u is string => typeof u === 'string' && isDigits(u),
  (u, c) =>
    typeof u === 'string'
      ? isDigits(u)
        ? t.success(u)
        : t.failure(u, c)
      : typeof u === 'number' && Number.isSafeInteger(u) && u >= 0
        ? t.success(String(u))
        : t.failure(u, c),
  t.identity,
)

/**
 * A MISP flag in its canonical wire form, a JSON boolean. Decodes `true/false`, `1/0` and
 * `"1"/"0"` — the inputs CakePHP's `boolean` validation rule accepts.
 *
 * @category leaves
 * @since 0.1.0
 */
export const Flag: WireC<boolean> = new t.Type<boolean, boolean, unknown>(
  'Flag',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => {
    if (typeof u === 'boolean') return t.success(u)
    if (u === 1 || u === '1') return t.success(true)
    if (u === 0 || u === '0') return t.success(false)
    return t.failure(u, c)
  },
  t.identity,
)

/**
 * A plain JSON string, kept as is.
 *
 * @category leaves
 * @since 0.1.0
 */
export const Str: WireC<string> = new t.Type<string, string, unknown>(
  'string',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
  t.identity,
)

/**
 * A MISP value field. MISP stores values as text, but clients (and MISP 2.5 on PHP 8 for
 * numeric-looking values) may send a JSON number; it decodes to its decimal string.
 *
 * @category leaves
 * @since 0.1.0
 */
export const ValueString: WireC<string> = new t.Type<string, string, unknown>(
  'string',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string'
      ? t.success(u)
      : typeof u === 'number' && Number.isFinite(u)
        ? t.success(String(u))
        : t.failure(u, c),
  t.identity,
)

/**
 * `/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i` without a regular
 * expression call: this runs for every event, attribute and object.
 */
const isUuid = (s: string): boolean => {
  if (s.length !== 36) return false
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i)
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false
  }
  return true
}

/**
 * A UUID (`8-4-4-4-12` hexadecimal), the key that identifies an event or attribute across
 * servers. Case is kept as sent.
 *
 * @category leaves
 * @since 0.1.0
 */
export const Uuid: WireC<string> = new t.Type<string, string, unknown>(
  'uuid',
  (u): u is string => typeof u === 'string' && isUuid(u),
  (u, c) => (typeof u === 'string' && isUuid(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
)

/**
 * An enumeration of small integers in canonical wire form (`"0"`…`"5"`): distribution levels,
 * threat levels, analysis states. Decodes the string or the integer.
 *
 * @example
 * const Analysis = Level('Analysis', ['0', '1', '2'])
 * Analysis.decode(2) // right('2')
 * Analysis.decode('7') // left(…)
 *
 * @category leaves
 * @since 0.1.0
 */
export const Level = <const L extends string>(name: string, levels: ReadonlyArray<L>): WireC<L> => {
  const set: ReadonlySet<string> = new Set(levels)
  const is = (u: unknown): u is L => typeof u === 'string' && set.has(u)
  return described(
    new t.Type<L, L, unknown>(
      name,
      is,
      (u, c) => {
        if (is(u)) return t.success(u)
        if (typeof u === 'number' && Number.isInteger(u) && set.has(String(u)))
          return t.success(String(u) as L)
        return t.failure(u, c)
      },
      t.identity,
    ),
    { kind: 'level', levels },
  )
}

/**
 * Any JSON value, kept as is (for content the models do not interpret, e.g. galaxy `meta`).
 *
 * @category leaves
 * @since 0.1.0
 */
export const Json: WireC<unknown> = new t.Type<unknown, unknown, unknown>(
  'unknown',
  (_): _ is unknown => true,
  t.success,
  t.identity,
)

/**
 * An open JSON object, kept as is (for sub-objects the models do not interpret).
 *
 * @category leaves
 * @since 0.1.0
 */
export const OpenRecord: WireC<Readonly<Record<string, unknown>>> = new t.Type<
  Readonly<Record<string, unknown>>,
  Readonly<Record<string, unknown>>,
  unknown
>('object', isPlainRecord, (u, c) => (isPlainRecord(u) ? t.success(u) : t.failure(u, c)), t.identity)

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
 * `SharingGroup: []`, misp-versions.md §2.4).
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
 * Props of a wire struct: field name → codec.
 *
 * @category combinators
 * @since 0.1.0
 */
export type WireProps = Readonly<Record<string, AnyWireC>>

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
