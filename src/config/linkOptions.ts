/**
 * The one place that defines each option of a link (one direction between two servers) and of
 * a server: its name — the library's `ConnectorOptions`/`SyncOptions` name, which is also its key
 * in a config file — its `misp-bridge sync` flag, and its reader, whose messages name the path
 * where the value was written (`--tags`, `links[0].tags`, `servers.hub.ca`). `sync`'s flags and
 * the config file's links and servers are both read through these tables, so a new option is
 * added here once.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../client/ServerVersion.js'
import type { PresetName } from '../convert/DistributionPolicy.js'
import { combineSyncRules, type SyncRules } from '../sync/SyncRules.js'
import {
  apiVersion,
  baseUrl,
  bool,
  oneOf,
  path,
  positiveInt,
  type ReadContext,
  type Reader,
  since,
  text,
  uuidList,
} from './readers.js'
import { arrivalReader, names, rulesReader } from './ruleReaders.js'

/** How an option is given on the command line. */
export interface OptionSpec<A> {
  /** the flag without `--` (for a server option, after `--from-`/`--to-`; `''`: `--from`/`--to` itself) */
  readonly flag: string
  /** a value (`--tags mirror`), a switch (`--dry-run`), or a repeatable value (`--uuid U --uuid V`) */
  readonly arg: 'string' | 'boolean' | 'strings'
  /** whether a config file may set it (`uuids` is for one-off runs, `keyEnv` for files only) */
  readonly inConfig: boolean
  /** whether `sync` takes it as a flag */
  readonly inCli: boolean
  readonly read: Reader<A>
}

const option = <A>(spec: OptionSpec<A>): OptionSpec<A> => spec

/** The formats `sync` and a config file's servers take (2.4 is also the format of MISP 2.5). */
export const VERSIONS: ReadonlyArray<ApiVersion> = ['2.3', '2.4']

/** The distribution presets (see `DistributionPolicy`). */
export const PRESETS: ReadonlyArray<PresetName> = ['organisation-only', 'preserve', 'misp-push', 'misp-pull']

/**
 * The options of a link, by their library name (= their key in a config file's link). Values
 * that are paths are resolved against the working directory (`sync`) or the config file's
 * folder.
 */
export const LINK_OPTIONS = {
  since: option({ flag: 'since', arg: 'string', inConfig: true, inCli: true, read: since }),
  uuids: option({ flag: 'uuid', arg: 'strings', inConfig: false, inCli: true, read: uuidList }),
  concurrency: option({ flag: 'concurrency', arg: 'string', inConfig: true, inCli: true, read: positiveInt }),
  distribution: option({
    flag: 'distribution',
    arg: 'string',
    inConfig: true,
    inCli: true,
    read: oneOf(PRESETS),
  }),
  sharingGroupEvents: option({
    flag: 'sharing-group-events',
    arg: 'string',
    inConfig: true,
    inCli: true,
    read: oneOf(['convert', 'skip'] as const),
  }),
  existence: option({
    flag: 'existence',
    arg: 'string',
    inConfig: true,
    inCli: true,
    read: oneOf(['lookup', 'create-first'] as const),
  }),
  tags: option({
    flag: 'tags',
    arg: 'string',
    inConfig: true,
    inCli: true,
    read: oneOf(['mirror', 'add-only', 'none'] as const),
  }),
  retractions: option({
    flag: 'retractions',
    arg: 'string',
    inConfig: true,
    inCli: true,
    read: oneOf(['mirror', 'keep'] as const),
  }),
  // which events cross (ConnectorOptions.rules): a file on the command line, a file or inline in a config
  rules: option({ flag: 'rules', arg: 'string', inConfig: true, inCli: true, read: rulesReader }),
  // shorthands that add to the rules (the command line's; a config file writes `rules`)
  allowTags: option({ flag: 'allow-tag', arg: 'strings', inConfig: false, inCli: true, read: names }),
  blockTags: option({ flag: 'block-tag', arg: 'strings', inConfig: false, inCli: true, read: names }),
  allowOrgs: option({ flag: 'allow-org', arg: 'strings', inConfig: false, inCli: true, read: names }),
  blockOrgs: option({ flag: 'block-org', arg: 'strings', inConfig: false, inCli: true, read: names }),
  blockTypes: option({ flag: 'block-type', arg: 'strings', inConfig: false, inCli: true, read: names }),
  publishedOnly: option({ flag: 'published-only', arg: 'boolean', inConfig: false, inCli: true, read: bool }),
  excludedCopies: option({
    flag: 'excluded-copies',
    arg: 'string',
    inConfig: true,
    inCli: true,
    read: oneOf(['keep', 'unpublish', 'delete'] as const),
  }),
  // how copies arrive (ConnectorOptions.arrival): an object in a config, two flags on the command line
  arrival: option({ flag: 'arrival', arg: 'string', inConfig: true, inCli: false, read: arrivalReader }),
  publish: option({
    flag: 'publish',
    arg: 'string',
    inConfig: false,
    inCli: true,
    read: oneOf(['quiet', 'never', 'as-source'] as const),
  }),
  arrivalTags: option({ flag: 'arrival-tag', arg: 'strings', inConfig: false, inCli: true, read: names }),
  log: option({ flag: 'log', arg: 'string', inConfig: true, inCli: true, read: path }),
  archive: option({ flag: 'archive', arg: 'string', inConfig: true, inCli: true, read: path }),
  state: option({ flag: 'state', arg: 'string', inConfig: true, inCli: true, read: path }),
} as const

