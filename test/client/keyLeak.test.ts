/**
 * The API key appears nowhere: not in any error (serialised, formatted, inspected), not in any
 * result, not in any debug line — also when a server or a URL puts it there.
 */
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { format, inspect } from 'node:util'
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { formatMispError, MispClient, type MispError } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { event24 } from './support.js'

const KEY = 'LeakCanaryKey7f3a9c2e51b8d4060e9a1c7b3f2d'
const WRONG = 'WrongCanaryKey5d1e8b3a7c9f2e4061b0a9d8c7'

const debugLines: Array<string> = []
const outputs: Array<string> = []
const originalLog = createDebug.log
let emu: MispEmulator
let tlsEmu: MispEmulator
let echo: http.Server
let echoUrl = ''

beforeAll(async () => {
  createDebug.log = (...args: Array<unknown>) => {
    debugLines.push(format(...args))
  }
  createDebug.enable('misp-bridge:*')
  emu = await startMispEmulator({ version: '2.5', apiKey: KEY })
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')
  tlsEmu = await startMispEmulator({
    version: '2.4.199',
    apiKey: KEY,
    tls: { key: fixture('server.key'), cert: fixture('server.pem') },
  })
  // a misbehaving server that echoes the Authorization header into every kind of answer
  echo = http.createServer((req, res) => {
    req.resume()
    const auth = String(req.headers.authorization ?? '')
    if (req.url?.includes('html')) {
      res.writeHead(502, { 'Content-Type': 'text/html', Location: `/x/${auth}` })
      res.end(`<html><title>proxy error for ${auth}</title></html>`)
    } else if (req.url?.includes('getVersion')) {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ version: `2.4.199-${auth}` }))
    } else if (req.url?.includes('view')) {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ Event: { uuid: auth, info: auth } }))
    } else {
      res.writeHead(403, { 'Content-Type': 'application/json' })
      res.end(
        JSON.stringify({
          name: `Could not add Event ${auth}`,
          message: auth,
          url: `/events/add/${auth}`,
          errors: { [auth]: [auth] },
        }),
      )
    }
  })
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`
})

afterAll(async () => {
  createDebug.disable()
  createDebug.log = originalLog
  await emu.close()
  await tlsEmu.close()
  await new Promise<void>((resolve) => {
    echo.closeAllConnections()
    echo.close(() => resolve())
  })
})

/** Runs a call and keeps every way its outcome can be shown. */
const collect = async <A>(te: TE.TaskEither<MispError, A>): Promise<E.Either<MispError, A>> => {
  const r = await te()
  if (E.isLeft(r)) {
    const e = r.left
    outputs.push(JSON.stringify(e), formatMispError(e), String(e), inspect(e, { depth: 20 }))
    for (const v of Object.values(e)) outputs.push(String(v))
  } else outputs.push(JSON.stringify(r.right), inspect(r.right, { depth: 20 }))
  return r
}

test('no error, result or debug line contains the API key', async () => {
  const fast = { limit: 1, baseDelay: 5, maxDelay: 10 }
  const misp = new MispClient({ url: emu.url, key: KEY, version: '2.4', retry: fast })
  outputs.push(misp.url, inspect(misp, { depth: 5 }), JSON.stringify(misp))

  // successes
  const event = event24()
  await collect(misp.version())
  await collect(misp.exists(event.uuid))
  await collect(misp.create(event))
  await collect(misp.create(event))
  await collect(misp.exists(event.uuid))
  await collect(misp.get(event.uuid))
  await collect(misp.update({ ...event, timestamp: '1700000100' }))
  await collect(misp.update({ ...event, timestamp: '1700000100' }))
  await collect(misp.index({ since: 1 }))
  // users/view/me carries the key itself (authkey), as a real 2.5.1 without advanced authkeys does
  await collect(misp.permissions())
  await collect(new MispClient({ url: emu.url, key: KEY, version: '2.3', retry: fast }).permissions())

  // failures: faults, timeouts, aborts, bad arguments
  emu.inject({ kind: 'status', status: 500 }, { times: 2 })
  await collect(misp.version())
  emu.inject({ kind: 'status', status: 502 }, { times: 2 })
  await collect(misp.get(1))
  emu.inject({ kind: 'rate-limit', retryAfter: 999 })
  await collect(misp.index())
  emu.inject({ kind: 'reset' }, { times: 2 })
  await collect(misp.version())
  emu.inject({ kind: 'reset' })
  await collect(misp.create(event24()))
  emu.inject({ kind: 'hang' })
  await collect(misp.version({ timeout: 100 }))
  emu.inject({ kind: 'hang' })
  const controller = new AbortController()
  setTimeout(() => controller.abort(new Error(`cancelled by ${KEY}`)), 50)
  await collect(misp.get(1, { signal: controller.signal }))
  emu.inject({ kind: 'status', status: 500 }, { times: 2 })
  await collect(misp.permissions())
  emu.inject({ kind: 'login-page' })
  await collect(misp.get(1))
  emu.inject({ kind: 'truncated-json' })
  await collect(misp.get(1))
  await collect(misp.get(KEY))
  await collect(misp.exists(KEY))
  await collect(misp.update({ ...event, uuid: KEY } as never))
  await collect(misp.index({ since: KEY }))
  emu.clearFaults()

  // a wrong key (the canary is the configured key of the server)
  const wrong = new MispClient({ url: emu.url, key: WRONG, version: '2.4' })
  await collect(wrong.version())

  // TLS refused, connection refused
  await collect(new MispClient({ url: tlsEmu.url, key: KEY, version: '2.4' }).version())
  await collect(new MispClient({ url: 'http://127.0.0.1:9/', key: KEY, version: '2.4', retry: 0 }).version())

  // the key in the URL (path, query, user info) and servers that echo it back
  const inPath = new MispClient({ url: `${emu.url}${KEY}/`, key: KEY, version: '2.4', retry: 0 })
  outputs.push(inPath.url)
  await collect(inPath.version())
  await collect(new MispClient({ url: `${emu.url}?key=${KEY}`, key: KEY, version: '2.4' }).version())
  await collect(new MispClient({ url: `http://u:${KEY}@127.0.0.1:9/`, key: KEY, version: '2.4' }).version())
  await collect(new MispClient({ url: `not a url ${KEY}`, key: KEY, version: '2.4' }).version())
  const echoing = new MispClient({ url: echoUrl, key: KEY, version: '2.4', retry: 0 })
  await collect(echoing.version())
  await collect(echoing.get(1))
  await collect(echoing.create(event24()))
  await collect(new MispClient({ url: `${echoUrl}html/`, key: KEY, version: '2.4', retry: 0 }).version())

  const everything = [...outputs, ...debugLines]
  // the battery really ran and really logged
  expect(outputs.length).toBeGreaterThan(100)
  expect(debugLines.some((l) => l.includes('misp-bridge:client') && l.includes('servers/getVersion'))).toBe(
    true,
  )
  expect(debugLines.some((l) => /retry 1 of/.test(l))).toBe(true)
  // the echoing server did put the key into answers: redaction, not luck, keeps it out
  expect(outputs.some((o) => o.includes('<redacted>'))).toBe(true)
  for (const secret of [KEY, WRONG]) {
    const leaks = everything.filter((s) => s.includes(secret) || s.includes(encodeURIComponent(secret)))
    expect(leaks, `leaked ${secret.slice(0, 8)}… in:\n${leaks.slice(0, 3).join('\n---\n')}`).toEqual([])
  }
})
