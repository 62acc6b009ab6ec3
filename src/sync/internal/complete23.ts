/**
 * Completing a short copy on MISP 2.3 by `attributes/add/{eventId}`, one per missing attribute:
 * what the led edits (`whole23.ts`) did not store, or all of it when the copy holds no attribute
 * to lead an edit with. (A real MISP 2.3.178 edit that does not save an existing attribute first
 * keeps only the last of the new ones it carries: `EventsController::edit@v2.3.178:1209-1253`
 * saves a new attribute without `create()`; see docs/guide.md.) Adding is idempotent by uuid (a second add
 * answers "Attribute already exists"), so an add whose answer was lost is simply sent again.
 * MISP 2.3 stamps the event with its clock and unpublishes it on every add: the last step is an
 * edit one second newer that restores the source's published state.
 *
 * Up to `parallel` adds are in flight at once, each uuid in one of them only (so the server's
 * check-then-insert by uuid never races itself): a 2.3 add re-reads the event's attributes on the
 * server (`Attribute::valueIsUnique`, the counter cache), so a lone add leaves the server waiting
 * on the network and the client in turn. After the first failure no new add starts; the ones in
 * flight finish. The last add is sent alone, after the others: its recount of the event's
 * `attribute_count` then sees every row (adds in flight together were seen to leave it short of
 * the rows on a real 2.3.178: "attribute_count (45759) => (45757)").
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { liveAttributes } from './mirror.js'
import { idempotentWrite, type RecoveryPolicy } from './recovery.js'

/** What the 2.3 completion needs. */
export interface Complete23Input<T extends ApiVersion> {
  readonly to: MispClient<T>
  readonly id: string
  readonly value: EventOf<T>
  readonly missing: ReadonlySet<string>
  readonly call: CallOptions
  readonly recovery: RecoveryPolicy
  /** adds in flight at once (≥ 1) */
  readonly parallel: number
}

/** Adds the missing attributes; `Left` with the first failure and how many were added. */
export const complete23 = async <T extends ApiVersion>(
  c: Complete23Input<T>,
): Promise<E.Either<{ readonly error: MispError; readonly added: number }, number>> => {
  const todo = liveAttributes(c.value as Parameters<typeof liveAttributes>[0]).filter(
    (a) => a.uuid !== undefined && c.missing.has(a.uuid.toLowerCase()),
  )
  let added = 0
  let failed: MispError | undefined
  /** adds `list`, `parallel` in flight; none starts after a failure */
  const addAll = async (list: typeof todo, parallel: number): Promise<void> => {
    let next = 0
    const worker = async (): Promise<void> => {
      while (failed === undefined && next < list.length) {
        const a = list[next++]!
        const r = await idempotentWrite(
          () => c.to.addAttribute(c.id, a as object, c.call)(),
          c.recovery,
          c.call.signal,
        )
        if (E.isLeft(r)) failed ??= r.left
        else added++
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, list.length)) }, worker))
  }
  // the last add goes alone, once the others are done: each 2.3 add recounts the event's
  // attributes into its `attribute_count` (CakePHP's counterCache), and adds in flight together
  // can leave a count that misses some; the last one's recount sees every row
  await addAll(todo.slice(0, -1), c.parallel)
  await addAll(todo.slice(-1), 1)
  return failed === undefined ? E.right(added) : E.left({ error: failed, added })
}
