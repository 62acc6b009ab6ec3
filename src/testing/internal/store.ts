/**
 * The emulator's in-memory database and MISP's write rules (create `EventsController.php@v2.3.178:1000-1014`/`Event.php@v2.3.178:1336-1344`, edit `Event::_edit@v2.4.199:4075-4160`, org
 * capture `Event.php@v2.4.199:3462-3471`, validation `Attribute.php@v2.3.178:101-145`, tags `Event::__attachTags@v2.4.199:7394-7420`) applied to it.
 *
 * Storage is version-neutral (2.4-like rows with numeric ids); what a version shows is decided at
 * rendering time (`render.ts`), what it accepts is decided through the profile in the per-concept
 * modules (`storeEvents.ts`, `storeAttributes.ts`, `storeTags.ts`, `storeOrgs.ts`), which this
 * class wires.
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import {
  type Attr,
  allAttributes,
  type CreateResult,
  type EditResult,
  type Ev,
  type Org,
  type Raw,
  type Role,
  type SharingGroup,
  type Tag,
  type User,
} from './model.js'
import { rolePerms } from './roles.js'
import * as events from './storeEvents.js'
import * as orgs from './storeOrgs.js'
import * as tags from './storeTags.js'

export * from './model.js'

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
  /** `MISP.disablerestalert`: a REST add or edit with `published: 1` sends no alert e-mail */
  readonly disableRestAlert?: boolean
}

