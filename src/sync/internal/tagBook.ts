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

/** A target tag, and whether this event's call created it (`true` for one caller per tag and run). */
export interface BookedTag {
  readonly tag: TagEntry
  readonly created: boolean
}

/** How the source shows a tag: what a tag created on the target takes over. */
export interface TagLook {
  readonly colour?: string
  readonly exportable?: boolean
}

/** The target's tags by name. */
export interface TagBook {
  /**
   * the tag by name: found in the list, or created (`create`, not in a dry run), or `undefined`.
   * Of the events that wait on the same creation, only the one that sent it gets `created: true`.
   */
  readonly get: (name: string, create: boolean) => Promise<E.Either<MispError, BookedTag | undefined>>
  /**
   * `true` the first time a missing tag is claimed in this run, `false` after: a dry run counts
   * each tag it would create once, however many events would need it.
   */
  readonly claim: (name: string) => boolean
}

const COLOUR_RE = /^#[0-9a-f]{6}$/i

/**
 * A book over the target; nothing is read until an event needs it. A create whose answer was
 * lost is reconciled by listing the tags again (a second `/tags/add` of the same name would be
 * refused), then sent again, within the recovery policy.
 */
export const tagBook = <T extends ApiVersion>(
  to: MispClient<T>,
  call: CallOptions,
  recovery: RecoveryPolicy,
  lookOf: (name: string) => TagLook | undefined = () => undefined,
): TagBook => {
  let list: Promise<E.Either<MispError, Map<string, TagEntry>>> | undefined
  const creating = new Map<string, Promise<E.Either<MispError, BookedTag>>>()
  const claimed = new Set<string>()
  const load = (): Promise<E.Either<MispError, Map<string, TagEntry>>> => {
    const loading =
      list ??
      to
        .tags(call)()
        .then((r) => {
          if (E.isLeft(r)) {
            list = undefined // a failed read is tried again by the next event
            return r
          }
          return E.right(new Map(r.right.map((t) => [t.name, t])))
        })
    list = loading
    return loading
  }

  const create = async (
    name: string,
    tags: Map<string, TagEntry>,
  ): Promise<E.Either<MispError, BookedTag>> => {
    // the source's colour and exportable flag (2.3 tags have no exportable column,
    // MYSQL.sql@v2.3.178:269-274); without a usable colour, the client's default
    const look = lookOf(name)
    const colour = look?.colour !== undefined && COLOUR_RE.test(look.colour) ? look.colour : undefined
    const exportable = to.apiVersion === '2.3' ? undefined : look?.exportable
    const tag = {
      name,
      ...(colour === undefined ? {} : { colour }),
      ...(exportable === undefined ? {} : { exportable }),
    }
    for (let n = 1; ; n++) {
      const r = await to.createTag(tag, call)()
      if (E.isRight(r)) {
        tags.set(name, r.right)
        return E.right({ tag: r.right, created: true })
      }
      // did it land after all (or did someone else create it)?
      const again = await to.tags(call)()
      const landed = E.isRight(again) ? again.right.find((t) => t.name === name) : undefined
      if (landed !== undefined) {
        tags.set(name, landed)
        return E.right({ tag: landed, created: true })
      }
      if (recoveryOf(r.left) !== 'reconcile' || n >= recovery.writeAttempts || call.signal?.aborted === true)
        return r
      await sleep(backoff(recovery, n)).catch(() => undefined)
    }
  }

  return {
    get: async (name, allowCreate) => {
      const tags = await load()
      if (E.isLeft(tags)) return tags
      const found = tags.right.get(name)
      if (found !== undefined) return E.right({ tag: found, created: false })
      if (!allowCreate) return E.right(undefined)
      const pending = creating.get(name)
      // another event is creating it: this one waits, and did not create it
      if (pending !== undefined) return pending.then(E.map((b) => ({ ...b, created: false })))
      const mine = create(name, tags.right).then((r) => {
        if (E.isLeft(r)) creating.delete(name)
        return r
      })
      creating.set(name, mine)
      claimed.add(name)
      return mine
    },
    claim: (name) => {
      if (claimed.has(name)) return false
      claimed.add(name)
      return true
    },
  }
}
