/**
 * The attempt's sharing steps: the rules judged from the event itself (where its index row did
 * not tell), an excluded event's ending (with what becomes of its copy), and the arrival step
 * (the copy's published state).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventOf, Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import { arriveAs } from './arrival.js'
import type { AttemptInput } from './attemptInput.js'
import { excludedEnding } from './excluded.js'
import { sourceTags } from './runTags.js'
import { eventFacts } from './sharing.js'
import { type Ending, flag } from './spec.js'

/** The excluded step for this attempt. */
export const exclude = <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  reason: string,
  known: Exists | undefined,
): Promise<Ending> =>
  excludedEnding({
    to: a.spec.to,
    uuid: a.uuid,
    reason,
    mode: a.sharing.excludedCopies,
    known,
    view: a.view,
    dryRun: a.dryRun,
    call: a.call,
  })

/** The arrival step for this attempt (see {@link arriveAs}). */
export const arrive = <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  e: Ending,
  want: boolean | undefined,
  have: boolean | undefined,
): Promise<Ending> =>
  arriveAs(e, {
    to: a.spec.to,
    arrival: a.sharing.arrival,
    gate: a.gate,
    want,
    have,
    dryRun: a.dryRun,
    call: a.call,
  })

/** The copy's published state as the target's index shows it. */
export const indexedPublished = <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
): boolean | undefined => flag((a.view?.row(a.uuid) as { published?: unknown } | undefined)?.published)

/**
 * The tags the event carries across (a 2.3 source's from its tag map; read when the tags mode or
 * an undecided rule needs them), after the rules judged the event itself where its index row did
 * not tell: `Left` is the attempt's ending (excluded, or the tag read failed).
 */
export const judge = async <S extends ApiVersion, T extends ApiVersion>(
  a: AttemptInput<S, T>,
  event: EventOf<S>,
  known: Exists | undefined,
): Promise<E.Either<Ending, ReadonlyArray<string> | undefined>> => {
  const rules = a.sharing.rules
  const decided = a.verdict?._tag === 'Included' || rules === undefined
  let carried: ReadonlyArray<string> | undefined
  if ((a.options.tags ?? 'mirror') !== 'none' || (!decided && rules.needsTags)) {
    const t = await sourceTags(a.spec.from.apiVersion, event, a.uuid, a.tags)
    if (E.isLeft(t))
      return E.left({ outcome: 'failed', error: { _tag: 'SourceFailed', step: 'tags', error: t.left } })
    carried = t.right
  }
  if (!decided) {
    const v = rules.check(eventFacts(a.spec.from.apiVersion, event, carried))
    if (v._tag === 'Excluded') return E.left(await exclude(a, v.reason, known))
  }
  return E.right(carried)
}
