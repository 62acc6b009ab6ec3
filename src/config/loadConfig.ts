/**
 * Reads and checks a misp-bridge config file as a whole — before anything is sent — and reports
 * every problem with the path where it is (`links[1].from`, `servers.hub.keyFile`). Uses
 * `node:fs`.
 *
 * @since 0.2.0
 */
import { dirname, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { BridgeConfig, ConfigError, ConfigProblem, LinkConfig, ServerConfig } from './BridgeConfig.js'
import { readKeyFile } from './keys.js'
import { checkDirection, LINK_OPTIONS, type LinkOptions, readOptions, SERVER_OPTIONS } from './linkOptions.js'
import { duration, path as pathReader, type ReadContext } from './readers.js'
import { readJsonFile } from './readJsonFile.js'

type Json = Readonly<Record<string, unknown>>

const isObject = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u)

const LINK_KEYS = ['name', 'from', 'to', 'every']
const TOP_KEYS = ['servers', 'links', 'metrics']
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Problems of keys nobody reads: a typo must not pass silently. */
const unknownKeys = (o: Json, allowed: ReadonlyArray<string>, at: string): Array<ConfigProblem> =>
  Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => {
      const path = at === '' ? k : `${at}.${k}`
      return {
        path,
        message:
          k === 'key' || k === 'apiKey' || k === 'authkey'
            ? `${path}: keys are never written in the config file: use keyEnv (an environment variable) or keyFile`
            : `${path} is not a known key (allowed: ${allowed.join(', ')})`,
      }
    })

const problemsOf = (path: string, messages: ReadonlyArray<string>): Array<ConfigProblem> =>
  messages.map((message) => ({ path, message }))

const configOptions = (table: Readonly<Record<string, { readonly inConfig: boolean }>>) =>
  Object.keys(table).filter((k) => table[k]!.inConfig)

/** One server: its options through the table, the key's source, the key file's readability. */
const readServer = async (
  name: string,
  raw: unknown,
  context: ReadContext,
): Promise<{ server?: ServerConfig; problems: Array<ConfigProblem>; warnings: Array<ConfigProblem> }> => {
  const at = `servers.${name}`
  if (!isObject(raw)) return { problems: [{ path: at, message: `${at} must be an object` }], warnings: [] }
  const problems = unknownKeys(raw, configOptions(SERVER_OPTIONS), at)
  const warnings: Array<ConfigProblem> = []
  const read = readOptions(
    SERVER_OPTIONS,
    (k) => raw[k],
    (k) => `${at}.${k}`,
    context,
  )
  if (E.isLeft(read)) problems.push(...problemsOf(at, read.left))
  for (const k of ['url', 'version'] as const)
    if (raw[k] === undefined) problems.push({ path: `${at}.${k}`, message: `${at}.${k} is required` })
  if ((raw['keyEnv'] === undefined) === (raw['keyFile'] === undefined))
    problems.push({
      path: at,
      message: `${at} needs exactly one of keyEnv (an environment variable) or keyFile (a file) for its API key`,
    })
  const keyFile =
    raw['keyFile'] === undefined ? undefined : pathReader(raw['keyFile'], `${at}.keyFile`, context)
  if (keyFile !== undefined && E.isRight(keyFile)) {
    const key = await readKeyFile(keyFile.right, `${at}.keyFile`)
    if (E.isLeft(key)) problems.push({ path: `${at}.keyFile`, message: key.left })
    else if (key.right.othersMayRead)
      warnings.push({
        path: `${at}.keyFile`,
        message: `${at}.keyFile ${keyFile.right} can be read by other users: chmod 600 it`,
      })
  }
  if (problems.length > 0 || E.isLeft(read)) return { problems, warnings }
  return {
    server: { ...read.right, name, url: read.right.url!, version: read.right.version! },
    problems,
    warnings,
  }
}

/** One link: names, servers, direction, `every`, its options over the top-level defaults. */
const readLink = (
  raw: unknown,
  index: number,
  servers: ReadonlyMap<string, ServerConfig>,
  serverNames: ReadonlyArray<string>,
  defaults: LinkOptions,
  context: ReadContext,
): { link?: LinkConfig; problems: Array<ConfigProblem> } => {
  const at = `links[${index}]`
  if (!isObject(raw)) return { problems: [{ path: at, message: `${at} must be an object` }] }
  const problems = unknownKeys(raw, [...LINK_KEYS, ...configOptions(LINK_OPTIONS)], at)
  const name = raw['name']
  if (typeof name !== 'string' || !NAME_RE.test(name))
    problems.push({
      path: `${at}.name`,
      message: `${at}.name must be a name of letters, digits, '.', '_' or '-', got ${JSON.stringify(name) ?? 'nothing'}`,
    })
  const ends = (['from', 'to'] as const).map((k) => {
    const v = raw[k]
    const server = typeof v === 'string' ? servers.get(v) : undefined
    if (server === undefined && !(typeof v === 'string' && serverNames.includes(v)))
      problems.push({
        path: `${at}.${k}`,
        message: `${at}.${k} must name a server (${serverNames.join(', ') || 'none defined'}), got ${JSON.stringify(v) ?? 'nothing'}`,
      })
    return server
  })
  const every =
    raw['every'] === undefined ? E.right(undefined) : duration(raw['every'], `${at}.every`, context)
  if (E.isLeft(every)) problems.push({ path: `${at}.every`, message: every.left })
  const read = readOptions(
    LINK_OPTIONS,
    (k) => raw[k],
    (k) => `${at}.${k}`,
    context,
  )
  if (E.isLeft(read)) problems.push(...problemsOf(at, read.left))
  const [from, to] = ends
  if (from !== undefined && to !== undefined && from.version === to.version)
    problems.push({
      path: at,
      message: `${at} links two ${from.version} servers (${from.name}, ${to.name}): misp-bridge syncs 2.3 → 2.4 and 2.4 → 2.3`,
    })
  const options = { ...defaults, ...(E.isRight(read) ? read.right : {}) }
  if (from !== undefined) {
    const direction = checkDirection(options, from.version, (k) => `${at}.${k}`)
    if (E.isLeft(direction)) problems.push({ path: `${at}.sharingGroupEvents`, message: direction.left })
  }
  if (options.state === undefined)
    problems.push({
      path: `${at}.state`,
      message: `${at} has no state file: set "state" at the top of the file (or in the link)`,
    })
  if (problems.length > 0 || from === undefined || to === undefined || options.state === undefined)
    return { problems }
  return {
    link: {
      name: name as string,
      path: at,
      from,
      to,
      ...(E.isRight(every) && every.right !== undefined ? { every: every.right } : {}),
      options: { ...options, state: options.state },
    },
    problems,
  }
}

