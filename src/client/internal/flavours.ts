/**
 * What differs between the two wire formats the client speaks: the models, the bodies of creates
 * and updates, and the create/edit endpoints.
 *
 * @internal
 */
import type * as E from 'fp-ts/lib/Either.js'
import type { DecodeFailure } from '../../DecodeFailure.js'
import {
  decodeEvent23,
  decodeEvent24,
  decodeIndex23,
  decodeIndex24,
  decodeWith,
  encodeEvent23,
  encodeEvent24,
} from '../../decode.js'
import * as V23 from '../../v23/index.js'
import * as V24 from '../../v24/index.js'
import type { Call } from './transport.js'

/** An event of either model. */
export type AnyEvent = V23.Event | V24.Event
/** An index row of either model. */
export type AnyRow = V23.IndexRow | V24.IndexRow

/** One wire format. */
export interface Flavour {
  readonly model: string
  readonly decodeEvent: (u: unknown) => E.Either<DecodeFailure, AnyEvent>
  readonly decodeIndex: (u: unknown) => E.Either<DecodeFailure, ReadonlyArray<AnyRow>>
  readonly check: (u: unknown) => E.Either<DecodeFailure, AnyEvent>
  /** the JSON body of a create or update */
  readonly body: (e: AnyEvent) => unknown
  readonly createPath: string
  readonly editCall: (target: string) => Pick<Call, 'method' | 'path'>
}

/**
 * The body of a 2.3 create or update: nothing that carries another server's ids (`EventsController.php@v2.3.178:1220-1262`; docs/mapping.md).
 *
 * - MISP 2.3 keeps a foreign attribute `id` when the uuid is unknown and overwrites the local
 *   attribute with that id (`EventsController.php@v2.3.178:1220-1262`); attribute `event_id` and the event `id` are the source's too.
 * - `ShadowAttribute` (proposals, on the event and per attribute) carry `id`, `old_id` and
 *   `event_id` of the source; `RelatedAttribute`/`RelatedEvent` are the source's correlations
 *   (read-only, with its ids); `attribute_count` is the source's counter (docs/mapping.md: all dropped).
 */
export const stripIdsFor23 = (e: V23.Event): V23.Event => {
  const {
    id: _id,
    attribute_count: _count,
    ShadowAttribute: _proposals,
    RelatedEvent: _related,
    Attribute,
    ...rest
  } = e
  return {
    ...rest,
    ...(Attribute === undefined
      ? {}
      : {
          Attribute: Attribute.map(
            ({ id: _a, event_id: _e, ShadowAttribute: _s, RelatedAttribute: _r, ...a }) => a,
          ),
        }),
  }
}

/** MISP 2.3: `POST /events` to create, `POST /events/edit/{id}` to update. */
export const flavour23: Flavour = {
  model: 'V23.Event',
  decodeEvent: decodeEvent23,
  decodeIndex: decodeIndex23,
  check: decodeWith(V23.Event, 'Event'),
  body: (e) => encodeEvent23(stripIdsFor23(e as V23.Event)),
  createPath: 'events',
  editCall: (id) => ({ method: 'POST', path: `events/edit/${id}` }),
}

/** MISP 2.4/2.5: `POST /events/add` to create, `PUT /events/edit/{idOrUuid}` to update. */
export const flavour24: Flavour = {
  model: 'V24.Event',
  decodeEvent: decodeEvent24,
  decodeIndex: decodeIndex24,
  check: decodeWith(V24.Event, 'Event'),
  body: (e) => encodeEvent24(e as V24.Event),
  createPath: 'events/add',
  editCall: (target) => ({ method: 'PUT', path: `events/edit/${target}` }),
}
