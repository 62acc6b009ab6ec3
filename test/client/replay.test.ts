/**
 * The client against the answers of a real MISP 2.5.1: each recorded response (status,
 * `Location`, body) is served as recorded by a tiny local server, and the client must turn it
 * into the right typed result. Source: `shared/fixtures/real-server/misp-2.5.1-exchanges.json`.
 */
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import { decodeEvent24 } from '../../src/decode.js'
import type * as V24 from '../../src/v24/index.js'
import { left, right, SHARED, SKIP_SHARED, sharedPresent } from './support.js'

interface Exchange {
  readonly name: string
  readonly request: { readonly method: string; readonly path: string; readonly body?: unknown }
  readonly response: {
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: unknown
  }
}

const exchanges: ReadonlyArray<Exchange> = sharedPresent
  ? (
      JSON.parse(readFileSync(`${SHARED}fixtures/real-server/misp-2.5.1-exchanges.json`, 'utf8')) as {
        exchanges: ReadonlyArray<Exchange>
      }
    ).exchanges
  : []
const byName = (name: string): Exchange => {
  const e = exchanges.find((x) => x.name === name)
  if (e === undefined) throw new Error(`no recorded exchange ${name}`)
  return e
}

if (!sharedPresent) console.warn(SKIP_SHARED)

