/**
 * 2.3 → 2.4: events flow from a MISP 2.3 server to a MISP 2.4/2.5 server.
 *
 * This direction's own concerns:
 *
 * - **Which events changed.** MISP 2.3's index has no timestamp filter (`EventsController::index@v2.3.178` filters by date):
 *   `GET /events/index` returns every event's row, each with its `timestamp`, and the rows are
 *   compared here, client-side. `restSearch`'s `last` is not used: it filters on
 *   `publish_timestamp`, so an edit of an unpublished event (or an edit after publishing) would
 *   be missed. One index read costs one row per event on the 2.3 server, no attributes.
 * - **The conversion** is `upgrade`: `orgc` becomes `Orgc: {name}` (2.4 finds or creates the
 *   organisation by name, 2.3 organisations have no uuid; a 2.3 server that hides `orgc` gives
 *   no creator, and the target uses the pushing user's organisation), the copy is created
 *   `locked` (so that a sync user may update it later), distribution follows the policy.
 *
 * @since 0.1.0
 */

import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { MispClient } from '../client/MispClient.js'
import { upgrade } from '../convert/upgrade.js'
import { encodeEvent23, encodeEvent24 } from '../decode.js'
import type { Connector, ConnectorOptions } from './Connector.js'
import { makeConnector } from './internal/engine.js'
import { org23, publishedOf, sharingFacts } from './internal/ruleFacts.js'

/**
 * Options of {@link connect23to24}: the two clients, and the options both connectors share.
 *
 * @category model
 * @since 0.1.0
 */
export interface Connect23to24Options extends ConnectorOptions<'2.3'> {
  readonly from: MispClient<'2.3'>
  readonly to: MispClient<'2.4'>
}

/**
 * A connector from a MISP 2.3 server to a MISP 2.4/2.5 server.
 *
 * @example
 * const from = new MispClient({ url: 'https://misp23.example.org', key: key23, version: '2.3' })
 * const to = new MispClient({ url: 'https://misp24.example.org', key: key24, version: '2.4' })
 * const bridge = connect23to24({ from, to, logger: jsonLinesLog('transfers.jsonl') })
 * const run = await bridge.sync({ since: new Date(Date.now() - 7 * 86400_000) })()
 * console.log(run.counts) // { created: 3, updated: 1, unchanged: 12, skipped: 0, failed: 0 }
 *
 * @category constructors
 * @since 0.1.0
 */
export const connect23to24 = (options: Connect23to24Options): Connector<'2.3', '2.4'> => {
  const { from, to, ...shared } = options
  return makeConnector(
    {
      name: '2.3->2.4',
      from,
      to,
      // 2.3 has no timestamp filter: every row is listed, and the run compares the timestamps
      // itself (rows at or before its position still serve to compare tags, which a 2.3 tag
      // change does not move)
      changedSince: (_since, call) =>
        pipe(
          from.index(call),
          TE.map((rows) =>
            rows.map((r) => ({
              uuid: r.uuid,
              timestamp: Number(r.timestamp),
              ...sharingFacts(org23(r), publishedOf(r)),
            })),
          ),
        ),
      policy: () => undefined,
      convert: (event) => upgrade(event, shared.convert),
      encodeSource: encodeEvent23,
      encodeTarget: encodeEvent24,
    },
    shared,
  )
}
