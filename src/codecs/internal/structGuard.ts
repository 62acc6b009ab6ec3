/**
 * The guard of a wire struct, generated from its field list (see `generate.ts`): it runs for
 * every object of every event decoded.
 */
import { generate, literal } from './generate.js'

/**
 * The guard of a struct: `keys[i]` must pass `guards[i]`, where the first `required` keys must be
 * present and the others may be absent. Generated with the keys written out (see
 * `generate.ts`), or, where that is refused or `loop` is set, a loop over them.
 *
 * @internal
 */
export const structGuard = (
  keys: ReadonlyArray<string>,
  guards: ReadonlyArray<(u: unknown) => boolean>,
  required: number,
  loop = false,
): ((u: unknown) => boolean) => {
  const n = keys.length
  const generated = loop
    ? undefined
    : generate<(u: unknown) => boolean>(
        guards.map((_, i) => `g${i}`),
        `return function is(u) {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false
  let v
${keys
  .map((k, i) =>
    i < required
      ? `  if (!g${i}(u[${literal(k)}])) return false`
      : `  v = u[${literal(k)}]\n  if (v !== undefined && !g${i}(v)) return false`,
  )
  .join('\n')}
  return true
}`,
        guards,
      )
  return (
    generated ??
    ((u) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return false
      for (let i = 0; i < n; i++) {
        const v = (u as Record<string, unknown>)[keys[i]!]
        if (v === undefined ? i < required && !guards[i]!(v) : !guards[i]!(v)) return false
      }
      return true
    })
  )
}