/** One alert e-mail job (`sendAlertEmailRouter`): to every subscribed user of the instance. */
export interface AlertRecord {
  readonly eventId: number
  readonly uuid: string
  /** what triggered it: a REST add or edit with `published: 1`, or `POST /events/alert/{id}` */
  readonly via: 'add' | 'edit' | 'alert'
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
  /** the alert e-mail jobs sent so far */
  readonly alerts: Array<AlertRecord> = []
  readonly disableRestAlert: boolean
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
    this.disableRestAlert = o.disableRestAlert === true
    const org: Org = { id: this.next('org'), name: o.orgName, uuid: o.orgUuid, local: true }
    this.orgs.push(org)
    this.user = {
      id: 1,
      email: o.email,
      orgId: org.id,
      role: o.role,
      perm: rolePerms(o.profile.era, o.role),
    }
  }

  next(kind: keyof Store['seq']): number {
    this.seq[kind] += 1
    return this.seq[kind]
  }

  bump(kind: keyof Store['seq'], id: number): void {
    if (id > this.seq[kind]) this.seq[kind] = id
  }

  today(): string {
    return new Date(this.clock() * 1000).toISOString().slice(0, 10)
  }

  // --- lookups -------------------------------------------------------------------------------

  findEvent(ref: string): Ev | undefined {
    if (!/^\d+$/.test(ref)) return this.findByUuid(ref)
    this.#reindex()
    return this.#byId.get(Number(ref))
  }

  /** events by lower-case uuid (an event's uuid never changes; events are only ever added or replaced) */
  readonly #byUuid = new Map<string, Ev>()

  readonly #byId = new Map<number, Ev>()

  /** Records an added (or replacing) event in the uuid and id indexes. */
  indexEvent(ev: Ev): void {
    this.#byUuid.set(ev.uuid.toLowerCase(), ev)
    this.#byId.set(ev.id, ev)
  }

  /** An event added some other way: index them all again. */
  #reindex(): void {
    if (this.#byUuid.size === this.events.length && this.#byId.size === this.events.length) return
    this.#byUuid.clear()
    this.#byId.clear()
    for (const e of this.events) this.indexEvent(e)
  }

  findByUuid(uuid: string): Ev | undefined {
    this.#reindex()
    return this.#byUuid.get(uuid.toLowerCase())
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

  findAttribute(uuid: string): { ev: Ev; attr: Attr } | undefined {
    const u = uuid.toLowerCase()
    for (const ev of this.events) {
      for (const attr of allAttributes(ev)) if (attr.uuid.toLowerCase() === u) return { ev, attr }
    }
    return undefined
  }

  /** The stored attribute with this uuid, with the list (event or object attributes) that holds it. */
  findAttributeByUuid(uuid: string): { list: Array<Attr>; attr: Attr } | undefined {
    const u = uuid.toLowerCase()
    for (const ev of this.events) {
      for (const list of [ev.attributes, ...ev.objects.map((o) => o.attributes)]) {
        const attr = list.find((a) => a.uuid.toLowerCase() === u)
        if (attr !== undefined) return { list, attr }
      }
    }
    return undefined
  }

  /** The stored attribute with this local id, with the list (event or object attributes) that holds it. */
  findAttributeById(id: number): { list: Array<Attr>; attr: Attr } | undefined {
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
  // --- writes --------------------------------------------------------------------------------

  /** See `storeOrgs.captureOrg`. */
  captureOrg(input: { name?: string | undefined; uuid?: string | undefined }, nameFallback: boolean): Org {
    return orgs.captureOrg(this, input, nameFallback)
  }

  /** See `storeOrgs.addSharingGroup`. */
  addSharingGroup(raw: Raw): SharingGroup {
    return orgs.addSharingGroup(this, raw)
  }

  /** See `storeTags.captureTag`. */
  captureTag(name: string): Tag {
    return tags.captureTag(this, name)
  }

  /**
   * See `storeEvents.create`. A published event sends the alert e-mails unless
   * `disablerestalert` (`Event::_add@v2.3.178:1378-1383`, `@v2.5.1:3993-3998`).
   */
  create(body: unknown): CreateResult {
    const r = events.create(this, body)
    if (r._tag === 'created' && r.event.published) this.alert(r.event, 'add')
    return r
  }

  /**
   * See `storeEvents.edit`. An edit with `published: 1` that saved sends the alert e-mails
   * unless `disablerestalert` (`EventsController::edit@v2.3.178:1306-1312`,
   * `Event::_edit@v2.5.1:4290-4303`).
   */
  edit(urlRef: string, body: unknown): EditResult {
    const r = events.edit(this, urlRef, body)
    if (r._tag === 'updated' && r.event.published && publishedIn(body)) this.alert(r.event, 'edit')
    return r
  }

  /** Records an alert e-mail job (a REST-triggered one only without `disablerestalert`). */
  alert(ev: Ev, via: AlertRecord['via']): void {
    if (via !== 'alert' && this.disableRestAlert) return
    this.alerts.push({ eventId: ev.id, uuid: ev.uuid, via })
  }

  /** Removes an event (`POST /events/delete/{id}`). */
  removeEvent(ev: Ev): void {
    const i = this.events.indexOf(ev)
    if (i >= 0) this.events.splice(i, 1)
    this.#byUuid.delete(ev.uuid.toLowerCase())
    this.#byId.delete(ev.id)
  }

  /** See `storeEvents.seed`. */
  seed(input: unknown, replace?: Ev): Ev {
    this.touch()
    return events.seed(this, input, replace)
  }

  /**
   * Correlations (MISP keeps them in its `correlations` table): correlating attribute value →
   * the events holding it, brought up to date on each read. An event is indexed again when its
   * stamp (timestamp, attribute counts, correlation flag) moved — every change to an event's
   * attributes moves one of them — so a render costs a pass over the events' stamps, not over
   * every attribute of every event.
   */
  readonly #correlations = new Map<string, Set<Ev>>()
  readonly #correlated = new Map<
    Ev,
    {
      readonly timestamp: number
      readonly count: number
      readonly off: boolean
      readonly values: ReadonlySet<string>
    }
  >()

  #version = 0
  #indexedVersion = -1

  /** Something may have changed the events (a write request, a seed, a delete): see {@link Store.correlations}. */
  touch(): void {
    this.#version++
  }

  /** The events holding each correlating value (`correlates` decides which attributes count). */
  correlations(correlates: (a: Attr) => boolean): ReadonlyMap<string, ReadonlySet<Ev>> {
    if (this.#indexedVersion === this.#version) return this.#correlations
    this.#indexedVersion = this.#version
    const countOf = (ev: Ev): number => {
      let n = ev.attributes.length + ev.objects.length * 1_000_003
      for (const o of ev.objects) n += o.attributes.length
      return n
    }
    const drop = (ev: Ev, values: ReadonlySet<string>) => {
      for (const v of values) {
        const holders = this.#correlations.get(v)
        holders?.delete(ev)
        if (holders?.size === 0) this.#correlations.delete(v)
      }
    }
    for (const ev of this.events) {
      const count = countOf(ev)
      const seen = this.#correlated.get(ev)
      if (
        seen !== undefined &&
        seen.timestamp === ev.timestamp &&
        seen.count === count &&
        seen.off === ev.disable_correlation
      )
        continue
      if (seen !== undefined) drop(ev, seen.values)
      const values = new Set<string>()
      for (const a of ev.attributes) if (correlates(a)) values.add(a.value)
      for (const o of ev.objects) for (const a of o.attributes) if (correlates(a)) values.add(a.value)
      for (const v of values) {
        const holders = this.#correlations.get(v)
        if (holders === undefined) this.#correlations.set(v, new Set([ev]))
        else holders.add(ev)
      }
      this.#correlated.set(ev, { timestamp: ev.timestamp, count, off: ev.disable_correlation, values })
    }
    if (this.#correlated.size > this.events.length) {
      const live = new Set(this.events)
      for (const [ev, seen] of this.#correlated)
        if (!live.has(ev)) {
          drop(ev, seen.values)
          this.#correlated.delete(ev)
        }
    }
    return this.#correlations
  }

  /** See `storeEvents.filterForPush`. */
  filterForPush(body: unknown): Array<string> {
    return events.filterForPush(this, body)
  }
}

/** Whether a write's body says `published: 1` (`{Event: {…}}` or bare). */
const publishedIn = (body: unknown): boolean => {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const e =
    typeof b['Event'] === 'object' && b['Event'] !== null ? (b['Event'] as Record<string, unknown>) : b
  const p = e['published']
  return p === true || p === 1 || p === '1'
}
