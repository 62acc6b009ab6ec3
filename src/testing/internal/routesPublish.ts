/**
 * The emulator's publish endpoints, from MISP's source per release: `POST /events/publish/{id}`
 * (publishes without alert e-mails), `POST /events/alert/{id}` (publishes and sends them),
 * `POST /events/unpublish/{id}` (2.4/2.5) and `POST /events/delete/{id}`.
 *
 * Who may publish (`EventsController::publish@v2.3.178:1479-1490`, `ACLComponent::
 * canPublishEvent@v2.5.1:1013-1025`): a site admin, or a role with `perm_publish` in the event's
 * creator organisation; others get a 405. Answers as the real servers gave them: 2.3 redirects to
 * `/events/view/{id}` on success (its refusal escaped by `h()`, as every error); 2.4/2.5 answer
 * `saveSuccessResponse`. Publishing does not move the event's timestamp.
 *
 * @since 0.3.0
 */

import type { TagRequest, TagRouteDeps } from './routesTags.js'
import type { Ev } from './store.js'

/**
 * Makes the handler: a reply for the routes it knows, `undefined` for every other request.
 */
export const makePublishRoutes =
  <R>(d: TagRouteDeps<R>) =>
  (req: TagRequest): R | undefined => {
    const { profile, store, n } = d
    const { method, controller, action, args, here } = req
    if (controller !== 'events') return undefined
    if (action !== 'publish' && action !== 'alert' && action !== 'delete' && action !== 'unpublish')
      return undefined
    const is23 = profile.era === '2.3'
    if (action === 'unpublish' && is23) return d.error(404, 'Not Found', here) // no such action on 2.3
    const ref = args[0]
    if (ref === undefined || args.length > 1) return d.error(404, 'Not Found', here)
    const ev = store.findEvent(ref)
    if (ev === undefined || !store.canSee(ev))
      return d.error(404, is23 || action === 'delete' ? 'Invalid event' : 'Invalid event.', here)
    if (method !== 'POST' && method !== 'PUT') return d.error(405, 'Method Not Allowed', here)
    const u = store.user
    const refused = (): R =>
      d.error(
        405,
        is23
          ? "You don't have the permission to do that." // escaped by error(), as h() does
          : 'You do not have the permission to do that.',
        here,
      )
    const success = (name: string): R =>
      is23
        ? d.empty(302, { Location: `${d.baseUrl()}/events/view/${ev.id}` })
        : d.json(200, {
            saved: true,
            success: true,
            name,
            message: name,
            url: `/events/${action}/${ev.id}`,
            id: n(ev.id),
          })
    const publish = (e: Ev): void => {
      if (!e.published) e.publish_timestamp = store.clock()
      e.published = true
    }
    switch (action) {
      case 'publish':
      case 'alert':
        if (!(u.perm.siteAdmin || (u.perm.publish && ev.orgc_id === u.orgId))) return refused()
        if (action === 'alert') store.alert(ev, 'alert')
        publish(ev)
        return success(
          action === 'alert' ? 'Email sent to all participants.' : 'Event published without alerts',
        )
      case 'unpublish':
        // canModifyEvent: site admin, the creator org, or the event's own user (ACLComponent@v2.5.1:989-1004)
        if (!(u.perm.siteAdmin || ev.orgc_id === u.orgId || ev.user_id === u.id))
          return d.error(403, 'You do not have the permission to do that.', here)
        ev.published = false
        return success('Event unpublished.')
      case 'delete':
        if (!(u.perm.siteAdmin || ev.org_id === u.orgId)) return refused()
        store.removeEvent(ev)
        return is23 ? d.json(200, { message: 'Event deleted.' }) : success('Event deleted.')
    }
  }
