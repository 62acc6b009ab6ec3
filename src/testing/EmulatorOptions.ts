/**
 * How to start an emulator ({@link EmulatorOptions}) and the defaults it starts with. Exported by
 * `MispEmulator.ts`.
 *
 * @since 0.1.0
 */
import type { Role } from './internal/roles.js'
import type { EmulatorVersion } from './profiles.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * The API key the emulator accepts unless told otherwise: 40 alphanumeric characters, like a MISP
 * authkey (`AppController.php@v2.4.199:443-465`).
 *
 * @category model
 * @since 0.1.0
 */
export const DEFAULT_API_KEY = 'MispBridgeEmulatorApiKey0123456789abcdef'

/**
 * The role of the API key's user: one of MISP's stock roles, with the permissions the release's
 * installer gives it (`INSTALL/MYSQL.sql@v2.3.178:522-542`, `@v2.5.1:1852-1868`):
 *
 * | role | 2.3.178 | 2.4/2.5 |
 * |---|---|---|
 * | `'site-admin'` ("admin") | everything | everything |
 * | `'org-admin'` ("Org Admin") | sync, publish, tag | publish, tag, create tags; no sync |
 * | `'sync'` ("Sync user", the default) | sync, publish; **no tagging** | sync, publish, tag, create tags |
 * | `'publisher'` ("Publisher") | publish; no tagging | publish, tag; no creating tags |
 * | `'user'` ("User") | no sync, no publish, no tagging | tag; no sync, publish, creating tags |
 * | `'automation'` ("Automation user", 2.3) | publish; no sync, no tagging | publish, tag |
 * | `'read-only'` ("Read Only") | reads only | reads only |
 *
 * (2.3's "User" and "Publisher" have no perm_auth, i.e. no API access: the emulator keeps their
 * key usable.) `'sync'` also keeps the creator org of pushed events and edits locked events of
 * other orgs; `'site-admin'` can do anything.
 *
 * @category model
 * @since 0.1.0
 */
export type EmulatorRole = Role

/**
 * How to start an emulator.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmulatorOptions {
  /** The MISP release to imitate (`'2.5'` = 2.5.1). */
  readonly version: EmulatorVersion
  /** Default {@link DEFAULT_API_KEY}. */
  readonly apiKey?: string
  /** Role of the key's user (default `'sync'`, MISP's stock "Sync user": on 2.3 it may not tag); see {@link EmulatorRole}. */
  readonly role?: EmulatorRole
  /** The user's organisation (default `'ORGNAME'`). */
  readonly orgName?: string
  /** The user's organisation uuid (default: random). */
  readonly orgUuid?: string
  /** The user's e-mail, shown as `event_creator_email` to site admins (default `'admin@admin.test'`). */
  readonly userEmail?: string
  /** The instance uuid `getVersion` reports to sync users (default: random). */
  readonly serverUuid?: string
  /** Seed events: wire JSON (`{Event:…}` or bare, 2.3 or 2.4 shape), stored as given (ids filled in if missing). */
  readonly events?: ReadonlyArray<unknown>
  /** 2.5 only: ids, timestamps, counters and levels as JSON numbers (PHP 8 PDO without STRINGIFY_FETCHES, `default.php@v2.5.1:28-44`). */
  readonly numericWire?: boolean
  /** Status of a duplicate create: 404 (default, `Event.php@v2.3.178:1336-1344`, rec#4) or 302 (the flushed-early variant MISP also accepts). */
  readonly duplicateStatus?: 404 | 302
  /** MISP installed in a sub-directory, e.g. `'/misp'`. */
  readonly baseUrlPath?: string
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer }
  /** The server's clock in unix seconds (default: the real clock). */
  readonly clock?: () => number
  /** Generator of the uuids the server makes up (events without uuid, new organisations, sharing groups). */
  readonly uuid?: () => string
  /**
   * `MISP.disablerestalert`: a REST add or edit with `published: 1` publishes without sending the
   * alert e-mails (default `false`, as MISP ships).
   */
  readonly disableRestAlert?: boolean
}
