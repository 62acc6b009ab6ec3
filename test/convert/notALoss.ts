/**
 * The documented not-a-loss fates, for the conservation law: which input fields a conversion may
 * leave out without a loss. Read from the fate tables (the same tables `docs/mapping.md` is made
 * of), with this file's own idea of "empty", so that a conversion that drops a field with content
 * silently — or a table that calls content empty — still breaks the law.
 */
import {
  attributeToV23,
  attributeToV24,
  eventToV23,
  eventToV24,
  type FieldFate,
  objectToV23,
  orgToV23,
} from '../../src/convert/fieldFates.js'
import { at } from '../support/leaves.js'

/** The tables of one kind of object, and of the objects nested in it. */
export interface Spec {
  readonly table: Readonly<Record<string, FieldFate>>
  /** field → the spec of each item of its array */
  readonly items?: Readonly<Record<string, Spec>>
  /** field → the spec of the object it holds */
  readonly record?: Readonly<Record<string, Spec>>
}

const attribute24: Spec = { table: attributeToV23 }
/** the tables `downgrade` reads a 2.4 event with */
export const downgradeSpec: Spec = {
  table: eventToV23,
  items: { Attribute: attribute24, Object: { table: objectToV23, items: { Attribute: attribute24 } } },
  record: { Orgc: { table: orgToV23 } },
}
/** the tables `upgrade` reads a 2.3 event with */
export const upgradeSpec: Spec = { table: eventToV24, items: { Attribute: { table: attributeToV24 } } }

/** Independent of the library's own definition on purpose: nothing, or an empty container. */
const empty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)

const fateOf = (f: FieldFate | undefined): string =>
  f === undefined ? 'unknown' : typeof f === 'string' ? f : f[0]
const impliedOf = (f: FieldFate | undefined): ReadonlyArray<unknown> =>
  f === undefined || typeof f === 'string' ? [] : (f[2] ?? [])

/** Whether the table lets this field, with this value, be left out without a loss. */
const fieldExcused = (f: FieldFate | undefined, value: unknown): boolean => {
  const fate = fateOf(f)
  if (fate === 'instance-local' || fate === 'recomputed') return true
  if (fate === 'copied') return false
  return empty(value) || impliedOf(f).includes(value)
}

/**
 * Whether the leaf at `path` (e.g. `Event.Object[0].Attribute[1].first_seen`) of `input` belongs
 * to a field that its table lets the conversion leave out without a loss. The decision is about
 * the whole field (`first_seen`, `SharingGroup`), never a leaf inside it: a field with any content
 * is not excused.
 */
export const excused = (input: unknown, path: string, spec: Spec): boolean => {
  const steps = path.match(/[^.[\]]+/g) ?? []
  let s = spec
  let prefix = steps[0] ?? 'Event'
  let i = 1
  for (;;) {
    const field = steps[i]
    if (field === undefined) return false
    const fieldPath = `${prefix}.${field}`
    const items = s.items?.[field]
    if (items !== undefined && steps.length > i + 2) {
      prefix = `${fieldPath}[${steps[i + 1]}]`
      s = items
      i += 2
      continue
    }
    const record = s.record?.[field]
    if (record !== undefined && steps.length > i + 1 && !Array.isArray(at(input, fieldPath).value)) {
      prefix = fieldPath
      s = record
      i += 1
      continue
    }
    return fieldExcused(s.table[field], at(input, fieldPath).value)
  }
}

/** A copy of `value` without the fields that `spec` lets a conversion leave out without a loss. */
export const withoutNotALoss = (value: unknown, spec: Spec): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (fieldExcused(spec.table[k], v)) continue
    const items = spec.items?.[k]
    const record = spec.record?.[k]
    out[k] =
      items !== undefined && Array.isArray(v)
        ? v.map((x) => withoutNotALoss(x, items))
        : record !== undefined
          ? withoutNotALoss(v, record)
          : v
  }
  return out
}
