/**
 * The tags a run needs, each read at most once per run and only when an event needs it: the
 * target's tag list (a {@link TagBook}), and for MISP 2.3 servers — whose event JSON has no tags —
 * the tags of every event of the source or the target ({@link readTagsByEvent}).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type * as V24 from '../../v24/index.js'
import type { TagsMode } from '../Connector.js'
import type { RecoveryPolicy } from './recovery.js'
import type { DirectionSpec } from './spec.js'
import { flag } from './spec.js'
import { type TagBook, type TagLook, tagBook } from './tagBook.js'
import { readTagsByEvent, type TagFocus, type TagsByEvent } from './tagMap.js'
import { eventTagNames } from './tagNames.js'

/** The run's tag readers. */
export interface RunTags {
  readonly book: TagBook
  /** how the source shows a tag (colour, exportable), once an event carrying it was read */
  readonly lookOf: (name: string) => TagLook | undefined
  /** records how the source shows these tags */
  readonly remember: (tags: ReadonlyArray<{ readonly name?: unknown } & TagLookLike>) => void
  /** a 2.3 source's tags by event (read once) */
  readonly source23: () => Promise<E.Either<MispError, TagsByEvent>>
  /**
   * a 2.3 target's tags by event (read once per run); `event` says which event needs them and
   * which tags its source carries, for readers that read per event ({@link eventTags})
   */
  readonly target23: (event?: {
    readonly uuid: string
    readonly names: ReadonlyArray<string>
  }) => Promise<E.Either<MispError, TagsByEvent>>
}

const once = <A>(f: () => Promise<E.Either<MispError, A>>): (() => Promise<E.Either<MispError, A>>) => {
  let p: Promise<E.Either<MispError, A>> | undefined
  return () => {
    p ??= f().then((r) => {
      if (E.isLeft(r)) p = undefined // a failure is tried again by the next event
      return r
    })
    return p
  }
}

/** A source tag in any shape MISP sends: its colour and exportable flag, when it has them. */
interface TagLookLike {
  readonly colour?: unknown
  readonly exportable?: unknown
}

/** Readers over a direction's two servers. */
export const runTags = <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  call: CallOptions,
  recovery: RecoveryPolicy,
): RunTags => {
  const looks = new Map<string, TagLook>()
  const remember: RunTags['remember'] = (tags) => {
    for (const t of tags) {
      if (typeof t.name !== 'string' || looks.has(t.name)) continue
      const exportable = flag(t.exportable)
      looks.set(t.name, {
        ...(typeof t.colour === 'string' ? { colour: t.colour } : {}),
        ...(exportable === undefined ? {} : { exportable }),
      })
    }
  }
  const lookOf = (name: string): TagLook | undefined => looks.get(name)
  return {
    book: tagBook(spec.to, call, recovery, lookOf),
    lookOf,
    remember,
    source23: once(() => readTagsByEvent(spec.from, call, undefined, remember)),
    target23: once(() => readTagsByEvent(spec.to, call)),
  }
}

/**
 * Readers for one event on its own (a transfer): a 2.3 target's tags are read for that event
 * only — the tags its source carries one by one, the target's other tags by halving searches —
 * instead of every tag in use.
 */
export const eventTags = <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  call: CallOptions,
  recovery: RecoveryPolicy,
  mode: TagsMode,
): RunTags => ({
  ...runTags(spec, call, recovery),
  target23: (event) =>
    readTagsByEvent(
      spec.to,
      call,
      event === undefined || mode === 'none'
        ? undefined
        : {
            names: new Set(event.names),
            compared: (uuid) => uuid === event.uuid.toLowerCase(),
            extras: mode === 'mirror',
          },
    ),
})

/**
 * The same readers, but a 2.3 target's tags read for the run's own events only (`focus`): the
 * tags those events carry one by one, the target's other tags in one search (see
 * {@link readTagsByEvent}).
 */
export const withTargetFocus = <S extends ApiVersion, T extends ApiVersion>(
  tags: RunTags,
  spec: DirectionSpec<S, T>,
  call: CallOptions,
  focus: TagFocus,
): RunTags => ({ ...tags, target23: once(() => readTagsByEvent(spec.to, call, focus)) })

/** The tags a source event carries across: from the event (2.4) or the source's tag map (2.3). */
export const sourceTags = async <S extends ApiVersion>(
  version: S,
  event: EventOf<S>,
  uuid: string,
  tags: RunTags,
): Promise<E.Either<MispError, ReadonlyArray<string>>> => {
  if (version !== '2.3') {
    const e = event as V24.Event
    tags.remember([
      ...(e.Tag ?? []),
      ...(e.EventTag ?? []).flatMap((l) => (l.Tag === undefined ? [] : [l.Tag])),
    ])
    return E.right(eventTagNames(e))
  }
  const map = await tags.source23()
  return E.isLeft(map) ? map : E.right(map.right.get(uuid.toLowerCase()) ?? [])
}
