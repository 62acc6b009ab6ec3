import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { formatLoss, type Loss } from '../../src/convert/index.js'
import {
  combineLoggers,
  directoryArchive,
  jsonLinesLog,
  memoryLogger,
  runLogger,
  summariseLosses,
  type TransferAttempt,
  type TransferLogger,
  type TransferResult,
  toRunReport,
  toTransferRecord,
  transferLogger,
} from '../../src/sync/index.js'
import { tempDir } from './support.js'

const UUID = '5f1c2a3e-0d4b-4c8e-9a1f-23a000000001'

const loss = (i: number): Loss => ({
  _tag: 'DistributionChanged',
  path: `Event.Attribute[${i}].distribution`,
  from: '1',
  to: '0',
  policy: 'organisation-only',
})

const result = (overrides: Partial<TransferResult> = {}): TransferResult => ({
  uuid: UUID,
  direction: '2.4->2.3',
  outcome: 'created',
  targetId: '12',
  losses: [loss(0)],
  dryRun: false,
  startedAt: '2026-11-27T10:00:00.000Z',
  durationMs: 5,
  ...overrides,
})

const attempt = (
  at = '2026-11-27T10:00:00.123Z',
  overrides: Partial<TransferResult> = {},
): TransferAttempt => {
  const r = result(overrides)
  return {
    record: toTransferRecord(r, { at: new Date(at), from: 'http://a/', to: 'http://b/' }),
    losses: r.losses,
    source: { Event: { uuid: UUID, info: 'as read' } },
    sent: { Event: { uuid: UUID, info: 'as sent' } },
    stored: { Event: { id: '12', uuid: UUID, info: 'as stored' } },
  }
}

let dir: Awaited<ReturnType<typeof tempDir>>
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(() => dir.remove())

describe('TransferRecord', () => {
  test('plain JSON with the contract fields; no undefined members; losses bounded', () => {
    const r = result({ losses: Array.from({ length: 100_000 }, (_, i) => loss(i)) })
    const record = toTransferRecord(r, {
      at: new Date('2026-11-27T10:00:00Z'),
      from: 'http://a/',
      to: 'http://b/',
      lossSample: 3,
    })
    expect(JSON.parse(JSON.stringify(record))).toEqual(record)
    expect(record).toMatchObject({
      at: '2026-11-27T10:00:00.000Z',
      uuid: UUID,
      direction: '2.4->2.3',
      outcome: 'created',
      targetId: '12',
      losses: { total: 100_000, byKind: { DistributionChanged: 100_000 } },
    })
    expect(record.losses.sample).toEqual([
      'Event.Attribute[0].distribution: distribution 1 → 0 (policy organisation-only)',
      'Event.Attribute[1].distribution: distribution 1 → 0 (policy organisation-only)',
      'Event.Attribute[2].distribution: distribution 1 → 0 (policy organisation-only)',
    ])
    expect(JSON.stringify(record).length).toBeLessThan(1000)
    expect('dryRun' in record).toBe(false)
    expect(toTransferRecord(result({ dryRun: true }), { at: new Date(), from: '', to: '' }).dryRun).toBe(true)
  })

  test('the sample shows the most significant losses first', () => {
    const idDropped: Loss = {
      _tag: 'FieldsDropped',
      path: 'Event',
      reason: 'instance-local',
      fields: { id: '1' },
    }
    const tagDropped: Loss = {
      _tag: 'FieldsDropped',
      path: 'Event',
      reason: 'not-in-target',
      fields: { Tag: [] },
    }
    const attribute: Loss = {
      _tag: 'AttributeDropped',
      path: 'Event.Attribute[9]',
      reason: 'type-not-in-2.3',
      uuid: UUID,
      type: 'btc',
      category: 'Financial fraud',
      value: 'x',
    }
    const s = summariseLosses([idDropped, loss(0), tagDropped, attribute], 3)
    expect(s.sample).toEqual([formatLoss(attribute), formatLoss(tagDropped), formatLoss(loss(0))])
    expect(s.total).toBe(4)
    expect(summariseLosses([idDropped], 0).sample).toEqual([])
  })

  test('the run report is JSON with rendered errors', () => {
    const report = toRunReport({
      direction: '2.3->2.4',
      from: 'http://a/',
      to: 'http://b/',
      dryRun: false,
      startedAt: 'x',
      finishedAt: 'y',
      durationMs: 1,
      selected: 1,
      counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 1 },
      notAttempted: [],
      lossesByKind: {},
      changes: { tagsAttached: 0, tagsDetached: 0, tagsCreated: 0, attributesDeleted: 0 },
      errors: [{ _tag: 'InvalidOptions', message: 'since: not a time' }],
      ok: false,
      events: [result({ outcome: 'failed', error: { _tag: 'ConversionFailed', message: 'boom' } })],
    })
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
    expect(report.errors).toEqual([{ kind: 'InvalidOptions', message: 'invalid options: since: not a time' }])
    expect(report.events[0]?.error).toEqual({ kind: 'ConversionFailed', message: 'conversion failed: boom' })
  })
})

