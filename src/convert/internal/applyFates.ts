/**
 * The one mechanism both directions use to walk a source object's fields through a fate table:
 * copies what is `copied`, leaves `converted` fields to the caller, and reports every other
 * field (including fields the table does not know) in `FieldsDropped` losses grouped by reason.
 */
import { type FieldFate, fateOf } from '../fieldFates.js'
import type { DropReason, Loss } from '../Loss.js'

type Table = Readonly<Record<string, FieldFate>>

/** fate by field name, in a prototype-less object (a fast keyed lookup in the hot loop) */
type Compiled = Readonly<Record<string, string | undefined>>
const compiled = new WeakMap<Table, Compiled>()
const compile = (table: Table): Compiled => {
  let m = compiled.get(table)
  if (m === undefined) {
    const o: Record<string, string> = Object.create(null)
    for (const [k, f] of Object.entries(table)) o[k] = fateOf(f)
    m = o
    compiled.set(table, m)
  }
  return m
}

/**
 * Copies the `copied` fields of `source` into `target` and pushes the dropped ones onto
 * `losses`. Fields are visited in the source's order.
 */
export const applyFates = (
  source: object,
  table: Table,
  path: string,
  target: Record<string, unknown>,
  losses: Array<Loss>,
): void => {
  const fates = compile(table)
  let dropped: Partial<Record<DropReason, Record<string, unknown>>> | undefined
  const src = source as Record<string, unknown>
  for (const k in src) {
    const v = src[k]
    if (v === undefined) continue
    const fate = fates[k] ?? 'unknown'
    if (fate === 'copied') target[k] = v
    else if (fate !== 'converted') {
      dropped ??= {}
      const reason = fate as DropReason
      let group = dropped[reason]
      if (group === undefined) {
        group = {}
        dropped[reason] = group
      }
      group[k] = v
    }
  }
  if (dropped !== undefined) {
    for (const reason in dropped) {
      const fields = dropped[reason as DropReason]
      if (fields !== undefined)
        losses.push({ _tag: 'FieldsDropped', path, reason: reason as DropReason, fields })
    }
  }
}
