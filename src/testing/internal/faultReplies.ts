/**
 * What an injected fault answers instead of the normal reply (`misp-bridge/testing`'s
 * {@link Fault}s): a proxy's status page, a rate limit, a login page, truncated JSON — or nothing,
 * for the faults that cut the connection.
 *
 * @since 0.1.0
 */
import * as http from 'node:http'
import type { Fault } from '../faults.js'
import { loginPage } from './loginPage.js'
import { jsonType, type Replies, type Reply, texts } from './replies.js'

/** What the fault replies need from the router. */
export interface FaultReplyDeps {
  readonly basePath: string
  readonly baseUrl: () => string
  readonly error: Replies['error']
  readonly html: Replies['html']
}

/** The reply a fault sends instead of the normal one; `undefined` for reset/reset-after-write/hang (no reply). */
export const makeFaultReply =
  (d: FaultReplyDeps) =>
  (fault: Fault, relPath: string): Reply | undefined => {
    const { error, html } = d
    const here = `${d.basePath}${relPath.split('?')[0] ?? '/'}`
    switch (fault.kind) {
      case 'status': {
        if (fault.status === 500) return error(500, texts.internalError, here)
        const title = `${fault.status} ${http.STATUS_CODES[fault.status] ?? ''}`
        return html(
          fault.status,
          `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
        )
      }
      case 'rate-limit':
        return error(429, texts.rateLimit, here, { 'Retry-After': String(fault.retryAfter) })
      case 'login-page':
        return html(200, loginPage(d.baseUrl()))
      case 'truncated-json':
        return {
          status: 200,
          body: '{"Event":{"id":"1","orgc_id":"1","org_id":"1","date":"2015-12-14","threat_level_id":"2","info":"trunc',
          type: jsonType,
          headers: {},
        }
      case 'reset':
      case 'reset-after-write':
      case 'cut-write':
      case 'hang':
        return undefined
    }
  }
