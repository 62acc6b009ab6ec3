/**
 * The clients and connector of a link (a `sync` run or a config file's link): TLS dispatchers,
 * both servers reached and checked (key accepted, the declared format), then a connector maker
 * that takes the run's records.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import { MispClient } from '../../client/MispClient.js'
import { formatMispError } from '../../client/MispError.js'
import { type ApiVersion, apiVersionOf } from '../../client/ServerVersion.js'
import { connectorOptionsOf, type LinkOptions, sharingGroupOptionOf } from '../../config/linkOptions.js'
import { dispatcherOf, type TlsOptions } from '../../config/tls.js'
import type { Connector } from '../../sync/Connector.js'
import { connect23to24 } from '../../sync/connect23to24.js'
import { connect24to23 } from '../../sync/connect24to23.js'
import { all, type UsageError, usageError } from './args.js'
import type { Records } from './records.js'

/** One side of a link: where, which format, its key and TLS options, and how its options are named. */
export interface LinkSide extends TlsOptions {
  readonly url: string
  readonly version: ApiVersion
  readonly key: string
  /** how an option of this side is named in messages: `--to-ca`, `servers.hub.ca` */
  readonly at: (name: keyof TlsOptions) => string
  /** where its version was declared: `--from-version`, `servers.hub.version` */
  readonly versionAt: string
}

export type MakeConnector = (records: Records) => Connector<ApiVersion, ApiVersion>

/** A client for one side, with its TLS dispatcher. */
export const clientOf = async (side: LinkSide): Promise<E.Either<UsageError, MispClient<ApiVersion>>> => {
  const dispatcher = await dispatcherOf(side, side.at)
  if (E.isLeft(dispatcher)) return E.left(usageError(dispatcher.left))
  return E.right(
    new MispClient({
      url: side.url,
      key: side.key,
      version: side.version,
      ...(dispatcher.right === undefined ? {} : { dispatcher: dispatcher.right }),
    }),
  )
}

/** Reaches a server and checks that it speaks the declared format; the server's version. */
export const checkServer = async (
  name: 'source' | 'target',
  client: MispClient<ApiVersion>,
  side: LinkSide,
): Promise<E.Either<UsageError, string>> => {
  const v = await client.version()()
  if (E.isLeft(v)) return E.left(usageError(`cannot use the ${name} server: ${formatMispError(v.left)}`))
  const actual = apiVersionOf(v.right)
  return actual === side.version
    ? E.right(v.right.version)
    : E.left(
        usageError(
          `${side.versionAt} ${side.version}, but the ${name} server is MISP ${v.right.version} (use ${side.versionAt} ${actual})`,
        ),
      )
}

/** The clients of a link (no request yet): its source and target. */
export interface LinkClients {
  readonly from: MispClient<ApiVersion>
  readonly to: MispClient<ApiVersion>
  readonly fromSide: LinkSide
  readonly toSide: LinkSide
}

/** Creates both clients (TLS files read, undici loaded when needed); nothing is sent. */
export const clientsOf = async (
  fromSide: LinkSide,
  toSide: LinkSide,
): Promise<E.Either<UsageError, LinkClients>> => {
  const clients = all(await clientOf(fromSide), await clientOf(toSide))
  return E.isLeft(clients)
    ? clients
    : E.right({ from: clients.right[0], to: clients.right[1], fromSide, toSide })
}

/** Checks both servers: reachable, key accepted, the declared version. */
export const checkServers = async (c: LinkClients): Promise<E.Either<UsageError, void>> => {
  const checked = all(
    ...(await Promise.all([
      checkServer('source', c.from, c.fromSide),
      checkServer('target', c.to, c.toSide),
    ])),
  )
  return E.isLeft(checked) ? checked : E.right(undefined)
}

/** The connector maker of a link: records in, connector out (nothing is sent). */
export const connectorOf =
  (c: LinkClients, link: LinkOptions): MakeConnector =>
  (records) => {
    const options = { ...records, ...connectorOptionsOf(link) }
    return c.fromSide.version === '2.3'
      ? connect23to24({ from: c.from as MispClient<'2.3'>, to: c.to as MispClient<'2.4'>, ...options })
      : connect24to23({
          from: c.from as MispClient<'2.4'>,
          to: c.to as MispClient<'2.3'>,
          ...options,
          ...sharingGroupOptionOf(link),
        })
  }
