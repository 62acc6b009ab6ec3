// Small, varied, valid MISP events for the sync benches (soak, re-run, throughput, big event):
// wire JSON as a MISP server stores it, deterministic for a seed. Values are valid for their
// type (the emulator checks IPs, domains and hashes like MISP does), unique within an event,
// and of (category, type) pairs MISP 2.3 accepts — plus, in 2.4 events, some types 2.3 does not
// know (the downgrade drops them and says so).

import { seededRandom } from '../../dist/testing/index.js'

/** mulberry32: the emulator's own seeded generator (`seededRandom`, misp-bridge/testing). */
export const prng = seededRandom

const hex = (rnd, n) => {
  let s = ''
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16)
  return s
}
/** A random (version 4 shaped) uuid from the PRNG. */
export const uuidOf = (rnd) => `${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-a${hex(rnd, 3)}-${hex(rnd, 12)}`
const pick = (rnd, xs) => xs[Math.floor(rnd() * xs.length)]
/** An IPv4 address unique for `i` < 2^24, in the /8 `first`. */
const ip = (first, i) => `${first}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`

/** The first event's timestamp; event `i` has `T0 + i` (so the index order is the seed order). */
export const T0 = 1_700_000_000

/**
 * [category, type, value(i)] valid on MISP 2.3 and 2.4. `i` makes values unique (the events pass
 * `event number × 1000 + attribute number`): correlations between the generated events are as
 * sparse as in real data, not one shared `10.0.0.0` in every event.
 */
const portable = [
  ['Network activity', 'ip-dst', (i) => ip(10, i)],
  ['Network activity', 'ip-src', (i) => ip(11, i)],
  ['Network activity', 'domain', (i, r) => `h${i}-${hex(r, 6)}.example.test`],
  ['Network activity', 'hostname', (i, r) => `www${i}.${hex(r, 6)}.example.org`],
  ['Network activity', 'url', (i, r) => `https://${hex(r, 8)}.example.net/p/${i}`],
  ['Payload delivery', 'md5', (_i, r) => hex(r, 32)],
  ['Payload delivery', 'sha1', (_i, r) => hex(r, 40)],
  ['Payload delivery', 'sha256', (_i, r) => hex(r, 64)],
  ['Payload delivery', 'filename', (i, r) => `invoice-${i}-${hex(r, 4)}.pdf.exe`],
  ['Payload delivery', 'email-src', (i, r) => `phish${i}.${hex(r, 4)}@example.com`],
  ['Other', 'comment', (i, r) => `seen ${i} times — ünïcödé ${hex(r, 4)}`],
  ['Other', 'text', (i, r) => `free text ${i} ${hex(r, 10)}`],
]
/** 2.4-only (category, type) pairs: the downgrade drops these attributes. */
const only24 = [
  ['Payload delivery', 'sha512', (_i, r) => hex(r, 128)],
  ['Network activity', 'ip-dst|port', (i, r) => `${ip(12, i)}|${1024 + Math.floor(r() * 60000)}`],
  ['Financial fraud', 'btc', (_i, r) => `1${hex(r, 30)}`],
]
const objectTemplates = [
  {
    name: 'domain-ip',
    'meta-category': 'network',
    parts: [
      ['domain', 'Network activity', 'domain', (i, r) => `obj${i}-${hex(r, 6)}.example.test`],
      ['ip', 'Network activity', 'ip-dst', (i) => ip(172, i)],
    ],
  },
  {
    name: 'file',
    'meta-category': 'file',
    parts: [
      ['filename', 'Payload delivery', 'filename', (i, r) => `dropper-${i}-${hex(r, 4)}.dll`],
      ['md5', 'Payload delivery', 'md5', (_i, r) => hex(r, 32)],
      ['sha256', 'Payload delivery', 'sha256', (_i, r) => hex(r, 64)],
    ],
  },
]
const tags = ['tlp:white', 'tlp:green', 'tlp:amber', 'misp:tool="misp-bridge"', 'type:OSINT']

const attribute = (rnd, row, i, ts, v24) => {
  const [category, type, value] = row
  return {
    uuid: uuidOf(rnd),
    type,
    category,
    value: value(i, rnd),
    to_ids: rnd() < 0.5,
    distribution: v24 ? pick(rnd, ['5', '5', '5', '1', '3']) : pick(rnd, ['1', '3', '0']),
    ...(v24 ? { sharing_group_id: '0' } : {}),
    comment: rnd() < 0.2 ? `attribute ${i}` : '',
    timestamp: String(ts),
  }
}

