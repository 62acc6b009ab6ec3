/**
 * Decoding and encoding whole MISP documents: events in any of the envelopes MISP uses, and
 * index rows.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type WireC, wireArray } from './codecs/wire.js'
import { type DecodeFailure, decodeFailure, fromErrors } from './DecodeFailure.js'
import * as V23 from './v23/index.js'
import * as V24 from './v24/index.js'

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Removes MISP's envelopes around one event: `{"Event": e}`, `{"response": {"Event": e}}`,
 * `{"response": [{"Event": e}]}` (a one-event search answer) or a bare `e`.
 *
 * @category utils
 * @since 0.1.0
 */
export const unwrapEvent = (input: unknown): E.Either<string, unknown> => {
  let u = input
  if (isRecord(u) && 'response' in u && !('info' in u)) {
    u = u['response']
    if (Array.isArray(u)) {
      if (u.length !== 1) return E.left(`a "response" array holding exactly one event, got ${u.length}`)
      u = u[0]
    }
  }
  if (isRecord(u) && 'Event' in u && !('info' in u) && !('uuid' in u)) u = u['Event']
  if (!isRecord(u)) return E.left('an event object ({"Event": {...}}, a bare event or {"response": ...})')
  return E.right(u)
}

/**
 * Decodes a value with a model codec, naming paths from `root`.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeWith =
  <A>(codec: WireC<A>, root: string) =>
  (u: unknown): E.Either<DecodeFailure, A> => {
    if (codec.is(u)) return E.right(u)
    const r = codec.validate(u, [{ key: '', type: codec, actual: u }])
    return r._tag === 'Right' ? r : E.left(fromErrors(codec.name, root, r.left))
  }

const decodeEventWith =
  <A>(codec: WireC<A>) =>
  (input: unknown): E.Either<DecodeFailure, A> => {
    const u = unwrapEvent(input)
    if (u._tag === 'Left')
      return E.left(decodeFailure(codec.name, [{ path: 'Event', expected: u.left, actual: input }]))
    return decodeWith(codec, 'Event')(u.right)
  }

/**
 * Decodes a MISP 2.3 event from `{"Event": …}`, a bare event or a `{"response": …}` wrapper.
 * Lenient about wire types, strict about meaning; the failure lists every problem.
 *
 * @example
 * decodeEvent23({ Event: { uuid: '5a4c…', info: 'x', distribution: 1 } }) // right, distribution '1'
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeEvent23: (input: unknown) => E.Either<DecodeFailure, V23.Event> = decodeEventWith(
  V23.Event,
)

/**
 * Decodes a MISP 2.4 (or 2.5) event from `{"Event": …}`, a bare event or a `{"response": …}`
 * wrapper.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeEvent24: (input: unknown) => E.Either<DecodeFailure, V24.Event> = decodeEventWith(
  V24.Event,
)

/**
 * The canonical 2.3 wire form of an event, ready for `JSON.stringify`: `{"Event": …}` with ids,
 * levels and timestamps as strings and flags as booleans. Fields the model does not know are
 * kept as they were decoded.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeEvent23 = (e: V23.Event): { readonly Event: V23.Event } => ({ Event: V23.Event.encode(e) })

/**
 * The canonical 2.4 wire form of an event, ready for `JSON.stringify`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeEvent24 = (e: V24.Event): { readonly Event: V24.Event } => ({ Event: V24.Event.encode(e) })

const indexOf = <A>(codec: WireC<A>, name: string) => {
  const rows = wireArray(codec, name)
  return (input: unknown): E.Either<DecodeFailure, ReadonlyArray<A>> => {
    const u = isRecord(input) && Array.isArray(input['response']) ? input['response'] : input
    return decodeWith(rows, 'index')(u)
  }
}

/**
 * Decodes the answer of MISP 2.3's `GET /events/index` (an array of bare rows).
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeIndex23: (input: unknown) => E.Either<DecodeFailure, ReadonlyArray<V23.IndexRow>> =
  indexOf(V23.IndexRow, 'V23.Index')

/**
 * Decodes the answer of MISP 2.4's `GET|POST /events/index` (an array of rows, full or minimal).
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeIndex24: (input: unknown) => E.Either<DecodeFailure, ReadonlyArray<V24.IndexRow>> =
  indexOf(V24.IndexRow, 'V24.Index')
