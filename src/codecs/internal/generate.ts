/**
 * Specialised functions generated from a model's own field list. A loop over field names reads
 * `u[k]` with a different `k` each time, which V8 can only do through its slowest (megamorphic)
 * path; a function with the field names written out reads `u["uuid"]` through inline caches and
 * calls each field's check directly, about twice as fast on a large event. The names come from the
 * models and tables of this package, never from the data, and are written as JSON string literals.
 *
 * Where code generation from strings is disallowed (`node --disallow-code-generation-from-strings`,
 * a strict CSP), {@link generate} returns `undefined` and callers use their loop.
 */

/** A JavaScript string literal for `s`. */
export const literal = (s: string): string => JSON.stringify(s)

/**
 * `new Function(...names, body)(...values)`, or `undefined` when the runtime refuses to compile
 * code from a string.
 */
export const generate = <F>(
  names: ReadonlyArray<string>,
  body: string,
  values: ReadonlyArray<unknown>,
): F | undefined => {
  try {
    return new Function(...names, body)(...values) as F
  } catch {
    return undefined
  }
}
