import { describe, expect, test } from 'vitest'
import { isTransient } from '../../../src/client/index.js'
import {
  alreadyExists,
  duplicateId,
  errorBodyOf,
  failureOf,
  isNotNewer,
  jsonOf,
  redirectedToView,
  trailingId,
} from '../../../src/client/internal/answers.js'
import { type Answer, bodyOf } from '../../../src/client/internal/transport.js'

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => {
  const contentType =
    headers['content-type'] ?? (typeof body === 'string' ? 'text/html; charset=UTF-8' : 'application/json')
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
  return {
    request: { method: 'POST', url: 'http://misp/events/add' },
    status,
    headers: new Headers({ ...headers, 'content-type': contentType }),
    contentType,
    body: bodyOf(text, contentType),
  }
}

const notNewer = 'Event could not be saved: Event in the request not newer than the local copy.'

describe('MISP answers', () => {
  test('bodyOf tells JSON, text, malformed JSON and empty bodies apart', () => {
    expect(bodyOf('{"a":1}', 'application/json')).toEqual({ _tag: 'Json', value: { a: 1 } })
    expect(bodyOf('[1]', 'text/html')).toEqual({ _tag: 'Json', value: [1] })
    expect(bodyOf('{"a":', 'application/json; charset=UTF-8')._tag).toBe('InvalidJson')
    expect(bodyOf('<html/>', 'text/html')._tag).toBe('Text')
    expect(bodyOf('  ', 'application/json')._tag).toBe('Empty')
  })

  test('trailing ids of Location headers', () => {
    expect(trailingId('https://misp.example/events/42')).toBe('42')
    expect(trailingId('/misp/events/7/')).toBe('7')
    expect(trailingId('https://misp.example/events/index')).toBeUndefined()
    expect(trailingId('https://misp.example/events/42?x=1')).toBe('42')
  })

  test('a duplicate create in every form MISP may send it', () => {
    const name = 'Event already exists, if you would like to edit it, use the url in the location header.'
    expect(
      alreadyExists(answer(404, { name, message: name, url: '/events' }, { location: 'http://m/events/4' })),
    ).toEqual({ id: '4' })
    expect(alreadyExists(answer(302, undefined, { location: '/events/12' }))).toEqual({ id: '12' })
    expect(alreadyExists(answer(200, { name, message: name, url: '/events' }))).toEqual({ id: undefined })
    // not duplicates: a login redirect, 2.3's redirect to the index, a plain 404
    expect(alreadyExists(answer(302, undefined, { location: 'http://m/users/login' }))).toBeUndefined()
    expect(alreadyExists(answer(302, undefined, { location: 'http://m/events/index' }))).toBeUndefined()
    expect(alreadyExists(answer(404, { name: 'Invalid event' }))).toBeUndefined()
  })

  test('§5.4: only a Location of the shape <baseurl>/events/<id> is a duplicate', () => {
    expect(duplicateId('https://misp.example/events/42')).toBe('42')
    expect(duplicateId('https://misp.example/misp/events/42/')).toBe('42')
    expect(duplicateId('/events/42?x=1')).toBe('42')
    for (const other of [
      'https://misp.example/events/view/12',
      'https://misp.example/events/edit/12',
      'https://misp.example/attributes/12',
      'https://misp.example/12',
    ])
      expect(duplicateId(other), other).toBeUndefined()
    // CakePHP's redirect after a successful form (non-REST) add is not a duplicate ...
    const viewRedirect = answer(302, undefined, { location: 'https://misp.example/events/view/12' })
    expect(alreadyExists(viewRedirect)).toBeUndefined()
    expect(alreadyExists(answer(404, undefined, { location: 'https://m/attributes/12' }))).toBeUndefined()
    // ... it is an UnexpectedResponse (redirect), which nothing retries
    const e = redirectedToView(viewRedirect)
    expect(e).toMatchObject({
      _tag: 'UnexpectedResponse',
      status: 302,
      reason: 'redirect',
      location: 'https://misp.example/events/view/12',
    })
    expect(e !== undefined && isTransient(e)).toBe(false)
    expect(redirectedToView(answer(302, undefined, { location: 'http://m/events/12' }))).toBeUndefined()
    expect(
      redirectedToView(answer(200, { Event: {} }, { location: 'http://m/events/view/12' })),
    ).toBeUndefined()
  })

  test('§5.5 "Could not find the local event." is NotFound in every era', () => {
    const text = 'Event could not be saved: Could not find the local event.'
    const eras = [
      answer(405, { name: text, message: text, url: '/events/1' }),
      answer(200, { name: 'Edit event failed.', message: 'Error', url: '/events/edit/1', errors: text }),
      answer(403, {
        name: 'Could not edit Event',
        message: 'Could not edit Event',
        url: '/events/edit/1',
        errors: text,
      }),
      answer(403, { saved: false, name: 'Could not edit Event', errors: text, id: '1' }),
    ]
    for (const a of eras)
      expect(failureOf(a), String(a.status)).toMatchObject({ _tag: 'NotFound', status: a.status })
  })

  test('"not newer" in each era', () => {
    expect(isNotNewer(answer(405, { name: notNewer, message: notNewer, url: '/events/1' }))).toBe(true)
    expect(
      isNotNewer(
        answer(200, {
          name: 'Edit event failed.',
          message: 'Error',
          url: '/events/edit/1',
          errors: notNewer,
        }),
      ),
    ).toBe(true)
    expect(
      isNotNewer(answer(403, { saved: false, name: 'Could not edit Event', errors: notNewer, id: '4' })),
    ).toBe(true)
    expect(
      isNotNewer(answer(403, { name: 'Could not edit Event', errors: 'Could not find the local event.' })),
    ).toBe(false)
    expect(isNotNewer(answer(500, { name: notNewer }))).toBe(false)
  })

  test('failures map to typed errors', () => {
    const tag = (a: Answer) => failureOf(a)._tag
    expect(
      tag(answer(403, { name: 'Authentication failed. Please make sure…', message: 'x', url: '/' })),
    ).toBe('AuthenticationFailed')
    expect(tag(answer(302, undefined, { location: 'https://m/users/login' }))).toBe('AuthenticationFailed')
    expect(tag(answer(401, undefined))).toBe('AuthenticationFailed')
    expect(tag(answer(200, '<html><body data-controller="users" data-action="login"></body></html>'))).toBe(
      'AuthenticationFailed',
    )
    expect(tag(answer(429, { name: 'Rate limit exceeded.' }, { 'retry-after': '7' }))).toBe('RateLimited')
    expect(failureOf(answer(429, undefined, { 'retry-after': '7' }))).toMatchObject({ retryAfter: 7 })
    expect(tag(answer(404, { name: 'Invalid event' }))).toBe('NotFound')
    expect(
      tag(answer(403, { name: 'Could not add Event', errors: { Event: { info: ['valueNotEmpty'] } } })),
    ).toBe('ValidationFailed')
    expect(
      tag(
        answer(200, {
          name: 'Add event failed.',
          message: 'The event could not be saved.',
          errors: { info: ['x'] },
        }),
      ),
    ).toBe('ValidationFailed')
    expect(
      tag(answer(403, { name: 'Could not add Event', errors: 'Event blocked by event blocklist.' })),
    ).toBe('Blocklisted')
    expect(
      tag(answer(403, { name: 'x', errors: 'Blocked an edit to an event that was created locally.' })),
    ).toBe('NotLocked')
    expect(
      tag(
        answer(405, { name: 'Event cannot be created as you are not a member of the creator organisation.' }),
      ),
    ).toBe('Forbidden')
    expect(tag(answer(500, { name: 'An Internal Error Has Occurred.' }))).toBe('HttpError')
    expect(failureOf(answer(502, '<html><head><title>502 Bad Gateway</title></head></html>'))).toMatchObject({
      _tag: 'HttpError',
      excerpt: '502 Bad Gateway',
    })
  })

  test('2xx answers that are not JSON', () => {
    expect(jsonOf(answer(200, { a: 1 }))).toEqual({ _tag: 'Right', right: { a: 1 } })
    expect(jsonOf(answer(200, '<html><p>hello</p></html>'))).toMatchObject({
      left: { _tag: 'UnexpectedResponse', reason: 'html' },
    })
    expect(jsonOf(answer(200, 'plain', { 'content-type': 'text/plain' }))).toMatchObject({
      left: { reason: 'not-json' },
    })
    expect(jsonOf(answer(200, undefined))).toMatchObject({ left: { reason: 'empty' } })
    const truncated: Answer = {
      ...answer(200, undefined),
      body: bodyOf('{"Event":{"id":"1', 'application/json'),
    }
    expect(jsonOf(truncated)).toMatchObject({ left: { reason: 'invalid-json' } })
  })

  test('errorBodyOf keeps only the envelope, never an event', () => {
    expect(errorBodyOf(bodyOf('{"name":"n","id":4,"extra":1}', 'application/json'))).toEqual({
      name: 'n',
      id: '4',
    })
    expect(errorBodyOf(bodyOf('{"name":"n","Event":{"uuid":"x"}}', 'application/json'))).toBeUndefined()
  })
})