/**
 * The options of a server (one side of a link), by their key in a config file's server; on the
 * command line `--from-<flag>` / `--to-<flag>`. The TLS options (`ca`, `clientCert`,
 * `clientKey`, `proxy`) may also be given once for both sides (`--ca FILE`).
 */
export const SERVER_OPTIONS = {
  url: option({ flag: '', arg: 'string', inConfig: true, inCli: true, read: baseUrl }),
  version: option({ flag: 'version', arg: 'string', inConfig: true, inCli: true, read: apiVersion }),
  keyFile: option({ flag: 'key-file', arg: 'string', inConfig: true, inCli: true, read: path }),
  keyEnv: option({ flag: 'key-env', arg: 'string', inConfig: true, inCli: false, read: text }),
  ca: option({ flag: 'ca', arg: 'string', inConfig: true, inCli: true, read: path }),
  clientCert: option({ flag: 'client-cert', arg: 'string', inConfig: true, inCli: true, read: path }),
  clientKey: option({ flag: 'client-key', arg: 'string', inConfig: true, inCli: true, read: path }),
  proxy: option({ flag: 'proxy', arg: 'string', inConfig: true, inCli: true, read: baseUrl }),
} as const

/** The server options that may be given once for both sides on the command line. */
export const SHARED_SERVER_FLAGS = ['ca', 'clientCert', 'clientKey', 'proxy'] as const

type Table = Readonly<Record<string, OptionSpec<unknown>>>
type Values<T extends Table> = {
  readonly [K in keyof T]?: T[K] extends OptionSpec<infer A> ? A : never
}

/** A link's options as read (each absent when not given). */
export type LinkOptions = Values<typeof LINK_OPTIONS>

/** A server's options as read (each absent when not given; `url` and `version` are checked as required by the caller). */
export type ServerOptions = Values<typeof SERVER_OPTIONS>

/**
 * Reads the options of a table from raw values: `given(name)` gives what the user wrote for
 * an option (or `undefined`), `atOf(name)` where (`--tags`, `links[0].tags`). Every problem is
 * reported, not only the first.
 */
export const readOptions = <T extends Table>(
  table: T,
  given: (name: keyof T & string) => unknown,
  atOf: (name: keyof T & string) => string,
  context: ReadContext,
): E.Either<ReadonlyArray<string>, Values<T>> => {
  const errors: Array<string> = []
  const values: Record<string, unknown> = {}
  for (const name of Object.keys(table) as Array<keyof T & string>) {
    const raw = given(name)
    if (raw === undefined) continue
    const read = table[name]!.read(raw, atOf(name), context)
    if (E.isLeft(read)) errors.push(read.left)
    else values[name] = read.right
  }
  return errors.length > 0 ? E.left(errors) : E.right(values as Values<T>)
}

