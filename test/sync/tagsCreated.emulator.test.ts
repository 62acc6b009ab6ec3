/**
 * Tags the bridge creates on a target: counted once per tag, whatever the concurrency (issue 14,
 * item 5: 12 events tagged `tlp:green` at concurrency 4 reported `tagsCreated: 4` though one
 * `POST /tags/add` was sent), and created with the source's colour and exportable flag instead of
 * a colour of the bridge's own (item 4).
 */
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, test } from 'vitest'
import { connect23to24, connect24to23, directoryArchive } from '../../src/sync/index.js'
import {
  archived,
  lines,
  type Pair,
  readArchived,
  startPair,
  tempDir,
  uuidOf,
  wire23,
  wire24,
} from './support.js'

let pair: Pair | undefined
afterEach(async () => {
  await pair?.close()
  pair = undefined
})

const SOURCE_TAGS = [
  { name: 'tlp:green', colour: '#33FF00', exportable: true },
  { name: 'osint:source-type="blog-post"', colour: '#0088cc', exportable: true },
]

describe('MISP 2.5 → MISP 2.3.178, 12 events sharing two tags the target lacks', () => {
  test.each([1, 4])(
    'concurrency %i: two tags created, counted once each (summary, events, archive)',
    async (concurrency) => {
      const events = Array.from({ length: 12 }, (_, i) => wire24(i + 1, { Tag: SOURCE_TAGS }))
      pair = await startPair('2.5', { events24: events })
      const p = pair
      const dir = await tempDir()
      try {
        const archive = join(dir.path, 'archive')
        const run = await connect24to23({
          from: p.c24,
          to: p.c23,
          concurrency,
          logger: directoryArchive(archive),
        }).sync()()
        expect(run.ok).toBe(true)
        expect(run.counts.created).toBe(12)
        expect(lines(p.e23).filter((l) => l === 'POST /tags/add')).toHaveLength(2)
        expect(run.changes.tagsCreated).toBe(2)
        expect(run.events.flatMap((e) => e.changes?.tagsCreated ?? []).sort()).toEqual(
          SOURCE_TAGS.map((t) => t.name).sort(),
        )
        // the archive's -changes.json files say the same: each tag created by one event
        const inArchive: Array<string> = []
        for (const e of events) {
          const name = (await archived(archive, uuidOf(e))).find((f) => f.endsWith('-changes.json'))
          if (name === undefined) continue
          const c = (await readArchived(archive, uuidOf(e), name)) as { tagsCreated?: ReadonlyArray<string> }
          inArchive.push(...(c.tagsCreated ?? []))
        }
        expect(inArchive.sort()).toEqual(SOURCE_TAGS.map((t) => t.name).sort())
        // created with the source's colour and exportable flag, not colours of the bridge's own
        const listed = await p.c23.tags()()
        expect(E.isRight(listed)).toBe(true)
        if (E.isRight(listed))
          for (const t of SOURCE_TAGS)
            expect(listed.right.find((x) => x.name === t.name)).toMatchObject({ colour: t.colour })
      } finally {
        await dir.remove()
      }
    },
  )

  test('a dry run counts each tag it would create once', async () => {
    const events = Array.from({ length: 6 }, (_, i) => wire24(i + 1, { Tag: SOURCE_TAGS }))
    pair = await startPair('2.5', { events24: events })
    const run = await connect24to23({ from: pair.c24, to: pair.c23, concurrency: 3 }).sync({ dryRun: true })()
    expect(run.ok).toBe(true)
    expect(run.changes.tagsCreated).toBe(2)
    expect(lines(pair.e23).filter((l) => l.startsWith('POST /tags/add'))).toEqual([])
  })
})

describe('MISP 2.3.178 → MISP 2.5', () => {
  test("a tag the target lacks is created with the 2.3 source's colour", async () => {
    const a = wire23(1)
    pair = await startPair('2.5', { events23: [a] })
    pair.e23.tagEvent(uuidOf(a), 'osint:source-type="blog-post"')
    const sourceTag = (await pair.c23.tags()()) as E.Right<ReadonlyArray<{ name: string; colour?: string }>>
    const colour = sourceTag.right.find((t) => t.name === 'osint:source-type="blog-post"')?.colour
    expect(colour).toMatch(/^#[0-9a-f]{6}$/i)
    const run = await connect23to24({ from: pair.c23, to: pair.c24, concurrency: 2 }).sync()()
    expect(run.ok).toBe(true)
    const listed = (await pair.c24.tags()()) as E.Right<ReadonlyArray<{ name: string; colour?: string }>>
    expect(listed.right.find((t) => t.name === 'osint:source-type="blog-post"')?.colour).toBe(colour)
  })
})
