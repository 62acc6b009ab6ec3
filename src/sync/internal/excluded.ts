/**
 * An event the sharing rules exclude: `skipped`, with the rule and the value as its reason. Its
 * copy on the target, if the bridge made one earlier (the event was reclassified since), is left
 * as it is by default and never updated while excluded; `excludedCopies` lets admins unpublish or
 * delete such copies — only `locked` ones (synced replicas), never the target's own events.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { ExcludedCopies } from '../Connector.js'
import type { Ending } from './spec.js'
import { flag } from './spec.js'
import type { TargetView } from './targetView.js'

/** What the excluded step needs. */
export interface ExcludedInput<T extends ApiVersion> {
  readonly to: MispClient<T>
  readonly uuid: string
  readonly reason: string
  readonly mode: ExcludedCopies
  /** what the target has, when known */
  readonly known: Exists | undefined
  readonly view: TargetView<T> | undefined
  readonly dryRun: boolean
  readonly call: CallOptions
}

/** The copy's id, whether the bridge made it (`locked`) and whether it is published. */
const copyOf = async <T extends ApiVersion>(
  x: ExcludedInput<T>,
): Promise<E.Either<Ending, { id: string; locked?: boolean; published?: boolean } | undefined>> => {
  const row = x.view?.row(x.uuid) as { locked?: unknown; published?: unknown } | undefined
  if (x.known !== undefined && !x.known.exists) return E.right(undefined)
  if (x.known?.exists === true && (x.mode === 'keep' || row !== undefined)) {
    const locked = x.view?.locked(x.uuid)
    const published = flag(row?.published)
    return E.right({
      id: x.known.id,
      ...(locked === undefined ? {} : { locked }),
      ...(published === undefined ? {} : { published }),
    })
  }
  if (x.mode === 'keep') {
    const found = await x.to.exists(x.uuid, x.call)()
    return E.isLeft(found) || !found.right.exists ? E.right(undefined) : E.right({ id: found.right.id })
  }
  // unpublish / delete: read the copy to know whether the bridge made it
  const got = await x.to.get(x.uuid, x.call)()
  if (E.isLeft(got))
    return got.left._tag === 'NotFound'
      ? E.right(undefined)
      : E.left({
          outcome: 'failed',
          reason: x.reason,
          error: { _tag: 'TargetFailed', step: 'read', error: got.left },
        })
  const e = got.right as { id?: unknown; locked?: unknown; published?: unknown }
  const locked = flag(e.locked)
  const published = flag(e.published)
  return E.right({
    id: String(e.id),
    ...(locked === undefined ? {} : { locked }),
    ...(published === undefined ? {} : { published }),
  })
}

/** The excluded step. Never rejects. */
export const excludedEnding = async <T extends ApiVersion>(x: ExcludedInput<T>): Promise<Ending> => {
  const copy = await copyOf(x)
  if (E.isLeft(copy)) return copy.left
  const c = copy.right
  if (c === undefined) return { outcome: 'skipped', reason: x.reason }
  const the = `its copy on the target (id ${c.id})`
  const skipped = (what: string): Ending => ({
    outcome: 'skipped',
    targetId: c.id,
    reason: `${x.reason}; ${the} ${what}`,
  })
  if (x.mode === 'keep')
    return skipped("is left as is and not updated while excluded (excludedCopies: 'keep')")
  if (c.locked !== true) return skipped("is the target's own event (not locked): left alone")
  if (x.mode === 'unpublish') {
    if (c.published === false) return skipped('is unpublished already')
    if (x.to.apiVersion === '2.3')
      return skipped('is left as is: MISP 2.3 has no unpublish call (use excludedCopies delete)')
  }
  const verb = x.mode === 'delete' ? 'deleted' : 'unpublished'
  if (x.dryRun) return skipped(`would be ${verb} (excludedCopies: '${x.mode}')`)
  const done = await (x.mode === 'delete' ? x.to.deleteEvent(c.id, x.call) : x.to.unpublish(c.id, x.call))()
  if (E.isLeft(done))
    return {
      outcome: 'failed',
      targetId: c.id,
      reason: x.reason,
      error: {
        _tag: 'TargetFailed',
        step: x.mode === 'delete' ? 'delete-event' : 'unpublish',
        error: done.left,
      },
    }
  return skipped(`was ${verb} (excludedCopies: '${x.mode}')`)
}
