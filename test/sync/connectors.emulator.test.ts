/**
 * Both connectors between emulators of every profile pair (MISP 2.3.178 ⇄ 2.4.0, 2.4.199, 2.5),
 * over real HTTP: created, failed (injected fault), skipped (policy), then updated (source
 * edited), then unchanged (re-run) — each checked in the target's events, the run result, the
 * JSON Lines log and the archive.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  type ConnectorOptions,
  combineLoggers,
  connect23to24,
  connect24to23,
  directoryArchive,
  jsonLinesLog,
  memoryStateStore,
  type RunResult,
  type TransferResult,
} from '../../src/sync/index.js'
import type { MispEmulator } from '../../src/testing/index.js'
import * as V23 from '../../src/v23/index.js'
import {
  archived,
  copies,
  landed,
  lines,
  type Pair,
  profiles24,
  readArchived,
  readLog,
  sharingGroup,
  startPair,
  tempDir,
  uuidOf,
  wire23,
  wire24,
} from './support.js'

type Wire = { Event: Record<string, unknown> }

interface Direction {
  readonly name: '2.3->2.4' | '2.4->2.3'
  /** three ordinary events and, last, one the direction's policy skips */
  readonly events: () => ReadonlyArray<Wire>
  readonly seed: (events: ReadonlyArray<Wire>) => {
    events23?: ReadonlyArray<Wire>
    events24?: ReadonlyArray<Wire>
  }
  readonly source: (p: Pair) => MispEmulator
  readonly target: (p: Pair) => MispEmulator
  readonly connect: (
    p: Pair,
    options: ConnectorOptions<'2.3'> & ConnectorOptions<'2.4'>,
    withPolicy: boolean,
  ) => { readonly sync: ReturnType<typeof connect23to24>['sync'] }
}

const directions: ReadonlyArray<Direction> = [
  {
    name: '2.3->2.4',
    events: () => [wire23(1), wire23(2), wire23(3), wire23(4, { info: '[local] not for sharing' })],
    seed: (events) => ({ events23: events }),
    source: (p) => p.e23,
    target: (p) => p.e24,
    connect: (p, options, withPolicy) =>
      connect23to24({
        from: p.c23,
        to: p.c24,
        ...options,
        ...(withPolicy
          ? { skip: (e: V23.Event) => (e.info.startsWith('[local]') ? 'a local-only event' : undefined) }
          : {}),
      }),
  },
  {
    name: '2.4->2.3',
    events: () => [wire24(1), wire24(2), wire24(3), wire24(4, sharingGroup)],
    seed: (events) => ({ events24: events }),
    source: (p) => p.e24,
    target: (p) => p.e23,
    connect: (p, options, withPolicy) =>
      connect24to23({
        from: p.c24,
        to: p.c23,
        ...options,
        ...(withPolicy ? { sharingGroupEvents: 'skip' } : {}),
      }),
  },
]

const CREATE = /^\/events(\/add)?$/

const byUuid = (r: RunResult, uuid: string): TransferResult => {
  const found = r.events.find((e) => e.uuid === uuid)
  if (found === undefined) throw new Error(`no result for ${uuid}`)
  return found
}

