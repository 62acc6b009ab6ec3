/**
 * What went wrong when a value did not decode as a MISP model: every problem, each with the
 * path where it sits, what was expected there and what was found.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * One problem: at `path` (e.g. `Event.Attribute[3].distribution`) a value of the named shape was
 * expected and `actual` was found (`undefined` when the field is missing).
 *
 * @category model
 * @since 0.1.0
 */
export interface DecodeProblem {
  readonly path: string
  readonly expected: string
  readonly actual: unknown
}

/**
 * A failed decode: data, never thrown.
 *
 * @category model
 * @since 0.1.0
 */
export interface DecodeFailure {
  readonly _tag: 'DecodeFailure'
  /** the model that was asked for, e.g. `V24.Event` */
  readonly model: string
  readonly problems: ReadonlyArray<DecodeProblem>
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * @category constructors
 * @since 0.1.0
 */
export const decodeFailure = (model: string, problems: ReadonlyArray<DecodeProblem>): DecodeFailure => ({
  _tag: 'DecodeFailure',
  model,
  problems,
})

const pathOf = (root: string, context: t.Context): string => {
  let path = root
  // context[0] is the root entry (key ''); each later entry is one step down
  for (let i = 1; i < context.length; i++) {
    const entry = context[i]!
    const parent = context[i - 1]!.actual
    path += Array.isArray(parent) ? `[${entry.key}]` : `.${entry.key}`
  }
  return path
}

/**
 * Turns io-ts validation errors into a {@link DecodeFailure}, naming each path from `root`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromErrors = (model: string, root: string, errors: t.Errors): DecodeFailure => {
  const seen = new Set<string>()
  const problems: Array<DecodeProblem> = []
  for (const e of errors) {
    const last = e.context[e.context.length - 1]
    const problem = {
      path: pathOf(root, e.context),
      expected: e.message ?? last?.type.name ?? 'unknown',
      actual: e.value,
    }
    const key = `${problem.path}\u0000${problem.expected}`
    if (!seen.has(key)) {
      seen.add(key)
      problems.push(problem)
    }
  }
  return decodeFailure(model, problems)
}

// ---------------------------------------------------------------------------------------------
// destructors
// ---------------------------------------------------------------------------------------------

/** How much of a value a problem line shows. */
const SHOWN = 80
/** How deep a shown value is followed (input may nest thousands of levels: JSON.parse accepts it). */
const SHOWN_DEPTH = 8

/**
 * A value as (the start of) its JSON, at most {@link SHOWN} characters: built piece by piece and
 * stopped once long enough, so a huge or deeply nested value costs nothing and never overflows
 * the stack (never `JSON.stringify` of the whole value).
 */
const show = (u: unknown): string => {
  if (u === undefined) return 'nothing (missing)'
  let out = ''
  const full = (): boolean => out.length > SHOWN
  const put = (x: string): void => {
    if (!full()) out += x
  }
  const walk = (v: unknown, depth: number): void => {
    if (full()) return
    if (v === null || typeof v === 'number' || typeof v === 'boolean') put(String(v))
    else if (typeof v === 'string') put(JSON.stringify(v.length > SHOWN ? v.slice(0, SHOWN + 1) : v))
    else if (typeof v === 'bigint') put(`${v}n`)
    else if (typeof v !== 'object') put(String(typeof v))
    else if (depth >= SHOWN_DEPTH) put('…')
    else if (Array.isArray(v)) {
      put('[')
      for (let i = 0; i < v.length && !full(); i++) {
        if (i > 0) put(',')
        walk(v[i], depth + 1)
      }
      put(']')
    } else {
      put('{')
      let first = true
      for (const k in v) {
        if (full()) break
        if (!Object.hasOwn(v, k)) continue
        if (!first) put(',')
        first = false
        put(`${JSON.stringify(k)}:`)
        walk((v as Record<string, unknown>)[k], depth + 1)
      }
      put('}')
    }
  }
  walk(u, 0)
  return out.length > SHOWN ? `${out.slice(0, SHOWN - 3)}...` : out
}

/**
 * One line per problem: `path: expected …, got …`.
 *
 * @category destructors
 * @since 0.1.0
 */
export const problemLines = (f: DecodeFailure): ReadonlyArray<string> =>
  f.problems.map((p) => `${p.path}: expected ${p.expected}, got ${show(p.actual)}`)

/**
 * Renders a decode failure for people.
 *
 * @example
 * formatDecodeFailure(f)
 * // 'not a valid V23.Event (1 problem):\n  Event.uuid: expected uuid, got nothing (missing)'
 *
 * @category destructors
 * @since 0.1.0
 */
export const formatDecodeFailure = (f: DecodeFailure): string => {
  const n = f.problems.length
  return [
    `not a valid ${f.model} (${n} problem${n === 1 ? '' : 's'}):`,
    ...problemLines(f).map((l) => `  ${l}`),
  ].join('\n')
}
