/**
 * What an API key may do on its server, as `MispClient.permissions()` learns it release by
 * release.
 *
 * @since 0.3.0
 */

/**
 * How {@link KeyPermissions} were learnt:
 *
 * - `'users/view/me'` (2.4/2.5): the key's own user record, its `Role` row and `Organisation`
 *   (`UsersController::view@v2.5.1:46-81`).
 * - `'probes'` (2.3, and a 2.4 without a REST user view): MISP 2.3 has no REST endpoint that
 *   reports a role — `UsersController` and `RolesController` lack CakePHP's `RequestHandler`, so
 *   a REST call there is never authenticated and answers an empty 403
 *   (`AppController.php@v2.3.178:95,259-261`; seen on a real 2.3.178). The client asks three
 *   read-only questions whose refusal depends on one permission each (see the fields).
 *
 * @category model
 * @since 0.3.0
 */
export type PermissionsSource = 'users/view/me' | 'probes'

/**
 * What the client's API key may do, from the server. Booleans are the server's answer;
 * `undefined` means the release does not say (then try, and expect a `Forbidden`).
 *
 * Stock roles (`INSTALL/MYSQL.sql@v2.3.178:522-542`, `@v2.5.1:1852-1868`): on 2.3 "Sync user"
 * has `sync` and `publish` but **not** `tag`; "Org Admin" has `sync`, `publish` and `tag`;
 * "admin" everything; "User" and "Publisher" have no API access at all (no perm_auth). On 2.5
 * "Sync user" has `sync`, `publish`, `tag` and `tagEditor`; "Org Admin" all but `sync` and
 * `siteAdmin`; "User" and "Publisher" tag but may not create tags (`tagEditor: false`).
 *
 * @category model
 * @since 0.3.0
 */
export interface KeyPermissions {
  /** how this was learnt */
  readonly source: PermissionsSource
  /** the role's name (`Role.name`, e.g. `"Sync user"`); `undefined` on 2.3, which does not say */
  readonly role: string | undefined
  /** the key's organisation (`Organisation.name`); `undefined` on 2.3, which does not say */
  readonly org: string | undefined
  /**
   * perm_site_admin: may do anything, on every event. 2.3: `GET /jobs/index` answers 405 to
   * anyone else (`JobsController.php@v2.3.178:24-26`).
   */
  readonly siteAdmin: boolean
  /**
   * perm_sync: a sync user — keeps the creator org of the events it pushes, may edit the synced
   * (`locked`) copies of other organisations. 2.3: `GET /events/filterEventIdsForPush`
   * answers 405 without it (`EventsController.php@v2.3.178:3077-3078`).
   */
  readonly sync: boolean
  /**
   * perm_tagger: may attach and detach tags (`events/addTag`, `events/removeTag`). 2.3: checked
   * in the action, refused with HTTP 200 `saved: false` (`EventsController.php@v2.3.178:2832`);
   * 2.4/2.5: the ACL (`ACLComponent.php@v2.5.1:52,77`). A 2.4/2.5 event add/edit without it
   * silently drops the event's `Tag` list (`Event::_edit@v2.5.1:4263`). Probed on 2.3 with
   * `GET /tags/delete/0` (404 "You don't have permission to do that." without it, 405 "Method
   * Not Allowed" with it — nothing is deleted: `TagsController.php@v2.3.178:119-124`).
   */
  readonly tag: boolean
  /**
   * May create tags (`tags/add`). 2.4/2.5: perm_tag_editor (`ACLComponent.php@v2.5.1:710`); an
   * event add/edit naming a tag the server lacks silently leaves it out without it
   * (`Tag::captureTag@v2.5.1:318-337`). 2.3 has no such permission: creating a tag needs
   * perm_tagger (`TagsController.php@v2.3.178:71`), so this equals `tag` there.
   */
  readonly tagEditor: boolean
  /**
   * perm_publish: may publish. `undefined` on 2.3: no read-only call tells (publishing checks the
   * role and the event's creator org together, `EventsController.php@v2.3.178:1487-1491`).
   */
  readonly publish: boolean | undefined
  /** perm_add: may create events; `undefined` on 2.3 (a 2.3 key with API access always has it in the stock roles) */
  readonly add: boolean | undefined
  /** perm_admin: an organisation admin; `undefined` on 2.3 */
  readonly orgAdmin: boolean | undefined
}
