/**
 * The emulator's HTTP(S) server on 127.0.0.1: reads each request, records it, applies an injected
 * fault (reset, hang, cut write, or the fault's own reply) and writes the router's {@link Reply}.
 * All socket work of `misp-bridge/testing` is here; what is answered is decided by `routes.ts`.
 *
 * @since 0.1.0
 */
import * as http from 'node:http'
import * as https from 'node:https'
import type { Socket } from 'node:net'
import { type Fault, type FaultPlan, faultLabel } from '../faults.js'
import type { RequestRecord } from '../RequestRecord.js'
import { cutBody } from './cut.js'
import { htmlType, type Reply, texts } from './replies.js'
import type { Router } from './routes.js'

/** What the server needs: where MISP lives, who answers, the faults to apply, where to record. */
export interface ServeOptions {
  /** MISP's base path (`''` or e.g. `'/misp'`): requests outside it get a bare 404 page. */
  readonly basePath: string
  readonly router: Router
  readonly faults: FaultPlan
  /** Every request received is appended here, in arrival order. */
  readonly requests: Array<RequestRecord>
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer } | undefined
}

/** A listening server. */
export interface Serving {
  /** The ephemeral port it listens on. */
  readonly port: number
  /** Stops the server and destroys open (also hanging) connections. Idempotent. */
  readonly close: () => Promise<void>
}

/** Where a request goes: its method, its path (and query) below the base, whether it is under it. */
interface Located {
  readonly method: string
  readonly pathname: string
  readonly relPath: string
  readonly inBase: boolean
}

const locate = (req: http.IncomingMessage, basePath: string): Located => {
  const method = (req.method ?? 'GET').toUpperCase()
  const [pathname = '/', query] = (req.url ?? '/').split(/\?(.*)/s)
  const inBase = basePath === '' || pathname === basePath || pathname.startsWith(`${basePath}/`)
  const relPathOnly = inBase ? pathname.slice(basePath.length) || '/' : pathname
  return { method, pathname, relPath: query === undefined ? relPathOnly : `${relPathOnly}?${query}`, inBase }
}

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

/** A request body: JSON when it parses, else the text; `undefined` when empty. */
const bodyOf = (text: string): unknown => {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Drops the connection without an answer: a TCP RST (a TLS socket, which cannot be reset: closed). */
const resetConnection = (req: http.IncomingMessage): void => {
  try {
    req.socket.resetAndDestroy()
  } catch {
    req.socket.destroy()
  }
}

/** Starts the server on 127.0.0.1 (ephemeral port). */
export const serve = async (d: ServeOptions): Promise<Serving> => {
  const { basePath, router, faults, requests } = d
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()

  const send = (res: http.ServerResponse, rec: { status: number }, r: Reply): void => {
    if (res.destroyed) return
    rec.status = r.status
    res.writeHead(r.status, {
      ...r.headers,
      'Content-Type': r.type,
      'Content-Length': String(Buffer.byteLength(r.body)),
    })
    res.end(r.body)
  }

  /** The router's reply (a bare 404 page outside the base; MISP's 500 when the router throws). */
  const reply = (req: http.IncomingMessage, at: Located, body: unknown): Reply => {
    try {
      return at.inBase
        ? router.route({
            method: at.method,
            relPath: at.relPath,
            authorization: req.headers.authorization,
            xMispAuth: [req.headers['x-misp-auth']].flat()[0],
            accept: req.headers.accept,
            body,
          })
        : { status: 404, body: '<h1>Not Found</h1>', type: htmlType, headers: {} }
    } catch (e) {
      return router.error(
        500,
        `${texts.internalError} ${e instanceof Error ? e.message : ''}`.trim(),
        at.pathname,
      )
    }
  }

  /** Answers a request whose body was read, as its fault says (none: the router's reply). */
  const respond = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: { status: number },
    at: Located,
    body: unknown,
    fault: Fault | undefined,
  ): void => {
    const answer = (): void => send(res, rec, reply(req, at, body))
    if (fault === undefined) answer()
    else if (fault.kind === 'reset-after-write') {
      // the write is applied, the answer never leaves: "committed, answer lost"
      reply(req, at, body)
      resetConnection(req)
    } else if (fault.kind === 'cut-write') {
      // the write is applied part-way (the event and its first attributes), no answer
      reply(req, at, cutBody(body, fault.keep))
      resetConnection(req)
    } else if (fault.kind === 'hang') {
      const t = setTimeout(() => {
        timers.delete(t)
        answer()
      }, fault.ms)
      timers.add(t)
    } else {
      const r = router.faultReply(fault, at.relPath)
      if (r !== undefined) send(res, rec, r)
    }
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const at = locate(req, basePath)
    const rec: { -readonly [K in keyof RequestRecord]: RequestRecord[K] } = {
      method: at.method,
      path: at.relPath,
      status: 0,
      at: Date.now(),
    }
    requests.push(rec)
    // Faults come before routing and authentication (reset-after-write, cut-write: after, see respond).
    const fault = faults.next(at.method, at.relPath)
    if (fault !== undefined) rec.fault = faultLabel(fault)
    if (fault?.kind === 'reset') {
      resetConnection(req)
      return
    }
    if (fault?.kind === 'hang' && fault.ms === undefined) return
    readBody(req).then(
      (text) => {
        const body = bodyOf(text)
        if (body !== undefined) rec.body = body
        respond(req, res, rec, at, body, fault)
      },
      () => req.socket.destroy(),
    )
  }

  const server = d.tls === undefined ? http.createServer(handler) : https.createServer(d.tls, handler)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.close(() => resolve())
      for (const s of sockets) s.destroy()
      sockets.clear()
    })
    return closing
  }

  return { port, close }
}
