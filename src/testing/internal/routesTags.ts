/**
 * The emulator's tag and attribute-deletion endpoints (`Event::__attachTags@v2.4.199:7394-7420`, seen on a real MISP 2.5.1; MISP's
 * source at v2.3.178 and v2.4.199): `/tags/index`, `/tags/add`, `/tags/delete` (2.3, the permission check only), `/events/addTag`,
 * `/events/removeTag`, `/attributes/delete` and `/attributes/view`.
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import type { JsonStyle } from './json.js'
import { toInt } from './lenient.js'
import type { Attr, Store, Tag } from './store.js'
import { addAttributeRest, deleteAttributeRest } from './storeAttributes.js'
import { addTagRest, attachTagRest, detachTagRest, listTags } from './storeTags.js'

type Json = Record<string, unknown>

/** One request, as `routes.ts` parsed it (after authentication). */
export interface TagRequest {
  readonly method: string
  readonly controller: string | undefined
  readonly action: string | undefined
  /** positional path segments after the action (CakePHP's passed arguments) */
  readonly args: ReadonlyArray<string>
  /** CakePHP named parameters (`name:value` segments) */
  readonly named: Readonly<Record<string, unknown>>
  readonly body: unknown
  readonly here: string
}

/** What the tag routes need from the router. */
export interface TagRouteDeps<R> {
  readonly profile: Profile
  readonly store: Store
  readonly baseUrl: () => string
  readonly n: (x: number) => string | number
  readonly json: (status: number, value: unknown, style?: JsonStyle, headers?: Record<string, string>) => R
  readonly error: (status: number, message: string, here: string, headers?: Record<string, string>) => R
  readonly empty: (status: number, headers?: Record<string, string>) => R
  /** the reply with another content type (2.3 answers some JSON as text/html and some redirects as JSON) */
  readonly retyped: (reply: R, type: 'json' | 'html') => R
}

/** MISP's ACL refusal (`ACLComponent::checkAccess`, late 2.4/2.5). */
const ACL_DENIED = 'You do not have permission to use this functionality.'

/** CakePHP's default `Paginator` page size of `TagsController` (`TagsController.php@v2.3.178:14-19`). */
const TAG_PAGE = 50
/** CakePHP 2's `maxLimit` for the `limit` named parameter. */
const MAX_LIMIT = 100

/**
 * Makes the handler: a reply for the routes it knows, `undefined` for every other request.
 */
