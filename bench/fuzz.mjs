#!/usr/bin/env node
// Fuzz (issue #8): mutated real MISP events through every decoder and both conversions.
//
// Seeds: every JSON file below ../shared/fixtures/real (relative to the repository; --fixtures to
// point elsewhere) — the 2.4 events, their 2.3 downgrades, the 2.3 create body, the index rows
// and the other documents as they are. Without that directory it says so and falls back to
// generated events (bench/lib/syncEvents.mjs). Each iteration takes a seed, applies 1–3
// mutations (bench/lib/mutate.mjs: drop / duplicate / retype a member, random leaves, huge and
// empty arrays, unicode, deep nesting, `__proto__` keys, unknown members) and runs:
//   - decodeEvent23, decodeEvent24, decodeIndex23, decodeIndex24, and formatDecodeFailure on one
//     Left in K (--format-every, default 20: rendering is slow on big failures, its time is shown)
//   - for a decoded 2.4 event: downgrade with every distribution preset (and timestamps
//     'decrement'), encodeEvent23, JSON round trip, decodeEvent23 must be Right
//   - for a decoded 2.3 event: the same with upgrade / encodeEvent24 / decodeEvent24
// Counts: iterations, decodes (Right/Left), conversions, throws (must be 0), outputs that do not
// decode on their target version (must be 0), time. Exit status 1 when either is not 0.
//
//   npm run build && node bench/fuzz.mjs [--iterations 100000] [--seed 1] [--fixtures DIR]
//       [--only N  (re-run iteration N alone and print its input and mutations)]
//   ./dev fuzz [same options]               (npm run bench:fuzz -- [options])
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as lib from '../dist/index.js'
import { options } from './lib/args.mjs'
import { commandLine, fmt, machineLine } from './lib/machine.mjs'
import { mutate } from './lib/mutate.mjs'
import { prng, smallEvents } from './lib/syncEvents.mjs'

const DEFAULT_FIXTURES = fileURLToPath(new URL('../../shared/fixtures/real/', import.meta.url))
const o = options(
  { iterations: 100_000, seed: 1, fixtures: DEFAULT_FIXTURES, only: -1, 'format-every': 20 },
  'node bench/fuzz.mjs [--iterations N] [--seed S] [--fixtures DIR] [--only N] [--format-every K]',
)
const PRESETS = ['organisation-only', 'preserve', 'misp-push', 'misp-pull']
const OPTIONS = [...PRESETS.map((distribution) => ({ distribution })), { timestamps: 'decrement' }]

const DECODERS = [
  ['decodeEvent23', lib.decodeEvent23],
  ['decodeEvent24', lib.decodeEvent24],
  ['decodeIndex23', lib.decodeIndex23],
  ['decodeIndex24', lib.decodeIndex24],
]

// --- seeds ------------------------------------------------------------------------------------

const jsonFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? jsonFiles(p) : name.endsWith('.json') ? [p] : []
  })
const encode23 = (e) => JSON.parse(JSON.stringify(lib.encodeEvent23(e)))
/** An index row of a (wire) event: its header, without the arrays. */
const rowOf = (wire) => {
  const e = wire.Event ?? wire
  return Object.fromEntries(Object.entries(e).filter(([, v]) => !Array.isArray(v)))
}

const seeds = []
let source
if (existsSync(o.fixtures)) {
  const files = jsonFiles(o.fixtures)
  source = `${files.length} files below ${o.fixtures}`
  for (const f of files) {
    const raw = JSON.parse(readFileSync(f, 'utf8'))
    seeds.push({ name: f.slice(o.fixtures.length), value: raw })
    const d24 = lib.decodeEvent24(raw)
    if (d24._tag === 'Right') {
      const down = encode23(lib.downgrade(d24.right, { distribution: 'preserve' }).value)
      seeds.push({ name: `${f.slice(o.fixtures.length)} (downgraded)`, value: down })
      seeds.push({ name: `${f.slice(o.fixtures.length)} (index row)`, value: [rowOf(raw)] })
    }
  }
} else {
  console.log(
    `fixtures not found at ${o.fixtures} (../shared/fixtures/real is not part of a clone; --fixtures DIR points elsewhere): ` +
      'falling back to generated events',
  )
  source = 'generated events (bench/lib/syncEvents.mjs)'
  for (const [i, w] of smallEvents('2.4', 20, o.seed).entries())
    seeds.push({ name: `generated 2.4 #${i}`, value: w })
  for (const [i, w] of smallEvents('2.3', 20, o.seed).entries())
    seeds.push({ name: `generated 2.3 #${i}`, value: w })
  seeds.push({ name: 'generated index rows', value: smallEvents('2.4', 5, o.seed).map(rowOf) })
}
const seedValues = seeds.map((s) => JSON.stringify(s.value))

// --- one iteration ------------------------------------------------------------------------------