describe('jsonLinesLog', () => {
  test('appends one line per attempt to an existing file and never truncates it', async () => {
    const path = join(dir.path, 'log.jsonl')
    await writeFile(path, '{"earlier":"line"}\n')
    const log = jsonLinesLog(path)
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.log(attempt(`2026-11-27T10:00:${String(i % 60).padStart(2, '0')}.000Z`))(),
      ),
    )
    expect(results.every(E.isRight)).toBe(true)
    const text = await readFile(path, 'utf8')
    const lines = text.split('\n').filter((l) => l !== '')
    expect(lines).toHaveLength(51)
    expect(lines[0]).toBe('{"earlier":"line"}')
    for (const l of lines.slice(1)) expect(JSON.parse(l)).toMatchObject({ uuid: UUID, outcome: 'created' })
    expect(text).not.toContain('as sent') // documents go to the archive, not the log
  })

  test('a file that cannot be opened is a LogError with its code', async () => {
    const r = await jsonLinesLog(join(dir.path, 'missing', 'log.jsonl')).log(attempt())()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'LogError', code: 'ENOENT' })
  })
})

describe('directoryArchive', () => {
  test('the JSON as read, as sent, as stored and the losses, under the uuid; atomic, nothing left over', async () => {
    const archive = directoryArchive(dir.path)
    expect(await archive.log(attempt())()).toEqual(E.right(undefined))
    expect(await archive.log(attempt())()).toEqual(E.right(undefined)) // same instant: a second set
    const files = (await readdir(join(dir.path, UUID))).sort()
    expect(files).toEqual([
      '2026-11-27T10-00-00.123Z-2-losses.json',
      '2026-11-27T10-00-00.123Z-2-sent.json',
      '2026-11-27T10-00-00.123Z-2-source.json',
      '2026-11-27T10-00-00.123Z-2-stored.json',
      '2026-11-27T10-00-00.123Z-losses.json',
      '2026-11-27T10-00-00.123Z-sent.json',
      '2026-11-27T10-00-00.123Z-source.json',
      '2026-11-27T10-00-00.123Z-stored.json',
    ])
    const sent = JSON.parse(
      await readFile(join(dir.path, UUID, '2026-11-27T10-00-00.123Z-sent.json'), 'utf8'),
    )
    expect(sent).toEqual({ Event: { uuid: UUID, info: 'as sent' } })
  })

  test('a dry run is named so; no documents, no files; a uuid that is not one is refused', async () => {
    const archive = directoryArchive(dir.path)
    const dry = attempt(undefined, { dryRun: true })
    await archive.log({ record: dry.record, losses: [], sent: dry.sent })()
    expect(await readdir(join(dir.path, UUID))).toEqual(['2026-11-27T10-00-00.123Z-dry-run.json'])
    await archive.log({
      record: { ...dry.record, uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000002' },
      losses: [],
    })()
    expect(await readdir(dir.path)).toEqual([UUID])
    const bad = await archive.log({ ...dry, record: { ...dry.record, uuid: '../escape' } })()
    expect(E.isLeft(bad)).toBe(true)
  })
})

describe('combineLoggers, memoryLogger, runLogger', () => {
  test('in order; the first failure stops the chain and is the answer', async () => {
    const calls: Array<string> = []
    const ok = (name: string): TransferLogger => transferLogger(name, async () => void calls.push(name))
    const failing = transferLogger('bad', async () => {
      calls.push('bad')
      throw Object.assign(new Error('no space left'), { code: 'ENOSPC' })
    })
    const r = await combineLoggers(ok('first'), failing, ok('never')).log(attempt())()
    expect(calls).toEqual(['first', 'bad'])
    expect(E.isLeft(r) && r.left).toEqual({
      _tag: 'LogError',
      logger: 'bad',
      message: 'no space left',
      code: 'ENOSPC',
    })
    expect(combineLoggers(ok('a'), ok('b')).name).toBe('a + b')
  })

  test('memoryLogger keeps attempts; runLogger turns throws and non-answers into LogErrors', async () => {
    const memory = memoryLogger()
    await memory.log(attempt())()
    expect(memory.records.map((r) => r.uuid)).toEqual([UUID])
    expect(memory.attempts[0]?.sent).toEqual({ Event: { uuid: UUID, info: 'as sent' } })
    const throws: TransferLogger = {
      name: 'sync-throw',
      log: () => {
        throw new Error('sync')
      },
    }
    expect(await runLogger(throws, attempt())).toEqual(
      E.left({ _tag: 'LogError', logger: 'sync-throw', message: 'sync' }),
    )
    const silent = { name: 'silent', log: () => async () => undefined } as unknown as TransferLogger
    expect(E.isLeft(await runLogger(silent, attempt()))).toBe(true)
  })
})
