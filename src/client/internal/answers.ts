/**
 * Reading MISP's answers: its error envelope, its odd status codes (404 + `Location` for a
 * duplicate create, 405/200/403 for "not newer" depending on the era, redirects to the login
 * page), and the mapping of everything else to a {@link MispError}. Pure functions.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import { errorsLines, type MispError, type MispErrorBody } from '../MispError.js'
import type { Answer, Body } from './transport.js'

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

// ---------------------------------------------------------------------------------------------
// pieces of an answer
// ---------------------------------------------------------------------------------------------

/** MISP's `{name, message, url, errors, saved, id}` envelope, when the body is one. */
export const errorBodyOf = (body: Body): MispErrorBody | undefined => {
  if (body._tag !== 'Json' || !isRecord(body.value)) return undefined
  const v = body.value
  if (typeof v['name'] !== 'string' && typeof v['message'] !== 'string') return undefined
  if ('Event' in v && isRecord(v['Event'])) return undefined
  const id = v['id']
  return {
    ...(typeof v['name'] === 'string' ? { name: v['name'] } : {}),
    ...(typeof v['message'] === 'string' ? { message: v['message'] } : {}),
    ...(typeof v['url'] === 'string' ? { url: v['url'] } : {}),
    ...(v['errors'] !== undefined ? { errors: v['errors'] } : {}),
    ...(typeof v['saved'] === 'boolean' ? { saved: v['saved'] } : {}),
    ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}),
  }
}

/** Everything MISP said in its envelope, as one searchable string. */
export const errorText = (body: MispErrorBody | undefined): string =>
  body === undefined ? '' : [body.name ?? '', body.message ?? '', ...errorsLines(body.errors)].join(' \n ')

/** The `Location` header, if any. */
export const locationOf = (a: Answer): string | undefined => a.headers.get('location') ?? undefined

