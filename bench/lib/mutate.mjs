// Mutations of JSON values for bench/fuzz.mjs: deterministic for a PRNG, each one small and
// described (so a failure can be reproduced and read). They act where a real server's or a
// broken proxy's output differs from the happy path: fields dropped, duplicated or of another
// type, odd leaves (strings, numbers, nulls, arrays, objects), huge and empty arrays, unicode,
// deep nesting, and `__proto__`/`constructor` keys as JSON.parse creates them (own properties).

const pick = (rnd, xs) => xs[Math.floor(rnd() * xs.length)]
const int = (rnd, lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1))

const UNICODE = [
  '',
  ' ',
  '\u0000',
  '\uD800', // lone surrogate
  '\uDFFF\uD800',
  '\uFEFFbom',
  '\u202Eevil\u202C',
  'İıſK',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301',
  '𝕳𝖊𝖑𝖑𝖔',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  '0x1F',
  ' 42 ',
  '2024-02-30',
  '1700000000.5',
  'ÿ'.repeat(300),
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00%0a',
  '\\u0000',
  '5f1c2a3e-0d4b-4c8e-9a1f-00000000dead',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
]
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  2,
  3,
  4,
  5,
  6,
  255,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 63),
  1e308,
  1.5,
  -0.000001,
  1700000000,
]

/** A random leaf of any JSON type (and a few shapes): what a broken server might send. */
export const randomLeaf = (rnd, small = false) => {
  switch (int(rnd, 0, small ? 7 : 9)) {
    case 0:
      return null
    case 1:
      return rnd() < 0.5
    case 2:
      return pick(rnd, NUMBERS)
    case 3:
      return pick(rnd, UNICODE)
    case 4:
      return String.fromCharCode(...Array.from({ length: int(rnd, 1, 40) }, () => int(rnd, 0, 0xffff)))
    case 5:
      return []
    case 6:
      return {}
    case 7:
      return [pick(rnd, UNICODE), pick(rnd, NUMBERS), null]
    case 8:
      return 'x'.repeat(int(rnd, 1000, 100_000))
    default:
      return String(pick(rnd, NUMBERS))
  }
}

const text = (v) => {
  try {
    return JSON.stringify(v).slice(0, 100)
  } catch {
    return '[deep]'
  }
}

/** The same value as another type: "3" ↔ 3, true ↔ "1", object ↔ array, … */
const retype = (rnd, v) => {
  if (typeof v === 'string') {
    const n = Number(v)
    return pick(rnd, [Number.isFinite(n) && v.trim() !== '' ? n : 0, v !== '', [v], { value: v }, null])
  }
  if (typeof v === 'number') return pick(rnd, [String(v), v !== 0, [v], null])
  if (typeof v === 'boolean') return pick(rnd, [v ? '1' : '0', v ? 1 : 0, String(v), null])
  if (v === null) return pick(rnd, ['', 0, false, [], {}])
  if (Array.isArray(v)) return pick(rnd, [{ ...v }, v[0] ?? null, text(v), v.length])
  return pick(rnd, [[v], Object.values(v), text(v), Object.keys(v).length])
}

const deep = (rnd, depth) => {
  let v = pick(rnd, [null, 'leaf', 1, []])
  const arrays = rnd() < 0.5
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v }
  return v
}

/** Every container (object or array) of a value, with its path, breadth first, at most `limit`. */
const containers = (root, limit = 5000) => {
  const out = []
  const queue = [[root, '$']]
  for (let q = 0; q < queue.length && out.length < limit; q++) {
    const [v, path] = queue[q]
    if (typeof v !== 'object' || v === null) continue
    out.push([v, path])
    for (const [k, c] of Object.entries(v))
      if (typeof c === 'object' && c !== null) queue.push([c, `${path}.${k}`])
  }
  return out
}

/** The mutation kinds, each `(rnd, container, key) => description` changing `container` in place. */
const MUTATIONS = {
  drop: (_rnd, c, k) => {
    if (Array.isArray(c)) c.splice(Number(k), 1)
    else delete c[k]
    return 'dropped'
  },
  duplicate: (rnd, c, k) => {
    if (Array.isArray(c)) {
      c.splice(Number(k), 0, c[k]) // shared, not copied: deep values would overflow a clone
      return 'duplicated the element'
    }
    const other = pick(rnd, Object.keys(c))
    c[other] = c[k]
    return `copied to ${other}`
  },
  retype: (rnd, c, k) => {
    c[k] = retype(rnd, c[k])
    return `retyped to ${typeof c[k]}`
  },
  leaf: (rnd, c, k) => {
    c[k] = randomLeaf(rnd)
    return `leaf ${JSON.stringify(c[k])?.slice(0, 40)}`
  },
  huge: (rnd, c, k) => {
    const v = c[k]
    const n = int(rnd, 1000, 5000)
    // shared elements, not copies: a DAG is still what JSON.parse could give a decoder
    c[k] =
      Array.isArray(v) && v.length > 0
        ? Array.from({ length: n }, (_, i) => v[i % v.length])
        : Array.from({ length: n }, () => randomLeaf(rnd, true))
    return `huge array of ${n}`
  },
  empty: (rnd, c, k) => {
    c[k] = pick(rnd, [[], {}, ''])
    return `empty ${JSON.stringify(c[k])}`
  },
  unicode: (rnd, c, k) => {
    c[k] = typeof c[k] === 'string' && rnd() < 0.5 ? c[k] + pick(rnd, UNICODE) : pick(rnd, UNICODE)
    return 'unicode'
  },
  nest: (rnd, c, k) => {
    const depth = pick(rnd, [10, 100, 1000, 5000]) // JSON.parse accepts 5000 levels
    c[k] = deep(rnd, depth)
    return `nested ${depth} deep`
  },
  proto: (rnd, c) => {
    const key = pick(rnd, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])
    if (Array.isArray(c)) return 'proto (skipped: array)'
    Object.defineProperty(c, key, {
      value: JSON.parse(pick(rnd, ['{"polluted": true}', '"x"', '[]', 'null'])),
      enumerable: true,
      configurable: true,
      writable: true,
    })
    return `own key ${key}`
  },
  unknown: (rnd, c) => {
    if (Array.isArray(c)) c.push(randomLeaf(rnd))
    else c[`x_${int(rnd, 0, 99)}`] = randomLeaf(rnd)
    return 'added an unknown member'
  },
}
export const MUTATION_KINDS = Object.keys(MUTATIONS)

/**
 * Applies `count` random mutations to `value` (in place) and returns their descriptions. Keys of
 * arrays are indices; a mutation of the root's own key is allowed.
 */
export const mutate = (rnd, value, count) => {
  const done = []
  for (let i = 0; i < count; i++) {
    const cs = containers(value)
    if (cs.length === 0) break
    const [c, path] = pick(rnd, cs)
    const keys = Object.keys(c)
    let kind = pick(rnd, MUTATION_KINDS)
    // one huge array per input: huge arrays of shared elements inside another would multiply
    if (kind === 'huge' && done.some((d) => d.includes(': huge '))) kind = 'leaf'
    if (keys.length === 0 && kind !== 'unknown' && kind !== 'proto') {
      done.push(`${path}: ${MUTATIONS.unknown(rnd, c)}`)
      continue
    }
    const k = pick(rnd, keys)
    done.push(`${path}.${k}: ${kind} ${MUTATIONS[kind](rnd, c, k)}`)
  }
  return done
}
