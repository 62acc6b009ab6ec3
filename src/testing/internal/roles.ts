/**
 * MISP's stock roles, release by release, as the emulator's key may have them: the rows MISP's
 * installer writes (`INSTALL/MYSQL.sql@v2.3.178:522-542`, `@v2.5.1:1852-1868`). The 2.5.1 rows
 * stand for every 2.4 release too (the emulator's 2.4 era).
 *
 * @since 0.3.0
 */
import type { Profile } from '../profiles.js'

type Era = Profile['era']

/**
 * A role of the emulator's key: MISP's stock roles (`site-admin` = "admin", `org-admin` = "Org
 * Admin", `user` = "User", `publisher` = "Publisher", `sync` = "Sync user", `automation` = 2.3's
 * "Automation user", `read-only` = "Read Only").
 */
export type Role = 'site-admin' | 'org-admin' | 'user' | 'publisher' | 'sync' | 'automation' | 'read-only'

/** Every {@link Role}, for checking what a caller passed. */
export const ROLES: ReadonlyArray<Role> = [
  'site-admin',
  'org-admin',
  'user',
  'publisher',
  'sync',
  'automation',
  'read-only',
]

/** The permissions the emulator applies, with the role's row id and name. */
export interface RolePerms {
  readonly id: number
  readonly name: string
  readonly add: boolean
  readonly modify: boolean
  readonly publish: boolean
  readonly sync: boolean
  readonly admin: boolean
  readonly siteAdmin: boolean
  readonly auth: boolean
  readonly tagger: boolean
  /** 2.4/2.5 only; 2.3 has no such column (creating a tag needs perm_tagger there) */
  readonly tagEditor: boolean
}

type Row = Omit<RolePerms, 'tagEditor'> & { readonly tagEditor?: boolean }

const all = { add: true, modify: true, publish: true, sync: true, admin: true, siteAdmin: true, auth: true }
const none = {
  add: false,
  modify: false,
  publish: false,
  sync: false,
  admin: false,
  siteAdmin: false,
  auth: false,
}
/** a member of an organisation: adds and edits its events, over the API */
const member = { ...none, add: true, modify: true, auth: true }

/**
 * 2.3.178's stock roles (`MYSQL.sql@v2.3.178:522-542`). "User" and "Publisher" lack perm_auth (no
 * API access at all); the emulator keeps the key usable for them (`auth: true`), as an
 * administrator who hands out such a key must have granted it.
 */
const roles23: Readonly<Record<Role, Row>> = {
  'site-admin': { id: 1, name: 'admin', ...all, tagger: true },
  'org-admin': { id: 2, name: 'Org Admin', ...all, siteAdmin: false, tagger: true },
  user: { id: 3, name: 'User', ...member, tagger: false },
  publisher: { id: 4, name: 'Publisher', ...member, publish: true, tagger: false },
  sync: { id: 5, name: 'Sync user', ...member, publish: true, sync: true, tagger: false },
  automation: { id: 6, name: 'Automation user', ...member, publish: true, tagger: false },
  'read-only': { id: 7, name: 'Read Only', ...none, auth: true, tagger: false },
}

/**
 * 2.5.1's stock roles (`MYSQL.sql@v2.5.1:1852-1868`): "User" and "Publisher" tag but may not
 * create tags (no perm_tag_editor); "Sync user" tags and creates tags; "Org Admin" has no
 * perm_sync. 2.5 has no "Automation user"; the emulator gives it 2.3's row plus tagging.
 */
const roles25: Readonly<Record<Role, Row>> = {
  'site-admin': { id: 1, name: 'admin', ...all, tagger: true, tagEditor: true },
  'org-admin': {
    id: 2,
    name: 'Org Admin',
    ...all,
    sync: false,
    siteAdmin: false,
    tagger: true,
    tagEditor: true,
  },
  user: { id: 3, name: 'User', ...member, tagger: true, tagEditor: false },
  publisher: { id: 4, name: 'Publisher', ...member, publish: true, tagger: true, tagEditor: false },
  sync: { id: 5, name: 'Sync user', ...member, publish: true, sync: true, tagger: true, tagEditor: true },
  automation: { id: 7, name: 'Automation user', ...member, publish: true, tagger: true, tagEditor: false },
  'read-only': { id: 6, name: 'Read Only', ...none, auth: true, tagger: false, tagEditor: false },
}

/** The role's permissions in a release era (2.3: creating tags needs perm_tagger, `TagsController.php@v2.3.178:71`). */
export const rolePerms = (era: Era, role: Role): RolePerms => {
  const row = (era === '2.3' ? roles23 : roles25)[role]
  return { ...row, tagEditor: era === '2.3' ? row.tagger : (row.tagEditor ?? false) }
}
