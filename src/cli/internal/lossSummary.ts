/**
 * The losses of a conversion in a few lines: losses that differ only in the index of the
 * attribute or object they concern (`Event.Attribute[3]`, `Event.Attribute[7]`, …) are counted on
 * one line (`Event.Attribute[*]: attribute dropped: type-not-in-2.3 ×42`). `convert` prints it by
 * default, and every loss (`formatLoss`) with `--verbose`.
 *
 * @internal
 */
import { formatLoss, type Loss } from '../../convert/Loss.js'

interface Group {
  readonly first: Loss
  readonly line: () => string
  count: number
  readonly fields: Set<string>
}

/** What a loss says without its item's identity: the grouping key, and the fields it dropped. */
const pattern = (l: Loss): { readonly key: string; readonly fields?: ReadonlyArray<string> } => {
  const path = l.path.replace(/\[\d+\]/g, '[*]')
  switch (l._tag) {
    case 'FieldsDropped':
      return { key: `${path}: dropped %FIELDS (${l.reason})`, fields: Object.keys(l.fields) }
    case 'DistributionChanged':
      return { key: `${path}: distribution ${l.from ?? '(missing)'} → ${l.to} (policy ${l.policy})` }
    case 'AttributeDropped':
      return { key: `${path}: attribute dropped: ${l.reason}` }
    case 'ObjectDropped':
      return { key: `${path}: object dropped: ${l.reason}` }
    case 'ObjectFlattened':
      return { key: `${path}: object flattened into its attributes` }
    case 'ValueChanged':
      return { key: `${path}: value changed (${l.reason})` }
    case 'PolicyRejected':
      return { key: `${path}: custom distribution table refused, used organisation-only` }
  }
}

/**
 * One line per kind of loss and place (indices as `[*]`) with `×N` when there are several; a
 * loss alone of its kind is shown in full (`formatLoss`).
 */
export const summariseLosses = (losses: ReadonlyArray<Loss>): ReadonlyArray<string> => {
  const groups = new Map<string, Group>()
  for (const l of losses) {
    const p = pattern(l)
    let g = groups.get(p.key)
    if (g === undefined) {
      const fields = new Set<string>()
      g = { first: l, count: 0, fields, line: () => p.key.replace('%FIELDS', [...fields].join(', ')) }
      groups.set(p.key, g)
    }
    g.count++
    for (const f of p.fields ?? []) g.fields.add(f)
  }
  return [...groups.values()].map((g) => (g.count === 1 ? formatLoss(g.first) : `${g.line()} ×${g.count}`))
}
