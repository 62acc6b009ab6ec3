/**
 * The exchanges the conformance scenarios make, sent as raw REST requests to one server — a real
 * MISP or an emulator of the same release — and reduced to what must match between the two: the
 * status, the content type, the `Location` (ids and base masked), every object's keys in order
 * and every leaf's JSON type, the texts MISP answers (`name`, `message`, `errors`, `saved`,
 * `success`), the order of an event's attribute types, and whether the index lists newest first.
 * Ids, uuids, timestamps and the rest of a shared server's contents do not take part.
 */
import { randomUUID } from 'node:crypto'

type Json = Record<string, unknown>

/** One answer, reduced. */
export interface Shape {
  readonly step: string
  readonly status: number
  readonly type: string | null
  readonly location: string | null
  readonly keys: Record<string, string>
  readonly texts: unknown
  readonly attributeTypes?: ReadonlyArray<string>
}

const isRecord = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u)

/** Every object's keys in order and every leaf's type, by path; `ids` folds digit strings into numbers. */
const keysOf = (
  v: unknown,
  ids: boolean,
  path = '$',
  out: Record<string, string> = {},
): Record<string, string> => {
  if (Array.isArray(v)) for (const [i, x] of v.entries()) keysOf(x, ids, `${path}[${i}]`, out)
  else if (isRecord(v)) {
    out[path] = Object.keys(v).join(',')
    for (const [k, x] of Object.entries(v)) keysOf(x, ids, `${path}.${k}`, out)
  } else
    out[path] = v === null ? 'null' : ids && typeof v === 'string' && /^\d+$/.test(v) ? 'number' : typeof v
  return out
}

const texts = (b: unknown): unknown =>
  isRecord(b)
    ? Object.fromEntries(
        ['name', 'message', 'errors', 'saved', 'success'].filter((k) => k in b).map((k) => [k, b[k]]),
      )
    : undefined

const eventOf = (b: unknown): Json => (isRecord(b) && isRecord(b['Event']) ? b['Event'] : {})
const attributesOf = (e: Json): Array<Json> =>
  Array.isArray(e['Attribute']) ? e['Attribute'].filter(isRecord) : []

/** A server to probe. */
export interface Target {
  readonly url: string
  readonly key: string
  readonly version: '2.3' | '2.5'
  /** fold digit strings into numbers when comparing leaf types (a real 2.3 started with numeric ids) */
  readonly looseIds?: boolean
}

/**
 * Sends the probe to one server and returns its answers, reduced. Both servers get the same
 * requests (the same uuids and values), each with its own ids.
 */
