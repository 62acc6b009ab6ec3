/**
 * Wire codecs: the small io-ts building blocks every MISP model is made of.
 *
 * MISP servers differ in the JSON types they send for the same field (strings in PHP 7 MISP,
 * numbers in a PHP 8 MISP 2.5 without `PDO::ATTR_STRINGIFY_FETCHES`; booleans as `true`, `1` or
 * `"1"`), so every codec here **decodes leniently** into the **canonical wire form** of MISP
 * (ids, counters, timestamps and levels as decimal strings, flags as booleans, see
 * `XMLConverterTool.php@v2.4.0:27-41`) and **encodes as the identity**. A value that is already canonical
 * decodes to itself, without a copy: that is what keeps decoding fast and a decode → encode
 * round trip faithful.
 *
 * Records are open: fields a model does not know are kept untouched by decode and encode (they
 * are reported by the conversions, never dropped silently).
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { described, isPlainRecord, type WireC } from './shape.js'

export * from './combinators.js'
export { type AnyWireC, type Shape, shapeOf, type WireC, type WireProps } from './shape.js'

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
