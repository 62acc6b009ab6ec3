// Deterministic synthetic MISP events for the benchmarks: a seeded PRNG, realistic 2.4 server
// output (objects, tags, a sharing group, instance-local ids) and 2.3 events of the same size.
import { categories, categoryTypes } from '../dist/v23/index.js'

const mulberry32 = (seed) => () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const hex = (rnd, n) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('')
const uuid = (rnd) => `${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-a${hex(rnd, 3)}-${hex(rnd, 12)}`
const pick = (rnd, xs) => xs[Math.floor(rnd() * xs.length)]
const only24 = [
  ['Financial fraud', 'btc'],
  ['Payload delivery', 'ssdeep'],
  ['Network activity', 'ip-dst|port'],
]
const org = { id: '1', name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' }
const tag = (i) => ({
  id: String(i),
  name: `tlp:${pick(() => i / 7 - Math.floor(i / 7), ['white', 'green', 'amber'])}`,
  colour: '#ffffff',
  exportable: true,
  user_id: '0',
  hide_tag: false,
  numerical_value: null,
  is_galaxy: false,
  is_custom_galaxy: false,
  local_only: false,
  local: 0,
})

const attribute24 = (rnd, i, objectId, relation) => {
  const [category, type] =
    rnd() < 0.9
      ? (() => {
          const c = pick(rnd, categories)
          return [c, pick(rnd, categoryTypes[c])]
        })()
      : pick(rnd, only24)
  return {
    id: String(100000 + i),
    type,
    category,
    to_ids: rnd() < 0.5,
    uuid: uuid(rnd),
    event_id: '42',
    distribution: pick(rnd, ['5', '5', '5', '0', '1', '3']),
    timestamp: String(1700000000 + i),
    comment: rnd() < 0.2 ? 'seen in campaign X' : '',
    sharing_group_id: '0',
    deleted: rnd() < 0.02,
    disable_correlation: false,
    object_id: objectId,
    object_relation: relation,
    first_seen: null,
    last_seen: null,
    value: `${type}-value-${i}-${hex(rnd, 8)}`,
    Galaxy: [],
    ShadowAttribute: [],
    ...(rnd() < 0.1 ? { Tag: [tag(i % 50)] } : {}),
  }
}

/** A 2.4 event as MISP 2.4/2.5 serves it, with `n` attributes (about 30 % inside objects). */
export const event24 = (n, seed = 42) => {
  const rnd = mulberry32(seed)
  const Attribute = []
  const objects = []
  let i = 0
  while (i < n) {
    if (rnd() < 0.3 && n - i >= 5) {
      const id = String(5000 + objects.length)
      const attrs = Array.from({ length: 5 }, (_, j) => attribute24(rnd, i + j, id, `rel-${j}`))
      i += 5
      objects.push({
        id,
        name: 'file',
        'meta-category': 'file',
        description: 'File object',
        template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
        template_version: '24',
        event_id: '42',
        uuid: uuid(rnd),
        timestamp: '1700000000',
        distribution: '5',
        sharing_group_id: '0',
        comment: '',
        deleted: false,
        first_seen: null,
        last_seen: null,
        ObjectReference: [],
        Attribute: attrs,
      })
    } else {
      Attribute.push(attribute24(rnd, i, '0', null))
      i += 1
    }
  }
  return {
    Event: {
      id: '42',
      orgc_id: '1',
      org_id: '1',
      date: '2024-10-18',
      threat_level_id: '2',
      info: `synthetic event of ${n} attributes`,
      published: true,
      uuid: uuid(rnd),
      attribute_count: String(n),
      analysis: '2',
      timestamp: '1700000000',
      distribution: '4',
      proposal_email_lock: false,
      locked: false,
      publish_timestamp: '1700000001',
      sharing_group_id: '1',
      disable_correlation: false,
      extends_uuid: '',
      protected: null,
      event_creator_email: 'analyst@example.org',
      Org: org,
      Orgc: org,
      SharingGroup: {
        id: '1',
        name: 'bench group',
        releasability: '',
        description: '',
        uuid: uuid(rnd),
        organisation_uuid: org.uuid,
        org_id: '1',
        sync_user_id: '0',
        active: true,
        created: '2024-01-01 00:00:00',
        modified: '2024-01-01 00:00:00',
        local: true,
        roaming: false,
        Organisation: org,
        SharingGroupOrg: [{ id: '1', sharing_group_id: '1', org_id: '1', extend: true, Organisation: org }],
        SharingGroupServer: [{ id: '1', sharing_group_id: '1', server_id: '0', all_orgs: false, Server: [] }],
      },
      Attribute,
      ShadowAttribute: [],
      RelatedEvent: [],
      Galaxy: [],
      Object: objects,
      EventReport: [],
      CryptographicKey: [],
      Tag: [tag(1), tag(2), tag(3)],
    },
  }
}

/** A 2.3 event as MISP 2.3 serves it, with `n` attributes. */
export const event23 = (n, seed = 23) => {
  const rnd = mulberry32(seed)
  const Attribute = Array.from({ length: n }, (_, i) => {
    const c = pick(rnd, categories)
    const type = pick(rnd, categoryTypes[c])
    return {
      id: String(100000 + i),
      type,
      category: c,
      to_ids: rnd() < 0.5,
      uuid: uuid(rnd),
      event_id: '42',
      distribution: pick(rnd, ['0', '1', '2', '3']),
      timestamp: String(1400000000 + i),
      comment: '',
      value: `${type}-value-${i}-${hex(rnd, 8)}`,
      ShadowAttribute: [],
    }
  })
  return {
    Event: {
      id: '42',
      org: 'ADMIN',
      date: '2015-12-14',
      threat_level_id: '2',
      info: `synthetic 2.3 event of ${n} attributes`,
      published: true,
      uuid: uuid(rnd),
      attribute_count: String(n),
      analysis: '2',
      timestamp: '1450000000',
      distribution: '1',
      proposal_email_lock: false,
      orgc: 'ADMIN',
      locked: false,
      publish_timestamp: '1450000001',
      Attribute,
      ShadowAttribute: [],
      RelatedEvent: [],
    },
  }
}