describe.each(profiles24)('MISP 2.3.178 ⇄ MISP %s', (v24) => {
  describe.each(directions)('$name', (d) => {
    let pair: Pair
    let dir: Awaited<ReturnType<typeof tempDir>>
    let events: ReadonlyArray<Wire>
    beforeEach(async () => {
      events = d.events()
      pair = await startPair(v24, d.seed(events))
      dir = await tempDir()
    })
    afterEach(async () => {
      await pair.close()
      await dir.remove()
    })

    test('created, failed, skipped → updated → unchanged, in the target, the result, the log and the archive', async () => {
      const [a, b, c, skipped] = events.map(uuidOf) as [string, string, string, string]
      const source = d.source(pair)
      const target = d.target(pair)
      const logFile = join(dir.path, 'transfers.jsonl')
      const archive = join(dir.path, 'archive')
      const logger = combineLoggers(directoryArchive(archive), jsonLinesLog(logFile))
      const state = memoryStateStore()
      const connector = d.connect(pair, { logger, state, concurrency: 1, recovery: { backoffMs: [1] } }, true)

      // run 1: the first create fails (HTTP 500) on each of its 4 attempts (each followed by a
      // lookup that shows it did not land), the policy skips the last event
      target.inject({ kind: 'status', status: 500 }, { times: 4, match: { method: 'POST', path: CREATE } })
      const before = target.requests.length
      const run1 = await connector.sync()()
      expect(run1.direction).toBe(d.name)
      expect(run1.counts).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 1, failed: 1 })
      expect(run1.ok).toBe(false)
      const failed = byUuid(run1, a)
      expect(failed.outcome).toBe('failed')
      expect(failed.error?._tag).toBe('TargetFailed')
      expect(failed.error?._tag === 'TargetFailed' && failed.error.step).toBe('create')
      expect(failed.error?._tag === 'TargetFailed' && failed.error.error._tag).toBe('HttpError')
      expect(byUuid(run1, b).outcome).toBe('created')
      expect(byUuid(run1, b).targetId).toMatch(/^\d+$/)
      expect(byUuid(run1, c).outcome).toBe('created')
      expect(byUuid(run1, skipped).outcome).toBe('skipped')
      expect(byUuid(run1, skipped).reason).toMatch(d.name === '2.3->2.4' ? /local-only/ : /sharing-group/)
      expect([copies(target, a), copies(target, b), copies(target, c), copies(target, skipped)]).toEqual([
        0, 1, 1, 0,
      ])
      expect(target.event(b)?.['locked']).toBe(true)
      expect(failed.reason).toMatch(/create's answer was lost .*gave up/)
      expect(
        target.requests.slice(before).filter((r) => r.method === 'POST' && CREATE.test(r.path)),
      ).toHaveLength(4 + 2)
      // the watermark moves past the failed first event, which waits in the retry set
      const saved = state.watermarks.get(connectorKey(d, pair))
      expect(saved?.uuid).toBe(skipped.toLowerCase())
      expect(saved?.retry?.map((r) => r.uuid)).toEqual([a.toLowerCase()])
      expect(run1.watermark?.after).toEqual(saved)

      const log1 = await readLog(logFile)
      expect(log1.map((r) => [r.uuid, r.outcome])).toEqual([
        [a, 'failed'],
        [b, 'created'],
        [c, 'created'],
        [skipped, 'skipped'],
      ])
      for (const r of log1) {
        expect(r.direction).toBe(d.name)
        expect(new Date(r.at).toISOString()).toBe(r.at)
        expect(r.from).toBe(d.name === '2.3->2.4' ? pair.c23.url : pair.c24.url)
      }
      expect(log1[0]?.error).toMatchObject({ kind: 'TargetFailed', step: 'create', tag: 'HttpError' })
      expect(log1[1]?.targetId).toBe(byUuid(run1, b).targetId)
      expect(log1[3]?.reason).toBe(byUuid(run1, skipped).reason)

      // the archive: as read, as sent (exactly the body the target received), as stored
      const filesOf = async (uuid: string) =>
        (await archived(archive, uuid)).map((f) => f.replace(/^.*Z(-\d+)?-/, ''))
      expect(await filesOf(a)).toEqual(expect.arrayContaining(['sent.json', 'source.json']))
      expect(await filesOf(a)).not.toContain('stored.json')
      expect(await filesOf(b)).toEqual(expect.arrayContaining(['sent.json', 'source.json', 'stored.json']))
      expect(await filesOf(skipped)).toEqual(['source.json'])
      const sentName = (await archived(archive, b)).find((f) => f.endsWith('-sent.json'))!
      const bodies = target.requests
        .slice(before)
        .filter((r) => r.method === 'POST' && CREATE.test(r.path))
        .map((r) => r.body as Wire)
      expect(bodies.find((x) => x.Event['uuid'] === b)).toEqual(await readArchived(archive, b, sentName))
      const sourceName = (await archived(archive, b)).find((f) => f.endsWith('-source.json'))!
      expect(((await readArchived(archive, b, sourceName)) as Wire).Event['uuid']).toBe(b)
      if (d.name === '2.4->2.3') {
        // what 2.3 cannot hold: the sha512 attribute, the tag, the object (flattened)
        expect(byUuid(run1, b).losses.map((l) => l._tag)).toEqual(
          expect.arrayContaining([
            'AttributeDropped',
            'FieldsDropped',
            ...(v24 === '2.4.0' ? [] : ['ObjectFlattened']),
          ]),
        )
        expect(log1[1]?.losses.byKind.AttributeDropped).toBe(1)
        expect(log1[1]?.losses.total).toBe(byUuid(run1, b).losses.length)
        expect(await filesOf(b)).toContain('losses.json')
        const stored = V23.Event.decode(target.event(b))
        expect(stored._tag).toBe('Right')
        expect(target.event(b)?.['orgc']).toBe('CERT-XY')
      } else {
        const orgc = target.event(b)?.['Orgc'] as Record<string, unknown> | undefined
        expect(orgc?.['name']).toBe('CIRCL')
      }

      // run 2: the source edits b; a is retried (from the retry set), c and the skipped event are
      // not selected (the watermark is past them)
      source.setEvent(b, (e) => {
        e['info'] = 'edited on the source'
      })
      const run2 = await connector.sync()()
      expect(run2.ok).toBe(true)
      expect(run2.selected).toBe(2)
      expect(run2.counts).toEqual({ created: 1, updated: 1, unchanged: 0, skipped: 0, failed: 0 })
      expect(byUuid(run2, a).outcome).toBe('created')
      expect(byUuid(run2, b).outcome).toBe('updated')
      expect(target.event(b)?.['info']).toBe('edited on the source')
      expect([copies(target, a), copies(target, b), copies(target, c), copies(target, skipped)]).toEqual([
        1, 1, 1, 0,
      ])
      expect(run2.watermark?.after?.uuid).toBe(b) // b is now the newest source event
      expect(state.watermarks.get(connectorKey(d, pair))).toEqual({ timestamp: expect.any(Number), uuid: b })

      // run 3: a re-run without the state compares everything (from one read of the target's
      // index) and writes nothing
      const writes = target.requests.length
      const run3 = await d.connect(pair, { logger, concurrency: 1 }, true).sync()()
      expect(run3.counts).toEqual({ created: 0, updated: 0, unchanged: 3, skipped: 1, failed: 0 })
      expect(lines(target, writes).filter((l) => /^(POST|PUT) \/events(\/add|\/edit\/.*)?$/.test(l))).toEqual(
        [],
      )
      // the target is only listed: its index (the skipped event, which the index does not list,
      // is read from the source and skipped by the policy without a lookup) and, for a 2.3
      // target, its tags (the tag list and one searchtag per tag in use): no request per event
      const listed = landed(target, writes)
      expect(listed.filter((l) => !/^(GET|POST) \/(events\/index|tags\/index)/.test(l))).toEqual([])
      expect(listed.length).toBeLessThanOrEqual(d.name === '2.3->2.4' ? 1 : 4)
      const log = await readLog(logFile)
      expect(log).toHaveLength(10)
      expect(log.slice(4, 6).map((r) => [r.uuid, r.outcome])).toEqual([
        [a, 'created'],
        [b, 'updated'],
      ])
      expect(
        log
          .slice(6)
          .map((r) => r.outcome)
          .sort(),
      ).toEqual(['skipped', 'unchanged', 'unchanged', 'unchanged'])
      // a full run reads every 2.3 source event (a 2.3 deletion does not move its timestamp), and
      // a 2.4 source event whose copy counts fewer attributes (here the sha512 the conversion drops:
      // the copy may be short, reading the event tells)
      expect((await archived(archive, b)).filter((f) => f.endsWith('-sent.json'))).toHaveLength(3)
    })

    test('the default policy and a second run without faults: every source event once on the target', async () => {
      const target = d.target(pair)
      const run = await d.connect(pair, {}, false).sync()()
      expect(run.ok).toBe(true)
      expect(run.counts.created).toBe(4)
      for (const e of events) expect(copies(target, uuidOf(e))).toBe(1)
      if (d.name === '2.4->2.3') {
        // a sharing-group event becomes "your organisation only" on 2.3
        const sg = uuidOf(events[3]!)
        expect(target.event(sg)?.['distribution']).toBe('0')
        expect(byUuid(run, sg).losses).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              _tag: 'DistributionChanged',
              path: 'Event.distribution',
              from: '4',
              to: '0',
            }),
          ]),
        )
      }
    })
  })
})

const connectorKey = (d: Direction, p: Pair): string =>
  d.name === '2.3->2.4' ? `2.3->2.4 ${p.c23.url} -> ${p.c24.url}` : `2.4->2.3 ${p.c24.url} -> ${p.c23.url}`
