/**
 * The target's tags by name, read once per run (`tags()`), and created on the target when an
 * event needs one it does not have yet (`createTag`, once per name even when several events need
 * it at the same time).
 *
 * @internal
 */
import { setTimeout as sleep } from 'node:timers/promises'
import * as E from 'fp-ts/lib/Either.js'
import type { TagEntry } from '../../client/index.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { backoff, type RecoveryPolicy, recoveryOf } from './recovery.js'

/** A target tag, and whether this run created it. */
export interface BookedTag {
  readonly tag: TagEntry
  readonly created: boolean
}

/** The target's tags by name. */
export interface TagBook {
  /** the tag by name: found in the list, or created (not in a dry run) */
  readonly get: (name: string, create: boolean) => Promise<E.Either<MispError, BookedTag | undefined>>
  /** the tag's name by id (for ids MISP answers with) */
  readonly byId: (id: string) => Promise<string | undefined>
}

/**
 * A book over the target; nothing is read until an event needs it. A create whose answer was
 * lost is reconciled by listing the tags again (a second `/tags/add` of the same name would be
 * refused), then sent again, within the recovery policy.
 */
export const tagBook = <T extends ApiVersion>(
  to: MispClient<T>,
  call: CallOptions,
  recovery: RecoveryPolicy,
): TagBook => {
  let list: Promise<E.Either<MispError, Map<string, TagEntry>>> | undefined
  const creating = new Map<string, Promise<E.Either<MispError, BookedTag>>>()
  const load = () => {
    list ??= to
      .tags(call)()
      .then((r) => {
        if (E.isLeft(r)) {
          list = undefined // a failed read is tried again by the next event
          return r
        }
        return E.right(new Map(r.right.map((t) => [t.name, t])))
      })
    return list
  }
  return {
    get: async (name, create) => {
      const tags = await load()
      if (E.isLeft(tags)) return tags
      const found = tags.right.get(name)
      if (found !== undefined) return E.right({ tag: found, created: false })
      if (!create) return E.right(undefined)
      let pending = creating.get(name)
      if (pending === undefined) {
        pending = to
          .createTag({ name }, call)()
          .then((r) => {
            if (E.isLeft(r)) {
              creating.delete(name)
              return r
            }
            tags.right.set(name, r.right)
            return E.right({ tag: r.right, created: true })
          })
        creating.set(name, pending)
      }
      return pending
    },
    byId: async (id) => {
      const tags = await load()
      if (E.isLeft(tags)) return undefined
      for (const t of tags.right.values()) if (t.id === id) return t.name
      return undefined
    },
  }
}
