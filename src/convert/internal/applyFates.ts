/**
 * The one mechanism both directions use to walk a source object's fields through a fate table:
 * copies what is `copied`, leaves `converted` fields to the caller, leaves out silently what the
 * target assigns or recomputes itself, and reports every other field that still carries
 * information (including fields the table does not know) in `FieldsDropped` losses grouped by
 * reason.
 *
 * Each table is compiled once into a function with its field names written out (see
 * `codecs/internal/generate.ts`): this runs for every attribute of every event. Where code
 * generation is refused, the same plan is followed by a loop over the table's fields.
 */
import { generate, literal } from '../../codecs/internal/generate.js'
import { carriesNothing, type FieldFate, fateOf, impliedOf, isNotALoss } from '../fieldFates.js'
import type { DropReason, Loss } from '../Loss.js'

type Table = Readonly<Record<string, FieldFate>>

/** reason → field → value */
type Dropped = Partial<Record<DropReason, Record<string, unknown>>>

/**
 * Copies into `target`, returns what is to be reported (or `undefined`): the table's fields in
 * the table's order, then unknown fields in the source's order.
 */
type Plan = (source: Record<string, unknown>, target: Record<string, unknown>) => Dropped | undefined

/** What to do with one field, decided once per table. */
type Step =
  | { readonly code: 'copy' }
  | { readonly code: 'skip' }
  | { readonly code: 'drop'; readonly reason: DropReason; readonly implied: ReadonlyArray<unknown> }

const stepOf = (f: FieldFate): Step => {
  const fate = fateOf(f)
  if (fate === 'copied') return { code: 'copy' }
  if (fate === 'converted' || isNotALoss(fate)) return { code: 'skip' }
  return { code: 'drop', reason: fate, implied: impliedOf(f) }
}

const drop = (d: Dropped | undefined, reason: DropReason, k: string, v: unknown): Dropped => {
  const out = d ?? {}
  const group = out[reason]
  if (group === undefined) out[reason] = { [k]: v }
  else group[k] = v
  return out
}

/** Reports the fields of `src` that the table does not know, in the source's order. */
const unknownFields =
  (known: ReadonlySet<string>) =>
  (src: Record<string, unknown>, d: Dropped | undefined): Dropped | undefined => {
    for (const k in src) {
      const v = src[k]
      if (!known.has(k) && !carriesNothing(v)) d = drop(d, 'unknown', k, v)
    }
    return d
  }

/**
 * The plan as a loop: the table's fields in the table's order, then the source's unknown fields,
 * looked for only when the source has more fields than the table's present ones. What the
 * generated plan does, without generated code.
 */
export const loopPlan = (table: Table): Plan => {
  const entries = Object.entries(table).map(([k, f]) => [k, stepOf(f)] as const)
  const unknown = unknownFields(new Set(Object.keys(table)))
  return (src, target) => {
    let d: Dropped | undefined
    let n = 0
    for (const [k, step] of entries) {
      const v = src[k]
      if (v === undefined) continue
      n++
      if (step.code === 'copy') target[k] = v
      else if (step.code === 'drop' && !carriesNothing(v) && !step.implied.includes(v))
        d = drop(d, step.reason, k, v)
    }
    let all = 0
    for (const _ in src) all++
    return all === n ? d : unknown(src, d)
  }
}

/** The same plan with the table's fields written out. */
export const generatedPlan = (table: Table): Plan | undefined => {
  const lines = Object.entries(table).map(([k, f]) => {
    const step = stepOf(f)
    const get = `v = src[${literal(k)}]\n  if (v !== undefined) {\n    n++\n`
    if (step.code === 'copy') return `${get}    target[${literal(k)}] = v\n  }`
    if (step.code === 'skip') return `${get}  }`
    const implied = step.implied.map((x) => ` && v !== ${JSON.stringify(x)}`).join('')
    return `${get}    if (!carriesNothing(v)${implied}) d = drop(d, ${literal(step.reason)}, ${literal(k)}, v)\n  }`
  })
  return generate<Plan>(
    ['carriesNothing', 'drop', 'unknown'],
    `return function plan(src, target) {
  let v
  let n = 0
  let d
  ${lines.join('\n  ')}
  let all = 0
  for (const _ in src) all++
  return all === n ? d : unknown(src, d)
}`,
    [carriesNothing, drop, unknownFields(new Set(Object.keys(table)))],
  )
}

const plans = new WeakMap<Table, Plan>()
const planOf = (table: Table): Plan => {
  let p = plans.get(table)
  if (p === undefined) {
    p = generatedPlan(table) ?? loopPlan(table)
    plans.set(table, p)
  }
  return p
}

/**
 * Copies the `copied` fields of `source` into `target` and pushes the dropped ones that carry
 * information onto `losses` (one `FieldsDropped` per reason). `path` may be a function, called
 * only when there is a loss to report.
 */
export const applyFates = (
  source: object,
  table: Table,
  path: string | (() => string),
  target: Record<string, unknown>,
  losses: Array<Loss>,
): void => {
  const dropped = planOf(table)(source as Record<string, unknown>, target)
  if (dropped === undefined) return
  const at = typeof path === 'string' ? path : path()
  for (const reason in dropped) {
    const fields = dropped[reason as DropReason]
    if (fields !== undefined)
      losses.push({ _tag: 'FieldsDropped', path: at, reason: reason as DropReason, fields })
  }
}
