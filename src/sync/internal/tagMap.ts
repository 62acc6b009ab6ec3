/**
 * The tags of every event of a MISP 2.3 server, read the only way 2.3 offers (its event JSON has
 * no tags, misp-versions.md §6): the tag list, then the index filtered by each tag that is in use
 * (`searchtag`). One request plus one per tag in use, whatever the number of events — or, when
 * the run says which events and names it compares, one per tag those events can carry, plus one.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TagEntry } from '../../client/index.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { TagsMode } from '../Connector.js'
import type { SourceRow } from './spec.js'

/** Tag names by lower-case event uuid (sorted lists). */
export type TagsByEvent = ReadonlyMap<string, ReadonlyArray<string>>

/** How many `searchtag` reads run at the same time. */
const PARALLEL = 4

/**
 * What a run compares, when it knows: then only the tags it can need are read one by one.
 */
export interface TagFocus {
  /** the names the run's source events carry across */
  readonly names: ReadonlySet<string>
  /** whether an event (lower-case uuid) is one the run compares */
  readonly compared: (uuid: string) => boolean
  /** whether a tag a compared copy carries beyond the source's matters (`'mirror'` removes it) */
  readonly extras: boolean
}

/** At most this many tag ids in one `searchtag:a|b|…` (a URL stays well under 8 KiB). */
const IDS_PER_QUERY = 200

/**
 * The focus of a run over `rows` (the source's rows it compares), when every row's tags are
 * known; `undefined` otherwise (then every tag in use is read).
 */
export const focusOn = (rows: ReadonlyArray<SourceRow>, mode: TagsMode): TagFocus | undefined => {
  if (mode === 'none' || rows.some((r) => r.tags === undefined)) return undefined
  const uuids = new Set(rows.map((r) => r.uuid.toLowerCase()))
  return {
    names: new Set(rows.flatMap((r) => r.tags ?? [])),
    compared: (uuid) => uuids.has(uuid),
    extras: mode === 'mirror',
  }
}

/** A tag and the index rows of the events that carry it. */
interface Carried {
  readonly tag: TagEntry
  readonly rows: ReadonlyArray<{ readonly uuid?: unknown }>
}

/**
 * Which of `tags` some compared event carries, with the events carrying each, by halving: one
 * `searchtag:a|b|…` asks a whole group at once (MISP ORs the pieces), and only a group that
 * shows a compared event is split and asked again, down to single tags (whose answer is their
 * rows). No such tag: one search per 200 tags; k of them among n: about 2·k·log2(n).
 */
const carriedByCopies = async <V extends ApiVersion>(
  client: MispClient<V>,
  call: CallOptions,
  tags: ReadonlyArray<TagEntry>,
  compared: (uuid: string) => boolean,
): Promise<E.Either<MispError, ReadonlyArray<Carried>>> => {
  if (tags.length === 0) return E.right([])
  if (tags.length > IDS_PER_QUERY) {
    const found: Array<Carried> = []
    for (let i = 0; i < tags.length; i += IDS_PER_QUERY) {
      const part = await carriedByCopies(client, call, tags.slice(i, i + IDS_PER_QUERY), compared)
      if (E.isLeft(part)) return part
      found.push(...part.right)
    }
    return E.right(found)
  }
  const rows = await client.eventsWithTag(
    tags.map((t) => t.id),
    call,
  )()
  if (E.isLeft(rows)) return rows
  if (!rows.right.some((r) => compared(String(r.uuid).toLowerCase()))) return E.right([])
  if (tags.length === 1) return E.right([{ tag: tags[0]!, rows: rows.right }])
  const half = Math.ceil(tags.length / 2)
  const left = await carriedByCopies(client, call, tags.slice(0, half), compared)
  if (E.isLeft(left)) return left
  const right = await carriedByCopies(client, call, tags.slice(half), compared)
  return E.isLeft(right) ? right : E.right([...left.right, ...right.right])
}

/**
 * Reads the tags of every event a server shows — or, with a `focus`, every tag the compared
 * events can carry that matters: the source's tags one `searchtag` each; the other tags in use
 * together, in `searchtag:a|b|…` searches halved only where a compared copy carries one of them
 * ({@link carriedByCopies}), down to the single tags a copy carries. On a target with many tags
 * of its own this reads a few tags instead of all of them; the map it gives is exact for the
 * compared events (others may lack tags).
 */
export const readTagsByEvent = async <V extends ApiVersion>(
  client: MispClient<V>,
  call: CallOptions,
  focus?: TagFocus,
  /** receives the server's tag list (a source's colours, for the tags the bridge creates) */
  listed?: (tags: ReadonlyArray<TagEntry>) => void,
): Promise<E.Either<MispError, TagsByEvent>> => {
  const list = await client.tags(call)()
  if (E.isLeft(list)) return list
  listed?.(list.right)
  const all = list.right
  let inUse = all.filter((t) => t.count === undefined || t.count > 0)
  const byEvent = new Map<string, Set<string>>()
  const record = ({ tag, rows }: Carried): void => {
    for (const r of rows) {
      const k = String(r.uuid).toLowerCase()
      const names = byEvent.get(k) ?? new Set<string>()
      names.add(tag.name)
      byEvent.set(k, names)
    }
  }
  if (focus !== undefined) {
    const others = inUse.filter((t) => !focus.names.has(t.name))
    inUse = inUse.filter((t) => focus.names.has(t.name))
    if (focus.extras) {
      const found = await carriedByCopies(client, call, others, focus.compared)
      if (E.isLeft(found)) return found
      found.right.forEach(record)
    }
  }
  let next = 0
  let failure: MispError | undefined
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const tag = inUse[next++]
      if (tag === undefined) return
      const rows = await client.eventsWithTag(tag.id, call)()
      if (E.isLeft(rows)) {
        failure ??= rows.left
        return
      }
      record({ tag, rows: rows.right })
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, inUse.length) }, worker))
  if (failure !== undefined) return E.left(failure)
  return E.right(new Map([...byEvent].map(([k, v]) => [k, [...v].sort()])))
}
