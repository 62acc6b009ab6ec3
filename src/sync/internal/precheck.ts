/**
 * The precheck: what the source's index row and the target's index already tell about an event,
 * before anything is downloaded — the copy is as new (`unchanged`), or the event must be read.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MispClient } from '../../client/MispClient.js'
import type { CallOptions } from '../../client/MispClientOptions.js'
import type { MispError } from '../../client/MispError.js'
import type { Exists } from '../../client/Results.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { ConnectorOptions, TagsMode } from '../Connector.js'
import type { AuthenticationRefused, KeyNotPermitted } from '../RunResult.js'
import { type RecoveryPolicy, transientRead } from './recovery.js'
import type { DirectionSpec, Ending, SourceRow } from './spec.js'
import { tagsSettled } from './tagNames.js'
import type { TargetView } from './targetView.js'

/** `timestamps: 'decrement'` copies are one second older than their source. */
export const timestampShift = (options: ConnectorOptions<ApiVersion>): number =>
  options.convert?.timestamps === 'decrement' ? 1 : 0

/** A 2.3 source's retractions do not move its timestamp: a full run reads every event anyway. */
export const readsAnyway = <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  options: ConnectorOptions<S>,
  compare: boolean,
): boolean => compare && spec.from.apiVersion === '2.3' && (options.retractions ?? 'mirror') === 'mirror'

/**
 * With the source's index row, an event whose target copy is as new (and, where both are known,
 * carries the tags the mode asks for: the same with `'mirror'`, at least the source's with
 * `'add-only'`) is `unchanged` without downloading it. (`timestamps: 'decrement'` copies are one
 * second older than their source.)
 */
export const asNew = (
  row: SourceRow,
  known: Exists,
  shift: number,
  targetTags: ReadonlyArray<string> | undefined,
  mode: TagsMode,
): Ending | undefined => {
  if (!known.exists) return undefined
  if (row.tags !== undefined && targetTags !== undefined && !tagsSettled(mode, row.tags, targetTags))
    return undefined
  const targetTimestamp = Number(known.timestamp)
  const expected = row.timestamp - shift
  return targetTimestamp >= expected
    ? {
        outcome: 'unchanged',
        targetId: known.id,
        targetTimestamp,
        reason: `the target's copy is as new as the source's index row (timestamp ${targetTimestamp} ≥ ${expected}); not downloaded`,
      }
    : undefined
}

/**
 * Whether a copy may lack attributes, by the counts the indexes show: the source's and the
 * target's (unknown counts: it may). A copy whose count reaches the source's is not short; one
 * below may be (or the conversion dropped some: reading the event tells).
 */
export const mayBeShort = (source: number | undefined, target: number | undefined): boolean =>
  source === undefined || target === undefined || target < source

/** Whether a run will read this row's event from the source (for reading ahead). */
export const needsRead = <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  options: ConnectorOptions<S>,
  compare: boolean,
  view: TargetView<T> | undefined,
  row: SourceRow,
): boolean => {
  if (readsAnyway(spec, options, compare) || view === undefined) return true
  const known = view.exists(row.uuid)
  const mode = options.tags ?? 'mirror'
  const tags = mode === 'none' ? undefined : view.tags(row.uuid)
  if (
    asNew(row, known, timestampShift(options), tags, mode) !== undefined &&
    !mayBeShort(row.attributes, view.attributeCount(row.uuid))
  )
    return false
  return !(known.exists && view.locked(row.uuid) === false)
}

/** What a key without the tagger permission should do instead. */
export const TAG_FIX =
  'give the key\'s user a role with the tagger permission (perm_tagger; on MISP 2.3 the stock "Sync user" role has none, "Org Admin" or a custom role with perm_sync and perm_tagger has it), or run with --tags none (tags: \'none\': the events cross without their tags)'

/** What a key that may tag but not create tags should do instead. */
export const TAG_EDITOR_FIX =
  'create these tags on the target first, give the key\'s user a role with perm_tag_editor (e.g. the stock "Sync user" or "Org Admin" of 2.4/2.5), or run with --tags none'

/**
 * The gate's answer: the key may write (and whether it may create tags), why not, or that the
 * permissions could not be learnt (a transient failure that outlasted the retries: nothing may
 * be written on a guess; asked again for the next event).
 */
export type Permit =
  | { readonly _tag: 'Permitted'; readonly tagEditor: boolean; readonly role?: string }
  | { readonly _tag: 'Refused'; readonly error: KeyNotPermitted | AuthenticationRefused }
  | { readonly _tag: 'Unknown'; readonly error: MispError }

/**
 * The run's gate before its first write: with tags carried, whether the target's key may tag
 * (`MispClient.permissions`, and only when something is about to be written — a run that writes
 * nothing asks nothing). A refused key is an `AuthenticationFailed`. A failure that tells nothing
 * (a 5xx, a reset, a timeout) is asked again, as any read (`transientRead`); when it still fails,
 * the gate answers `Unknown` — the event is not written (a key that may not tag would leave it on
 * the target without its markings) — and the next event asks again. A definite answer is kept for
 * the run; concurrent events share one question.
 */
export const permitGate = <T extends ApiVersion>(
  to: MispClient<T>,
  call: CallOptions,
  mode: TagsMode,
  recovery: RecoveryPolicy,
): (() => Promise<Permit>) => {
  let asked: Promise<Permit> | undefined
  const ask = async (): Promise<Permit> => {
    if (mode === 'none') return { _tag: 'Permitted', tagEditor: true }
    const p = await transientRead(() => to.permissions(call)(), recovery, call.signal)
    if (E.isLeft(p))
      return p.left._tag === 'AuthenticationFailed'
        ? { _tag: 'Refused', error: { _tag: 'AuthenticationFailed', side: 'target', error: p.left } }
        : { _tag: 'Unknown', error: p.left }
    const role = p.right.role === undefined ? {} : { role: p.right.role }
    if (p.right.tag || p.right.siteAdmin)
      return { _tag: 'Permitted', tagEditor: p.right.tagEditor || p.right.siteAdmin, ...role }
    return {
      _tag: 'Refused',
      error: { _tag: 'KeyNotPermitted', side: 'target', permission: 'perm_tagger', ...role, fix: TAG_FIX },
    }
  }
  return () => {
    asked ??= ask()
    const pending = asked
    return pending.then((g) => {
      // an unknown answer is not kept: the next event asks again
      if (g._tag === 'Unknown' && asked === pending) asked = undefined
      return g
    })
  }
}
