/**
 * The emulator's publish endpoints as the real servers answered them (2.3.178 and 2.5.1, probed
 * on the shared real servers): who may publish, publish vs alert, the alert e-mail counter and
 * MISP.disablerestalert, unpublish and delete.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import { type MispEmulator, startMispEmulator } from '../../src/testing/index.js'

const open: Array<MispEmulator> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})

const start = async (o: Parameters<typeof startMispEmulator>[0]) => {
  const e = await startMispEmulator(o)
  open.push(e)
  return e
}

const post = (e: MispEmulator, path: string, body?: unknown) =>
  fetch(new URL(path, e.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { Authorization: e.apiKey, Accept: 'application/json', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

const event = (version: '2.3' | '2.4', published: boolean, orgc: string) => ({
  Event: {
    uuid: randomUUID(),
    info: 'publish probe',
    distribution: '0',
    threat_level_id: '4',
    analysis: '0',
    date: '2026-12-05',
    published,
    locked: true,
    ...(version === '2.3' ? { orgc } : { Orgc: { name: orgc } }),
    Attribute: [{ type: 'ip-dst', category: 'Network activity', value: '10.1.2.3', to_ids: false }],
  },
})

describe.each([
  { version: '2.3.178' as const, shape: '2.3' as const, add: 'events' },
  { version: '2.5' as const, shape: '2.4' as const, add: 'events/add' },
])('MISP $version', ({ version, shape, add }) => {
  test("a sync user may not publish another organisation's event; a site admin may, without e-mail", async () => {
    const sync = await start({ version })
    const created = (await (await post(sync, add, event(shape, false, 'OtherOrg'))).json()) as {
      Event: { id: string; timestamp: string }
    }
    const refused = await post(sync, `events/publish/${created.Event.id}`)
    expect(refused.status).toBe(405)
    expect(((await refused.json()) as { message: string }).message).toBe(
      shape === '2.3'
        ? 'You don&#039;t have the permission to do that.'
        : 'You do not have the permission to do that.',
    )
    const admin = await start({ version, role: 'site-admin' })
    const mine = (await (await post(admin, add, event(shape, false, 'OtherOrg'))).json()) as {
      Event: { id: string; timestamp: string }
    }
    const ok = await post(admin, `events/publish/${mine.Event.id}`)
    if (shape === '2.3') {
      expect(ok.status).toBe(302)
      expect(ok.headers.get('location')).toBe(`${admin.baseUrl}/events/view/${mine.Event.id}`)
    } else {
      expect(ok.status).toBe(200)
      expect(await ok.json()).toMatchObject({
        saved: true,
        success: true,
        name: 'Event published without alerts',
      })
    }
    expect(admin.event(mine.Event.id)?.['published']).toBe(true)
    expect(String(admin.event(mine.Event.id)?.['timestamp'])).toBe(String(mine.Event.timestamp))
    expect(admin.alertEmails()).toEqual([])
    expect((await post(admin, 'events/publish/999')).status).toBe(404)
  })

  test('an add or edit with published: 1 sends the alert e-mails, events/alert too; disablerestalert mutes REST', async () => {
    const loud = await start({ version, role: 'site-admin' })
    const ev = event(shape, true, 'OtherOrg')
    const created = (await (await post(loud, add, ev)).json()) as { Event: { id: string } }
    expect(loud.alertEmails()).toEqual([
      { eventId: Number(created.Event.id), uuid: ev.Event.uuid, via: 'add' },
    ])
    await post(loud, `events/edit/${created.Event.id}`, {
      Event: { ...ev.Event, info: 'edited', timestamp: String(Math.floor(Date.now() / 1000) + 10) },
    })
    expect(loud.alertEmails().map((a) => a.via)).toEqual(['add', 'edit'])
    await post(loud, `events/alert/${created.Event.id}`)
    expect(loud.alertEmails().map((a) => a.via)).toEqual(['add', 'edit', 'alert'])
    const muted = await start({ version, role: 'site-admin', disableRestAlert: true })
    const quiet = (await (await post(muted, add, event(shape, true, 'OtherOrg'))).json()) as {
      Event: { id: string; published: unknown }
    }
    expect(muted.event(quiet.Event.id)?.['published']).toBe(true)
    expect(muted.alertEmails()).toEqual([])
  })

  test('unpublish (2.4/2.5 only) and delete', async () => {
    const admin = await start({ version, role: 'site-admin' })
    const created = (await (await post(admin, add, event(shape, true, 'OtherOrg'))).json()) as {
      Event: { id: string }
    }
    const un = await post(admin, `events/unpublish/${created.Event.id}`)
    if (shape === '2.3') expect(un.status).toBe(404)
    else {
      expect(un.status).toBe(200)
      expect(admin.event(created.Event.id)?.['published']).toBe(false)
    }
    const del = await post(admin, `events/delete/${created.Event.id}`)
    expect(del.status).toBe(200)
    expect(((await del.json()) as { message: string }).message).toBe('Event deleted.')
    expect(admin.event(created.Event.id)).toBeUndefined()
  })
})
