/**
 * The emulator's user and role endpoints, as each release answers a REST key: what the client's
 * `permissions()` asks.
 *
 * - 2.4/2.5: `GET /users/view/me` → `{User, Role, UserSetting, Organisation}`
 *   (`UsersController::view@v2.5.1:46-81`); another user's id → 404 "Invalid user or not
 *   authorised." for a non-admin. Like a real 2.5.1 without `Security.advanced_authkeys`, `User`
 *   carries the `authkey` (the client must drop it).
 * - 2.3: `UsersController` and `RolesController` have no `RequestHandler`, so `_isRest()` is false,
 *   the key is never read, and CakePHP's `AuthComponent` answers a JSON request with an empty 403
 *   (`AppController.php@v2.3.178:95,259-261`; seen on a real 2.3.178 for `users/view/me`,
 *   `roles/index`). `GET /jobs/index`: 405 for a non-site-admin, else 404 "Background jobs are not
 *   enabled on this instance." (`JobsController.php@v2.3.178:24-26`, background jobs off).
 *
 * @since 0.3.0
 */
import type { Profile } from '../profiles.js'
import type { Store } from './store.js'

type Json = Record<string, unknown>

/** One request, as `routes.ts` parsed it (after authentication). */
export interface UserRequest {
  readonly method: string
  readonly controller: string | undefined
  readonly action: string | undefined
  readonly args: ReadonlyArray<string>
  readonly here: string
}

/** What the user routes need from the router. */
export interface UserRouteDeps<R> {
  readonly profile: Profile
  readonly store: Store
  readonly apiKey: string
  readonly n: (x: number) => string | number
  readonly json: (status: number, value: unknown) => R
  readonly error: (status: number, message: string, here: string) => R
  readonly empty: (status: number) => R
}

/** The `Role` of `users/view/me` (the columns a connector reads, as MISP names them). */
const roleJson = (store: Store, n: (x: number) => string | number): Json => {
  const p = store.user.perm
  return {
    id: n(p.id),
    name: p.name,
    perm_add: p.add,
    perm_modify: p.modify,
    perm_modify_org: p.modify,
    perm_publish: p.publish,
    perm_sync: p.sync,
    perm_admin: p.admin,
    perm_auth: p.auth,
    perm_site_admin: p.siteAdmin,
    perm_tagger: p.tagger,
    perm_tag_editor: p.tagEditor,
    default_role: false,
    permission: p.publish ? '3' : p.add ? '2' : '0',
    permission_description: p.publish ? 'publish' : p.add ? 'manage_org' : 'read_only',
  }
}

/** Makes the handler: a reply for the routes it knows, `undefined` for every other request. */
export const makeUserRoutes =
  <R>(d: UserRouteDeps<R>) =>
  (req: UserRequest): R | undefined => {
    const { profile, store, n } = d
    const { method, controller, action, args, here } = req
    const isGet = method === 'GET' || method === 'HEAD'
    if (profile.era === '2.3') {
      if (controller === 'users' || controller === 'roles') return d.empty(403)
      if (controller === 'jobs' && (action === undefined || action === 'index'))
        return store.user.perm.siteAdmin
          ? d.error(404, 'Background jobs are not enabled on this instance.', here)
          : d.error(405, 'Method Not Allowed', here)
      return undefined
    }
    if (controller !== 'users' || action !== 'view' || args.length !== 1 || !isGet) return undefined
    const u = store.user
    const ref = args[0]
    if (ref !== 'me' && ref !== String(u.id) && !u.perm.siteAdmin)
      return d.error(404, 'Invalid user or not authorised.', here)
    if (ref !== 'me' && ref !== String(u.id)) return d.error(404, 'Invalid user', here)
    const org = store.orgs.find((o) => o.id === u.orgId)
    return d.json(200, {
      User: {
        id: n(u.id),
        org_id: n(u.orgId),
        email: u.email,
        role_id: n(u.perm.id),
        authkey: d.apiKey,
        disabled: false,
      },
      Role: roleJson(store, n),
      UserSetting: [],
      Organisation: { id: n(org?.id ?? u.orgId), name: org?.name ?? '', uuid: org?.uuid ?? '', local: true },
    })
  }
