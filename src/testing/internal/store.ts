/**
 * The emulator's in-memory database and MISP's write rules (create §5.3/§5.4, edit §5.5, org
 * capture §4, validation §7) applied to it.
 *
 * Storage is version-neutral (2.4-like rows with numeric ids); what a version shows is decided at
 * rendering time (`render.ts`), what it accepts is decided here through the profile.
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import {
  type AttributeCandidate,
  defaultCategory,
  defaultToIds,
  type FieldErrors,
  toBool,
  toInt,
  validateAttribute,
  validateEventFields,
} from './validate.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

export type Role = 'site-admin' | 'sync' | 'user'

export interface User {
  readonly id: number
  readonly email: string
  readonly orgId: number
  readonly role: Role
  readonly perm: { readonly sync: boolean; readonly siteAdmin: boolean; readonly publish: boolean }
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

type Raw = Record<string, unknown>

const isRecord = (u: unknown): u is Raw => typeof u === 'object' && u !== null && !Array.isArray(u)
const asArray = (u: unknown): ReadonlyArray<unknown> =>
  Array.isArray(u) ? u : isRecord(u) ? Object.values(u) : []
const str = (u: unknown): string | undefined =>
  typeof u === 'string' ? u : typeof u === 'number' && Number.isFinite(u) ? String(u) : undefined
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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

const tagColours = ['#fa4c22', '#15a7b8', '#0088cc', '#e2b93b', '#a94442', '#3c763d', '#7c4dff', '#ff6f00']

// ---------------------------------------------------------------------------------------------
// store
// ---------------------------------------------------------------------------------------------

export interface StoreOptions {
  readonly profile: Profile
  readonly clock: () => number
  readonly newUuid: () => string
  readonly orgName: string
  readonly orgUuid: string
  readonly role: Role
  readonly email: string
}

export class Store {
  readonly profile: Profile
  readonly clock: () => number
  readonly newUuid: () => string
  readonly orgs: Array<Org> = []
  readonly tags: Array<Tag> = []
  readonly sharingGroups: Array<SharingGroup> = []
  readonly events: Array<Ev> = []
  readonly user: User
  private readonly seq = {
    event: 0,
    attribute: 0,
    object: 0,
    org: 0,
    tag: 0,
    eventTag: 0,
    attributeTag: 0,
    sharingGroup: 0,
    sgServer: 0,
    sgOrg: 0,
  }

  constructor(o: StoreOptions) {
    this.profile = o.profile
    this.clock = o.clock
    this.newUuid = o.newUuid
    const org: Org = { id: this.next('org'), name: o.orgName, uuid: o.orgUuid, local: true }
    this.orgs.push(org)
    this.user = {
      id: 1,
      email: o.email,
      orgId: org.id,
      role: o.role,
      perm: { sync: o.role !== 'user', siteAdmin: o.role === 'site-admin', publish: o.role !== 'user' },
    }
  }

  next(kind: keyof Store['seq']): number {
    this.seq[kind] += 1
    return this.seq[kind]
  }

  private bump(kind: keyof Store['seq'], id: number): void {
    if (id > this.seq[kind]) this.seq[kind] = id
  }

  today(): string {
    return new Date(this.clock() * 1000).toISOString().slice(0, 10)
  }

  // --- lookups -------------------------------------------------------------------------------

  findEvent(ref: string): Ev | undefined {
    if (/^\d+$/.test(ref)) return this.events.find((e) => e.id === Number(ref))
    return this.events.find((e) => e.uuid.toLowerCase() === ref.toLowerCase())
  }

  findByUuid(uuid: string): Ev | undefined {
    const u = uuid.toLowerCase()
    return this.events.find((e) => e.uuid.toLowerCase() === u)
  }

  org(id: number): Org {
    return this.orgs.find((o) => o.id === id) ?? { id, name: '', uuid: '', local: false }
  }

  tag(id: number): Tag | undefined {
    return this.tags.find((t) => t.id === id)
  }

  sharingGroup(id: number): SharingGroup | undefined {
    return this.sharingGroups.find((s) => s.id === id)
  }

  readonly sharingGroupExists = (id: number): boolean => this.sharingGroup(id) !== undefined

  private findAttribute(uuid: string): { ev: Ev; attr: Attr } | undefined {
    const u = uuid.toLowerCase()
    for (const ev of this.events) {
      for (const attr of allAttributes(ev)) if (attr.uuid.toLowerCase() === u) return { ev, attr }
    }
    return undefined
  }

  /** The stored attribute with this local id, with the list (event or object attributes) that holds it. */
  private findAttributeById(id: number): { list: Array<Attr>; attr: Attr } | undefined {
    for (const ev of this.events) {
      for (const list of [ev.attributes, ...ev.objects.map((o) => o.attributes)]) {
        const attr = list.find((a) => a.id === id)
        if (attr !== undefined) return { list, attr }
      }
    }
    return undefined
  }

  /** MISP ACL (both eras): own org's events, distribution 1–3, or a sharing group the org is in. */
  canSee(ev: Ev): boolean {
    const u = this.user
    if (u.perm.siteAdmin || ev.org_id === u.orgId) return true
    if (ev.distribution >= 1 && ev.distribution <= 3) return true
    return ev.distribution === 4 && this.inSharingGroup(ev.sharing_group_id)
  }

  inSharingGroup(sgId: number): boolean {
    const sg = this.sharingGroup(sgId)
    if (sg === undefined) return false
    return (
      sg.org_id === this.user.orgId ||
      sg.orgs.some((o) => o.org_id === this.user.orgId) ||
      sg.servers.some((s) => s.server_id === 0 && s.all_orgs)
    )
  }

  // --- organisations (§4) ----------------------------------------------------------------------

  /**
   * `Organisation::captureOrg`: by uuid (2.4.0 then falls back to the name, late does not), else by
   * name; creates a non-local organisation when none is found (late: `name_<rand>` if the name is
   * taken by an org with another uuid).
   */
  captureOrg(input: { name?: string | undefined; uuid?: string | undefined }, nameFallback: boolean): Org {
    const byName = (n: string): Org | undefined =>
      this.orgs.find((o) => o.name.toLowerCase() === n.toLowerCase())
    if (input.uuid !== undefined && input.uuid !== '') {
      const found = this.orgs.find((o) => o.uuid.toLowerCase() === input.uuid?.toLowerCase())
      if (found !== undefined) return found
      if (input.name !== undefined && nameFallback) {
        const named = byName(input.name)
        if (named !== undefined) return named
      }
      let name = input.name ?? input.uuid
      if (byName(name) !== undefined) name = `${name}_${Math.floor(Math.random() * 1000)}`
      return this.addOrg(name, input.uuid)
    }
    const name = input.name ?? ''
    return byName(name) ?? this.addOrg(name, this.newUuid())
  }

  private addOrg(name: string, uuid: string): Org {
    const org: Org = { id: this.next('org'), name, uuid, local: false }
    this.orgs.push(org)
    return org
  }

  private orgFrom(rawObj: unknown, rawString: unknown, nameFallback: boolean): Org | undefined {
    if (isRecord(rawObj)) {
      const name = str(rawObj['name'])
      const uuid = str(rawObj['uuid'])
      if ((name !== undefined && name !== '') || (uuid !== undefined && uuid !== ''))
        return this.captureOrg({ name, uuid }, nameFallback)
    }
    const s = str(rawString)
    return s !== undefined && s !== '' ? this.captureOrg({ name: s }, true) : undefined
  }

  // --- tags (§6) -------------------------------------------------------------------------------

  captureTag(name: string): Tag {
    const found = this.tags.find((t) => t.name === name)
    if (found !== undefined) return found
    const id = this.next('tag')
    const tag: Tag = {
      id,
      name,
      colour: tagColours[(id - 1) % tagColours.length] ?? '#0088cc',
      exportable: true,
      is_galaxy: name.startsWith('misp-galaxy:'),
    }
    this.tags.push(tag)
    return tag
  }

  private tagLinks(raw: Raw, kind: 'eventTag' | 'attributeTag'): Array<TagLink> {
    const out: Array<TagLink> = []
    const entries = [
      ...asArray(raw['Tag']),
      ...asArray(raw['EventTag']).map((et) => (isRecord(et) ? et['Tag'] : et)),
    ]
    for (const t of entries) {
      const name = isRecord(t) ? str(t['name']) : str(t)
      if (name === undefined || name === '') continue
      const tag = this.captureTag(name)
      if (out.some((l) => l.tagId === tag.id)) continue
      out.push({
        id: this.next(kind),
        tagId: tag.id,
        local: isRecord(t) ? (toBool(t['local']) ?? false) : false,
      })
    }
    return out
  }

  // --- sharing groups --------------------------------------------------------------------------

  /** `POST /sharing_groups/add` (rec#28): the group, owned by the user's org, with this instance as its server. */
  addSharingGroup(raw: Raw): SharingGroup {
    const sgRaw = isRecord(raw['SharingGroup']) ? raw['SharingGroup'] : raw
    const now = new Date(this.clock() * 1000).toISOString().replace('T', ' ').slice(0, 19)
    const servers = asArray(raw['Server'])
    const localServer = servers.find(
      (s) => isRecord(s) && (s['url'] === '<local>' || s['id'] === 0 || s['id'] === '0'),
    )
    const sg: SharingGroup = {
      id: this.next('sharingGroup'),
      uuid: str(sgRaw['uuid']) ?? this.newUuid(),
      name: str(sgRaw['name']) ?? '',
      releasability: str(sgRaw['releasability']) ?? '',
      description: str(sgRaw['description']) ?? '',
      org_id: this.user.orgId,
      sync_user_id: this.user.id,
      active: toBool(sgRaw['active']) ?? true,
      created: now,
      modified: now,
      // rec#28: a REST-created group came back `local: false` although `local: true` was sent.
      local: false,
      roaming: toBool(sgRaw['roaming']) ?? false,
      // rec#28: the `Organisation` list of the request did not become SharingGroupOrg rows.
      orgs: [],
      servers: [
        {
          id: this.next('sgServer'),
          server_id: 0,
          all_orgs: isRecord(localServer) ? (toBool(localServer['all_orgs']) ?? false) : false,
        },
      ],
    }
    this.sharingGroups.push(sg)
    return sg
  }

  /** A full `SharingGroup` object of a pushed/seeded event (sync users, `captureSG`): found by uuid, else created. */
  private captureSharingGroup(raw: unknown): SharingGroup | undefined {
    if (!isRecord(raw)) return undefined
    const uuid = str(raw['uuid'])
    const found =
      uuid !== undefined
        ? this.sharingGroups.find((s) => s.uuid === uuid)
        : this.sharingGroups.find((s) => s.name === str(raw['name']))
    if (found !== undefined) return found
    if (str(raw['name']) === undefined) return undefined
    const owner = this.orgFrom(raw['Organisation'], undefined, true)
    const orgs: Array<SharingGroupOrg> = []
    for (const so of asArray(raw['SharingGroupOrg'])) {
      if (!isRecord(so)) continue
      const org = this.orgFrom(so['Organisation'], undefined, true)
      if (org !== undefined)
        orgs.push({ id: this.next('sgOrg'), org_id: org.id, extend: toBool(so['extend']) ?? false })
    }
    const stamp = new Date(this.clock() * 1000).toISOString().replace('T', ' ').slice(0, 19)
    const sg: SharingGroup = {
      id: this.next('sharingGroup'),
      uuid: uuid ?? this.newUuid(),
      name: str(raw['name']) ?? '',
      releasability: str(raw['releasability']) ?? '',
      description: str(raw['description']) ?? '',
      org_id: owner?.id ?? this.user.orgId,
      sync_user_id: this.user.id,
      active: toBool(raw['active']) ?? true,
      created: str(raw['created']) ?? stamp,
      modified: str(raw['modified']) ?? stamp,
      local: false,
      roaming: toBool(raw['roaming']) ?? false,
      orgs,
      servers: [{ id: this.next('sgServer'), server_id: 0, all_orgs: false }],
    }
    this.sharingGroups.push(sg)
    return sg
  }

  // --- attributes ------------------------------------------------------------------------------

  /**
   * Reads one incoming attribute (only the fields this version knows: its whitelist). With
   * `stored` (an edit of an existing attribute), a field the body leaves out keeps its stored
   * value, as MISP's attribute edit does (CakePHP updates only the fields it is given; §5.5).
   */
  private readAttribute(raw: Raw, inObject: boolean, stored?: Attr): AttributeCandidate & { raw: Raw } {
    const p = this.profile
    const type = str(raw['type']) ?? stored?.type ?? ''
    const distribution =
      toInt(raw['distribution']) ?? stored?.distribution ?? (p.era === '2.4' ? 5 : undefined)
    return {
      raw,
      type,
      category:
        str(raw['category']) ?? stored?.category ?? (p.era === '2.4' ? (defaultCategory(type) ?? '') : ''),
      value: str(raw['value']) ?? stored?.value ?? '',
      distribution,
      sharing_group_id:
        distribution === 4 ? (toInt(raw['sharing_group_id']) ?? stored?.sharing_group_id ?? 0) : 0,
      inObject,
    }
  }

  private isDuplicate(ev: Ev, c: AttributeCandidate, exceptUuid: string | undefined): boolean {
    return ev.attributes.some(
      (a) =>
        !a.deleted &&
        a.uuid !== exceptUuid &&
        a.type === c.type &&
        a.category === c.category &&
        a.value.trim() === c.value.trim(),
    )
  }

  /** Builds (or, with `into`, updates) an attribute; returns the validation errors instead when invalid. */
  private buildAttribute(
    ev: Ev,
    raw: Raw,
    objectId: number,
    now: number,
    validate: boolean,
    into?: Attr,
  ): { readonly ok: Attr } | { readonly errors: FieldErrors } {
    const p = this.profile
    const c = this.readAttribute(raw, objectId !== 0, into)
    if (validate) {
      const errors = validateAttribute(c, p, this.isDuplicate(ev, c, into?.uuid), this.sharingGroupExists)
      if (Object.keys(errors).length > 0) return { errors }
    }
    const rawId = toInt(raw['id'])
    const attr: Attr = into ?? {
      // seeds keep their ids (the caller passes only free ones); REST input never chooses ids (§7)
      id: !validate && rawId !== undefined ? rawId : this.next('attribute'),
      event_id: ev.id,
      object_id: objectId,
      object_relation: null,
      uuid: str(raw['uuid']) ?? this.newUuid(),
      type: '',
      category: '',
      to_ids: false,
      distribution: 0,
      sharing_group_id: 0,
      timestamp: now,
      comment: '',
      value: '',
      deleted: false,
      disable_correlation: false,
      first_seen: null,
      last_seen: null,
      tags: [],
    }
    this.bump('attribute', attr.id)
    attr.type = c.type
    attr.category = c.category
    attr.value = c.value.trim()
    attr.to_ids = toBool(raw['to_ids']) ?? (into !== undefined ? into.to_ids : defaultToIds(c.type))
    attr.distribution = c.distribution ?? 0
    attr.sharing_group_id = c.sharing_group_id
    // a missing timestamp is "now" (§5.5 rule 2, also for attributes); other omitted fields keep
    // the stored value on an edit (`attr` is the stored attribute then) or take the default
    attr.timestamp = toInt(raw['timestamp']) ?? now
    attr.comment = str(raw['comment']) ?? attr.comment
    if (objectId !== 0) attr.object_relation = str(raw['object_relation']) ?? attr.object_relation
    if (p.has('attributeDeleted')) attr.deleted = toBool(raw['deleted']) ?? attr.deleted
    if (p.has('disableCorrelation'))
      attr.disable_correlation = toBool(raw['disable_correlation']) ?? attr.disable_correlation
    if (p.has('seenFields')) {
      if ('first_seen' in raw) attr.first_seen = str(raw['first_seen']) ?? null
      if ('last_seen' in raw) attr.last_seen = str(raw['last_seen']) ?? null
    }
    if (p.has('attributeTags')) {
      const links = this.tagLinks(raw, 'attributeTag')
      for (const l of links) if (!attr.tags.some((t) => t.tagId === l.tagId)) attr.tags.push(l)
    }
    const data = str(raw['data'])
    if (data !== undefined) attr.data = data
    return { ok: attr }
  }

  private attributeIdFree(id: number): boolean {
    return !this.events.some((e) => allAttributes(e).some((a) => a.id === id))
  }

  private buildObject(
    ev: Ev,
    raw: Raw,
    now: number,
    validate: boolean,
    free: (id: number) => boolean = (id) => this.attributeIdFree(id),
    objectFree: (id: number) => boolean = (id) =>
      !this.events.some((e) => e.objects.some((o) => o.id === id)),
  ): Obj {
    const distribution = toInt(raw['distribution']) ?? 5
    const rawId = toInt(raw['id'])
    const obj: Obj = {
      id: !validate && rawId !== undefined && objectFree(rawId) ? rawId : this.next('object'),
      event_id: ev.id,
      uuid: str(raw['uuid']) ?? this.newUuid(),
      name: str(raw['name']) ?? '',
      meta_category: str(raw['meta-category']) ?? str(raw['meta_category']) ?? '',
      description: str(raw['description']) ?? null,
      template_uuid: str(raw['template_uuid']) ?? '',
      template_version: toInt(raw['template_version']) ?? 1,
      timestamp: toInt(raw['timestamp']) ?? now,
      distribution,
      sharing_group_id: distribution === 4 ? (toInt(raw['sharing_group_id']) ?? 0) : 0,
      comment: str(raw['comment']) ?? '',
      deleted: toBool(raw['deleted']) ?? false,
      first_seen: this.profile.has('seenFields') ? (str(raw['first_seen']) ?? null) : null,
      last_seen: this.profile.has('seenFields') ? (str(raw['last_seen']) ?? null) : null,
      attributes: [],
    }
    this.bump('object', obj.id)
    for (const a of asArray(raw['Attribute'])) {
      if (!isRecord(a)) continue
      const aid = toInt(a['id'])
      const input = !validate && aid !== undefined && !free(aid) ? { ...a, id: undefined } : a
      const built = this.buildAttribute(ev, input, obj.id, now, validate)
      if ('ok' in built) obj.attributes.push(built.ok)
    }
    return obj
  }

  // --- create (§5.3, §5.4) ---------------------------------------------------------------------

  /** `Event::_add` as the REST `add` action runs it. */
  create(body: unknown): CreateResult {
    const p = this.profile
    const u = this.user
    const now = this.clock()
    const raw = unwrapEvent(body, p) ?? {}
    const uuid = str(raw['uuid'])
    // §5.4: an existing uuid answers with its local id; nothing is written.
    if (uuid !== undefined) {
      const existing = this.findByUuid(uuid)
      if (existing !== undefined) return { _tag: 'duplicate', id: existing.id }
    }
    const distribution = toInt(raw['distribution']) ?? 1
    let sharingGroupId = distribution === 4 ? (toInt(raw['sharing_group_id']) ?? 0) : 0
    if (
      distribution === 4 &&
      p.has('sharingGroups') &&
      u.perm.sync &&
      !this.sharingGroupExists(sharingGroupId)
    ) {
      const sg = this.captureSharingGroup(raw['SharingGroup'])
      if (sg !== undefined) sharingGroupId = sg.id
    }
    const fields = {
      info: raw['info'],
      distribution,
      threat_level_id: raw['threat_level_id'] ?? '4',
      analysis: raw['analysis'] ?? '0',
      date: raw['date'] ?? this.today(),
      sharing_group_id: sharingGroupId,
    }
    const errors = validateEventFields(fields, p, this.sharingGroupExists)
    if (uuid !== undefined && !uuidPattern.test(uuid))
      errors['uuid'] = ['Please provide a valid RFC 4122 UUID']
    if (Object.keys(errors).length > 0) return { _tag: 'invalid', errors }

    const orgc = this.creatorOrg(raw)
    const published = (toBool(raw['published']) ?? false) && u.perm.publish
    const ev: Ev = {
      id: this.next('event'),
      uuid: uuid ?? this.newUuid(),
      info: String(fields.info).trim(),
      date: String(fields.date),
      threat_level_id: toInt(fields.threat_level_id) ?? 4,
      analysis: toInt(fields.analysis) ?? 0,
      distribution,
      published,
      timestamp: toInt(raw['timestamp']) ?? now,
      publish_timestamp: toInt(raw['publish_timestamp']) ?? (published ? now : 0),
      sighting_timestamp: 0,
      proposal_email_lock: false,
      locked: toBool(raw['locked']) ?? false,
      org_id: u.orgId,
      orgc_id: orgc.id,
      sharing_group_id: sharingGroupId,
      disable_correlation: p.has('disableCorrelation')
        ? (toBool(raw['disable_correlation']) ?? false)
        : false,
      extends_uuid: p.has('extendsUuid') ? (str(raw['extends_uuid']) ?? '') : '',
      protected: p.has('protectedEvents') ? (toBool(raw['protected']) ?? null) : null,
      user_id: u.id,
      tags: p.has('eventTags') ? this.tagLinks(raw, 'eventTag') : [],
      attributes: [],
      objects: [],
    }
    const attributeErrors: AttributeErrors = new Map()
    asArray(raw['Attribute']).forEach((a, k) => {
      if (!isRecord(a)) return
      const built = this.buildAttribute(ev, a, 0, now, true)
      if ('ok' in built) ev.attributes.push(built.ok)
      else attributeErrors.set(k, built.errors)
    })
    if (p.has('objects')) {
      for (const o of asArray(raw['Object']))
        if (isRecord(o)) ev.objects.push(this.buildObject(ev, o, now, true))
    }
    this.events.push(ev)
    return { _tag: 'created', event: ev, attributeErrors }
  }

  /** §4: who the creator org of a created event is, per version and role. */
  private creatorOrg(raw: Raw): Org {
    const p = this.profile
    const u = this.user
    const own = this.org(u.orgId)
    if (p.era === '2.3') {
      // 2.3: `orgc` honoured only for sync users (EventsController.php@v2.3.178:994); missing ⇒ org.
      const s = str(raw['orgc'])
      return u.perm.sync && s !== undefined && s !== '' ? this.captureOrg({ name: s }, true) : own
    }
    if (!u.perm.sync && p.has('orgcStrippedForNonSync')) return own
    return this.orgFrom(raw['Orgc'], raw['orgc'], p.has('captureOrgNameFallback')) ?? own
  }

  // --- edit (§5.5) -----------------------------------------------------------------------------

  /** The REST `edit` action: URL event must exist; the body's uuid picks the event (§5.5 rule 1). */
  edit(urlRef: string, body: unknown): EditResult {
    const p = this.profile
    const u = this.user
    const now = this.clock()
    const urlIsUuid = !/^\d+$/.test(urlRef)
    if (urlIsUuid && !(p.has('editByUuid') && uuidPattern.test(urlRef))) return { _tag: 'url-not-found' }
    const urlEvent = this.findEvent(urlRef)
    if (urlEvent === undefined || !this.canSee(urlEvent)) return { _tag: 'url-not-found' }
    // §5.5 rule 3 (2.3): non-sync, non-owner REST users are redirected before any check.
    if (p.era === '2.3' && !u.perm.siteAdmin && !u.perm.sync && urlEvent.org_id !== u.orgId)
      return { _tag: 'redirect' }

    const raw = unwrapEvent(body, p) ?? {}
    const bodyUuid = str(raw['uuid'])
    // rule 1: by the body's uuid; without one, only late 2.4 falls back to the URL's event
    // (`editUrlIdFallback`), older releases cannot locate the event.
    const ev =
      bodyUuid !== undefined ? this.findByUuid(bodyUuid) : p.has('editUrlIdFallback') ? urlEvent : undefined
    if (ev === undefined) return { _tag: 'failed', id: urlEvent.id, reason: editReasons.notFound }
    // rule 2: strictly newer; a missing timestamp means "now".
    const incoming = toInt(raw['timestamp']) ?? now
    if (incoming <= ev.timestamp) return { _tag: 'failed', id: ev.id, reason: editReasons.notNewer }
    // rule 3: creator org, or sync user on a locked event, or site admin.
    if (!(u.orgId === ev.orgc_id || (u.perm.sync && ev.locked) || u.perm.siteAdmin))
      return { _tag: 'failed', id: ev.id, reason: editReasons.notAuthorised }
    // rule 4: omitted fields keep their stored values.
    const distribution = toInt(raw['distribution']) ?? ev.distribution
    const fields = {
      info: raw['info'] ?? ev.info,
      distribution,
      threat_level_id: raw['threat_level_id'] ?? ev.threat_level_id,
      analysis: raw['analysis'] ?? ev.analysis,
      date: raw['date'] ?? ev.date,
      sharing_group_id: distribution === 4 ? (raw['sharing_group_id'] ?? ev.sharing_group_id) : 0,
    }
    const errors = validateEventFields(fields, p, this.sharingGroupExists)
    if (Object.keys(errors).length > 0) return { _tag: 'invalid', id: ev.id, errors }

    const wasPublished = ev.published
    ev.info = String(fields.info).trim()
    ev.date = String(fields.date)
    ev.threat_level_id = toInt(fields.threat_level_id) ?? ev.threat_level_id
    ev.analysis = toInt(fields.analysis) ?? ev.analysis
    ev.distribution = distribution
    ev.sharing_group_id = toInt(fields.sharing_group_id) ?? 0
    ev.timestamp = incoming
    const published = toBool(raw['published']) ?? (p.has('unpublishOnEdit') ? false : ev.published)
    ev.published = published && u.perm.publish
    const pts = toInt(raw['publish_timestamp'])
    if (pts !== undefined) ev.publish_timestamp = pts
    else if (ev.published && !wasPublished) ev.publish_timestamp = now
    ev.locked = toBool(raw['locked']) ?? ev.locked
    if (p.has('disableCorrelation'))
      ev.disable_correlation = toBool(raw['disable_correlation']) ?? ev.disable_correlation
    if (p.has('extendsUuid')) ev.extends_uuid = str(raw['extends_uuid']) ?? ev.extends_uuid
    if (p.has('eventTags')) {
      for (const l of this.tagLinks(raw, 'eventTag'))
        if (!ev.tags.some((t) => t.tagId === l.tagId)) ev.tags.push(l)
    }
    // rule 5: per attribute, by uuid; absent attributes are kept.
    for (const a of asArray(raw['Attribute']))
      if (isRecord(a)) this.mergeAttribute(ev, a, 0, ev.attributes, now)
    if (p.has('objects')) {
      for (const o of asArray(raw['Object'])) if (isRecord(o)) this.mergeObject(ev, o, now)
    }
    return { _tag: 'updated', event: ev }
  }

  private mergeAttribute(ev: Ev, raw: Raw, objectId: number, into: Array<Attr>, now: number): void {
    const uuid = str(raw['uuid'])
    const found = uuid === undefined ? undefined : this.findAttribute(uuid)
    if (found !== undefined) {
      if (found.ev !== ev) return // §5.5: uuid of another event ⇒ skipped
      // a missing timestamp is "now", so accepted (§5.5 rule 2, as for the event)
      const incoming = toInt(raw['timestamp']) ?? now
      if (incoming <= found.attr.timestamp) return // not newer ⇒ silently skipped
      this.buildAttribute(ev, { ...raw, timestamp: incoming }, found.attr.object_id, now, true, found.attr)
      return
    }
    const foreignId = this.profile.has('editKeepsForeignAttributeId') ? toInt(raw['id']) : undefined
    if (foreignId !== undefined) {
      this.mergeForeignId(ev, raw, foreignId, into, now)
      return
    }
    const built = this.buildAttribute(ev, raw, objectId, now, true)
    if ('ok' in built) into.push(built.ok)
  }

  /**
   * MISP 2.3's edit of an attribute whose uuid is unknown but which carries an `id` (§7,
   * `EventsController.php@v2.3.178:1220-1262`): the id is kept and CakePHP's `saveAssociated`
   * saves the attribute under it. If a stored attribute has that id — in any event — it is
   * overwritten (type, category, value, uuid, … are its fields' whitelist) and moved into the
   * edited event (`event_id` set to it); the event that held it loses it. A free id is taken by
   * the new attribute.
   */
  private mergeForeignId(ev: Ev, raw: Raw, id: number, into: Array<Attr>, now: number): void {
    const victim = this.findAttributeById(id)
    if (victim === undefined) {
      const built = this.buildAttribute(ev, raw, 0, now, true)
      if (!('ok' in built)) return
      built.ok.id = id
      this.bump('attribute', id)
      into.push(built.ok)
      return
    }
    const { attr, list } = victim
    // no timestamp comparison: to 2.3 the uuid is unknown, so this is a new attribute
    const built = this.buildAttribute(ev, raw, 0, now, true, attr)
    if (!('ok' in built)) return
    attr.uuid = str(raw['uuid']) ?? attr.uuid
    if (list !== into) {
      list.splice(list.indexOf(attr), 1)
      into.push(attr)
    }
    attr.event_id = ev.id
    attr.object_id = 0
    attr.object_relation = null
  }

  private mergeObject(ev: Ev, raw: Raw, now: number): void {
    const uuid = str(raw['uuid'])
    const obj = uuid === undefined ? undefined : ev.objects.find((o) => o.uuid === uuid)
    if (obj === undefined) {
      ev.objects.push(this.buildObject(ev, raw, now, true))
      return
    }
    const incoming = toInt(raw['timestamp']) ?? now
    if (incoming <= obj.timestamp) return
    obj.timestamp = incoming
    obj.comment = str(raw['comment']) ?? obj.comment
    obj.deleted = toBool(raw['deleted']) ?? obj.deleted
    const d = toInt(raw['distribution'])
    if (d !== undefined) obj.distribution = d
    for (const a of asArray(raw['Attribute']))
      if (isRecord(a)) this.mergeAttribute(ev, a, obj.id, obj.attributes, now)
  }

  // --- seed (bypasses the REST rules) --------------------------------------------------------

  /**
   * Stores a wire event (2.3 or 2.4 shape, wrapped or bare) as given: ids kept when free, missing
   * uuids/ids/timestamps filled in, organisations, tags and sharing groups captured. With
   * `replace`, the event takes the place (and id) of that stored event.
   */
  seed(input: unknown, replace?: Ev): Ev {
    const raw = isRecord(input)
      ? isRecord(input['Event'])
        ? unwrapEvent(input, this.profile)
        : input
      : undefined
    if (raw === undefined) throw new TypeError('misp-bridge/testing: seed expects event objects')
    const now = this.clock()
    const uuid = str(raw['uuid']) ?? this.newUuid()
    const clash = this.findByUuid(uuid)
    if (clash !== undefined && clash !== replace)
      throw new Error(`misp-bridge/testing: an event with uuid ${uuid} is already stored (id ${clash.id})`)
    const rawId = toInt(raw['id'])
    const id =
      replace?.id ??
      (rawId !== undefined && this.findEvent(String(rawId)) === undefined ? rawId : this.next('event'))
    this.bump('event', id)
    const owner = this.orgFrom(raw['Org'], raw['org'], true) ?? this.org(this.user.orgId)
    const creator = this.orgFrom(raw['Orgc'], raw['orgc'], true) ?? owner
    const distribution = toInt(raw['distribution']) ?? 1
    let sgId = toInt(raw['sharing_group_id']) ?? 0
    if (distribution === 4) {
      const sg = this.captureSharingGroup(raw['SharingGroup'])
      if (sg !== undefined) sgId = sg.id
    }
    const published = toBool(raw['published']) ?? false
    const ev: Ev = {
      id,
      uuid,
      info: str(raw['info']) ?? '',
      date: str(raw['date']) ?? this.today(),
      threat_level_id: toInt(raw['threat_level_id']) ?? 4,
      analysis: toInt(raw['analysis']) ?? 0,
      distribution,
      published,
      timestamp: toInt(raw['timestamp']) ?? now,
      publish_timestamp: toInt(raw['publish_timestamp']) ?? (published ? now : 0),
      sighting_timestamp: toInt(raw['sighting_timestamp']) ?? 0,
      proposal_email_lock: toBool(raw['proposal_email_lock']) ?? false,
      locked: toBool(raw['locked']) ?? false,
      org_id: owner.id,
      orgc_id: creator.id,
      sharing_group_id: distribution === 4 ? sgId : 0,
      disable_correlation: toBool(raw['disable_correlation']) ?? false,
      extends_uuid: str(raw['extends_uuid']) ?? '',
      protected: toBool(raw['protected']) ?? null,
      user_id: this.user.id,
      tags: this.tagLinks(raw, 'eventTag'),
      attributes: [],
      objects: [],
    }
    const keep = new Set(replace === undefined ? [] : allAttributes(replace).map((a) => a.id))
    const keepObjects = new Set(replace === undefined ? [] : replace.objects.map((o) => o.id))
    const objectFree = (oid: number): boolean =>
      keepObjects.has(oid) || !this.events.some((e) => e.objects.some((o) => o.id === oid))
    const free = (aid: number): boolean => keep.has(aid) || this.attributeIdFree(aid)
    for (const a of asArray(raw['Attribute'])) {
      if (!isRecord(a)) continue
      const aid = toInt(a['id'])
      const built = this.buildAttribute(
        ev,
        { ...a, id: aid !== undefined && free(aid) ? aid : undefined },
        0,
        now,
        false,
      )
      if ('ok' in built) ev.attributes.push(built.ok)
    }
    for (const o of asArray(raw['Object']))
      if (isRecord(o)) ev.objects.push(this.buildObject(ev, o, now, false, free, objectFree))
    if (replace !== undefined) {
      const i = this.events.indexOf(replace)
      this.events.splice(i, 1, ev)
    } else {
      this.events.push(ev)
      this.events.sort((a, b) => a.id - b.id)
    }
    return ev
  }

  // --- filterEventIdsForPush (§5.2) ----------------------------------------------------------

  /**
   * `EventsController::filterEventIdsForPush` (2.3.178:3077-3102, 2.4.199:4275-4302): the incoming
   * uuids (a later entry for the same uuid overwrites an earlier one, PHP array semantics) minus
   * those stored with a timestamp ≥ the incoming one, minus those stored and not locked.
   */
  filterForPush(body: unknown): Array<string> {
    const incoming = new Map<string, number>()
    for (const item of asArray(body)) {
      const e = isRecord(item) ? (isRecord(item['Event']) ? item['Event'] : item) : undefined
      const uuid = e === undefined ? undefined : str(e['uuid'])
      if (e === undefined || uuid === undefined) continue
      incoming.set(uuid, toInt(e['timestamp']) ?? 0)
    }
    for (const [uuid, ts] of [...incoming]) {
      const stored = this.findEvent(uuid)
      if (stored === undefined) continue
      if (stored.timestamp >= ts || !stored.locked) incoming.delete(uuid)
    }
    return [...incoming.keys()]
  }
}

/** Event attributes followed by object attributes. */
export const allAttributes = (ev: Ev): Array<Attr> => [
  ...ev.attributes,
  ...ev.objects.flatMap((o) => o.attributes),
]
