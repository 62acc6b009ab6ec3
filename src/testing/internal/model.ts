/**
 * The emulator's data model: the rows it stores (version-neutral, 2.4-like with numeric ids), the
 * outcomes of its writes, and the small readers of raw JSON bodies.
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import type { Role, RolePerms } from './roles.js'
import type { FieldErrors } from './validate.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

export type { Role, RolePerms } from './roles.js'

export interface User {
  readonly id: number
  readonly email: string
  readonly orgId: number
  readonly role: Role
  /** the role's row (stock roles per release, `roles.ts`) */
  readonly perm: RolePerms
}

export interface Org {
  readonly id: number
  name: string
  readonly uuid: string
  readonly local: boolean
}

export interface Tag {
  readonly id: number
  readonly name: string
  readonly colour: string
  readonly exportable: boolean
  readonly is_galaxy: boolean
}

export interface TagLink {
  readonly id: number
  readonly tagId: number
  readonly local: boolean
}

export interface SharingGroupServer {
  readonly id: number
  readonly server_id: number
  readonly all_orgs: boolean
}

export interface SharingGroupOrg {
  readonly id: number
  readonly org_id: number
  readonly extend: boolean
}

export interface SharingGroup {
  readonly id: number
  readonly uuid: string
  readonly name: string
  readonly releasability: string
  readonly description: string
  readonly org_id: number
  readonly sync_user_id: number
  readonly active: boolean
  readonly created: string
  readonly modified: string
  readonly local: boolean
  readonly roaming: boolean
  readonly orgs: Array<SharingGroupOrg>
  readonly servers: Array<SharingGroupServer>
}

export interface Attr {
  id: number
  event_id: number
  object_id: number
  object_relation: string | null
  uuid: string
  type: string
  category: string
  to_ids: boolean
  distribution: number
  sharing_group_id: number
  timestamp: number
  comment: string
  value: string
  deleted: boolean
  disable_correlation: boolean
  first_seen: string | null
  last_seen: string | null
  tags: Array<TagLink>
  data?: string
}

export interface Obj {
  id: number
  event_id: number
  uuid: string
  name: string
  meta_category: string
  description: string | null
  template_uuid: string
  template_version: number
  timestamp: number
  distribution: number
  sharing_group_id: number
  comment: string
  deleted: boolean
  first_seen: string | null
  last_seen: string | null
  attributes: Array<Attr>
}

export interface Ev {
  id: number
  uuid: string
  info: string
  date: string
  threat_level_id: number
  analysis: number
  distribution: number
  published: boolean
  timestamp: number
  publish_timestamp: number
  sighting_timestamp: number
  proposal_email_lock: boolean
  locked: boolean
  org_id: number
  orgc_id: number
  sharing_group_id: number
  disable_correlation: boolean
  extends_uuid: string
  protected: boolean | null
  user_id: number
  tags: Array<TagLink>
  attributes: Array<Attr>
  objects: Array<Obj>
}

/** Dropped attributes of a create, by their index in the request (§5.3 `errors.Attribute[k]`). */
export type AttributeErrors = Map<number, FieldErrors>

export type CreateResult =
  | { readonly _tag: 'duplicate'; readonly id: number }
  | { readonly _tag: 'invalid'; readonly errors: FieldErrors }
  | { readonly _tag: 'created'; readonly event: Ev; readonly attributeErrors: AttributeErrors }

export type EditResult =
  | { readonly _tag: 'url-not-found' }
  | { readonly _tag: 'redirect' }
  | { readonly _tag: 'failed'; readonly id: number; readonly reason: string }
  | { readonly _tag: 'invalid'; readonly id: number; readonly errors: FieldErrors }
  | { readonly _tag: 'updated'; readonly event: Ev }

/** §5.5 edit failure reasons (texts of `Event::_edit`). */
export const editReasons = {
  notNewer: 'Event could not be saved: Event in the request not newer than the local copy.',
  notAuthorised:
    'Event could not be saved: The user used to edit the event is not authorised to do so. This can be caused by the user not being of the same organisation as the original creator of the event whilst also not being a site administrator.',
  notFound: 'Event could not be saved: Could not find the local event.',
} as const

export type Raw = Record<string, unknown>

export const isRecord = (u: unknown): u is Raw => typeof u === 'object' && u !== null && !Array.isArray(u)
export const asArray = (u: unknown): ReadonlyArray<unknown> =>
  Array.isArray(u) ? u : isRecord(u) ? Object.values(u) : []
export const str = (u: unknown): string | undefined =>
  typeof u === 'string' ? u : typeof u === 'number' && Number.isFinite(u) ? String(u) : undefined
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** §5.2 view: 2.3 detects a UUID by its length (36), 2.4 by `Validation::uuid`. */
export const looksLikeUuid = (profile: Profile, ref: string): boolean =>
  profile.era === '2.3' ? ref.length === 36 : uuidPattern.test(ref)

/**
 * The event of a request body: `{"Event":{…}}`, `{"response":{"Event":…}}` (§5.2, 2.3 and 2.4) or,
 * from late 2.4, a bare event. A top-level `Attribute`/`Object` next to `Event` (CakePHP form
 * shape) is moved inside.
 */
export const unwrapEvent = (body: unknown, profile: Profile): Raw | undefined => {
  if (!isRecord(body)) return undefined
  const response = body['response']
  if (response !== undefined) {
    const first = Array.isArray(response) ? response[0] : response
    return isRecord(first) ? unwrapEvent(first, profile) : undefined
  }
  const inner = body['Event']
  if (isRecord(inner)) {
    const out: Raw = { ...inner }
    for (const k of ['Attribute', 'Object', 'Tag', 'EventTag', 'Orgc', 'SharingGroup']) {
      if (out[k] === undefined && body[k] !== undefined) out[k] = body[k]
    }
    return out
  }
  if (profile.has('bareEventBody') && ('uuid' in body || 'info' in body)) return body
  return undefined
}

/** Event attributes followed by object attributes. */
export const allAttributes = (ev: Ev): Array<Attr> => [
  ...ev.attributes,
  ...ev.objects.flatMap((o) => o.attributes),
]