export const probe = async (
  t: Target,
  seed: { readonly ip: string; readonly tag: string },
): Promise<Array<Shape>> => {
  const shapes: Array<Shape> = []
  const base = t.url.replace(/\/$/, '')
  /** `whole: false`: the body's shape is not compared (a shared server lists what others put there) */
  const send = async (
    step: string,
    method: string,
    path: string,
    body?: unknown,
    whole = true,
  ): Promise<unknown> => {
    const res = await fetch(`${base}/${path}`, {
      method,
      redirect: 'manual',
      headers: { Authorization: t.key, Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = text === '' ? null : JSON.parse(text)
    } catch {
      parsed = `<${text.length} characters that are not JSON>`
    }
    const location = res.headers.get('location')
    shapes.push({
      step,
      status: res.status,
      type: res.headers.get('content-type'),
      location: location === null ? null : location.replace(base, '<base>').replace(/\d+/g, 'N'),
      keys: whole ? keysOf(parsed, t.looseIds === true) : {},
      texts: texts(parsed),
      ...(isRecord(parsed) && isRecord(parsed['Event'])
        ? { attributeTypes: attributesOf(eventOf(parsed)).map((a) => String(a['type'])) }
        : {}),
    })
    return parsed
  }
  const is23 = t.version === '2.3'
  const addPath = is23 ? 'events' : 'events/add'
  const now = Math.floor(Date.now() / 1000) - 60
  const event = (uuid: string, info: string, attributes: Array<Json>): Json => ({
    Event: {
      uuid,
      info,
      date: '2026-12-01',
      threat_level_id: '2',
      analysis: '1',
      distribution: '1',
      published: false,
      timestamp: String(now),
      locked: false,
      Attribute: attributes,
    },
  })
  const attr = (type: string, category: string, value: string): Json => ({
    uuid: randomUUID(),
    type,
    category,
    value,
    to_ids: true,
    distribution: is23 ? '1' : '5',
    comment: 'shape probe',
    timestamp: String(now),
  })
  const [uA, uB] = [randomUUID(), randomUUID()]
  const md5 = randomUUID().replace(/-/g, '')
  const a = eventOf(
    await send(
      'create: attributes in the server order',
      'POST',
      addPath,
      event(uA, 'shape probe A', [
        attr('domain', 'Network activity', `${uA.slice(0, 8)}.shape.example`),
        attr('md5', 'Payload delivery', md5),
        attr('ip-dst', 'Network activity', seed.ip),
        attr('comment', 'Other', 'a comment'),
      ]),
    ),
  )
  await send(
    'create: a correlating event (RelatedEvent, RelatedAttribute)',
    'POST',
    addPath,
    event(uB, 'shape probe B', [attr('ip-dst', 'Network activity', seed.ip)]),
  )
  await send('view by uuid: RelatedEvent', 'GET', `events/view/${uB}`)
  await send('view an unknown uuid', 'GET', `events/view/${randomUUID()}`)
  await send('view an unknown id', 'GET', 'events/view/2147483000')
  await send('create: empty body', 'POST', addPath, '')
  await send('create: {}', 'POST', addPath, {})
  await send('create: empty info', 'POST', addPath, event(randomUUID(), '', []))
  await send(
    'create: a bad type and the empty file md5 dropped',
    'POST',
    addPath,
    event(randomUUID(), 'shape probe C', [
      attr('ip-dst', 'Network activity', seed.ip),
      // 2.3 has no btc type; 2.5 has it (and would correlate a fixed value with every other run's)
      is23
        ? attr('btc', 'Financial fraud', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT')
        : attr('no-such-type', 'Other', uA),
      // 2.3 refuses the empty file's md5; 2.5 stores it and would correlate it with every other run's
      ...(is23 ? [attr('md5', 'Payload delivery', 'd41d8cd98f00b204e9800998ecf8427e')] : []),
    ]),
  )
  const index = await send('index', 'GET', 'events/index', undefined, false)
  const rows = Array.isArray(index) ? index.filter(isRecord) : []
  const at = (u: string) => rows.findIndex((r) => String(r['uuid']) === u)
  shapes.push({
    step: 'index: the newer event listed first',
    status: 0,
    type: null,
    location: null,
    keys: {
      order: String(at(uB) >= 0 && at(uA) >= 0 && at(uB) < at(uA)),
      row: Object.keys(rows[at(uA)] ?? {}).join(','),
    },
    texts: undefined,
  })
  const tag = await send('tags/add (2.5: not exportable)', 'POST', 'tags/add', {
    Tag: { name: seed.tag, colour: '#123456', ...(is23 ? {} : { exportable: false }) },
  })
  const tags = await send('tags/index', 'GET', 'tags/index', undefined, false)
  const listed = isRecord(tags) && Array.isArray(tags['Tag']) ? tags['Tag'].filter(isRecord) : []
  const tagId = String(
    (isRecord(tag) && isRecord(tag['Tag']) ? tag['Tag']['id'] : undefined) ??
      listed.find((x) => x['name'] === seed.tag)?.['id'],
  )
  const aId = String(a['id'])
  if (is23)
    await send('addTag {"Event": {"id", "tag"}}', 'POST', 'events/addTag', { Event: { id: aId, tag: tagId } })
  else await send('addTag URL', 'POST', `events/addTag/${aId}/${tagId}/local:0`)
  await send('view after tagging', 'GET', `events/view/${aId}`)
  if (!is23) {
    await send('index row of the tagged event', 'POST', 'events/index', { eventid: aId })
    await send('restSearch of the tagged event', 'POST', 'events/restSearch', {
      returnFormat: 'json',
      eventid: aId,
    })
  } else await send('searchtag', 'GET', `events/index/searchtag:${tagId}`)
  await send('removeTag', 'POST', `events/removeTag/${aId}/${tagId}`)
  const md5Id = attributesOf(a).find((x) => x['type'] === 'md5')?.['id']
  await send('attributes/delete', 'POST', `attributes/delete/${String(md5Id)}`)
  await send('HEAD view', 'HEAD', `events/view/${aId}`)
  return shapes
}
