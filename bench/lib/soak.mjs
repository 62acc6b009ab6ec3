// The soak and the re-run measurements, on the public API only (the caller passes the library's
// modules: `misp-bridge`, `misp-bridge/sync`, `misp-bridge/testing`, `misp-bridge/client`), so
// they keep measuring whatever the sync engine becomes.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { differences } from './content.mjs'
import { injectMixedFaults } from './faults.mjs'
import { countSince } from './requests.mjs'
import { smallEvents } from './syncEvents.mjs'

/**
 * The two directions of issue #8: `down`, a 2.4.199 source to a 2.3.178 target, and `up`, a
 * 2.3.178 source to a 2.5 target. `expected` is the source's stored copy converted as the connector converts it
 * (default options), bare wire JSON — what the target must hold.
 */
export const directions = (lib) => ({
  down: {
    label: '2.4.199 → 2.3.178',
    source: { version: '2.4.199', api: '2.4', events: '2.4' },
    target: { version: '2.3.178', api: '2.3' },
    connect: lib.connect24to23,
    expected: (wire) => {
      const d = lib.decodeEvent24(wire)
      return d._tag === 'Left' ? undefined : lib.encodeEvent23(lib.downgrade(d.right).value).Event
    },
  },
  up: {
    label: '2.3.178 → 2.5',
    source: { version: '2.3.178', api: '2.3', events: '2.3' },
    target: { version: '2.5', api: '2.4' },
    connect: lib.connect23to24,
    expected: (wire) => {
      const d = lib.decodeEvent23(wire)
      return d._tag === 'Left' ? undefined : lib.encodeEvent24(lib.upgrade(d.right).value).Event
    },
  },
})

