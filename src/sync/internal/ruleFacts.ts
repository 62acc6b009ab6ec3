/**
 * What the sharing rules look at, read from either version's JSON: an index row's or an event's
 * creator organisation and published flag (its tags come from `tagNames.ts` or a 2.3 tag map),
 * and an event without the attribute types the rules block.
 *
 * @internal
 */
import type * as V23 from '../../v23/index.js'
import type * as V24 from '../../v24/index.js'
import type { EventFacts } from './ruleCheck.js'
import { flag } from './spec.js'

const str = (u: unknown): string | undefined => (typeof u === 'string' && u !== '' ? u : undefined)

/** The creator organisation of a 2.4/2.5 row or event (`Orgc`, `orgc_uuid`, legacy `orgc`). */
export const org24 = (e: V24.Event | V24.IndexRow): EventFacts['org'] => {
  const orgc = e.Orgc as { readonly name?: unknown; readonly uuid?: unknown } | undefined
  const name = str(orgc?.name) ?? str(e.orgc)
  const uuid = str(orgc?.uuid) ?? str((e as { readonly orgc_uuid?: unknown }).orgc_uuid)
  return name === undefined && uuid === undefined
    ? undefined
    : { ...(name === undefined ? {} : { name }), ...(uuid === undefined ? {} : { uuid }) }
}

/** The creator organisation of a 2.3 row or event (`orgc`, a name). */
export const org23 = (e: V23.Event | V23.IndexRow): EventFacts['org'] => {
  const name = str(e.orgc)
  return name === undefined ? undefined : { name }
}

/** The published flag of a row or event of either version. */
export const publishedOf = (e: { readonly published?: unknown }): boolean | undefined => flag(e.published)

/** An index row's sharing facts, as `SourceRow` fields (each left out when unknown). */
export const sharingFacts = (
  org: EventFacts['org'],
  published: boolean | undefined,
): { readonly org?: NonNullable<EventFacts['org']>; readonly published?: boolean } => ({
  ...(org === undefined ? {} : { org }),
  ...(published === undefined ? {} : { published }),
})

type AttributeLike = { readonly type?: unknown }

/**
 * The event without attributes of the blocked types (top level and inside objects), and how
 * many were left out. Version-neutral: both shapes keep attributes in `Attribute` and
 * `Object[].Attribute`.
 */
export const withoutTypes = <A>(
  event: A,
  blocked: ReadonlySet<string>,
): { readonly event: A; readonly left: number } => {
  if (blocked.size === 0) return { event, left: 0 }
  let left = 0
  const keep = (list: unknown): unknown => {
    if (!Array.isArray(list)) return list
    const kept = list.filter(
      (a: AttributeLike) => !(typeof a?.type === 'string' && blocked.has(a.type.toLowerCase())),
    )
    left += list.length - kept.length
    return kept
  }
  const e = event as { readonly Attribute?: unknown; readonly Object?: unknown }
  const out: Record<string, unknown> = { ...(event as object) }
  if (e.Attribute !== undefined) out['Attribute'] = keep(e.Attribute)
  if (Array.isArray(e.Object))
    out['Object'] = e.Object.map((o: { readonly Attribute?: unknown }) =>
      o?.Attribute === undefined ? o : { ...o, Attribute: keep(o.Attribute) },
    )
  return { event: out as A, left }
}
