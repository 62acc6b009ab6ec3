/**
 * A MISP server's base URL: checked (an absolute `http:` or `https:` URL, a port in range, no
 * credentials), normalised (a trailing slash, no query or fragment), and shown without its user
 * information. A URL's user information (`user:password@`) never appears in a message: MISP
 * authenticates with the API key, so a URL that carries credentials is refused — and echoed
 * with `<redacted>@` in their place.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'

/** What replaces the user information of a URL in every message. */
const HIDDEN = '<redacted>'

/** `scheme://userinfo@` anywhere in a text (the userinfo ends at the last `@` before the path). */
const USERINFO_RE = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi

/**
 * The text with the user information of every URL in it replaced by `<redacted>`:
 * `http://admin:secret@misp/` → `http://<redacted>@misp/`.
 */
export const hideUserinfo = (text: string): string => text.replace(USERINFO_RE, `$1${HIDDEN}@`)

/** What a base URL looks like when it is shown: no user information; never throws. */
export const shownUrl = (url: unknown): string => {
  try {
    return hideUserinfo(url instanceof URL ? url.href : String(url))
  } catch {
    return `<${typeof url}>`
  }
}

/**
 * A base URL as shown where it could not be checked: {@link shownUrl} with a trailing slash, so
 * that a request path appended to it stays readable (`http://h:99999/servers/getVersion`).
 */
export const shownBaseUrl = (url: unknown): string => {
  const s = shownUrl(url)
  return s.endsWith('/') ? s : `${s}/`
}

const SCHEME_RE = /^([a-z][a-z0-9+.-]*:)\/\//i

/** The port written in an authority (`host:port`, `[v6]:port`), or undefined. */
const portOf = (authority: string): string | undefined => {
  const host = authority.slice(authority.lastIndexOf('@') + 1)
  const m = /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(host)
  return m?.[1]
}

/**
 * Checks a MISP base URL and normalises it (`https://misp.example.org/path/`). `Left` names the
 * problem in words that never contain the URL's user information: `missing`, `not an absolute
 * URL …`, `unsupported scheme "ftp:" …`, `port 99999 is out of range (1–65535)`, `credentials in
 * the URL are not supported …`.
 */
export const checkBaseUrl = (url: unknown): E.Either<string, string> => {
  if (url === undefined || url === null || (typeof url === 'string' && url.trim() === ''))
    return E.left('missing')
  if (typeof url !== 'string' && !(url instanceof URL)) return E.left(`not a URL: got ${typeof url}`)
  const text = url instanceof URL ? url.href : url.trim()
  const scheme = SCHEME_RE.exec(text)?.[1]
  if (scheme === undefined)
    return E.left('not a URL: expected an absolute URL such as https://misp.example.org')
  if (scheme.toLowerCase() !== 'http:' && scheme.toLowerCase() !== 'https:')
    return E.left(
      `unsupported scheme ${JSON.stringify(scheme.toLowerCase())}: MISP is reached over http: or https:`,
    )
  const authority = text.slice(scheme.length + 2).split(/[/?#]/, 1)[0] ?? ''
  const port = portOf(authority)
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535))
    return E.left(`port ${port} is out of range (1–65535)`)
  let u: URL
  try {
    u = new URL(text)
  } catch {
    return E.left('not a valid URL: check the host name')
  }
  if (u.hostname === '') return E.left('not a valid URL: no host name')
  if (u.username !== '' || u.password !== '')
    return E.left('credentials in the URL are not supported: MISP authenticates with the API key')
  u.search = ''
  u.hash = ''
  if (!u.pathname.endsWith('/')) u.pathname = `${u.pathname}/`
  return E.right(u.href)
}
