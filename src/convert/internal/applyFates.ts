/**
 * The one mechanism both directions use to walk a source object's fields through a fate table:
 * copies what is `copied`, leaves `converted` fields to the caller, leaves out silently what the
 * target assigns or recomputes itself, and reports every other field that still carries
 * information (including fields the table does not know) in `FieldsDropped` losses grouped by
 * reason.
 */
import { carriesNothing, type FieldFate, fateOf, impliedOf, isNotALoss } from '../fieldFates.js'
import type { DropReason, Loss } from '../Loss.js'

type Table = Readonly<Record<string, FieldFate>>

const COPIED = 0
const CONVERTED = 1
const SILENT = 2
const DROPPED = 3

/** What to do with one field, decided once per table. */
interface Step {
  readonly code: typeof COPIED | typeof CONVERTED | typeof SILENT | typeof DROPPED
  readonly reason: DropReason
  /** values the target implies without the field: dropping them loses nothing */
  readonly implied: ReadonlyArray<unknown>
}

const UNKNOWN: Step = { code: DROPPED, reason: 'unknown', implied: [] }

/** step by field name, in a prototype-less object (a fast keyed lookup in the hot loop) */
type Compiled = Readonly<Record<string, Step | undefined>>
const compiled = new WeakMap<Table, Compiled>()
const compile = (table: Table): Compiled => {
  let m = compiled.get(table)
  if (m === undefined) {
    const o: Record<string, Step> = Object.create(null)
    for (const [k, f] of Object.entries(table)) {
      const fate = fateOf(f)
      o[k] =
        fate === 'copied'
          ? { code: COPIED, reason: 'unknown', implied: [] }
          : fate === 'converted'
            ? { code: CONVERTED, reason: 'unknown', implied: [] }
            : isNotALoss(fate)
              ? { code: SILENT, reason: 'unknown', implied: [] }
              : { code: DROPPED, reason: fate, implied: impliedOf(f) }
    }
    m = o
    compiled.set(table, m)
  }
  return m
}

/**
 * Copies the `copied` fields of `source` into `target` and pushes the dropped ones that carry
 * information onto `losses` (one `FieldsDropped` per reason). Fields are visited in the source's
 * order. `path` is built only when there is a loss to report.
 */
export const applyFates = (
  source: object,
  table: Table,
  path: string | (() => string),
  target: Record<string, unknown>,
  losses: Array<Loss>,
): void => {
  const steps = compile(table)
  let dropped: Partial<Record<DropReason, Record<string, unknown>>> | undefined
  const src = source as Record<string, unknown>
  for (const k in src) {
    const v = src[k]
    if (v === undefined) continue
    const step = steps[k] ?? UNKNOWN
    if (step.code === COPIED) target[k] = v
    else if (step.code === DROPPED && !carriesNothing(v) && !step.implied.includes(v)) {
      dropped ??= {}
      const group = dropped[step.reason]
      if (group === undefined) dropped[step.reason] = { [k]: v }
      else group[k] = v
    }
  }
  if (dropped !== undefined) {
    const at = typeof path === 'string' ? path : path()
    for (const reason in dropped) {
      const fields = dropped[reason as DropReason]
      if (fields !== undefined)
        losses.push({ _tag: 'FieldsDropped', path: at, reason: reason as DropReason, fields })
    }
  }
}
