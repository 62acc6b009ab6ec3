// "The target holds the source's content": the source event converted as the connector converts
// it, compared with the target's stored copy on the fields that matter. Each aspect is a function
// from a bare wire event to a comparable value: add one to `ASPECTS` to compare more (e.g. tags
// on 2.3 once the downgrade carries them — the tags aspect already compares whatever both sides
// hold, so it starts checking tags the day the conversion starts sending them).

const isRecord = (u) => typeof u === 'object' && u !== null && !Array.isArray(u)
const list = (u) => (Array.isArray(u) ? u : [])

/** Every attribute of an event: its own and those of its objects (2.3 has no objects). */
export const allAttributes = (e) => [
  ...list(e.Attribute),
  ...list(e.Object).flatMap((o) => (isRecord(o) ? list(o.Attribute) : [])),
]

/** Event-level tag names (2.4 `Tag[]`, or `EventTag[].Tag`), sorted. */
const tagNames = (e) =>
  [...list(e.Tag).map((t) => t?.name), ...list(e.EventTag).map((t) => t?.Tag?.name)]
    .filter((n) => typeof n === 'string')
    .sort()

/** The compared aspects: name → (bare wire event) → JSON-comparable value. */
export const ASPECTS = {
  info: (e) => e.info,
  attributes: (e) =>
    allAttributes(e)
      .filter((a) => isRecord(a) && a.deleted !== true && a.deleted !== '1')
      .map((a) => `${String(a.uuid).toLowerCase()} ${a.type} ${a.category} ${a.value}`)
      .sort(),
  tags: tagNames,
}

/**
 * The aspects on which `expected` (the converted source, bare) and `actual` (the target's copy,
 * bare) differ: `[]` when the target holds the source's content.
 */
export const differences = (expected, actual, aspects = ASPECTS) => {
  const out = []
  for (const [name, of] of Object.entries(aspects)) {
    const a = of(expected)
    const b = of(actual)
    if (JSON.stringify(a) === JSON.stringify(b)) continue
    if (Array.isArray(a) && Array.isArray(b)) {
      const as = a.map((x) => JSON.stringify(x))
      const bs = b.map((x) => JSON.stringify(x))
      out.push({
        aspect: name,
        missing: as.filter((x) => !bs.includes(x)).slice(0, 5),
        unexpected: bs.filter((x) => !as.includes(x)).slice(0, 5),
        ...(a.length === b.length ? {} : { counts: [a.length, b.length] }),
      })
    } else
      out.push({
        aspect: name,
        expected: JSON.stringify(a)?.slice(0, 300),
        actual: JSON.stringify(b)?.slice(0, 300),
      })
  }
  return out
}
