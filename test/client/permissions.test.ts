/**
 * `MispClient.permissions()`: what a key may do, per release and role — over HTTP against the
 * emulator's stock roles, and against the real MISP 2.3.178 and 2.5.1 servers when
 * `MISP_REAL_23_URL`/`MISP_REAL_23_KEY`/`MISP_REAL_23_SYNC_KEY` and `MISP_REAL_25_URL`/
 * `MISP_REAL_25_KEY` are set (`../shared/real-misp`).
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, test } from 'vitest'
import { type KeyPermissions, MispClient } from '../../src/index.js'
import {
  type EmulatorRole,
  type Fault,
  type MispEmulator,
  startMispEmulator,
} from '../../src/testing/index.js'

const open: Array<MispEmulator> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})

const permissionsOf = async (
  version: '2.3.178' | '2.4.199' | '2.5',
  role: EmulatorRole,
): Promise<{ p: KeyPermissions; emu: MispEmulator }> => {
  const emu = await startMispEmulator({ version, role, orgName: 'CIRCL' })
  open.push(emu)
  const client =
    version === '2.3.178'
      ? new MispClient({ url: emu.url, key: emu.apiKey, version: '2.3' })
      : new MispClient({ url: emu.url, key: emu.apiKey, version: '2.4' })
  const r = await client.permissions()()
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return { p: r.right, emu }
}

const flags = (p: KeyPermissions) => ({
  siteAdmin: p.siteAdmin,
  sync: p.sync,
  tag: p.tag,
  tagEditor: p.tagEditor,
  publish: p.publish,
})

describe('MISP 2.3.178: learnt by probes (2.3 has no REST user view)', () => {
  test.each([
    ['site-admin', { siteAdmin: true, sync: true, tag: true, tagEditor: true, publish: true }],
    ['org-admin', { siteAdmin: false, sync: true, tag: true, tagEditor: true, publish: undefined }],
    ['sync', { siteAdmin: false, sync: true, tag: false, tagEditor: false, publish: undefined }],
    ['user', { siteAdmin: false, sync: false, tag: false, tagEditor: false, publish: undefined }],
    ['read-only', { siteAdmin: false, sync: false, tag: false, tagEditor: false, publish: undefined }],
  ] as const)('%s', async (role, want) => {
    const { p, emu } = await permissionsOf('2.3.178', role)
    expect(flags(p)).toEqual(want)
    expect(p).toMatchObject({ source: 'probes', role: undefined, org: undefined })
    // nothing written: the probes are GET tags/delete/0, GET jobs/index, GET filterEventIdsForPush (all reads)
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /tags/delete/0',
      'GET /jobs/index',
      'GET /events/filterEventIdsForPush',
    ])
  })
})

describe.each(['2.4.199', '2.5'] as const)('MISP %s: users/view/me', (version) => {
  test.each([
    ['site-admin', 'admin', { siteAdmin: true, sync: true, tag: true, tagEditor: true, publish: true }],
    ['org-admin', 'Org Admin', { siteAdmin: false, sync: false, tag: true, tagEditor: true, publish: true }],
    ['sync', 'Sync user', { siteAdmin: false, sync: true, tag: true, tagEditor: true, publish: true }],
    ['publisher', 'Publisher', { siteAdmin: false, sync: false, tag: true, tagEditor: false, publish: true }],
    ['user', 'User', { siteAdmin: false, sync: false, tag: true, tagEditor: false, publish: false }],
    [
      'read-only',
      'Read Only',
      { siteAdmin: false, sync: false, tag: false, tagEditor: false, publish: false },
    ],
  ] as const)('%s', async (role, name, want) => {
    const { p, emu } = await permissionsOf(version, role)
    expect(flags(p)).toEqual(want)
    expect(p).toMatchObject({ source: 'users/view/me', role: name, org: 'CIRCL' })
    // the user record carries the key (as a real 2.5.1 without advanced authkeys does): not kept
    expect(JSON.stringify(p)).not.toContain(emu.apiKey)
  })
})

describe('MISP 2.3.178: an answer that decides nothing is an error, never a guess', () => {
  // a 500 is what MISP answers when it fails (and what a 2.3 tags/add answers past its check): it
  // must never read as "may tag", nor a proxy's page as "site admin"
  test.each([
    ['tags/delete', 500],
    ['tags/delete', 502],
    ['jobs/index', 500],
    ['jobs/index', 503],
    ['filterEventIdsForPush', 500],
  ] as const)('%s answering %d', async (path, status) => {
    for (const role of ['sync', 'site-admin'] as const) {
      const { r, emu } = await faulted(role, { kind: 'status', status }, new RegExp(path), Infinity)
      expect(E.isLeft(r)).toBe(true)
      expect(JSON.stringify(r)).not.toContain(emu.apiKey)
    }
  })

  test('a probe cut by a reset is an error too', async () => {
    const { r } = await faulted('sync', { kind: 'reset' }, /tags\/delete/, 1)
    expect(E.isLeft(r)).toBe(true)
  })
})

/** A 2.3.178 emulator for `role` whose requests matching `path` get `fault` (`times`), and the key's permissions there. */
const faulted = async (role: EmulatorRole, fault: Fault, path: RegExp, times: number) => {
  const emu = await startMispEmulator({ version: '2.3.178', role })
  open.push(emu)
  emu.inject(fault, { times, match: { path } })
  const r = await new MispClient({ url: emu.url, key: emu.apiKey, version: '2.3', retry: 0 }).permissions()()
  return { r, emu }
}

