/**
 * The read step's reader: a run reads the source's events ahead, several in one request
 * (`getMany`: one `POST /events/restSearch` for up to {@link BATCH_EVENTS} events and
 * {@link BATCH_ATTRIBUTES} attributes on MISP ≥ 2.4.55), in selection order, skipping the rows the
 * precheck will settle without a download. An event the batch did not bring (or a batch that
 * failed) is read on its own, which also gives its precise error. MISP 2.3 has no such search:
 * there each event is one `GET /events/view/{uuid}`.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { DirectionSpec, SourceRow } from './spec.js'

/** At most this many events in one read. */
export const BATCH_EVENTS = 20
/** At most this many attributes in one read (a larger event is read on its own). */
export const BATCH_ATTRIBUTES = 2000
/** What a row without an attribute count is taken to hold. */
const UNKNOWN_SIZE = BATCH_ATTRIBUTES / BATCH_EVENTS

/** Reads source events for a run. */
export interface SourceReader<S extends ApiVersion> {
  /** the event `uuid`, row `i` of the run's selection (`undefined`: not from the selection) */
  readonly read: (
    uuid: string,
    i: number | undefined,
    call: CallOptions,
  ) => Promise<E.Either<MispError, EventOf<S>>>
}

type Batch<S extends ApiVersion> = Promise<E.Either<MispError, ReadonlyMap<string, EventOf<S>>>>

/** A reader over the run's rows; `wanted(j)` says whether row `j` will be read at all. */
export const sourceReader = <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  rows: ReadonlyArray<SourceRow> | undefined,
  wanted: (j: number) => boolean,
): SourceReader<S> => {
  const one = (uuid: string, call: CallOptions) => spec.from.get(uuid, call)()
  if (rows === undefined || spec.from.apiVersion === '2.3')
    return { read: (uuid, _i, call) => one(uuid, call) }
  const pending = new Map<number, Batch<S>>()
  const sizeOf = (r: SourceRow): number => r.attributes ?? UNKNOWN_SIZE
  const batchFrom = (i: number, call: CallOptions): Batch<S> => {
    const picked = [i]
    let attributes = sizeOf(rows[i]!)
    for (let j = i + 1; j < rows.length && picked.length < BATCH_EVENTS; j++) {
      if (pending.has(j) || !wanted(j)) continue
      const size = sizeOf(rows[j]!)
      if (attributes + size > BATCH_ATTRIBUTES) break
      picked.push(j)
      attributes += size
    }
    const batch: Batch<S> = spec.from
      .getMany(
        picked.map((j) => rows[j]!.uuid),
        call,
      )()
      .then((r) =>
        E.isLeft(r) ? r : E.right(new Map(r.right.map((e) => [String(e.uuid).toLowerCase(), e]))),
      )
    for (const j of picked) pending.set(j, batch)
    return batch
  }
  return {
    read: async (uuid, i, call) => {
      const row = i === undefined ? undefined : rows[i]
      if (
        i === undefined ||
        row === undefined ||
        row.uuid.toLowerCase() !== uuid.toLowerCase() ||
        sizeOf(row) > BATCH_ATTRIBUTES
      )
        return one(uuid, call)
      const batch = pending.get(i) ?? batchFrom(i, call)
      const got = await batch
      pending.delete(i)
      const event = E.isRight(got) ? got.right.get(uuid.toLowerCase()) : undefined
      return event === undefined ? one(uuid, call) : E.right(event)
    },
  }
}
