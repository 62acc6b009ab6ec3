/**
 * A small soak over real HTTP (the CI-sized version of `bench/soak.mjs`, issue #8): 60 events
 * each way — 2.4.199 → 2.3.178 and 2.3.178 → 2.5 — with 10 % of the requests to BOTH servers
 * failing (500, 502, 503, reset, reset-after-write, truncated JSON, 200 ms hang; seeded), the sync
 * re-run with a file state store and a JSON Lines log until a run is clean. It must converge
 * within {@link MAX_RUNS} runs, then: every source event on the target exactly once with the
 * source's content (info, attributes), nothing else there, and one log line per attempt.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { MispClient } from '../../src/client/index.js'
import { downgrade } from '../../src/convert/downgrade.js'
import { upgrade } from '../../src/convert/upgrade.js'
import { decodeEvent23, decodeEvent24, encodeEvent23, encodeEvent24 } from '../../src/decode.js'
import {
  connect23to24,
  connect24to23,
  fileStateStore,
  jsonLinesLog,
  type RunResult,
} from '../../src/sync/index.js'
import { type Fault, type MispEmulator, startMispEmulator } from '../../src/testing/index.js'
import { readLog, tempDir, wire23, wire24 } from './support.js'

/** Runs a direction may take to converge. The current engine needs many; issue #8's needs ≤ 2. */
const MAX_RUNS = 2 // issue #8: converged in ≤ 2 runs under 10 % mixed faults on both servers
const EVENTS = 60
const FAULT_RATE = 0.1
const FAULTS: ReadonlyArray<Fault> = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503 },
  { kind: 'reset' },
  { kind: 'reset-after-write' },
  { kind: 'truncated-json' },
  { kind: 'hang', ms: 200 },
]

/** `rate` of the emulator's requests fail, evenly over {@link FAULTS} (one seeded rule per kind). */
const injectMixedFaults = (e: MispEmulator, rate: number, seed: number): void => {
  const each = 1 - (1 - rate) ** (1 / FAULTS.length)
  FAULTS.forEach((f, i) => {
    e.injectRate(f, each, seed * 1_000_003 + i * 7919)
  })
}

type Json = Record<string, unknown>
const list = (u: unknown): Array<Json> => (Array.isArray(u) ? (u as Array<Json>) : [])
/** What must match between the converted source and the target's copy. */
const content = (e: Json) => ({
  info: e['info'],
  attributes: [...list(e['Attribute']), ...list(e['Object']).flatMap((o) => list(o['Attribute']))]
    .map((a) => `${String(a['uuid'])} ${String(a['type'])} ${String(a['category'])} ${String(a['value'])}`)
    .sort(),
})

interface Direction {
  readonly name: string
  readonly source: '2.4.199' | '2.3.178'
  readonly target: '2.3.178' | '2.5'
  readonly events: () => Array<{ Event: Json }>
  /** the source's stored copy converted as the connector converts it: what the target must hold */
  readonly expected: (source: Json) => Json
  readonly sync: (
    from: MispClient<'2.3' | '2.4'>,
    to: MispClient<'2.3' | '2.4'>,
    dir: string,
  ) => Promise<RunResult>
}

const unwrap = <A>(e: { _tag: 'Left' } | { _tag: 'Right'; right: A }): A => {
  if (e._tag === 'Left') throw new Error('the source copy does not decode')
  return e.right
}
const plain = (u: unknown): Json => JSON.parse(JSON.stringify(u)) as Json

const directions: ReadonlyArray<Direction> = [
  {
    name: '2.4.199 → 2.3.178',
    source: '2.4.199',
    target: '2.3.178',
    events: () => Array.from({ length: EVENTS }, (_, i) => wire24(i + 1)),
    expected: (s) => plain(encodeEvent23(downgrade(unwrap(decodeEvent24(s))).value).Event),
    sync: (from, to, dir) =>
      connect24to23({
        from: from as MispClient<'2.4'>,
        to: to as MispClient<'2.3'>,
        logger: jsonLinesLog(join(dir, 'log.jsonl')),
        state: fileStateStore(join(dir, 'state.json')),
      }).sync()(),
  },
  {
    name: '2.3.178 → 2.5',
    source: '2.3.178',
    target: '2.5',
    events: () => Array.from({ length: EVENTS }, (_, i) => wire23(i + 1)),
    expected: (s) => plain(encodeEvent24(upgrade(unwrap(decodeEvent23(s))).value).Event),
    sync: (from, to, dir) =>
      connect23to24({
        from: from as MispClient<'2.3'>,
        to: to as MispClient<'2.4'>,
        logger: jsonLinesLog(join(dir, 'log.jsonl')),
        state: fileStateStore(join(dir, 'state.json')),
      }).sync()(),
  },
]

let dir: Awaited<ReturnType<typeof tempDir>>
const started: Array<MispEmulator> = []
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()))
  await dir.remove()
})

describe('soak: 10 % mixed faults on both servers, the sync re-run until clean', () => {
  test.each(directions)(
    '$name: converges within MAX_RUNS, every event once with its content, a log line per attempt',
    async (d) => {
      const src = await startMispEmulator({ version: d.source, events: d.events() })
      const tgt = await startMispEmulator({
        version: d.target,
        ...(d.target === '2.3.178' ? { role: 'org-admin' as const } : {}),
      })
      started.push(src, tgt)
      // a user's client, with short backoff waits so that the test stays fast
      const retry = { limit: 2, baseDelay: 10, maxDelay: 50 }
      const from = new MispClient({
        url: src.url,
        key: src.apiKey,
        version: d.source === '2.3.178' ? '2.3' : '2.4',
        retry,
      })
      const to = new MispClient({
        url: tgt.url,
        key: tgt.apiKey,
        version: d.target === '2.3.178' ? '2.3' : '2.4',
        retry,
      })
      // seeds under which both servers see faults (the source serves few requests: reads are batched)
      injectMixedFaults(src, FAULT_RATE, 13)
      injectMixedFaults(tgt, FAULT_RATE, 12)

      const runs: Array<RunResult> = []
      while (runs.length < MAX_RUNS && runs.at(-1)?.ok !== true) runs.push(await d.sync(from, to, dir.path))
      expect(runs.at(-1)?.ok, `not clean after ${runs.length} runs`).toBe(true)
      // the faults did happen (on both servers), so the runs had something to recover from
      expect(src.requests.some((r) => r.fault !== undefined)).toBe(true)
      expect(tgt.requests.some((r) => r.fault !== undefined)).toBe(true)

      src.clearFaults()
      tgt.clearFaults()
      const sources = src.events()
      expect(sources).toHaveLength(EVENTS)
      const onTarget = tgt.events()
      const copies = new Map<string, number>()
      for (const e of onTarget) copies.set(String(e['uuid']), (copies.get(String(e['uuid'])) ?? 0) + 1)
      for (const s of sources) {
        const uuid = String(s['uuid'])
        expect(copies.get(uuid), `copies of ${uuid}`).toBe(1)
        expect(content(tgt.event(uuid) ?? {})).toEqual(content(d.expected(s)))
      }
      expect(onTarget).toHaveLength(EVENTS)
      const log = await readLog(join(dir.path, 'log.jsonl'))
      expect(log).toHaveLength(runs.reduce((n, r) => n + r.events.length, 0))
      expect(new Set(log.map((r) => r.uuid))).toEqual(new Set(sources.map((s) => String(s['uuid']))))
    },
  )
})
