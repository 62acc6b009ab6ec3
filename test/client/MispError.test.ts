import { describe, expect, test } from 'vitest'
import {
  errorsLines,
  formatMispError,
  isMispError,
  isTransient,
  type MispError,
} from '../../src/client/index.js'
import { decodeFailure } from '../../src/DecodeFailure.js'

const request = { method: 'PUT', url: 'https://misp.example/events/edit/4' }

describe('errorsLines', () => {
  test('renders every shape of MISP errors', () => {
    expect(errorsLines('Event could not be saved.')).toEqual(['Event could not be saved.'])
    expect(errorsLines({ Event: { info: ['valueNotEmpty'] } })).toEqual(['Event.info: valueNotEmpty'])
    expect(errorsLines({ Attribute: { 0: { value: ['bad', 'worse'] } } })).toEqual([
      'Attribute.0.value: bad, worse',
    ])
    expect(errorsLines([{ a: 'x' }, 'y'])).toEqual(['y', 'a: x'])
    expect(errorsLines(undefined)).toEqual([])
    expect(errorsLines('')).toEqual([])
  })
})

describe('formatMispError', () => {
  const cases: ReadonlyArray<readonly [MispError, string]> = [
    [
      {
        _tag: 'TransportError',
        request,
        reason: 'tls',
        message: 'fetch failed: self-signed certificate',
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      },
      'network failure (tls, DEPTH_ZERO_SELF_SIGNED_CERT): fetch failed: self-signed certificate — PUT https://misp.example/events/edit/4',
    ],
    [
      { _tag: 'Timeout', request, timeoutMs: 300 },
      'no answer within 300 ms — PUT https://misp.example/events/edit/4',
    ],
    [{ _tag: 'Aborted', request }, 'cancelled — PUT https://misp.example/events/edit/4'],
    [
      { _tag: 'RateLimited', request, status: 429, retryAfter: 5, body: { name: 'Rate limit exceeded.' } },
      'rate limited (HTTP 429), retry after 5 s: Rate limit exceeded. — PUT https://misp.example/events/edit/4',
    ],
    [
      {
        _tag: 'ValidationFailed',
        request,
        status: 403,
        body: {
          name: 'Could not add Event',
          message: 'Could not add Event',
          errors: { Event: { info: ['valueNotEmpty'] } },
        },
      },
      'MISP rejected the event (HTTP 403): Could not add Event: Event.info: valueNotEmpty — PUT https://misp.example/events/edit/4',
    ],
    [
      { _tag: 'HttpError', request, status: 502, excerpt: '502 Bad Gateway' },
      'HTTP 502: 502 Bad Gateway — PUT https://misp.example/events/edit/4',
    ],
    [
      { _tag: 'Forbidden', request, status: 302, location: 'https://misp.example/events/index' },
      'forbidden (HTTP 302 to https://misp.example/events/index) — PUT https://misp.example/events/edit/4',
    ],
  ]
  test.each(cases)('%j', (e, text) => {
    expect(formatMispError(e)).toBe(text)
  })

  test('an unexpected shape lists the decode problems by path', () => {
    const e: MispError = {
      _tag: 'UnexpectedResponse',
      request,
      status: 200,
      reason: 'shape',
      detail: 'the body is not a valid V24.Event',
      failure: decodeFailure('V24.Event', [{ path: 'Event.uuid', expected: 'uuid', actual: 7 }]),
    }
    expect(formatMispError(e).split('\n')).toEqual([
      'unexpected response (HTTP 200, shape): the body is not a valid V24.Event — PUT https://misp.example/events/edit/4',
      '  not a valid V24.Event:',
      '    Event.uuid: expected uuid, got 7',
    ])
  })

  test('every tag renders with its request', () => {
    const all: ReadonlyArray<MispError> = [
      { _tag: 'AuthenticationFailed', request, status: 403, message: 'Authentication failed.' },
      { _tag: 'NotFound', request, status: 404, body: { name: 'Invalid event' } },
      { _tag: 'Blocklisted', request, status: 403, body: { name: 'blocked' } },
      { _tag: 'NotLocked', request, status: 403, body: { name: 'not authorised' } },
      { _tag: 'InvalidArgument', request, argument: 'uuid', message: 'expected a UUID' },
    ]
    for (const e of all) expect(formatMispError(e)).toContain(request.url)
  })
})

describe('refinements', () => {
  test('isMispError narrows by tag, isTransient says what a later pass may cure', () => {
    const t: MispError = { _tag: 'Timeout', request, timeoutMs: 1 }
    expect(isMispError('Timeout')(t)).toBe(true)
    expect(isMispError('NotFound')(t)).toBe(false)
    expect(isTransient(t)).toBe(true)
    expect(isTransient({ _tag: 'TransportError', request, reason: 'tls', message: '' })).toBe(false)
    expect(isTransient({ _tag: 'HttpError', request, status: 503 })).toBe(true)
    expect(isTransient({ _tag: 'HttpError', request, status: 400 })).toBe(false)
    expect(isTransient({ _tag: 'ValidationFailed', request, status: 403, body: {} })).toBe(false)
  })

  test('an internal client failure and a redirect are not transient, and say what to do', () => {
    const internal: MispError = { _tag: 'TransportError', request, reason: 'internal', message: 'boom' }
    expect(isTransient(internal)).toBe(false)
    expect(isTransient({ ...internal, reason: 'network' })).toBe(true)
    expect(isTransient({ ...internal, reason: 'reset' })).toBe(true)
    expect(formatMispError(internal)).toMatch(/^internal client failure .*look the event up.*: boom — /)
    const redirect: MispError = {
      _tag: 'UnexpectedResponse',
      request,
      status: 302,
      reason: 'redirect',
      detail: 'x',
      location: 'https://misp/events/view/12',
    }
    expect(isTransient(redirect)).toBe(false)
    expect(formatMispError(redirect)).toContain('(HTTP 302, redirect to https://misp/events/view/12): x')
  })
})
