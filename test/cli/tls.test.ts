/**
 * `sync --ca FILE` against the HTTPS emulator: refused without the CA (verification is on), a
 * run with it; a missing or non-PEM file is a usage error naming the flag.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { wire23 } from '../sync/support.js'
import { capture, KEY23, KEY24 } from './support.js'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url))

let e23: MispEmulator
let e25: MispEmulator

beforeAll(async () => {
  e23 = await startMispEmulator({ version: '2.3.178', role: 'org-admin', apiKey: KEY23, events: [wire23(1)] })
  e25 = await startMispEmulator({
    version: '2.5',
    apiKey: KEY24,
    tls: { key: readFileSync(fixture('server.key')), cert: readFileSync(fixture('server.pem')) },
  })
})
afterAll(async () => {
  await Promise.all([e23?.close(), e25?.close()])
})

const args = () => [
  'sync',
  '--from',
  e23.url,
  '--from-version',
  '2.3',
  '--to',
  e25.url,
  '--to-version',
  '2.4',
]
const env = { MISP_FROM_KEY: KEY23, MISP_TO_KEY: KEY24 }

test('without --ca the HTTPS target is refused; with --to-ca (or --ca) the run goes through', async () => {
  const refused = capture({ env })
  expect(await main(args(), refused.io)).toBe(2)
  expect(refused.err()).toMatch(/certificate/i)
  const withCa = capture({ env })
  expect(await main([...args(), '--to-ca', fixture('ca.pem')], withCa.io)).toBe(0)
  expect(withCa.out()).toMatch(/1 created/)
  const shared = capture({ env })
  expect(await main([...args(), '--ca', fixture('ca.pem')], shared.io)).toBe(0)
  expect(shared.out()).toMatch(/1 unchanged/)
  for (const c of [refused, withCa, shared]) expect(c.out() + c.err()).not.toMatch(/K2[34]secret/)
})

test('a missing CA file, a file that is not PEM, a client cert without its key: usage errors naming the flag', async () => {
  const missing = capture({ env })
  expect(await main([...args(), '--ca', '/nonexistent/ca.pem'], missing.io)).toBe(2)
  expect(missing.err()).toContain('cannot read --ca /nonexistent/ca.pem (ENOENT)')
  const notPem = capture({ env })
  expect(await main([...args(), '--to-ca', fixture('README.md')], notPem.io)).toBe(2)
  expect(notPem.err()).toMatch(/--to-ca .*README\.md is not a PEM file/)
  const half = capture({ env })
  expect(await main([...args(), '--to-client-cert', fixture('server.pem')], half.io)).toBe(2)
  expect(half.err()).toContain('--to-client-key is required with --to-client-cert')
})
