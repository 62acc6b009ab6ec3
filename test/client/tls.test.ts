/**
 * TLS: verification is on by default (and a certificate failure is not retried); a custom CA or
 * knowingly disabled verification goes through an undici@7 dispatcher.
 */
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { Agent } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { left, right } from './support.js'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')

let emu: MispEmulator
const agents: Array<Agent> = []

beforeAll(async () => {
  emu = await startMispEmulator({
    version: '2.5',
    tls: { key: fixture('server.key'), cert: fixture('server.pem') },
  })
})
afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()))
  await emu.close()
})

const agent = (options: ConstructorParameters<typeof Agent>[0]) => {
  const a = new Agent(options)
  agents.push(a)
  return a
}

test('the emulator serves HTTPS', () => {
  expect(emu.url.startsWith('https://127.0.0.1:')).toBe(true)
})

/** A `fetch` that counts the attempts ky makes. */
const counting = () => {
  let attempts = 0
  const fetch: typeof globalThis.fetch = (input, init) => {
    attempts += 1
    return globalThis.fetch(input, init)
  }
  return { fetch, attempts: () => attempts }
}

test('by default an unknown CA is refused: TransportError (tls) after one attempt', async () => {
  const c = counting()
  const misp = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.4', fetch: c.fetch })
  const n = emu.requests.length
  const e = await left(misp.version())
  expect(e).toMatchObject({ _tag: 'TransportError', reason: 'tls' })
  if (e._tag === 'TransportError') expect(e.code).toMatch(/CERT|SIGNED|VERIFY/)
  expect(c.attempts()).toBe(1)
  // the handshake failed: no HTTP request reached the server
  expect(emu.requests.length - n).toBe(0)
})

test('a CA that did not sign the certificate is refused too, once', async () => {
  const c = counting()
  const misp = new MispClient({
    url: emu.url,
    key: emu.apiKey,
    version: '2.4',
    fetch: c.fetch,
    // the public roots: a real bundle, but not the test CA
    dispatcher: agent({ connect: { ca: [...rootCertificates] } }),
  })
  expect(await left(misp.version())).toMatchObject({ _tag: 'TransportError', reason: 'tls' })
  expect(c.attempts()).toBe(1)
})

test('with the CA in an undici Agent the call succeeds', async () => {
  const misp = new MispClient({
    url: emu.url,
    key: emu.apiKey,
    version: '2.4',
    dispatcher: agent({ connect: { ca: fixture('ca.pem') } }),
  })
  expect((await right(misp.version())).version).toBe('2.5.1')
})

test('with verification knowingly disabled the call succeeds', async () => {
  const misp = new MispClient({
    url: emu.url,
    key: emu.apiKey,
    version: '2.4',
    dispatcher: agent({ connect: { rejectUnauthorized: false } }),
  })
  expect((await right(misp.version())).version).toBe('2.5.1')
})
