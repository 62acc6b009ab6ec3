/**
 * A connector's sharing policy, resolved once: the rules ({@link RuleCheck}), the arrival policy
 * and what happens to excluded copies — and, per run, the verdicts the source's index rows already
 * give (an excluded event is never read).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventOf } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type * as V23 from '../../v23/index.js'
import type * as V24 from '../../v24/index.js'
import type { ConnectorOptions, ExcludedCopies } from '../Connector.js'
import { parseSyncRules } from '../SyncRules.js'
import { type Arrival, resolveArrival, withArrivalTags } from './arrival.js'
import { type EventFacts, type RuleCheck, ruleCheck, type Verdict } from './ruleCheck.js'
import { org23, org24, publishedOf } from './ruleFacts.js'
import type { SourceRow } from './spec.js'

/** The sharing policy of a connector. */
export interface Sharing {
  readonly rules: RuleCheck | undefined
  readonly arrival: Arrival
  readonly excludedCopies: ExcludedCopies
}

/** The options' sharing policy, or why it can't be used. */
export const resolveSharing = (options: ConnectorOptions<ApiVersion>): E.Either<string, Sharing> => {
  const rules = options.rules === undefined ? E.right(undefined) : parseSyncRules(options.rules)
  if (E.isLeft(rules)) return rules
  const arrival = resolveArrival(options)
  if (E.isLeft(arrival)) return arrival
  const excludedCopies = options.excludedCopies ?? 'keep'
  if (!['keep', 'unpublish', 'delete'].includes(excludedCopies))
    return E.left(
      `excludedCopies: expected 'keep', 'unpublish' or 'delete', got ${JSON.stringify(excludedCopies)}`,
    )
  return E.right({ rules: ruleCheck(rules.right), arrival: arrival.right, excludedCopies })
}

/** What a source row tells the rules. */
export const rowFacts = (r: SourceRow): EventFacts => ({
  ...(r.tags === undefined ? {} : { tags: r.tags }),
  ...(r.org === undefined ? {} : { org: r.org }),
  ...(r.published === undefined ? {} : { published: r.published }),
})

/** What a source event tells the rules (its tags read by the caller). */
export const eventFacts = <S extends ApiVersion>(
  version: S,
  event: EventOf<S>,
  tags: ReadonlyArray<string> | undefined,
): EventFacts => {
  const org = version === '2.3' ? org23(event as V23.Event) : org24(event as V24.Event)
  const published = publishedOf(event as { published?: unknown })
  return {
    ...(tags === undefined ? {} : { tags }),
    ...(org === undefined ? {} : { org }),
    ...(published === undefined ? {} : { published }),
  }
}

/** The verdicts of a run's rows (by lower-case uuid), from what the index says of them. */
export const rowVerdicts = (
  sharing: Sharing,
  rows: ReadonlyArray<SourceRow>,
): ReadonlyMap<string, Verdict> => {
  const out = new Map<string, Verdict>()
  const rules = sharing.rules
  if (rules === undefined) return out
  for (const r of rows) out.set(r.uuid.toLowerCase(), rules.check(rowFacts(r)))
  return out
}

/** Rows whose tags include the arrival tags (what a copy should carry). */
export const withArrival = (rows: ReadonlyArray<SourceRow>, arrival: Arrival): ReadonlyArray<SourceRow> =>
  arrival.tags.length === 0
    ? rows
    : rows.map((r) => (r.tags === undefined ? r : { ...r, tags: withArrivalTags(r.tags, arrival) }))
