/**
 * Leaf accounting for the conservation law: every leaf of a conversion's input is either in its
 * output (at the place the mapping puts it) or named by a loss.
 */
import type { Loss } from '../../src/convert/Loss.js'

export type Leaf = readonly [path: string, value: unknown]

export const leaves = (value: unknown, path: string, out: Array<Leaf> = []): Array<Leaf> => {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([path, value])
    value.forEach((v, i) => {
      leaves(v, `${path}[${i}]`, out)
    })
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
    if (keys.length === 0) out.push([path, value])
    for (const k of keys) leaves((value as Record<string, unknown>)[k], `${path}.${k}`, out)
  } else out.push([path, value])
  return out
}

const under = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)

/** Whether a loss names this leaf of the input. */
export const coveredBy = (path: string, losses: ReadonlyArray<Loss>): boolean =>
  losses.some((l) => {
    switch (l._tag) {
      case 'FieldsDropped':
        return Object.keys(l.fields).some((f) => under(path, `${l.path}.${f}`))
      case 'DistributionChanged':
      case 'AttributeDropped':
      case 'ObjectDropped':
      case 'ValueChanged':
        return under(path, l.path)
      case 'ObjectFlattened':
      case 'PolicyRejected':
        return false
      default:
        return false
    }
  })

/** The value at a leaf path (`Event.Attribute[2].value`) of `root` (whose top is `Event`). */
export const at = (root: unknown, path: string): { found: boolean; value?: unknown } => {
  const steps = path.match(/[^.[\]]+/g) ?? []
  let cur: unknown = { [steps[0] ?? '']: root }
  for (const s of steps) {
    if (typeof cur !== 'object' || cur === null || !(s in cur)) return { found: false }
    cur = (cur as Record<string, unknown>)[s]
  }
  return { found: true, value: cur }
}

/** Input attribute index → output index, from the attributes the losses say were dropped. */
export const attributeIndexMap = (count: number, losses: ReadonlyArray<Loss>): Map<number, number> => {
  const dropped = new Set(
    losses
      .filter((l) => l._tag === 'AttributeDropped' && /^Event\.Attribute\[\d+\]$/.test(l.path))
      .map((l) => l.path),
  )
  const map = new Map<number, number>()
  let k = 0
  for (let i = 0; i < count; i++) if (!dropped.has(`Event.Attribute[${i}]`)) map.set(i, k++)
  return map
}
