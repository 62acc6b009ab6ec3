/**
 * An attempt's gate before its first write: the run's question about the target key's
 * permissions (`precheck.ts`), answered for this event — write, or the ending that replaces the
 * write.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { AuthenticationRefused, KeyNotPermitted } from '../RunResult.js'
import type { TransferError } from '../TransferResult.js'
import type { AttemptInput } from './attemptInput.js'
import { TAG_EDITOR_FIX } from './precheck.js'
import type { Written } from './write.js'

/** An event's error for the gate's refusal of the target's key. */
export const refusalError = (e: KeyNotPermitted | AuthenticationRefused): TransferError =>
  e._tag === 'KeyNotPermitted'
    ? {
        _tag: 'NotPermitted',
        permission: e.permission,
        ...(e.role === undefined ? {} : { role: e.role }),
        fix: e.fix,
      }
    : { _tag: 'TargetFailed', step: 'tags', error: e.error }

/**
 * What the gate says before the first write of an event: nothing (write), or the ending that
 * replaces the write — the key may not tag (the run stops), or, on 2.4/2.5, the event carries
 * tags the target lacks and the key may not create (MISP would drop them silently: the event
 * fails unwritten instead).
 */
export const gateOf =
  <S extends ApiVersion, T extends ApiVersion>(
    a: AttemptInput<S, T>,
    wantTags: ReadonlyArray<string> | undefined,
  ) =>
  async (): Promise<Written<T> | undefined> => {
    if (a.permit === undefined) return undefined
    const g = await a.permit()
    if (g._tag === 'Refused')
      return { ending: { outcome: 'failed', error: refusalError(g.error) }, refused: g.error }
    // the key's permissions could not be learnt: nothing is written on a guess
    if (g._tag === 'Unknown')
      return {
        ending: { outcome: 'failed', error: { _tag: 'TargetFailed', step: 'permissions', error: g.error } },
      }
    if (g.tagEditor || wantTags === undefined || a.spec.to.apiVersion === '2.3') return undefined
    const missing: Array<string> = []
    for (const name of wantTags) {
      const found = await a.tags.book.get(name, false)
      if (E.isLeft(found))
        return {
          ending: { outcome: 'failed', error: { _tag: 'TargetFailed', step: 'tags', error: found.left } },
        }
      if (found.right === undefined) missing.push(name)
    }
    if (missing.length === 0) return undefined
    return {
      ending: {
        outcome: 'failed',
        error: {
          _tag: 'NotPermitted',
          permission: 'perm_tag_editor',
          ...(g.role === undefined ? {} : { role: g.role }),
          tags: missing,
          fix: TAG_EDITOR_FIX,
        },
      },
    }
  }
