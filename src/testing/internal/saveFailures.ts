/**
 * MISP's answers to an event add or edit that did not save, release by release: the envelope,
 * the status and where the validation errors go (`EventsController.php`, `Event::_edit`; rec#N =
 * exchange N of the real MISP 2.5.1 recording).
 *
 * @since 0.1.0
 */
import type { Profile } from '../profiles.js'
import type { Replies, Reply } from './replies.js'
import type { FieldErrors } from './validate.js'

type Json = Record<string, unknown>

/** What the failure answers need from the router. */
export interface SaveFailureDeps {
  readonly profile: Profile
  readonly json: Replies['json']
  /** an id as the release writes it (a string, or a number on a numeric 2.5 wire) */
  readonly n: (x: number) => string | number
}

/** The add and edit failure answers of one router. */
export interface SaveFailures {
  readonly addFailed: (errors: FieldErrors) => Reply
  readonly editFailed: (id: number, errors: string | FieldErrors, here: string) => Reply
}

export const makeSaveFailures = ({ profile, json, n }: SaveFailureDeps): SaveFailures => {
  /** `EventsController.php@v2.3.178:1000-1014`: 2.3–2.4.102 → 200 "Add event failed."; 2.4.103+ → 403 saveFailResponse (rec#24, rec#25). */
  const addFailed = (errors: FieldErrors): Reply => {
    if (!profile.has('saveFailResponse'))
      return json(200, {
        name: 'Add event failed.',
        message: 'The event could not be saved.',
        url: '/events/add',
        // 2.3 nests them under the model (`$validationErrors['Event']`, `Event.php@v2.3.178:1388`)
        errors: profile.era === '2.3' ? { Event: errors } : errors,
      })
    const body: Json = {}
    if (profile.has('saveFailSavedFlag')) body['saved'] = false
    body['name'] = 'Could not add Event'
    body['message'] = 'Could not add Event'
    body['url'] = '/events/add'
    body['errors'] = { Event: errors }
    return json(403, body)
  }

  /** `Event::_edit@v2.4.199:4075-4160` edit failure by era: 405 (2.3), 200 (2.4.0–2.4.102), 403 (+saved 2.4.120, +id 2.4.159; rec#6, rec#7). */
  const editFailed = (id: number, errors: string | FieldErrors, here: string): Reply => {
    if (profile.has('editFail405')) {
      const msg = typeof errors === 'string' ? errors : 'Event could not be saved.'
      return json(405, { name: msg, message: msg, url: here }, 'compact-escaped')
    }
    if (profile.has('editFail200'))
      return json(200, { name: 'Edit event failed.', message: 'Error', url: `/events/edit/${id}`, errors })
    const body: Json = {}
    if (profile.has('saveFailSavedFlag')) body['saved'] = false
    body['name'] = 'Could not edit Event'
    body['message'] = 'Could not edit Event'
    body['url'] = `/events/edit/${id}`
    body['errors'] = typeof errors === 'string' ? errors : { Event: errors }
    if (profile.has('saveFailId')) body['id'] = n(id)
    return json(403, body)
  }

  return { addFailed, editFailed }
}
