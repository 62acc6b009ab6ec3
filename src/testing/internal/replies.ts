/**
 * What the emulator answers: the {@link Reply} every endpoint builds (written to the socket in
 * one place, `MispEmulator.ts`), MISP's answer texts and the builders of JSON, CakePHP error, empty
 * and HTML replies. The routes (`routes.ts` and the per-concept `routes*.ts`) build on it.
 *
 * @since 0.1.0
 */
import { type JsonStyle, phpJson } from './json.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

export type Headers = Record<string, string>

/** What the server answers: built here, written to the socket in one place. */
export interface Reply {
  readonly status: number
  readonly body: string
  readonly type: string
  readonly headers: Headers
}

/** MISP's `EventsController.php` answer texts (rec#N where recorded). */
export const texts = {
  authFailed:
    'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.',
  duplicate: 'Event already exists, if you would like to edit it, use the url in the location header.',
  noMatches: 'No matches.',
  noPermission: 'You do not have the permission to do that.',
  aclDenied: 'You do not have permission to use this functionality.',
  notFound: 'Not Found',
  methodNotAllowed: 'Method Not Allowed',
  internalError: 'An Internal Error Has Occurred.',
  rateLimit: 'Rate limit exceeded.',
} as const

/** `h()`: PHP's htmlspecialchars with ENT_QUOTES (CakePHP 2, PHP ≥ 5.4: `&#039;` for the quote). */
const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#039;',
}

export const jsonType = 'application/json; charset=UTF-8'
export const htmlType = 'text/html; charset=UTF-8'

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/** The reply builders of one router. */
export interface Replies {
  /** JSON in the router's main style unless told otherwise. */
  readonly json: (status: number, value: unknown, style?: JsonStyle, headers?: Headers) => Reply
  /** CakePHP's ExceptionRenderer: `{name, message, url}` with `json_encode` defaults (rec#4, rec#12, rec#13). */
  readonly error: (status: number, message: string, here: string, headers?: Headers) => Reply
  readonly empty: (status: number, headers?: Headers) => Reply
  readonly html: (status: number, body: string) => Reply
  /** the reply with another content type (2.3 answers some JSON as text/html and some redirects as JSON) */
  readonly retyped: (reply: Reply, type: 'json' | 'html') => Reply
}

/** The builders, with `mainStyle` the JSON style of the release's views. */
export const makeReplies = (mainStyle: JsonStyle): Replies => {
  const json = (
    status: number,
    value: unknown,
    style: JsonStyle = mainStyle,
    headers: Headers = {},
  ): Reply => ({
    status,
    body: phpJson(value, style),
    type: jsonType,
    headers,
  })
  /** CakePHP's ExceptionRenderer: `{name, message, url}` with `json_encode` defaults (rec#4, rec#12, rec#13). */
  const error = (status: number, message: string, here: string, headers: Headers = {}): Reply => {
    // CakePHP 2's ExceptionRenderer passes the message through h() (real 2.3.178: "You don&#039;t
    // have permission to do that." on tags/add)
    const shown = message.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c)
    return json(status, { name: shown, message: shown, url: here }, 'compact-escaped', headers)
  }
  const empty = (status: number, headers: Headers = {}): Reply => ({
    status,
    body: '',
    type: htmlType,
    headers,
  })
  const html = (status: number, body: string): Reply => ({ status, body, type: htmlType, headers: {} })

  const retyped = (reply: Reply, type: 'json' | 'html'): Reply => ({
    ...reply,
    type: type === 'json' ? jsonType : htmlType,
  })
  return { json, error, empty, html, retyped }
}
