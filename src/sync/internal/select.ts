/**
 * The select step: which events a run attempts, in which order. An explicit uuid list as given
 * (deduplicated); otherwise the source's events changed since the later of `since` and the
 * saved position, plus the saved retry set, ordered by position (timestamp, uuid).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { compareWatermarks, type Watermark } from '../StateStore.js'
import { coveredBy, rowMark } from './progress.js'
import type { DirectionSpec, SourceRow } from './spec.js'
import type { TagsByEvent } from './tagMap.js'

/** What the run attempts: uuids, with their rows when they come from the source's list. */
export interface Selection {
  readonly uuids: ReadonlyArray<string>
  readonly rows?: ReadonlyArray<SourceRow>
  /** the listed rows that were not selected (at or before the position) */
  readonly others?: ReadonlyArray<SourceRow>
  /** lower-case uuids that come from the retry set */
  readonly retrying: ReadonlySet<string>
}

/** Deduplicates uuids case-insensitively, keeping the first. */
export const uniqueUuids = (uuids: ReadonlyArray<string>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  return uuids.filter((u) => {
    const k = u.toLowerCase()
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** The events changed since `since` / `before`, plus `before`'s retry set. */
export const selectChanged = async <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  since: number | undefined,
  before: Watermark | undefined,
  call: CallOptions,
  tags: (() => Promise<E.Either<MispError, TagsByEvent>>) | undefined,
): Promise<E.Either<MispError, Selection>> => {
  const floor = Math.max(since ?? 0, before?.timestamp ?? 0)
  const listed = await spec.changedSince(floor === 0 ? undefined : floor, call)()
  if (E.isLeft(listed)) return listed
  let rows = listed.right
  if (tags !== undefined) {
    // a 2.3 source: its rows get their tags from the tag map (read once per run)
    const map = await tags()
    if (E.isLeft(map)) return map
    rows = rows.map((r) => ({ ...r, tags: map.right.get(r.uuid.toLowerCase()) ?? [] }))
  }
  const byUuid = new Map<string, SourceRow>()
  const others: Array<SourceRow> = []
  const seen = new Set<string>()
  for (const r of rows) {
    const k = r.uuid.toLowerCase()
    if (seen.has(k)) continue
    seen.add(k)
    if (since !== undefined && r.timestamp < since) continue
    if (before !== undefined && coveredBy(r, before)) {
      others.push(r)
      continue
    }
    byUuid.set(k, r)
  }
  const retrying = new Set<string>()
  const listedOthers = new Map(others.map((r) => [r.uuid.toLowerCase(), r]))
  for (const r of before?.retry ?? []) {
    const k = r.uuid.toLowerCase()
    retrying.add(k)
    if (!byUuid.has(k)) byUuid.set(k, listedOthers.get(k) ?? { uuid: r.uuid, timestamp: r.timestamp })
    listedOthers.delete(k)
  }
  return E.right(withRows([...byUuid.values()], [...listedOthers.values()], retrying))
}

/** A selection of rows, ordered by position. */
export const withRows = (
  rows: ReadonlyArray<SourceRow>,
  others: ReadonlyArray<SourceRow>,
  retrying: ReadonlySet<string>,
): Selection => {
  const sorted = [...rows].sort((a, b) => compareWatermarks(rowMark(a), rowMark(b)))
  return { uuids: sorted.map((r) => r.uuid), rows: sorted, others, retrying }
}