const duplicateNames = (links: ReadonlyArray<unknown>): Array<ConfigProblem> => {
  const seen = new Map<string, number>()
  const problems: Array<ConfigProblem> = []
  links.forEach((l, i) => {
    const name = isObject(l) ? l['name'] : undefined
    if (typeof name !== 'string') return
    const first = seen.get(name)
    if (first === undefined) seen.set(name, i)
    else
      problems.push({
        path: `links[${i}].name`,
        message: `links[${i}].name ${JSON.stringify(name)} is already the name of links[${first}]`,
      })
  })
  return problems
}

/** Checks the document as a whole; every problem is collected. */
const checkDocument = async (
  file: string,
  doc: unknown,
  nowMs: number,
): Promise<E.Either<ReadonlyArray<ConfigProblem>, BridgeConfig>> => {
  if (!isObject(doc)) return E.left([{ path: '', message: 'the file must hold a JSON object' }])
  const context: ReadContext = { base: dirname(file), nowMs }
  const problems = unknownKeys(doc, [...TOP_KEYS, ...configOptions(LINK_OPTIONS)], '')
  const warnings: Array<ConfigProblem> = []
  const rawServers = doc['servers']
  if (!isObject(rawServers) || Object.keys(rawServers).length === 0)
    problems.push({
      path: 'servers',
      message: 'servers must be an object of named servers, e.g. {"hub": {...}}',
    })
  const serverNames = isObject(rawServers) ? Object.keys(rawServers) : []
  const servers = new Map<string, ServerConfig>()
  for (const name of serverNames) {
    if (!NAME_RE.test(name))
      problems.push({
        path: `servers.${name}`,
        message: `servers.${name}: a server name is letters, digits, '.', '_' or '-'`,
      })
    const r = await readServer(name, (rawServers as Json)[name], context)
    problems.push(...r.problems)
    warnings.push(...r.warnings)
    if (r.server !== undefined) servers.set(name, r.server)
  }
  const defaults = readOptions(
    LINK_OPTIONS,
    (k) => doc[k],
    (k) => k,
    context,
  )
  if (E.isLeft(defaults)) problems.push(...problemsOf('', defaults.left))
  const metrics =
    doc['metrics'] === undefined ? E.right(undefined) : pathReader(doc['metrics'], 'metrics', context)
  if (E.isLeft(metrics)) problems.push({ path: 'metrics', message: metrics.left })
  const rawLinks = doc['links']
  if (!Array.isArray(rawLinks) || rawLinks.length === 0)
    problems.push({
      path: 'links',
      message: 'links must be a list of at least one link ({"name", "from", "to", ...})',
    })
  const links: Array<LinkConfig> = []
  for (const [i, raw] of (Array.isArray(rawLinks) ? rawLinks : []).entries()) {
    const r = readLink(raw, i, servers, serverNames, E.isRight(defaults) ? defaults.right : {}, context)
    problems.push(...r.problems)
    if (r.link !== undefined) links.push(r.link)
  }
  problems.push(...duplicateNames(Array.isArray(rawLinks) ? rawLinks : []))
  if (problems.length > 0) return E.left(problems)
  return E.right({
    file,
    servers: [...servers.values()],
    links,
    ...(E.isRight(metrics) && metrics.right !== undefined ? { metrics: metrics.right } : {}),
    warnings,
  })
}

/**
 * Reads a config file (JSON) and checks it as a whole: unknown keys, unknown server names, bad
 * URLs, versions, durations and option values, missing or unreadable key files, a key written
 * inline. Every problem is reported with its path; a key file other users can read is a
 * warning (`warnings`). Relative paths are resolved against the file's folder. Nothing is sent
 * to any server. Never rejects.
 *
 * @example
 * const config = await loadConfig('/etc/misp-bridge/config.json')()
 * if (E.isLeft(config)) console.error(formatConfigError(config.left))
 * else for (const link of config.right.links) console.log(link.name, link.from.url, '→', link.to.url)
 *
 * @category constructors
 * @since 0.2.0
 */
export const loadConfig =
  (file: string, options: { readonly cwd?: string } = {}): TE.TaskEither<ConfigError, BridgeConfig> =>
  async () => {
    const absolute = resolve(options.cwd ?? process.cwd(), file)
    const fail = (problems: ReadonlyArray<ConfigProblem>): E.Either<ConfigError, never> =>
      E.left({ _tag: 'ConfigError', file: absolute, problems })
    const doc = await readJsonFile(absolute)
    if (E.isLeft(doc)) return fail([{ path: '', message: doc.left }])
    const checked = await checkDocument(absolute, doc.right, Date.now())
    return E.isLeft(checked) ? fail(checked.left) : E.right(checked.right)
  }