export const makeTagRoutes =
  <R>(d: TagRouteDeps<R>) =>
  (req: TagRequest): R | undefined => {
    const { profile, store, n } = d
    const late = profile.era === '2.4'
    const { method, controller, action, args, named, body, here } = req

    /** A tag row: 2.3 `{id, name, colour, count}`; late 2.4 the full row seen on a real MISP 2.5.1. */
    const tagRow = (tag: Tag, count?: number): Json => {
      const o: Json = { id: n(tag.id), name: tag.name, colour: tag.colour }
      if (late) {
        o['exportable'] = tag.exportable
        if (profile.has('fullTagRows')) {
          Object.assign(o, {
            org_id: n(0),
            user_id: n(0),
            hide_tag: false,
            numerical_value: null,
            is_galaxy: tag.is_galaxy,
            is_custom_galaxy: false,
            local_only: false,
          })
        }
      }
      if (count !== undefined) {
        if (late && profile.has('fullTagRows')) o['favourite'] = false
        o['count'] = count
        if (late && profile.has('fullTagRows')) o['attribute_count'] = 0
      }
      return o
    }

    /** `GET /tags` or `/tags/index`: `{"Tag": [...]}`, paginated before 2.4.55 (`tagIndexUnpaged`). */
    const tagIndex = (): R => {
      const rows = listTags(store)
      if (profile.has('tagIndexUnpaged')) return d.json(200, { Tag: rows.map((r) => tagRow(r.tag, r.count)) })
      const limit = Math.min(MAX_LIMIT, Math.max(1, toInt(named['limit']) ?? TAG_PAGE))
      const page = Math.max(1, toInt(named['page']) ?? 1)
      // CakePHP ≥ 2.3 PaginatorComponent: a page past the last one is a NotFoundException
      if (page > Math.max(1, Math.ceil(rows.length / limit))) return d.error(404, 'Not Found', here)
      const slice = rows.slice((page - 1) * limit, page * limit)
      return d.json(200, { Tag: slice.map((r) => tagRow(r.tag, r.count)) }, 'compact-escaped')
    }

    /** `POST /tags/add`: 2.4.88+ 200 `{"Tag"}`; before, REST success redirects to `/tags/view/{id}`. */
    const tagAdd = (): R => {
      const u = store.user.perm
      // late 2.4/2.5: the ACL asks perm_tag_editor (`ACLComponent.php@v2.5.1:710`), before the action
      if (late && !u.siteAdmin && !u.tagEditor) return d.error(403, ACL_DENIED, here)
      // 2.3: perm_tagger, checked first, whatever the verb (`TagsController.php@v2.3.178:71`)
      if (!late && !u.siteAdmin && !u.tagger)
        return d.error(404, "You don't have permission to do that.", here)
      // 2.3 renders the add form for any other verb, and has no JSON view for it (real 2.3.178: 500)
      if (!late && method !== 'POST') return d.error(500, 'An Internal Error Has Occurred.', here)
      if (method !== 'POST') return d.error(405, 'Method Not Allowed', here)
      const r = addTagRest(store, body)
      if (r._tag === 'invalid') return d.error(405, r.message, here)
      if (profile.has('tagAddAnswersTag')) return d.json(200, { Tag: tagRow(r.tag) })
      return redirect(`${d.baseUrl()}/tags/view/${r.tag.id}`)
    }

    /** addTag/removeTag answer with `json_encode` and HTTP 200, whatever happened. */
    const saved = (answer: unknown): R => {
      const reply = d.json(200, answer, 'compact-escaped')
      // 2.3 returns a bare `CakeResponse(['body' => json_encode(…)])`: text/html (real 2.3.178,
      // rec 6f–6s; `EventsController.php@v2.3.178:2817-2884`)
      return late ? reply : d.retyped(reply, 'html')
    }
    /** 2.3's REST redirects carry the JSON content type the REST request set (real 2.3.178, rec 6b, 7b). */
    const redirect = (location: string): R => {
      const reply = d.empty(302, { Location: location })
      return late ? reply : d.retyped(reply, 'json')
    }

    const attribute = (a: Attr): Json => {
      const o: Json = {
        id: n(a.id),
        event_id: n(a.event_id),
        type: a.type,
        category: a.category,
        ...(late ? { value: a.value } : {}),
        to_ids: a.to_ids,
        uuid: a.uuid,
        timestamp: n(a.timestamp),
        comment: a.comment,
        distribution: n(a.distribution),
      }
      // 2.3.178 puts the value last (real 2.3.178, rec 7a: `AttributesController::view@v2.3.178:802-825`)
      if (!late) o['value'] = a.value
      if (late) o['deleted'] = a.deleted
      return o
    }

    /** `GET /attributes/view/{id}` (REST): `{"Attribute": {…}}`; 404 "Invalid attribute" (`AttributesController.php@v2.3.178:802-825`). */
    const attributeView = (ref: string): R => {
      const found = /^\d+$/.test(ref) ? store.findAttributeById(Number(ref)) : undefined
      const ev = found === undefined ? undefined : store.events.find((e) => e.id === found.attr.event_id)
      if (found === undefined || ev === undefined || (late && found.attr.deleted))
        return d.error(404, 'Invalid attribute', here)
      if (!store.canSee(ev)) return d.error(405, 'Invalid attribute', here)
      return d.json(200, { Attribute: attribute(found.attr) })
    }

    /** MISP 2.3's `POST /attributes/add/{eventId}` (REST, one attribute): see `addAttributeRest`. */
    const attributeAdd = (eventRef: string): R => {
      const r = addAttributeRest(store, eventRef, body)
      switch (r._tag) {
        case 'added':
          return d.json(200, { response: { Attribute: attribute(r.attr) } })
        case 'exists':
          return d.error(
            404,
            'Attribute already exists, if you would like to edit it, use the url in the location header.',
            here,
            { Location: `${d.baseUrl()}/attributes/${r.id}` },
          )
        case 'invalid':
          return d.error(
            404,
            `Could not save the attribute. ${Object.entries(r.errors)
              .map(([k, v]) => `[${k}]: ${v[0] ?? ''}`)
              .join('\n')}`,
            here,
          )
        case 'forbidden':
          return d.error(401, 'You do not have permission to do that.', here)
        case 'not-found':
          return d.error(404, 'Invalid event', here)
      }
    }

    /** `POST /attributes/delete/{id}`: see `deleteAttributeRest` for what each release does. */
    const attributeDelete = (ref: string): R => {
      // 2.3 accepts any verb for REST (`AttributesController.php@v2.3.178:860`); late 2.4 POST or DELETE (`@v2.4.199:1050`)
      if (late && method !== 'POST' && method !== 'DELETE')
        return d.error(405, 'This function is only accessible via POST requests.', here)
      const r = deleteAttributeRest(store, ref)
      const soft = profile.has('attributeDeleted')
      if (r._tag === 'forbidden')
        return soft
          ? d.error(403, 'You do not have permission to do that.', here)
          : d.error(405, 'Method Not Allowed', here)
      if (r._tag === 'not-found') return d.error(404, 'Invalid attribute', here)
      // CakePHP writes `redirect(array('action' => 'index'))` as `/attributes` (real 2.3.178:
      // `302 Location: <baseurl>/attributes`, AttributesController.php@v2.3.178:867-869)
      if (!soft) return redirect(`${d.baseUrl()}/attributes`)
      if (r._tag !== 'deleted') return d.error(404, 'Invalid attribute', here)
      if (profile.has('attributeDeleteMessage')) return d.json(200, { message: 'Attribute deleted.' })
      return d.empty(302, { Location: `${d.baseUrl()}/events/view/${r.ev.id}` })
    }

    if (controller === 'tags') {
      if ((action === undefined || action === 'index') && args.length === 0)
        return method === 'GET' || method === 'HEAD' ? tagIndex() : d.error(405, 'Method Not Allowed', here)
      if (action === 'add' && args.length === 0) return tagAdd()
      // 2.3: perm_tagger (or site admin) first, then any verb but POST is a 405, before the tag is
      // looked up (`TagsController.php@v2.3.178:119-124`; real 2.3.178 `GET /tags/delete/0`); the
      // client's permission probe. (A POST, deleting a tag, is not modelled.)
      if (action === 'delete' && args.length === 1 && !late && method !== 'POST') {
        const u = store.user.perm
        if (!u.siteAdmin && !u.tagger) return d.error(404, "You don't have permission to do that.", here)
        return d.error(405, 'Method Not Allowed', here)
      }
      return undefined
    }
    if (controller === 'attributes') {
      const [ref, ...more] = args
      if (ref === undefined || more.length > 0) return undefined
      if (action === 'delete') return attributeDelete(ref)
      if (action === 'add' && !late && method === 'POST') return attributeAdd(ref)
      if (action === 'view' && (method === 'GET' || method === 'HEAD')) return attributeView(ref)
      return undefined
    }
    if (controller === 'events' && (action === 'addTag' || action === 'removeTag')) {
      const [eventRef, urlTag, ...more] = args
      if (more.length > 0) return d.error(404, 'Not Found', here)
      // 2.3 answers a non-POST with the permission text (`EventsController.php@v2.3.178:2818-2820`)
      if (method !== 'POST')
        return late
          ? d.error(405, 'Method Not Allowed', here)
          : saved({ saved: false, errors: "You don't have permission to do that." })
      // late 2.4/2.5: the ACL asks perm_tagger for both (`ACLComponent.php@v2.5.1:52,77`)
      if (late && !store.user.perm.siteAdmin && !store.user.perm.tagger) return d.error(403, ACL_DENIED, here)
      if (action === 'addTag') {
        const local = late && named['local'] !== undefined && named['local'] !== '0' && named['local'] !== ''
        return saved(attachTagRest(store, eventRef, urlTag, body, local))
      }
      return saved(detachTagRest(store, eventRef, urlTag, body))
    }
    return undefined
  }
