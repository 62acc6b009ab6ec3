/**
 * The emulator's in-memory database and MISP's write rules (create `EventsController.php@v2.3.178:1000-1014`/`Event.php@v2.3.178:1336-1344`, edit `Event::_edit@v2.4.199:4075-4160`, org
 * capture `Event.php@v2.4.199:3462-3471`, validation `Attribute.php@v2.3.178:101-145`, tags `Event::__attachTags@v2.4.199:7394-7420`) applied to it.
 *
 * Storage is version-neutral (2.4-like rows with numeric ids); what a version shows is decided at
 * rendering time (`render.ts`), what it accepts is decided through the profile in the per-concept
 * modules (`storeEvents.ts`, `storeAttributes.ts`, `storeTags.ts`, `storeOrgs.ts`), which this
 * class wires on top of the tables, lookups and indexes of `storeCore.ts` (the part those modules
 * work on, so that they import it and not this module).
 *
 * @since 0.1.0
 */
import type { CreateResult, EditResult, Ev, Org, Raw, SharingGroup, Tag } from './model.js'
import { StoreCore, type StoreCoreOptions } from './storeCore.js'
import * as events from './storeEvents.js'
import * as orgs from './storeOrgs.js'
import * as tags from './storeTags.js'

export * from './model.js'

// ---------------------------------------------------------------------------------------------
// store
// ---------------------------------------------------------------------------------------------

export interface StoreOptions extends StoreCoreOptions {
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

/** The emulator's database: {@link StoreCore} with MISP's write rules wired on top. */
export class Store extends StoreCore {
  /** the alert e-mail jobs sent so far */
  readonly alerts: Array<AlertRecord> = []
  readonly disableRestAlert: boolean

  constructor(o: StoreOptions) {
    super(o)
    this.disableRestAlert = o.disableRestAlert === true
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

  /** See `storeEvents.seed`. */
  seed(input: unknown, replace?: Ev): Ev {
    this.touch()
    return events.seed(this, input, replace)
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