test('a refused key is AuthenticationFailed, without the key in the error', async () => {
  const emu = await startMispEmulator({ version: '2.3.178' })
  open.push(emu)
  const wrong = 'WrongKeyWrongKeyWrongKeyWrongKey01234567'
  for (const version of ['2.3', '2.4'] as const) {
    const r = await new MispClient({ url: emu.url, key: wrong, version }).permissions()()
    expect(E.isLeft(r) && r.left._tag).toBe('AuthenticationFailed')
    expect(JSON.stringify(r)).not.toContain(wrong)
  }
})

// --- the real servers ---------------------------------------------------------------------------

const env = process.env
const real23 = env['MISP_REAL_23_URL'] !== undefined && env['MISP_REAL_23_KEY'] !== undefined
const real25 = env['MISP_REAL_25_URL'] !== undefined && env['MISP_REAL_25_KEY'] !== undefined
if (!real23 || !real25)
  console.log('permissions.test: MISP_REAL_23_* / MISP_REAL_25_* unset: the real-server checks are skipped')

describe.skipIf(!real23)('real MISP 2.3.178', () => {
  const client = (key: string) => new MispClient({ url: env['MISP_REAL_23_URL']!, key, version: '2.3' })
  test('the site admin key: everything', async () => {
    const r = await client(env['MISP_REAL_23_KEY']!).permissions()()
    expect(E.isRight(r) && flags(r.right)).toEqual({
      siteAdmin: true,
      sync: true,
      tag: true,
      tagEditor: true,
      publish: true,
    })
  })
  test.skipIf(env['MISP_REAL_23_SYNC_KEY'] === undefined)(
    'the stock "Sync user" key: sync, no tagging',
    async () => {
      const key = env['MISP_REAL_23_SYNC_KEY']!
      const r = await client(key).permissions()()
      expect(E.isRight(r) && flags(r.right)).toEqual({
        siteAdmin: false,
        sync: true,
        tag: false,
        tagEditor: false,
        publish: undefined,
      })
      expect(JSON.stringify(r)).not.toContain(key)
    },
  )
})

describe.skipIf(!real25)('real MISP 2.5.1', () => {
  test('the site admin key: users/view/me, role "admin", org ADMIN; the authkey is not kept', async () => {
    const key = env['MISP_REAL_25_KEY']!
    const r = await new MispClient({ url: env['MISP_REAL_25_URL']!, key, version: '2.4' }).permissions()()
    expect(E.isRight(r) && r.right).toMatchObject({
      source: 'users/view/me',
      role: 'admin',
      org: 'ADMIN',
      siteAdmin: true,
      sync: true,
      tag: true,
      tagEditor: true,
      publish: true,
    })
    expect(JSON.stringify(r)).not.toContain(key)
  })
})
