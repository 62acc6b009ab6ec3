/**
 * Base URLs (issue #9, points 6 and 7): the real problem named, credentials refused and never
 * shown — by the URL module and by a `MispClient` built on such a URL.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { checkBaseUrl, hideUserinfo, shownBaseUrl } from '../../src/client/internal/url.js'
import { MispClient } from '../../src/client/MispClient.js'
import { formatMispError } from '../../src/client/MispError.js'

const SECRET = 'S3CRETpassw0rd'

describe('checkBaseUrl', () => {
  test.each([
    ['https://misp.example.org', 'https://misp.example.org/'],
    ['http://127.0.0.1:8080/misp?x=1#y', 'http://127.0.0.1:8080/misp/'],
    ['HTTPS://[::1]:443/', 'https://[::1]/'],
    [new URL('http://h:65535'), 'http://h:65535/'],
  ])('%s → %s', (url, expected) => {
    expect(checkBaseUrl(url)).toEqual(E.right(expected))
  })

  test.each([
    [undefined, /^missing$/],
    ['  ', /^missing$/],
    ['notaurl', /^not a URL/],
    ['127.0.0.1:8080', /^not a URL/],
    ['misp.example.org/path', /^not a URL/],
    ['ftp://x', /^unsupported scheme "ftp:"/],
    ['localhost://x', /^unsupported scheme "localhost:"/],
    ['http://127.0.0.1:99999', /^port 99999 is out of range \(1–65535\)$/],
    ['http://[::1]:70000/', /^port 70000 is out of range/],
    ['http://h:0/', /^port 0 is out of range/],
    [`http://admin:${SECRET}@h/`, /^credentials in the URL are not supported/],
    [`http://admin@h/`, /^credentials in the URL are not supported/],
    [`http://admin:${SECRET}@h:99999/`, /^port 99999 is out of range/],
    ['http://exa mple.org/', /^not a valid URL/],
    [42, /^not a URL: got number$/],
  ])('%j → %s', (url, message) => {
    const r = checkBaseUrl(url)
    expect(E.isLeft(r) && r.left).toMatch(message)
    expect(JSON.stringify(r)).not.toContain(SECRET)
  })
})

describe('shown URLs', () => {
  test('hideUserinfo replaces every URL user information, even with @ in the password', () => {
    expect(hideUserinfo(`GET http://admin:${SECRET}@h/x and https://u:p@ss@other:1/ done`)).toBe(
      'GET http://<redacted>@h/x and https://<redacted>@other:1/ done',
    )
    expect(hideUserinfo('mail admin@example.org, see http://h/a@b')).toBe(
      'mail admin@example.org, see http://h/a@b',
    )
  })

  test('shownBaseUrl ends with a slash so that a path stays readable', () => {
    expect(shownBaseUrl('http://127.0.0.1:99999')).toBe('http://127.0.0.1:99999/')
    expect(shownBaseUrl(`ftp://a:${SECRET}@x`)).toBe('ftp://<redacted>@x/')
  })
})

describe('a MispClient on a bad URL', () => {
  test.each([
    [`http://admin:${SECRET}@127.0.0.1:1/`, /credentials in the URL are not supported/],
    [`http://admin:${SECRET}@127.0.0.1:99999`, /port 99999 is out of range/],
    [
      'http://127.0.0.1:99999',
      /port 99999 is out of range.*GET http:\/\/127\.0\.0\.1:99999\/servers\/getVersion/,
    ],
    ['ftp://x', /unsupported scheme "ftp:".*GET ftp:\/\/x\/servers\/getVersion/],
  ])('%s: the call fails with the problem, the password nowhere', async (url, message) => {
    const client = new MispClient({ url, key: 'K'.repeat(40), version: '2.4' })
    expect(client.url).not.toContain(SECRET)
    const r = await client.version()()
    expect(E.isLeft(r)).toBe(true)
    if (E.isLeft(r)) {
      expect(r.left._tag).toBe('InvalidArgument')
      expect(formatMispError(r.left)).toMatch(message)
      expect(JSON.stringify(r.left)).not.toContain(SECRET)
      expect(formatMispError(r.left)).not.toContain(SECRET)
    }
  })
})