/** The `node:util` `parseArgs` options of a table's command-line flags (`prefix` for server sides). */
export const argsOptions = (
  table: Table,
  prefix = '',
): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> =>
  Object.fromEntries(
    Object.values(table)
      .filter((spec) => spec.inCli)
      .map((spec) => [
        prefix === '' ? spec.flag : spec.flag === '' ? prefix : `${prefix}-${spec.flag}`,
        spec.arg === 'strings'
          ? { type: 'string' as const, multiple: true }
          : { type: spec.arg === 'boolean' ? ('boolean' as const) : ('string' as const) },
      ]),
  )

/** Checks between options of a link that depend on its direction; `Left` names `at`. */
export const checkDirection = (
  options: LinkOptions,
  fromVersion: ApiVersion,
  at: (name: keyof LinkOptions) => string,
): E.Either<string, void> =>
  options.sharingGroupEvents !== undefined && fromVersion !== '2.4'
    ? E.left(`${at('sharingGroupEvents')} applies to 2.4 → 2.3 only (2.3 has no sharing groups)`)
    : E.right(undefined)

/** The rules a link's options set: `rules` and the shorthands added to it. */
export const rulesOf = (o: LinkOptions): SyncRules | undefined => {
  const list = (l: ReadonlyArray<string> | undefined) => (l === undefined || l.length === 0 ? undefined : l)
  const lists = (OR?: ReadonlyArray<string>, NOT?: ReadonlyArray<string>) =>
    OR === undefined && NOT === undefined
      ? undefined
      : { ...(OR === undefined ? {} : { OR }), ...(NOT === undefined ? {} : { NOT }) }
  const tags = lists(list(o.allowTags), list(o.blockTags))
  const orgs = lists(list(o.allowOrgs), list(o.blockOrgs))
  const types = list(o.blockTypes)
  const shorthands: SyncRules = {
    ...(tags === undefined ? {} : { tags }),
    ...(orgs === undefined ? {} : { orgs }),
    ...(o.publishedOnly === true ? { published: true } : {}),
    ...(types === undefined ? {} : { type_attributes: { NOT: types } }),
  }
  if (o.rules === undefined) return Object.keys(shorthands).length === 0 ? undefined : shorthands
  return combineSyncRules(o.rules, shorthands)
}

/** The arrival policy a link's options set: `arrival`, `publish` and `arrivalTags` on top. */
const arrivalOf = (o: LinkOptions) => {
  const publish = o.publish ?? o.arrival?.publish
  const tags = [...(o.arrival?.tags ?? []), ...(o.arrivalTags ?? [])]
  return publish === undefined && tags.length === 0
    ? undefined
    : { ...(publish === undefined ? {} : { publish }), ...(tags.length === 0 ? {} : { tags }) }
}

/**
 * The connector options a link's options set (`existence`, `tags`, `retractions`, the conversion's
 * `distribution`, `rules`, `arrival`, `excludedCopies`, `sharingGroupEvents` for 2.4 → 2.3);
 * records (log, archive, state) are the caller's.
 */
export const connectorOptionsOf = (o: LinkOptions) => ({
  ...(rulesOf(o) === undefined ? {} : { rules: rulesOf(o)! }),
  ...(arrivalOf(o) === undefined ? {} : { arrival: arrivalOf(o)! }),
  ...(o.excludedCopies === undefined ? {} : { excludedCopies: o.excludedCopies }),
  ...(o.existence === undefined ? {} : { existence: o.existence }),
  ...(o.tags === undefined ? {} : { tags: o.tags }),
  ...(o.retractions === undefined ? {} : { retractions: o.retractions }),
  ...(o.distribution === undefined ? {} : { convert: { distribution: o.distribution } }),
  ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
})

/** The `sharingGroupEvents` option of `connect24to23`, when set. */
export const sharingGroupOptionOf = (o: LinkOptions) =>
  o.sharingGroupEvents === undefined ? {} : { sharingGroupEvents: o.sharingGroupEvents }

/** The sync options a link's options set (`since`, `uuids`). */
export const syncOptionsOf = (o: LinkOptions) => ({
  ...(o.since === undefined ? {} : { since: o.since }),
  ...(o.uuids === undefined || o.uuids.length === 0 ? {} : { uuids: o.uuids }),
})
