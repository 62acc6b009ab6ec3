/**
 * 2.4 → 2.3: events flow from a MISP 2.4/2.5 server to a MISP 2.3 server.
 *
 * This direction's own concerns:
 *
 * - **Which events changed**: the 2.4 index filters by `timestamp` on the server (MISP 2.4.54+;
 *   the client filters the rows again for older servers).
 * - **Sharing-group events** (distribution 4) have no 2.3 equivalent. By default they are
 *   converted with distribution 0, "your organisation only" (the seed tool's advice; no
 *   distribution policy can make a sharing group anything wider). `sharingGroupEvents: 'skip'`
 *   leaves them out instead (`skipped`), as MISP's own 2.4 → 2.3 push did.
 * - **The conversion** is `downgrade`: it filters attributes by 2.3's types, categories and
 *   category/type pairs, flattens objects, drops tags, galaxies, reports, sightings and sharing
 *   groups, and reports every such loss — what 2.3 cannot hold — in the result and the log.
 *
 * @since 0.1.0
 */

import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { MispClient } from '../client/MispClient.js'
import { downgrade } from '../convert/downgrade.js'
import { encodeEvent23, encodeEvent24 } from '../decode.js'
import type * as V24 from '../v24/index.js'
import type { Connector, ConnectorOptions } from './Connector.js'
import { makeConnector } from './internal/engine.js'
import { org24, publishedOf, sharingFacts } from './internal/ruleFacts.js'
import { eventTagNames } from './internal/tagNames.js'

/**
 * What happens to sharing-group events (distribution 4): `'convert'` (default) to distribution
 * 0, or `'skip'`.
 *
 * @category model
 * @since 0.1.0
 */
export type SharingGroupEvents = 'convert' | 'skip'

/**
 * Options of {@link connect24to23}: the two clients, the sharing-group policy, and the options
 * both connectors share.
 *
 * @category model
 * @since 0.1.0
 */
export interface Connect24to23Options extends ConnectorOptions<'2.4'> {
  readonly from: MispClient<'2.4'>
  readonly to: MispClient<'2.3'>
  readonly sharingGroupEvents?: SharingGroupEvents
}

const sharingGroupName = (e: V24.Event): string => {
  const sg: unknown = e.SharingGroup
  const name = typeof sg === 'object' && sg !== null && 'name' in sg ? sg.name : undefined
  return typeof name === 'string' ? ` "${name}"` : ''
}

/**
 * A connector from a MISP 2.4/2.5 server to a MISP 2.3 server.
 *
 * @example
 * const bridge = connect24to23({ from: misp24, to: misp23, sharingGroupEvents: 'skip' })
 * const result = await bridge.transfer('5a4c0c79-5cf4-4b2e-9d6c-7a2f950d210f')()
 * result.outcome // 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed'
 * result.losses.map(formatLoss) // what 2.3 cannot hold
 *
 * @category constructors
 * @since 0.1.0
 */
export const connect24to23 = (options: Connect24to23Options): Connector<'2.4', '2.3'> => {
  const { from, to, sharingGroupEvents = 'convert', ...shared } = options
  return makeConnector(
    {
      name: '2.4->2.3',
      from,
      to,
      changedSince: (since, call) =>
        pipe(
          from.index(since === undefined ? call : { ...call, since }),
          // the index rows carry the events' tags (EventTag): the run compares them with the target's
          TE.map((rows) =>
            rows.map((r) => ({
              uuid: r.uuid,
              timestamp: Number(r.timestamp),
              tags: eventTagNames(r),
              ...(r.attribute_count === undefined ? {} : { attributes: Number(r.attribute_count) }),
              ...sharingFacts(org24(r), publishedOf(r)),
            })),
          ),
        ),
      policy: (event) =>
        sharingGroupEvents === 'skip' && event.distribution === '4'
          ? `sharing-group event (distribution 4${sharingGroupName(event)}): sharingGroupEvents is 'skip'`
          : undefined,
      convert: (event) => downgrade(event, shared.convert),
      encodeSource: encodeEvent24,
      encodeTarget: encodeEvent23,
    },
    shared,
  )
}