const stats = {
  iterations: 0,
  mutations: 0,
  decodes: 0,
  right: { decodeEvent23: 0, decodeEvent24: 0, decodeIndex23: 0, decodeIndex24: 0 },
  conversions: 0,
  formatted: 0,
  formatMs: 0,
  throws: 0,
  invalid: 0,
}
const failures = []
let lefts = 0
const fail = (kind, i, step, detail, mutations) => {
  stats[kind]++
  if (failures.length < 20)
    failures.push({ kind, iteration: i, step, detail: String(detail).slice(0, 300), mutations })
}

const guarded = (i, step, mutations, fn) => {
  try {
    return fn()
  } catch (e) {
    fail('throws', i, step, e instanceof Error ? `${e.name}: ${e.message}` : e, mutations)
    return undefined
  }
}

/** Converts, encodes, round-trips through JSON and decodes on the target version. */
const convertAll = (i, mutations, event, convert, encode, decodeTarget, name) => {
  for (const options of OPTIONS) {
    const step = `${name}(${JSON.stringify(options)})`
    stats.conversions++
    const wire = guarded(i, step, mutations, () =>
      JSON.parse(JSON.stringify(encode(convert(event, options).value))),
    )
    if (wire === undefined) continue
    const back = guarded(i, `${step} → decode`, mutations, () => decodeTarget(wire))
    if (back !== undefined && back._tag !== 'Right')
      fail(
        'invalid',
        i,
        step,
        guarded(i, 'formatDecodeFailure', mutations, () => lib.formatDecodeFailure(back.left)),
        mutations,
      )
  }
}

const iteration = (i) => {
  const rnd = prng((o.seed * 0x9e3779b1 + i) >>> 0)
  const s = Math.floor(rnd() * seeds.length)
  let value = JSON.parse(seedValues[s])
  if (rnd() < 0.3 && typeof value === 'object' && value !== null && 'Event' in value) value = value.Event // bare
  const mutations = [seeds[s].name, ...mutate(rnd, value, 1 + Math.floor(rnd() * 3))]
  stats.iterations++
  stats.mutations += mutations.length - 1
  const decoded = {}
  for (const [name, decode] of DECODERS) {
    stats.decodes++
    const r = guarded(i, name, mutations, () => decode(value))
    if (r === undefined) continue
    if (r._tag === 'Right') stats.right[name]++
    else if (++lefts % o['format-every'] === 0) {
      const t = performance.now()
      guarded(i, `${name} → formatDecodeFailure`, mutations, () => lib.formatDecodeFailure(r.left))
      stats.formatted++
      stats.formatMs += performance.now() - t
    }
    decoded[name] = r
  }
  if (decoded.decodeEvent24?._tag === 'Right')
    convertAll(
      i,
      mutations,
      decoded.decodeEvent24.right,
      lib.downgrade,
      lib.encodeEvent23,
      lib.decodeEvent23,
      'downgrade',
    )
  if (decoded.decodeEvent23?._tag === 'Right')
    convertAll(
      i,
      mutations,
      decoded.decodeEvent23.right,
      lib.upgrade,
      lib.encodeEvent24,
      lib.decodeEvent24,
      'upgrade',
    )
  return { value, mutations }
}

// --- run ----------------------------------------------------------------------------------------

if (o.only >= 0) {
  const { value, mutations } = iteration(o.only)
  console.log(JSON.stringify({ mutations, stats, failures }, null, 2))
  console.log(JSON.stringify(value).slice(0, 4000))
  process.exit(0)
}
console.log(`# fuzz: ${fmt(o.iterations)} iterations, seed ${o.seed}; seeds: ${seeds.length} from ${source}`)
console.log(`machine: ${machineLine()}`)
console.log(`command: ${commandLine()}\n`)
const t0 = performance.now()
let lastReport = t0
for (let i = 0; i < o.iterations; i++) {
  iteration(i)
  if (performance.now() - lastReport > 10_000) {
    lastReport = performance.now()
    console.log(
      `… ${fmt(i + 1)} iterations, ${fmt((lastReport - t0) / 1000)} s, throws ${stats.throws}, invalid ${stats.invalid}`,
    )
  }
}
const seconds = (performance.now() - t0) / 1000
console.log(
  `\niterations ${fmt(stats.iterations)} (${fmt(stats.mutations)} mutations), decodes ${fmt(stats.decodes)} ` +
    `(Right: ${Object.entries(stats.right)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}), conversions ${fmt(stats.conversions)}, ` +
    `failures rendered ${fmt(stats.formatted)} (${fmt(stats.formatMs / 1000, 1)} s), ` +
    `throws ${stats.throws}, outputs that do not decode on their target ${stats.invalid}, ${fmt(seconds, 1)} s`,
)
for (const f of failures) console.log(`  ${JSON.stringify(f)}`)
process.exit(stats.throws === 0 && stats.invalid === 0 ? 0 : 1)