/** The trailing numeric id of a URL or path (`https://misp/events/42` → `42`). */
export const trailingId = (location: string): string | undefined => {
  const path = location.split(/[?#]/, 1)[0] ?? ''
  return /\/(\d+)\/?$/.exec(path)?.[1]
}

/**
 * The local id in a duplicate create's `Location` (`Event.php@v2.3.178:1336-1344`: (`<MISP.baseurl>/events/<id>`, absolute or
 * relative, MISP in a sub-directory or not). Nothing else counts: a `Location` that merely ends in
 * digits (`/events/view/12`, `/attributes/12`) is not a duplicate.
 */
export const duplicateId = (location: string): string | undefined => {
  const path = location.split(/[?#]/, 1)[0] ?? ''
  return /\/events\/(\d+)\/?$/.exec(path)?.[1]
}

/** `true` for a redirect to MISP's login page. */
export const isLoginLocation = (location: string): boolean => /\/users\/login(?:[/?#]|$)/i.test(location)

const isHtml = (a: Answer): boolean =>
  /html/i.test(a.contentType) || (a.body._tag === 'Text' && /^\s*<(?:!doctype|html)/i.test(a.body.text))

/** MISP's login page: its body marks the users/login action, its form posts to /users/login. */
const looksLikeLoginPage = (text: string): boolean =>
  /data-action=["']login["']|users\/login|UserLoginForm|name=["']data\[User\]\[password\]|type=["']password["']|<title>[^<]*log ?in/i.test(
    text,
  )

/** A short excerpt of a body for an error message: the HTML `<title>`, or the first characters. */
export const excerptOf = (body: Body): string | undefined => {
  if (body._tag === 'Empty') return undefined
  const text = body._tag === 'Json' ? JSON.stringify(body.value) : body.text
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]
  const s = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()
  return s === '' ? undefined : s.length > 200 ? `${s.slice(0, 197)}...` : s
}

const retryAfterSeconds = (a: Answer): number | undefined => {
  const v = a.headers.get('retry-after')?.trim()
  if (v === undefined) return undefined
  if (/^\d+$/.test(v)) return Number(v)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

// ---------------------------------------------------------------------------------------------
// MISP's special answers
// ---------------------------------------------------------------------------------------------

const NOT_NEWER = /not newer than the local copy|is the same or newer|not newer/i
const AUTH_FAILED = /^\s*Authentication failed/i
const BLOCKLISTED = /block-?list|black-?list|blocked by|has been blocked/i
const NOT_LOCKED = /Blocked an edit|not locked|created locally|originated (?:on|from) this instance|unlocked/i
const ALREADY_EXISTS = /^\s*Event already exists/i
/** `Event::_edit@v2.4.199:4075-4160`: the edit's body names no stored event (MISP words it as a save failure, not a 404). */
const LOCAL_EVENT_MISSING = /Could not find the local event/i

/** "Not newer" in every era: 2.3 405, 2.4.0–2.4.102 200 "Edit event failed.", 2.4.103+ 403. */
export const isNotNewer = (a: Answer): boolean => {
  if (a.status !== 200 && a.status !== 403 && a.status !== 405) return false
  return NOT_NEWER.test(errorText(errorBodyOf(a.body)))
}

/**
 * A duplicate create (`Event.php@v2.3.178:1336-1344`): 404 (or 302, if the server flushed early) with `Location:
 * <baseurl>/events/<id>` — exactly that shape, see {@link duplicateId} — or a body whose `name`
 * starts with "Event already exists". `id` is `undefined` when only the body says so.
 */
export const alreadyExists = (a: Answer): { readonly id: string | undefined } | undefined => {
  const location = locationOf(a)
  const byLocation =
    location !== undefined && (a.status === 404 || (a.status >= 300 && a.status < 400))
      ? duplicateId(location)
      : undefined
  if (byLocation !== undefined) return { id: byLocation }
  const name = errorBodyOf(a.body)?.name
  if (name !== undefined && ALREADY_EXISTS.test(name))
    return { id: location === undefined ? undefined : duplicateId(location) }
  return undefined
}

/**
 * A create answered with a redirect to the event's page (`3xx Location: …/events/view/<id>`):
 * what CakePHP sends after a successful *form* (non-REST) add. It is not the duplicate create: the
 * event was most likely created, but the server did not treat the call as REST (a proxy dropping
 * `Accept`, say). An `UnexpectedResponse` (`reason: 'redirect'`), not transient: nothing
 * re-sends the create; look the event up with `exists` instead.
 */
export const redirectedToView = (a: Answer): MispError | undefined => {
  if (a.status < 300 || a.status >= 400) return undefined
  const location = locationOf(a)
  const path = location?.split(/[?#]/, 1)[0] ?? ''
  if (location === undefined || !/\/events\/view\/\d+\/?$/.test(path)) return undefined
  return {
    _tag: 'UnexpectedResponse',
    request: a.request,
    status: a.status,
    reason: 'redirect',
    detail:
      'the create was answered with a redirect to the event page, as for a form (non-REST) add: the event was probably created; look it up before sending it again',
    location,
    ...(a.contentType === '' ? {} : { contentType: a.contentType }),
  }
}

/** An error envelope in a 2xx answer (2.3/2.4.0–2.4.102 report failures with 200). */
export const okWithErrorBody = (a: Answer): MispErrorBody | undefined => {
  if (a.status < 200 || a.status >= 300 || a.body._tag !== 'Json') return undefined
  const body = errorBodyOf(a.body)
  if (body === undefined) return undefined
  const v = a.body.value
  return isRecord(v) && ('saved' in v || 'errors' in v || /failed|could not/i.test(body.name ?? ''))
    ? body
    : undefined
}

// ---------------------------------------------------------------------------------------------
// failures
// ---------------------------------------------------------------------------------------------

const refusal = (a: Answer, body: MispErrorBody | undefined): MispError => {
  const text = errorText(body)
  const request = a.request
  if (body !== undefined && BLOCKLISTED.test(text))
    return { _tag: 'Blocklisted', request, status: a.status, body }
  if (body !== undefined && NOT_LOCKED.test(text))
    return { _tag: 'NotLocked', request, status: a.status, body }
  if (body !== undefined && LOCAL_EVENT_MISSING.test(text))
    return { _tag: 'NotFound', request, status: a.status, body }
  if (
    body !== undefined &&
    errorsLines(body.errors).length > 0 &&
    !/not authori[sz]ed|permission/i.test(text)
  )
    return { _tag: 'ValidationFailed', request, status: a.status, body }
  const location = locationOf(a)
  return {
    _tag: 'Forbidden',
    request,
    status: a.status,
    ...(body === undefined ? {} : { body }),
    ...(location === undefined ? {} : { location }),
  }
}

/**
 * The error for an answer that the calling method did not accept as a result.
 */
export const failureOf = (a: Answer): MispError => {
  const { request, status } = a
  const body = errorBodyOf(a.body)
  const location = locationOf(a)
  if (location !== undefined && status >= 300 && status < 400 && isLoginLocation(location))
    return {
      _tag: 'AuthenticationFailed',
      request,
      status,
      message: 'redirected to the login page: the API key was not accepted for REST access',
    }
  if (status === 401 || (status === 403 && AUTH_FAILED.test(body?.name ?? body?.message ?? '')))
    return {
      _tag: 'AuthenticationFailed',
      request,
      status,
      message: body?.message ?? body?.name ?? 'the API key was not accepted',
    }
  if (status >= 200 && status < 300) {
    if (isHtml(a) && a.body._tag === 'Text' && looksLikeLoginPage(a.body.text))
      return {
        _tag: 'AuthenticationFailed',
        request,
        status,
        message:
          'got an HTML login page instead of JSON: the API key was not accepted (or a login proxy sits in front of MISP)',
      }
    const okError = okWithErrorBody(a)
    if (okError !== undefined) return refusal(a, okError)
    return unexpected(a, 'the answer is not what this call expects')
  }
  if (status === 429) {
    const retryAfter = retryAfterSeconds(a)
    return {
      _tag: 'RateLimited',
      request,
      status,
      ...(retryAfter === undefined ? {} : { retryAfter }),
      ...(body === undefined ? {} : { body }),
    }
  }
  if (status === 404) return { _tag: 'NotFound', request, status, ...(body === undefined ? {} : { body }) }
  if (status === 403 || status === 405) return refusal(a, body)
  const excerpt = body === undefined ? excerptOf(a.body) : undefined
  return {
    _tag: 'HttpError',
    request,
    status,
    ...(body === undefined ? {} : { body }),
    ...(excerpt === undefined ? {} : { excerpt }),
    ...(location === undefined ? {} : { location }),
  }
}

/** An `UnexpectedResponse` for a 2xx answer that cannot be used. */
export const unexpected = (a: Answer, detail: string): MispError => {
  const reason =
    a.body._tag === 'Empty'
      ? 'empty'
      : a.body._tag === 'InvalidJson'
        ? 'invalid-json'
        : a.body._tag === 'Text'
          ? isHtml(a)
            ? 'html'
            : 'not-json'
          : 'shape'
  const excerpt = reason === 'shape' ? undefined : excerptOf(a.body)
  return {
    _tag: 'UnexpectedResponse',
    request: a.request,
    status: a.status,
    reason,
    detail:
      a.body._tag === 'InvalidJson'
        ? `the JSON body is malformed or truncated (${a.body.detail})`
        : a.body._tag === 'Empty'
          ? 'the body is empty'
          : a.body._tag === 'Text'
            ? 'the body is not JSON'
            : detail,
    ...(a.contentType === '' ? {} : { contentType: a.contentType }),
    ...(excerpt === undefined ? {} : { excerpt }),
  }
}

/**
 * The JSON value of a 2xx answer, or the error that says why there is none (login page, HTML,
 * empty, truncated JSON) — or the failure for any other status.
 */
export const jsonOf = (a: Answer): E.Either<MispError, unknown> => {
  if (a.status < 200 || a.status >= 300) return E.left(failureOf(a))
  if (a.body._tag === 'Json') return E.right(a.body.value)
  return E.left(failureOf(a))
}
