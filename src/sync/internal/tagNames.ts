/**
 * Which tags cross the bridge, read from either version's JSON: an event's exportable, non-local
 * tags by name (galaxy clusters are tags too, `misp-galaxy:…`, and cross as plain tags). A
 * target's *local* tags belong to the target's users: they are never carried, compared or removed.
 *
 * @internal
 */
import type * as V24 from '../../v24/index.js'
import type { TagsMode } from '../Connector.js'
import { flag } from './spec.js'

/** A tag in any of the shapes MISP sends (`Tag[]` items, `EventTag[].Tag`). */
interface TagLike {
  readonly name?: unknown
  readonly exportable?: unknown
  readonly local?: unknown
}

/** The names of the tags that cross: exportable and not local. */
const crossing = (tags: ReadonlyArray<TagLike>, local: (i: number) => unknown): ReadonlyArray<string> => {
  const names = new Set<string>()
  tags.forEach((t, i) => {
    if (typeof t.name !== 'string' || t.name === '') return
    if (flag(t.exportable) === false || flag(t.local) === true || flag(local(i)) === true) return
    names.add(t.name)
  })
  return [...names].sort()
}

/** The tags of a 2.4 event (or index row) that cross the bridge, sorted. */
export const eventTagNames = (e: {
  readonly Tag?: ReadonlyArray<V24.Tag>
  readonly EventTag?: ReadonlyArray<V24.EventTag>
}): ReadonlyArray<string> => {
  if (e.Tag !== undefined && e.Tag.length > 0) return crossing(e.Tag, () => undefined)
  const links = e.EventTag ?? []
  return crossing(
    links.map((l) => l.Tag ?? {}),
    (i) => links[i]?.local,
  )
}

/** Whether two sorted name lists hold the same names. */
export const sameNames = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Whether a copy's tags already are what the tags mode asks for: the same names (`'mirror'`), at
 * least the source's (`'add-only'`: the target's own additions stay), anything (`'none'`). Sorted
 * lists.
 */
export const tagsSettled = (
  mode: TagsMode,
  source: ReadonlyArray<string>,
  target: ReadonlyArray<string>,
): boolean =>
  mode === 'none' || (mode === 'mirror' ? sameNames(source, target) : source.every((n) => target.includes(n)))
