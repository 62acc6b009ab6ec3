/**
 * `MispClient.permissions`: what the key may do, release by release (see {@link KeyPermissions}).
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { KeyPermissions } from '../KeyPermissions.js'
import type { CallOptions } from '../MispClientOptions.js'
import type { MispError } from '../MispError.js'
import { errorBodyOf, errorText, failureOf } from './answers.js'
import { isRecord } from './args.js'
import type { Core, Result } from './core.js'
import type { Answer, Transport } from './transport.js'

/** `true`, `1`, `"1"`: MISP's booleans in every era and id mode. */
const yes = (u: unknown): boolean => u === true || u === 1 || u === '1'

/**
 * 2.4/2.5: the key's own user (`GET /users/view/me`), when the release answers it with a `Role`.
 * Only the role's flags and the names are kept: the record may carry the key itself (`authkey`,
 * on a 2.5.1 without `Security.advanced_authkeys`).
 */
const fromUserView = (a: Answer): KeyPermissions | undefined => {
  if (a.status !== 200 || a.body._tag !== 'Json' || !isRecord(a.body.value)) return undefined
  const role = a.body.value['Role']
  if (!isRecord(role) || role['perm_auth'] === undefined) return undefined
  const org = a.body.value['Organisation']
  const siteAdmin = yes(role['perm_site_admin'])
  return {
    source: 'users/view/me',
    role: typeof role['name'] === 'string' ? role['name'] : undefined,
    org: isRecord(org) && typeof org['name'] === 'string' ? org['name'] : undefined,
    siteAdmin,
    sync: yes(role['perm_sync']),
    tag: yes(role['perm_tagger']),
    tagEditor: yes(role['perm_tag_editor']),
    publish: yes(role['perm_publish']),
    add: yes(role['perm_add']),
    orgAdmin: yes(role['perm_admin']),
  }
}

/** A probe's verdict: the permission check refused (`false`), passed (`true`), or an error. */
type Verdict = E.Either<MispError, boolean>

/**
 * 2.3 (and a 2.4 without the user view): three read-only calls, each refused for want of one
 * permission; all GETs. Sent once each (not retried: they answer 404/405 by design). An answer
 * that is no verdict (a 5xx, a gateway's page) is the call's error: the permissions stay unknown.
 */
const probes = async (c: Core, t: Transport, options: CallOptions | undefined): Result<KeyPermissions> => {
  const ask = async (path: string, judge: (a: Answer) => boolean | undefined): Promise<Verdict> => {
    const r = await t.send({
      method: 'GET',
      path,
      idempotent: false,
      timeoutMs: c.budget(options, 'lookup'),
      signal: options?.signal,
    })()
    if (E.isLeft(r)) return r
    const failure = failureOf(r.right)
    if (failure._tag === 'AuthenticationFailed') return E.left(failure)
    const v = judge(r.right)
    return v === undefined ? E.left(failure) : E.right(v)
  }
  const refused = (a: Answer): boolean =>
    (a.status === 403 || a.status === 404) && /permission/i.test(errorText(errorBodyOf(a.body)))
  // 2.3: TagsController::delete@v2.3.178:119-124 checks perm_tagger (or site admin) first: 404
  // "You don't have permission to do that."; past it, any verb but POST is a 405 "Method Not
  // Allowed" (real 2.3.178, `GET /tags/delete/0`), before the tag is looked up. A 500 is never a
  // verdict: it is also what a failing MISP or gateway answers, and taken as "may tag" it would let
  // a key that may not tag create events it then cannot mark.
  // 2.4 without the user view: `tags/add`, whose ACL asks perm_tag_editor (403 without it); past
  // it, a GET is a 405, or renders the form (2xx; 500 where the release has no JSON view for it).
  const tag = c.is23
    ? await ask('tags/delete/0', (a) => (refused(a) ? false : a.status === 405 ? true : undefined))
    : await ask('tags/add', (a) =>
        refused(a)
          ? false
          : a.status === 500 || a.status === 405 || (a.status >= 200 && a.status < 300)
            ? true
            : undefined,
      )
  if (E.isLeft(tag)) return tag
  // JobsController::index@v2.3.178:24-26: 405 for anyone but a site admin; a site admin gets the
  // list, or 404 "Background jobs are not enabled on this instance." (real 2.3.178)
  const siteAdmin = await ask('jobs/index', (a) =>
    a.status === 405 || a.status === 403
      ? false
      : a.status === 200 || (a.status === 404 && /background jobs/i.test(errorText(errorBodyOf(a.body))))
        ? true
        : undefined,
  )
  if (E.isLeft(siteAdmin)) return siteAdmin
  // EventsController::filterEventIdsForPush@v2.3.178:3077-3078: 405 without perm_sync, whatever
  // the verb; with it, a GET renders no result (real 2.3.178: 200 `null`)
  const sync = await ask('events/filterEventIdsForPush', (a) =>
    a.status === 405 || a.status === 403 ? false : a.status === 200 ? true : undefined,
  )
  if (E.isLeft(sync)) return sync
  return E.right({
    source: 'probes',
    role: undefined,
    org: undefined,
    siteAdmin: siteAdmin.right,
    sync: sync.right,
    tag: tag.right,
    // 2.3 has no perm_tag_editor: creating a tag needs perm_tagger (TagsController.php@v2.3.178:71);
    // a 2.4 without the user view: the probe met the ACL of tags/add, perm_tag_editor (taken for both)
    tagEditor: tag.right,
    publish: siteAdmin.right ? true : undefined,
    add: siteAdmin.right ? true : undefined,
    orgAdmin: siteAdmin.right ? true : undefined,
  })
}

/** See `MispClient.permissions`. */
export const permissions = async (
  c: Core,
  t: Transport,
  options: CallOptions | undefined,
): Result<KeyPermissions> => {
  if (!c.is23) {
    const r = await t.send({
      method: 'GET',
      path: 'users/view/me',
      idempotent: true,
      timeoutMs: c.budget(options, 'lookup'),
      signal: options?.signal,
    })()
    if (E.isLeft(r)) return r
    const found = fromUserView(r.right)
    if (found !== undefined) return E.right(found)
    const failure = failureOf(r.right)
    if (failure._tag === 'AuthenticationFailed' || failure._tag === 'RateLimited') return E.left(failure)
  }
  return probes(c, t, options)
}
