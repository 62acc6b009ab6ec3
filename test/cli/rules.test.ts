/**
 * `misp-bridge sync` with sharing rules and the arrival policy: --rules FILE and the shorthands
 * that add to it, a dry run with --uuid that says why an event does not cross, --publish and
 * --arrival-tag, and bad values (exit 2, the flag named).
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import type { RunReport } from '../../src/sync/index.js'
import { tempDir, uuidOf, wire24 } from '../sync/support.js'
import { capture, KEY23, KEY24, keysFor, type Servers, startServers, syncArgs } from './support.js'

let dir: Awaited<ReturnType<typeof tempDir>>
let servers: Servers | undefined
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(async () => {
  await servers?.close()
  servers = undefined
  await dir.remove()
})

const run = async (argv: ReadonlyArray<string>) => {
  const c = capture({ cwd: dir.path, env: keysFor('2.4->2.3') })
  const code = await main(argv, c.io)
  for (const o of [c.out(), c.err()]) {
    expect(o).not.toContain(KEY23)
    expect(o).not.toContain(KEY24)
  }
  return { code, out: c.out(), err: c.err() }
}

const red = wire24(1, { Tag: [{ name: 'tlp:red', exportable: true }], distribution: '0', published: false })
const green = wire24(2)
const acme = wire24(3, { Orgc: { name: 'ACME-Internal', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000cc' } })

describe('sync with rules', () => {
  test('--rules FILE plus shorthands; the summary groups the reasons; --uuid --dry-run says why', async () => {
    servers = await startServers('2.5', { events24: [red, green, acme] })
    await writeFile(join(dir.path, 'rules.json'), JSON.stringify({ tags: { NOT: ['tlp:red'] } }))
    const args = [...syncArgs(servers, '2.4->2.3'), '--rules', 'rules.json', '--block-org', 'acme-internal']
    const r = await run([...args, '--json'])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out) as RunReport
    expect(report.counts).toMatchObject({ created: 1, skipped: 2, failed: 0 })
    expect(report.events.find((e) => e.uuid === uuidOf(red))?.reason).toBe('rules.tags.NOT: tlp:red')
    expect(servers.e23.events().map((e) => e['uuid'])).toEqual([uuidOf(green)])

    const text = await run(args)
    expect(text.out).toContain('skipped 1: rules.tags.NOT: tlp:red')
    expect(text.out).toContain('skipped 1: rules.orgs.NOT: ACME-Internal')

    const why = await run([...args, '--uuid', uuidOf(red), '--dry-run'])
    expect(why.code).toBe(0)
    expect(why.out).toMatch(new RegExp(`skipped +${uuidOf(red)}\n +rules\\.tags\\.NOT: tlp:red\n`))
  })

  test('--published-only, --allow-tag with a prefix, --block-type, --publish never, --arrival-tag', async () => {
    servers = await startServers('2.5', { events24: [red, green, acme] })
    const r = await run([
      ...syncArgs(servers, '2.4->2.3'),
      '--published-only',
      '--allow-tag',
      'TLP:*',
      '--block-type',
      'domain',
      '--publish',
      'never',
      '--arrival-tag',
      'source:misp-2.5',
      '--json',
    ])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out) as RunReport
    expect(report.events.find((e) => e.uuid === uuidOf(red))?.reason).toBe(
      'rules.published: the event is not published',
    )
    expect(report.counts.created).toBe(2)
    const copy = servers.e23.event(uuidOf(green))!
    expect(copy['published']).toBe(false)
    expect(JSON.stringify(copy)).not.toContain('"domain"')
    expect(servers.e23.eventTags(uuidOf(green)).map((t) => t.name)).toContain('source:misp-2.5')
    expect(servers.e23.alertEmails()).toEqual([])
  })

  test('bad values: exit 2 naming the flag', async () => {
    servers = await startServers('2.5')
    await writeFile(join(dir.path, 'ids.json'), JSON.stringify({ push_rules: '{"tags":{"OR":["3"]}}' }))
    const ids = await run([...syncArgs(servers, '2.4->2.3'), '--rules', 'ids.json'])
    expect(ids.code).toBe(2)
    expect(ids.err).toMatch(/--rules ids\.json: rules\.push_rules\.tags\.OR: "3" looks like a MISP id/)
    const publish = await run([...syncArgs(servers, '2.4->2.3'), '--publish', 'loud'])
    expect(publish.code).toBe(2)
    expect(publish.err).toMatch(/--publish must be quiet or never or as-source/)
    const missing = await run([...syncArgs(servers, '2.4->2.3'), '--rules', 'nope.json'])
    expect(missing.err).toMatch(/--rules nope\.json: cannot be read \(ENOENT\)/)
  })
})