/** Serves recorded responses: `getVersion` always, everything else from the current script. */
const replayServer = async () => {
  let script: Array<{ readonly method: string; readonly exchange: Exchange }> = []
  const seen: Array<string> = []
  let base = ''
  const serve = (res: http.ServerResponse, x: Exchange) => {
    const { status, headers, body } = x.response
    const type = headers['content-type'] ?? 'application/json; charset=UTF-8'
    const text =
      body === null || body === undefined
        ? ''
        : typeof body === 'string'
          ? body
          : JSON.stringify(body, null, 4)
    const out: Record<string, string> = {
      'Content-Type': type,
      'Content-Length': String(Buffer.byteLength(text)),
    }
    if (headers['location'] !== undefined) out['Location'] = headers['location'].replace('<base>', base)
    res.writeHead(status, out)
    res.end(text)
  }
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const method = req.method ?? 'GET'
      seen.push(`${method} ${req.url}`)
      if (req.url === '/servers/getVersion' && !script.some((s) => s.method === 'GET')) {
        serve(res, byName('getVersion'))
        return
      }
      const i = script.findIndex((s) => s.method === method)
      const next = script[i]
      if (next === undefined) {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(`replay: nothing scripted for ${method} ${req.url}`)
        return
      }
      script.splice(i, 1)
      serve(res, next.exchange)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: `${base}/`,
    /** the next requests of these methods get these recorded answers, in order */
    script: (...steps: ReadonlyArray<readonly [string, string]>) => {
      script = steps.map(([method, name]) => ({ method, exchange: byName(name) }))
      seen.length = 0
    },
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const recordedEvent = (name: string): V24.Event => {
  const body = byName(name).request.body as { Event: V24.Event }
  return body.Event
}

/** What the client must make of a recorded event body: the model's verdict, as a typed result. */
const expectEventLike = async (
  outcome: Promise<unknown>,
  recordedBody: unknown,
  whenAccepted: (decoded: V24.Event) => unknown,
) => {
  const model = decodeEvent24(recordedBody)
  if (model._tag === 'Right') expect(await outcome).toEqual(whenAccepted(model.right))
  // the model rejects this real answer (reported to the lead): the client must say so, by path
  else await expect(outcome).rejects.toThrow(model.left.problems[0]?.path ?? 'never')
}

describe.skipIf(!sharedPresent)('replay of the recorded MISP 2.5.1 answers', () => {
  let server: Awaited<ReturnType<typeof replayServer>>
  let misp: MispClient<'2.4'>
  const key = 'ReplayTestKey0123456789abcdefghijklmnopq'

  beforeAll(async () => {
    server = await replayServer()
    misp = new MispClient({ url: server.url, key, version: '2.4', retry: 0 })
  })
  afterAll(async () => {
    await server.close()
  })

  test('there are 32 recorded exchanges', () => {
    expect(exchanges).toHaveLength(32)
  })

  test('getVersion → 2.5.1 with perm_sync', async () => {
    server.script()
    expect(await right(misp.version())).toEqual({
      version: '2.5.1',
      major: 2,
      minor: 5,
      patch: 1,
      permSync: true,
    })
  })

  test.each(['create', 'create-23-shaped', 'create-bad-attribute', 'create-sharing-group-event'])(
    '%s → Created with the new id',
    async (name) => {
      server.script(['POST', name])
      const recorded = byName(name).response.body as { Event: { id: string } }
      await expectEventLike(right(misp.create(recordedEvent('create-23-shaped'))), recorded, (event) => ({
        _tag: 'Created',
        id: recorded.Event.id,
        event,
      }))
    },
  )

  test.each(['create-duplicate', 'create-duplicate-add'])(
    '%s (404 + Location) → AlreadyExists',
    async (name) => {
      server.script(['POST', name])
      expect(await right(misp.create(recordedEvent('create')))).toEqual({ _tag: 'AlreadyExists', id: '4' })
    },
  )

  test.each(['create-missing-info', 'create-bad-distribution'])(
    '%s (403 errors) → ValidationFailed',
    async (name) => {
      server.script(['POST', name])
      const e = await left(misp.create(recordedEvent('create-23-shaped')))
      expect(e).toMatchObject({
        _tag: 'ValidationFailed',
        status: 403,
        body: { name: 'Could not add Event', saved: false },
      })
    },
  )

  test.each(['edit-not-newer', 'put-not-newer'])('%s (403 "not newer") → NotNewer', async (name) => {
    server.script(['PUT', name])
    expect(await right(misp.update(recordedEvent('create'), { id: 4 }))).toEqual({
      _tag: 'NotNewer',
      id: '4',
    })
    // the same answer to an edit by uuid: the id comes from the body
    server.script(['PUT', name])
    expect(await right(misp.update(recordedEvent('create')))).toEqual({ _tag: 'NotNewer', id: '4' })
    expect(server.seen.filter((l) => l.startsWith('PUT'))).toEqual([
      `PUT /events/edit/${recordedEvent('create').uuid}`,
    ])
  })

  test.each(['edit-newer-by-uuid', 'put-newer', 'edit-with-fewer-attributes'])(
    '%s → Updated',
    async (name) => {
      server.script(['PUT', name])
      const recorded = byName(name).response.body as { Event: { id: string } }
      await expectEventLike(right(misp.update(recordedEvent(name))), recorded, (event) => ({
        _tag: 'Updated',
        id: recorded.Event.id,
        event,
      }))
    },
  )

  test.each(['view-by-id', 'view-by-uuid', 'view-sharing-group-event'])('%s → the event', async (name) => {
    server.script(['GET', name])
    const recorded = byName(name).response.body as { Event: { id: string } }
    await expectEventLike(right(misp.get(recorded.Event.id)), recorded, (event) => event)
  })

  test('view-unknown (404 "Invalid event") → NotFound', async () => {
    server.script(['GET', 'view-unknown'])
    expect(await left(misp.get('8d2dba2c-e062-4300-829f-db47bd4f89d9'))).toMatchObject({
      _tag: 'NotFound',
      status: 404,
      body: { name: 'Invalid event' },
    })
  })

  test('head-known + restsearch-metadata-uuid → exists with id and timestamp', async () => {
    server.script(['HEAD', 'head-known'], ['POST', 'restsearch-metadata-uuid'])
    expect(await right(misp.exists('c7f765f1-191d-4e9e-a670-62dc2a2ac17e'))).toEqual({
      exists: true,
      id: '4',
      timestamp: '1700000200',
    })
    expect(server.seen.filter((l) => !l.includes('getVersion'))).toEqual([
      'HEAD /events/view/c7f765f1-191d-4e9e-a670-62dc2a2ac17e',
      'POST /events/restSearch',
    ])
  })

  test('head-unknown (bare 404) → does not exist, one request', async () => {
    server.script(['HEAD', 'head-unknown'])
    expect(await right(misp.exists('59fa756b-a097-45ac-af1d-5214dae55032'))).toEqual({ exists: false })
    expect(server.seen.filter((l) => !l.includes('getVersion'))).toHaveLength(1)
  })

  test.each(['bad-key-rest', 'no-key-rest'])('%s (403 JSON) → AuthenticationFailed', async (name) => {
    server.script(['GET', name])
    expect(await left(misp.version())).toMatchObject({
      _tag: 'AuthenticationFailed',
      status: 403,
      message: expect.stringMatching(/^Authentication failed/),
    })
  })

  test('bad-key-non-rest (302 to /users/login) → AuthenticationFailed', async () => {
    server.script(['GET', 'bad-key-non-rest'])
    expect(await left(misp.version())).toMatchObject({ _tag: 'AuthenticationFailed', status: 302 })
  })

  test('login-page (200 HTML) → AuthenticationFailed', async () => {
    server.script(['GET', 'login-page'])
    expect(await left(misp.get(4))).toMatchObject({ _tag: 'AuthenticationFailed', status: 200 })
  })

  test('index-all → every row', async () => {
    server.script(['POST', 'index-all'])
    const rows = await right(misp.index())
    expect(rows.map((r) => r.uuid)).toEqual(
      (byName('index-all').response.body as Array<{ uuid: string }>).map((r) => r.uuid),
    )
  })

  test('index-named-timestamp (the filter ignored by the server) → filtered by the client', async () => {
    server.script(['POST', 'index-named-timestamp'])
    const rows = await right(misp.index({ since: 1700000150 }))
    const all = byName('index-named-timestamp').response.body as Array<{ uuid: string; timestamp: string }>
    expect(rows.map((r) => r.uuid)).toEqual(
      all.filter((r) => Number(r.timestamp) >= 1700000150).map((r) => r.uuid),
    )
    expect(rows.length).toBeLessThan(all.length)
  })

  test.each(['index-post-timestamp', 'index-post-minimal'])('%s → the rows', async (name) => {
    server.script(['POST', name])
    const rows = await right(misp.index({ since: 1699999999, minimal: name.endsWith('minimal') }))
    const recorded = byName(name).response.body as Array<{ id: string; timestamp: string }>
    expect(rows.map((r) => [r.id, r.timestamp])).toEqual(recorded.map((r) => [r.id, r.timestamp]))
  })
})
