/**
 * The `cut-write` fault's body: what a MISP cut part-way through a create or an edit has saved.
 * MISP saves the event row first, then the attributes one by one, then the objects with theirs
 * (`Event::_add`/`_edit`, §5.3/§5.5): a worker or proxy timeout stops it after some of them.
 *
 * @internal
 */
import { isRecord } from './model.js'

type Raw = Record<string, unknown>

/** The event inside a write's body (`{"Event": …}`, `{"response": {"Event": …}}` or bare). */
const eventOf = (body: Raw): { readonly event: Raw; readonly wrap: (e: Raw) => Raw } => {
  const inner = body['Event']
  if (isRecord(inner)) return { event: inner, wrap: (e) => ({ ...body, Event: e }) }
  const response = body['response']
  if (isRecord(response) && isRecord(response['Event'])) {
    const e0 = response['Event'] as Raw
    return { event: e0, wrap: (e) => ({ ...body, response: { ...response, Event: e } }) }
  }
  return { event: body, wrap: (e) => e }
}

/**
 * The body with only its first `keep` attributes: the event's own attributes first, then the
 * objects in order (an object cut part-way keeps its first attributes).
 */
export const cutBody = (body: unknown, keep: number): unknown => {
  if (!isRecord(body)) return body
  const { event, wrap } = eventOf(body)
  let left = Math.max(0, Math.floor(keep))
  const attributes = Array.isArray(event['Attribute']) ? event['Attribute'] : []
  const kept = attributes.slice(0, left)
  left -= kept.length
  const objects: Array<unknown> = []
  for (const o of Array.isArray(event['Object']) ? event['Object'] : []) {
    if (left <= 0) break
    const own = isRecord(o) && Array.isArray(o['Attribute']) ? (o['Attribute'] as Array<unknown>) : []
    const part = own.slice(0, left)
    left -= Math.max(1, part.length)
    objects.push(isRecord(o) ? { ...o, Attribute: part } : o)
  }
  return wrap({
    ...event,
    Attribute: kept,
    ...(event['Object'] === undefined ? {} : { Object: objects }),
  })
}