/** A temporary directory for the state file and the log. */
export const tempDir = async () => {
  const path = await mkdtemp(join(tmpdir(), 'misp-bridge-soak-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** Source and target emulators for a direction, the source seeded with `events`, and their clients. */
export const startDirection = async (lib, dir, events, clientOptions = {}) => {
  const src = await lib.startMispEmulator({ version: dir.source.version, events })
  // a 2.3 target's stock "Sync user" may not tag (MYSQL.sql@v2.3.178:522-542): the link needs a role that may
  const tgt = await lib.startMispEmulator({ version: dir.target.version, role: 'org-admin' })
  const client = (e, version) => new lib.MispClient({ url: e.url, key: e.apiKey, version, ...clientOptions })
  return {
    src,
    tgt,
    from: client(src, dir.source.api),
    to: client(tgt, dir.target.api),
    close: () => Promise.all([src.close(), tgt.close()]),
  }
}

/** One sync run, with what it cost each server (from the emulators' request logs). */
export const measuredRun = async (pair, connector, syncOptions = {}) => {
  const s0 = pair.src.requests.length
  const t0 = pair.tgt.requests.length
  const started = performance.now()
  const r = await connector.sync(syncOptions)()
  return {
    result: r,
    ms: performance.now() - started,
    source: countSince(pair.src, s0),
    target: countSince(pair.tgt, t0),
  }
}

/**
 * Checks the target against the source: every source event exactly once (by uuid), with the
 * source's content; no event the source does not have. Returns counts and the first problems.
 */
export const verifyTarget = (dir, pair) => {
  const copies = new Map()
  for (const e of pair.tgt.events()) {
    const u = String(e.uuid).toLowerCase()
    copies.set(u, (copies.get(u) ?? 0) + 1)
  }
  const sources = pair.src.events()
  let lost = 0
  let duplicated = 0
  let contentMismatch = 0
  let undecodable = 0
  const problems = []
  const wanted = new Set()
  for (const s of sources) {
    const u = String(s.uuid).toLowerCase()
    wanted.add(u)
    const n = copies.get(u) ?? 0
    if (n === 0) {
      lost++
      if (problems.length < 5) problems.push(`lost: ${u}`)
      continue
    }
    if (n > 1) {
      duplicated++
      if (problems.length < 5) problems.push(`${n} copies: ${u}`)
    }
    const expected = dir.expected(s)
    if (expected === undefined) {
      undecodable++
      if (problems.length < 5) problems.push(`source copy does not decode: ${u}`)
      continue
    }
    const diff = differences(expected, pair.tgt.event(u))
    if (diff.length > 0) {
      contentMismatch++
      if (problems.length < 5) problems.push(`content of ${u}: ${JSON.stringify(diff)}`)
    }
  }
  const extra = [...copies.keys()].filter((u) => !wanted.has(u)).length
  return { sourceEvents: sources.length, lost, duplicated, contentMismatch, undecodable, extra, problems }
}

/** The JSON Lines log's lines. */
export const logLines = async (path) =>
  (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l))

/**
 * The soak of one direction: `events` small events on the source, `faultRate` of the requests
 * to both servers failing with the mixed faults, the sync re-run with a file state store and a
 * JSON Lines log until a run is `ok` (at most `maxRuns`). Then the faults are cleared and the
 * target is verified, and re-runs with nothing changed are measured.
 */
export const soakDirection = async (lib, name, o) => {
  const dir = directions(lib)[name]
  const events = smallEvents(dir.source.events, o.events, o.seed)
  const tmp = await tempDir()
  const pair = await startDirection(lib, dir, events, o.clientOptions)
  try {
    const logFile = join(tmp.path, 'log.jsonl')
    const stateFile = join(tmp.path, 'state.json')
    const make = (withState = true, logger = lib.jsonLinesLog(logFile)) =>
      dir.connect({
        from: pair.from,
        to: pair.to,
        logger,
        ...(withState ? { state: lib.fileStateStore(stateFile) } : {}),
      })
    injectMixedFaults(pair.src, o.faultRate, o.seed * 2 + 1)
    injectMixedFaults(pair.tgt, o.faultRate, o.seed * 2 + 2)
    const runs = []
    const started = performance.now()
    for (let i = 1; i <= o.maxRuns; i++) {
      const m = await measuredRun(pair, make(), { concurrency: o.concurrency })
      const r = m.result
      runs.push({
        run: i,
        selected: r.selected,
        attempted: r.events.length,
        counts: r.counts,
        ok: r.ok,
        errors: r.errors.map((e) => e._tag),
        // why each failed event failed: the step and the error under it
        failures: r.events
          .filter((e) => e.outcome === 'failed')
          .map(
            (e) =>
              [
                e.error?._tag,
                e.error?.step,
                e.error?.error?._tag,
                e.error?.error?.reason ?? e.error?.error?.status,
              ]
                .filter((x) => x !== undefined)
                .join(' ') + (e.reason === undefined ? '' : ` (${e.reason})`),
          ),
        ms: m.ms,
        source: m.source,
        target: m.target,
      })
      o.onRun?.(runs.at(-1))
      if (r.ok) break
    }
    const wallMs = performance.now() - started
    pair.src.clearFaults()
    pair.tgt.clearFaults()
    const converged = runs.at(-1)?.ok === true
    const verified = verifyTarget(dir, pair)
    const lines = await logLines(logFile)
    const attempts = runs.reduce((s, r) => s + r.attempted, 0)
    const known = new Set(events.map((e) => e.Event.uuid))
    const stray = lines.filter((l) => !known.has(l.uuid)).length
    const rerun = await rerunCosts(lib, pair, make)
    return {
      name: dir.label,
      events: o.events,
      converged,
      runsToConverge: converged ? runs.length : undefined,
      runs,
      wallMs,
      verified,
      log: { lines: lines.length, attempts, stray },
      rerun,
    }
  } finally {
    await pair.close()
    await tmp.remove()
  }
}

/**
 * What re-runs with nothing changed cost each server: with the state file, and a full run
 * without state (the whole source selected). No faults; a memory logger.
 */
export const rerunCosts = async (lib, pair, make) => {
  const out = {}
  for (const [label, withState] of [
    ['re-run, state file', true],
    ['full run, no state', false],
  ]) {
    const m = await measuredRun(pair, make(withState, lib.memoryLogger()))
    out[label] = {
      selected: m.result.selected,
      counts: m.result.counts,
      ok: m.result.ok,
      ms: m.ms,
      source: m.source,
      target: m.target,
    }
  }
  return out
}
