/**
 * The emulator's direct access for tests and demos: reading the stored events, tags and attribute
 * states, and changing them as a local user of that MISP release would (bypassing REST).
 *
 * @since 0.1.0
 */

import { toInt } from './lenient.js'
import { type RenderContext, renderEvent } from './render.js'
import { allAttributes, type Ev, type Store } from './store.js'
import { deleteAttributeRest } from './storeAttributes.js'
import { captureTag } from './storeTags.js'

type Json = Record<string, unknown>
const isRecord = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * A tag of a stored event, local or not (see `MispEmulator.eventTags`).
 *
 * @category model
 * @since 0.1.0
 */
export interface EventTagInfo {
  readonly id: string
  readonly name: string
  readonly local: boolean
}

/**
 * What a stored attribute became: still there, soft-deleted (2.4+), or gone (or never there).
 *
 * @category model
 * @since 0.1.0
 */
export type AttributeState = 'live' | 'deleted' | 'absent'

const attributesOf = (e: Json): Array<Json> => {
  const objects = Array.isArray(e['Object']) ? e['Object'] : []
  return [
    ...(Array.isArray(e['Attribute']) ? e['Attribute'] : []),
    ...objects.flatMap((o: unknown) => (isRecord(o) && Array.isArray(o['Attribute']) ? o['Attribute'] : [])),
  ].filter(isRecord)
}

/** The direct-access half of the emulator's handle. */
export const makeDirectAccess = (
  store: Store,
  ctx: () => RenderContext,
  clock: () => number,
  n: (x: number) => string | number,
) => {
  const findAny = (ref: string): Ev | undefined => store.findEvent(ref) ?? store.findByUuid(ref)
  const mustFind = (ref: string): Ev => {
    const ev = findAny(ref)
    if (ev === undefined) throw new Error(`misp-bridge/testing: no stored event ${ref}`)
    return ev
  }
  const dump = (ev: Ev): Json => renderEvent(ctx(), ev, 'dump')
  /** What `addTag`/`removeTag`/`attributes/delete` do to the event on late 2.4 (`tagTimestampBump`). */
  const touch = (ev: Ev): void => {
    if (!store.profile.has('tagTimestampBump')) return
    ev.published = false
    ev.timestamp = Math.max(clock(), ev.timestamp + 1)
  }

  const setEvent = (ref: string, mutate: (event: Json) => void): Json => {
    const ev = mustFind(ref)
    const before = dump(ev)
    const copy = structuredClone(before)
    mutate(copy)
    const explicit = toInt(copy['timestamp'])
    const stamp =
      explicit !== undefined && explicit !== ev.timestamp ? explicit : Math.max(clock(), ev.timestamp + 1)
    copy['timestamp'] = n(stamp)
    const old = new Map(attributesOf(before).map((a) => [a['uuid'], a]))
    const sansTimestamp = (a: Json): string => JSON.stringify({ ...a, timestamp: null })
    for (const a of attributesOf(copy)) {
      const prev = old.get(a['uuid'])
      if (prev === undefined) a['timestamp'] ??= n(stamp)
      else if (sansTimestamp(prev) !== sansTimestamp(a) && toInt(a['timestamp']) === toInt(prev['timestamp']))
        a['timestamp'] = n(stamp)
    }
    // 2.3 events render no tags: without `Tag`/`EventTag` in the copy, the event keeps its tags
    const keepTags = !('Tag' in copy) && !('EventTag' in copy) ? [...ev.tags] : undefined
    const stored = store.seed(copy, ev)
    if (keepTags !== undefined) stored.tags.splice(0, stored.tags.length, ...keepTags)
    return dump(stored)
  }

  const tagEvent = (ref: string, name: string, options?: { readonly local?: boolean }): void => {
    const ev = mustFind(ref)
    const tag = captureTag(store, name)
    if (ev.tags.some((l) => l.tagId === tag.id)) return
    const local = options?.local === true && store.profile.era === '2.4'
    ev.tags.push({ id: store.next('eventTag'), tagId: tag.id, local })
    if (!local) touch(ev)
  }

  const untagEvent = (ref: string, name: string): void => {
    const ev = mustFind(ref)
    const i = ev.tags.findIndex((l) => store.tag(l.tagId)?.name === name)
    if (i === -1) return
    const [link] = ev.tags.splice(i, 1)
    if (link !== undefined && !link.local) touch(ev)
  }

  const attributeState = (uuid: string): AttributeState => {
    const found = store.findAttributeByUuid(uuid)
    return found === undefined ? 'absent' : found.attr.deleted ? 'deleted' : 'live'
  }

  const deleteAttribute = (uuid: string): void => {
    const found = store.findAttributeByUuid(uuid)
    if (found === undefined) throw new Error(`misp-bridge/testing: no stored attribute ${uuid}`)
    // the owner's own delete: no permission check, the release's effects
    deleteAttributeRest(store, String(found.attr.id), { asOwner: true })
  }

  return {
    events: (): ReadonlyArray<Json> => [...store.events].sort((a, b) => a.id - b.id).map(dump),
    event: (ref: string): Json | undefined => {
      const ev = findAny(ref)
      return ev === undefined ? undefined : dump(ev)
    },
    seed: (events: ReadonlyArray<unknown>): void => {
      for (const e of events) store.seed(e)
    },
    setEvent,
    eventTags: (ref: string): ReadonlyArray<EventTagInfo> =>
      mustFind(ref).tags.flatMap((l) => {
        const tag = store.tag(l.tagId)
        return tag === undefined ? [] : [{ id: String(tag.id), name: tag.name, local: l.local }]
      }),
    tagEvent,
    untagEvent,
    attributeState,
    deleteAttribute,
    attributeUuids: (ref: string): ReadonlyArray<string> =>
      allAttributes(mustFind(ref))
        .filter((a) => !a.deleted)
        .map((a) => a.uuid),
  }
}
