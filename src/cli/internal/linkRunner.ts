/**
 * Runs the links of a config file: first everything that can be checked without a server (keys,
 * TLS files) for every link — a problem there stops the command before anything is sent — then
 * each link under its lock: servers checked, records prepared, the sync, the link's status
 * record and the metrics file rewritten. Shared by `run` and `daemon`.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { BridgeConfig, LinkConfig, ServerConfig } from '../../config/BridgeConfig.js'
import { serverKey } from '../../config/keys.js'
import { syncOptionsOf } from '../../config/linkOptions.js'
import type { RunResult } from '../../sync/RunResult.js'
import type { Io } from '../Io.js'
import { type UsageError, usageError } from './args.js'
import { checkServers, clientsOf, connectorOf, type LinkClients, type LinkSide } from './connect.js'
import { acquireLock, formatLockBusy, lockPath } from './linkLock.js'
import { writeMetrics } from './metrics.js'
import { checkStateFolder, prepareRecords } from './records.js'
import {
  failedStart,
  nextRecord,
  type RunSummary,
  readRunRecord,
  summaryOf,
  writeRunRecord,
} from './runRecord.js'

/** A link ready to run: its clients made (keys read, TLS files loaded). */
export interface ReadyLink {
  readonly link: LinkConfig
  readonly clients: LinkClients
}

/** How one link's run went. */
export type LinkRun =
  | {
      readonly _tag: 'Ran'
      readonly link: LinkConfig
      readonly result: RunResult
      readonly tookOver?: number
    }
  | { readonly _tag: 'Busy'; readonly link: LinkConfig; readonly message: string }
  | { readonly _tag: 'NotStarted'; readonly link: LinkConfig; readonly message: string }

const sideOf = (server: ServerConfig, key: string): LinkSide => ({
  ...server,
  key,
  at: (name) => `servers.${server.name}.${name}`,
  versionAt: `servers.${server.name}.version`,
})

/** Keys and clients of the links; every problem at once (nothing is sent). */
export const prepareLinks = async (
  links: ReadonlyArray<LinkConfig>,
  io: Io,
): Promise<E.Either<UsageError, ReadonlyArray<ReadyLink>>> => {
  const servers = [...new Map(links.flatMap((l) => [l.from, l.to]).map((s) => [s.name, s])).values()]
  const keys = new Map<string, string>()
  const problems: Array<string> = []
  for (const s of servers) {
    const key = await serverKey(s, io.env)
    if (E.isLeft(key)) problems.push(key.left)
    else keys.set(s.name, key.right)
  }
  if (problems.length > 0) return E.left(usageError(problems.join('\n')))
  const ready: Array<ReadyLink> = []
  for (const link of links) {
    const clients = await clientsOf(
      sideOf(link.from, keys.get(link.from.name)!),
      sideOf(link.to, keys.get(link.to.name)!),
    )
    if (E.isLeft(clients)) problems.push(clients.left.message)
    else ready.push({ link, clients: clients.right })
  }
  return problems.length > 0 ? E.left(usageError([...new Set(problems)].join('\n'))) : E.right(ready)
}

/** Rewrites the metrics file (when the config names one) from every link's status record. */
export const refreshMetrics = async (config: BridgeConfig, io: Io): Promise<void> => {
  if (config.metrics === undefined) return
  const links = await Promise.all(
    config.links.map(async (l) => {
      const r = await readRunRecord(l.options.state, l.name)
      return { name: l.name, record: E.isRight(r) ? r.right : undefined }
    }),
  )
  await writeMetrics(config.metrics, links).catch((e: unknown) =>
    io.stderr.write(
      `misp-bridge: cannot write the metrics file ${config.metrics}: ${(e as Error).message}\n`,
    ),
  )
}

const record = async (
  link: LinkConfig,
  run: { readonly summary: RunSummary; readonly result?: RunResult; readonly stateKey: string },
  retryUuids: ReadonlyArray<string>,
  io: Io,
): Promise<void> => {
  const before = await readRunRecord(link.options.state, link.name)
  await writeRunRecord(
    link.options.state,
    nextRecord(E.isRight(before) ? before.right : undefined, link.name, run, retryUuids),
  ).catch((e: unknown) =>
    io.stderr.write(`misp-bridge: cannot write the status of ${link.name}: ${(e as Error).message}\n`),
  )
}

/**
 * Runs one link once. Busy (another process holds its lock): nothing is sent or written. A dry
 * run takes no lock and records nothing.
 */
export const runLink = async (
  ready: ReadyLink,
  io: Io,
  options: { readonly dryRun: boolean; readonly signal?: AbortSignal },
): Promise<LinkRun> => {
  const { link, clients } = ready
  const make = connectorOf(clients, link.options)
  const stateKey = make({}).stateKey
  const started = new Date()
  const folder = options.dryRun
    ? E.right(undefined)
    : await checkStateFolder(link.options.state, `${link.path}.state`)
  if (E.isLeft(folder)) return { _tag: 'NotStarted', link, message: folder.left.message }
  const lock = options.dryRun
    ? E.right(undefined)
    : await acquireLock(lockPath(link.options.state, stateKey), link.name)
  if (E.isLeft(lock))
    return lock.left._tag === 'LockBusy'
      ? { _tag: 'Busy', link, message: `${formatLockBusy(lock.left)}; nothing was sent or written` }
      : { _tag: 'NotStarted', link, message: `cannot take the lock ${lock.left.path}: ${lock.left.message}` }
  try {
    const fail = async (message: string): Promise<LinkRun> => {
      if (!options.dryRun) await record(link, { summary: failedStart(started, message), stateKey }, [], io)
      return { _tag: 'NotStarted', link, message }
    }
    const checked = await checkServers(clients)
    if (E.isLeft(checked)) return await fail(checked.left.message)
    const records = await prepareRecords(link.options, (name) => `${link.path}.${name}`)
    if (E.isLeft(records)) return await fail(records.left.message)
    const result = await make(records.right).sync({
      ...syncOptionsOf(link.options),
      dryRun: options.dryRun,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })()
    if (!options.dryRun) {
      const after = result.watermark?.after ?? result.watermark?.before
      await record(
        link,
        { summary: summaryOf(result), result, stateKey },
        (after?.retry ?? []).map((r) => r.uuid),
        io,
      )
    }
    return {
      _tag: 'Ran',
      link,
      result,
      ...(lock.right?.tookOverFrom === undefined ? {} : { tookOver: lock.right.tookOverFrom.pid }),
    }
  } finally {
    await lock.right?.release()
  }
}
