/**
 * The emulator's in-memory tables (organisations, tags, sharing groups, events), their ids and
 * indexes, the lookups, MISP's read ACL and the correlation index: what the per-concept write
 * modules (`storeEvents.ts`, `storeAttributes.ts`, `storeTags.ts`, `storeOrgs.ts`) work on.
 * `store.ts` builds the `Store` (the write rules wired on top) from it; this module imports none
 * of them, so they all depend on it one way.
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import {
  type Attr,
  allAttributes,
  type Ev,
  type Org,
  type Role,
  type SharingGroup,
  type Tag,
  type User,
} from './model.js'
import { rolePerms } from './roles.js'

// ---------------------------------------------------------------------------------------------
// store core
// ---------------------------------------------------------------------------------------------

/** What the tables start with: the profile, the clock, the uuid source and the key's user. */
export interface StoreCoreOptions {
  readonly profile: Profile
  readonly clock: () => number
  readonly newUuid: () => string
  readonly orgName: string
  readonly orgUuid: string
  readonly role: Role
  readonly email: string
}

/** The tables, ids, indexes, lookups, read ACL and correlations of the emulator's database. */
export class StoreCore {
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

  constructor(o: StoreCoreOptions) {
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
      perm: rolePerms(o.profile.era, o.role),
    }
  }

  next(kind: keyof StoreCore['seq']): number {
    this.seq[kind] += 1
    return this.seq[kind]
  }

  bump(kind: keyof StoreCore['seq'], id: number): void {
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

  /** Removes an event (`POST /events/delete/{id}`). */
  removeEvent(ev: Ev): void {
    const i = this.events.indexOf(ev)
    if (i >= 0) this.events.splice(i, 1)
    this.#byUuid.delete(ev.uuid.toLowerCase())
    this.#byId.delete(ev.id)
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

  /** Something may have changed the events (a write request, a seed, a delete): see {@link StoreCore.correlations}. */
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
}
