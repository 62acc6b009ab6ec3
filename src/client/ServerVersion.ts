/**
 * The MISP release a server reports (`GET /servers/getVersion`), and the behaviours of the REST
 * API that depend on it.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * A server's MISP release, e.g. `{version: '2.4.199', major: 2, minor: 4, patch: 199}`.
 * `permSync` is the late-2.4 `perm_sync` flag of the calling user, when the server reports it.
 *
 * @category model
 * @since 0.1.0
 */
export interface ServerVersion {
  readonly version: string
  readonly major: number
  readonly minor: number
  readonly patch: number
  readonly permSync?: boolean
}

/**
 * The wire format a client speaks: `'2.3'` for MISP 2.3 servers, `'2.4'` for MISP 2.4 and 2.5.
 *
 * @category model
 * @since 0.1.0
 */
export type ApiVersion = '2.3' | '2.4'

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?/

/**
 * Parses a MISP version string (`'2.4.199'`, `'2.5.1'`, `'2.3.178'`, tolerating a `v` prefix and
 * a suffix such as `-dev`); `undefined` when it is not one.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseServerVersion = (version: string): ServerVersion | undefined => {
  const m = VERSION.exec(version.trim())
  if (m === null) return undefined
  return { version: version.trim(), major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? '0') }
}

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

/**
 * `true` when `v` is the release `major.minor.patch` or a later one.
 *
 * @example
 * atLeast(parseServerVersion('2.4.199')!, 2, 4, 135) // true
 *
 * @category utils
 * @since 0.1.0
 */
export const atLeast = (v: ServerVersion, major: number, minor: number, patch: number): boolean =>
  v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch

/**
 * The wire format a release speaks: 2.3 for 2.3.x (and older), 2.4 for 2.4.x, 2.5.x and later.
 *
 * @category utils
 * @since 0.1.0
 */
export const apiVersionOf = (v: ServerVersion): ApiVersion => (atLeast(v, 2, 4, 0) ? '2.4' : '2.3')

/**
 * REST behaviours that changed within the 2.4 line (MISP's `EventsController.php`): when each appeared.
 *
 * @category utils
 * @since 0.1.0
 */
export const capabilities = (v: ServerVersion) =>
  ({
    /** `PUT /events/edit/{uuid}`: the edit URL takes a UUID (v2.4.60) */
    editByUuid: atLeast(v, 2, 4, 60),
    /** `HEAD /events/view/{uuid}` answers a bare 200/404 (v2.4.135) */
    head: atLeast(v, 2, 4, 135),
    /** `POST /events/restSearch {uuid, metadata: 1}`: `metadata` v2.4.52, `uuid` v2.4.55 */
    restSearchUuidMetadata: atLeast(v, 2, 4, 55),
    /** `POST /events/index {timestamp}` filters on the server (v2.4.54) */
    indexTimestamp: atLeast(v, 2, 4, 54),
    /** `GET /tags/index` answers every tag at once for REST (v2.4.55; before, 50 a page) */
    tagIndexUnpaged: atLeast(v, 2, 4, 55),
    /** `POST /attributes/delete/{id}` answers 200 "Attribute deleted." or 404 (v2.4.51; before, a redirect either way) */
    attributeDeleteAnswers: atLeast(v, 2, 4, 51),
    /** addTag/removeTag read `{"tag"}` from the body (RequestRearrangeTool, seen in v2.4.102; v2.4.0 only `{"Event": {"tag"}}`) */
    tagInBody: atLeast(v, 2, 4, 102),
  }) as const