/** A small 2.3 event (1–5 attributes), the `n`-th of a run: timestamp `T0 + n`. */
export const small23 = (rnd, n, attributes = 1 + Math.floor(rnd() * 5)) => {
  const ts = T0 + n
  return {
    Event: {
      uuid: uuidOf(rnd),
      info: `soak 2.3 event ${n} ${hex(rnd, 6)}`,
      date: '2024-01-01',
      threat_level_id: pick(rnd, ['1', '2', '3', '4']),
      analysis: pick(rnd, ['0', '1', '2']),
      distribution: pick(rnd, ['0', '1', '2', '3']),
      published: rnd() < 0.5,
      timestamp: String(ts),
      org: 'ORGNAME',
      orgc: pick(rnd, ['CIRCL', 'CERT-XY', 'ORGNAME']),
      locked: false,
      Attribute: Array.from({ length: attributes }, (_, i) =>
        attribute(rnd, pick(rnd, portable), n * 1000 + i, ts, false),
      ),
    },
  }
}

/**
 * A small 2.4 event, the `n`-th of a run: 1–5 attributes (1 in 10 of a type 2.3 lacks), 0–2
 * objects of 2–3 attributes, 0–2 tags. With `attributes` (and `objectEvery`) it makes a big one.
 */
export const small24 = (rnd, n, attributes = 1 + Math.floor(rnd() * 5), objects = Math.floor(rnd() * 3)) => {
  const ts = T0 + n
  const Object_ = Array.from({ length: objects }, (_, o) => {
    const t = pick(rnd, objectTemplates)
    return {
      uuid: uuidOf(rnd),
      name: t.name,
      'meta-category': t['meta-category'],
      distribution: '5',
      sharing_group_id: '0',
      timestamp: String(ts),
      deleted: false,
      comment: '',
      Attribute: t.parts.map(([relation, category, type, value], j) => ({
        ...attribute(rnd, [category, type, value], n * 1000 + 500 + o * 10 + j, ts, true),
        object_relation: relation,
      })),
    }
  })
  return {
    Event: {
      uuid: uuidOf(rnd),
      info: `soak 2.4 event ${n} ${hex(rnd, 6)}`,
      date: '2024-01-01',
      threat_level_id: pick(rnd, ['1', '2', '3', '4']),
      analysis: pick(rnd, ['0', '1', '2']),
      distribution: pick(rnd, ['0', '1', '2', '3']),
      sharing_group_id: '0',
      published: rnd() < 0.5,
      timestamp: String(ts),
      locked: false,
      Orgc: { name: 'CERT-XY', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000aa' },
      Tag: Array.from(new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => pick(rnd, tags)))).map(
        (name) => ({ name, colour: '#33FF00', exportable: true }),
      ),
      Attribute: Array.from({ length: attributes }, (_, i) =>
        attribute(rnd, rnd() < 0.1 ? pick(rnd, only24) : pick(rnd, portable), n * 1000 + i, ts, true),
      ),
      ...(objects > 0 ? { Object: Object_ } : {}),
    },
  }
}

/** `count` small events of a version (`'2.3'` or `'2.4'`), deterministic for `seed`. */
export const smallEvents = (version, count, seed) => {
  const rnd = prng(seed)
  return Array.from({ length: count }, (_, i) =>
    version === '2.3' ? small23(rnd, i + 1) : small24(rnd, i + 1),
  )
}

/**
 * One big event of `attributes` attributes: a 2.4 event with about 30 % of them in objects, or a
 * flat 2.3 event.
 */
export const bigEvent = (version, attributes, seed) => {
  const rnd = prng(seed)
  if (version === '2.3') return small23(rnd, 1, attributes)
  const inObjects = Math.floor((attributes * 0.3) / 2.5)
  const e = small24(rnd, 1, 0, inObjects)
  const got = e.Event.Object.reduce((s, o) => s + o.Attribute.length, 0)
  e.Event.Attribute = Array.from({ length: Math.max(0, attributes - got) }, (_, i) =>
    attribute(rnd, rnd() < 0.1 ? pick(rnd, only24) : pick(rnd, portable), i, T0 + 1, true),
  )
  return e
}
