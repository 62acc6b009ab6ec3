/**
 * `misp-bridge check`: before any write, each server's MISP version and what its key may do
 * (`MispClient.permissions`), against what each link needs. Only reads.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { KeyPermissions } from '../client/KeyPermissions.js'
import type { MispClient } from '../client/MispClient.js'
import { formatMispError } from '../client/MispError.js'
import { type ApiVersion, apiVersionOf } from '../client/ServerVersion.js'
import type { LinkConfig } from '../config/BridgeConfig.js'
import { readOptions, SERVER_OPTIONS } from '../config/linkOptions.js'
import type { ExitCode, Io } from './Io.js'
import { flag, type Parsed, parse, str, type UsageError, usageError } from './internal/args.js'
import { CONFIG_OPTIONS, configOf, usageExit } from './internal/configCommand.js'
import { clientOf, type LinkSide } from './internal/connect.js'
import { prepareLinks } from './internal/linkRunner.js'

/**
 * `misp-bridge check --help`.
 *
 * @category help
 * @since 0.2.0
 */
export const checkHelp = `Usage: misp-bridge check --config FILE [--link NAME]... [--json]
       misp-bridge check --url URL --version 2.3|2.4 [--key-file FILE] [--ca FILE] [--json]

Asks each server its MISP version and what its API key may do (site admin, sync, tag, create
tags, publish), and says whether each link's target key may do what the link needs — before
anything is written. Only reads. The key of --url comes from MISP_KEY or --key-file.

A link's target key needs perm_sync (to keep the source's creator org and edit synced copies)
and, unless the link has "tags": "none", perm_tagger (and on 2.4/2.5 perm_tag_editor to create
tags the target lacks). With the default arrival (published copies published quietly), a key that
is no site admin publishes only the copies its own org created: the others arrive unpublished,
which check notes without failing the link.

  --config FILE       the config file (every server of the selected links)
  --link NAME         only this link (repeatable)
  --url URL           one server instead, with --version 2.3|2.4 (2.4 is also MISP 2.5)
  --key-file FILE     its key (else MISP_KEY)
  --ca FILE, --client-cert FILE, --client-key FILE, --proxy URL
                      how to reach it (as for sync)
  --json              one JSON document on stdout

Exit status: 0 every server answered and every link's key may do what it needs, 1 a server did
not answer as declared or a key lacks a permission, 2 bad usage or configuration.
`

interface ServerReport {
  readonly name: string
  readonly url: string
  readonly declared: ApiVersion
  readonly misp?: string
  readonly permissions?: KeyPermissions
  readonly problem?: string
}

interface LinkReport {
  readonly name: string
  readonly from: string
  readonly to: string
  readonly needs: ReadonlyArray<string>
  readonly missing: ReadonlyArray<string>
  readonly note?: string
  /** advice that does not fail the link: e.g. copies that will arrive unpublished */
  readonly advice?: string
}

const inspect = async (
  name: string,
  client: MispClient<ApiVersion>,
  declared: ApiVersion,
): Promise<ServerReport> => {
  const base = { name, url: client.url, declared }
  const v = await client.version()()
  if (E.isLeft(v)) return { ...base, problem: formatMispError(v.left) }
  const actual = apiVersionOf(v.right)
  if (actual !== declared)
    return {
      ...base,
      misp: v.right.version,
      problem: `declared ${declared}, but it is MISP ${v.right.version} (version ${actual})`,
    }
  const p = await client.permissions()()
  return E.isLeft(p)
    ? {
        ...base,
        misp: v.right.version,
        problem: `cannot learn what the key may do: ${formatMispError(p.left)}`,
      }
    : { ...base, misp: v.right.version, permissions: p.right }
}

/** What a link's target key needs, by the link's options. */
const needsOf = (link: LinkConfig): ReadonlyArray<'sync' | 'tag' | 'tagEditor'> =>
  link.options.tags === 'none'
    ? ['sync']
    : link.to.version === '2.4'
      ? ['sync', 'tag', 'tagEditor']
      : ['sync', 'tag']

const PERMISSION_NAMES: Readonly<Record<string, string>> = {
  sync: 'perm_sync',
  tag: 'perm_tagger',
  tagEditor: 'perm_tag_editor',
}

const linkReport = (link: LinkConfig, target: ServerReport | undefined): LinkReport => {
  const needs = needsOf(link)
  const base = {
    name: link.name,
    from: link.from.name,
    to: link.to.name,
    needs: needs.map((n) => PERMISSION_NAMES[n]!),
  }
  const p = target?.permissions
  if (p === undefined)
    return { ...base, missing: [], note: `${link.to.name} did not answer: nothing to compare` }
  const missing = p.siteAdmin ? [] : needs.filter((n) => p[n] !== true).map((n) => PERMISSION_NAMES[n]!)
  const advice = publishAdvice(link, p)
  return {
    ...base,
    missing,
    ...(advice === undefined ? {} : { advice }),
    ...(missing.includes('perm_tagger')
      ? {
          note: `give ${link.to.name}'s user a role with perm_tagger${link.to.version === '2.3' ? ' (2.3\'s stock "Sync user" has none: "Org Admin" or a custom role)' : ''}, or set "tags": "none" on ${link.path}`,
        }
      : {}),
  }
}

/**
 * A quiet publish (the default arrival) is refused unless the key is a site admin or of the copy's
 * creator org with the publish permission (`EventsController::publish@v2.3.178:1485-1489`;
 * `ACLComponent::canPublishEvent@v2.5.1`): copies keep their source's creator org, so with another
 * key published events arrive unpublished — the link still works, the run says so once.
 */
const publishAdvice = (link: LinkConfig, p: KeyPermissions): string | undefined => {
  if ((link.options.arrival?.publish ?? 'quiet') !== 'quiet' || p.siteAdmin) return undefined
  const who = p.org === undefined ? "the key's org" : p.org
  return p.publish === false
    ? `copies of published events will arrive unpublished: this key may not publish (give ${link.to.name}'s user a site-admin role, or set "arrival": { "publish": "never" } on ${link.path} to say so)`
    : `copies of published events arrive published only where their creator org is ${who}; the others arrive unpublished (a site-admin key publishes every copy)`
}

const yesNo = (v: boolean | undefined): string => (v === undefined ? '?' : v ? 'yes' : 'no')

const serverText = (s: ServerReport): string => {
  const head = `${s.name}: ${s.url} (declared ${s.declared})`
  if (s.problem !== undefined) return `${head}\n  PROBLEM: ${s.problem}\n`
  const p = s.permissions!
  return `${head}\n  MISP ${s.misp}; key${p.role === undefined ? '' : ` of role "${p.role}"`}${p.org === undefined ? '' : ` (${p.org})`}: site admin ${yesNo(p.siteAdmin)}, sync ${yesNo(p.sync)}, tag ${yesNo(p.tag)}, create tags ${yesNo(p.tagEditor)}, publish ${yesNo(p.publish)}\n`
}

const linkText = (l: LinkReport): string =>
  `${l.name}: ${l.from} → ${l.to} needs ${l.needs.join(', ')} on ${l.to}: ${
    l.note !== undefined && l.missing.length === 0
      ? 'unknown'
      : l.missing.length === 0
        ? 'ok'
        : `MISSING ${l.missing.join(', ')}`
  }${l.note === undefined ? '' : `\n  ${l.note}`}${l.advice === undefined ? '' : `\n  note: ${l.advice}`}\n`

const write = (
  io: Io,
  json: boolean,
  servers: ReadonlyArray<ServerReport>,
  links: ReadonlyArray<LinkReport>,
): ExitCode => {
  const ok = servers.every((s) => s.problem === undefined) && links.every((l) => l.missing.length === 0)
  if (json) io.stdout.write(`${JSON.stringify({ ok, servers, links }, null, 2)}\n`)
  else
    io.stdout.write(
      `Servers\n${servers.map(serverText).join('')}${links.length === 0 ? '' : `\nLinks\n${links.map(linkText).join('')}`}`,
    )
  return ok ? 0 : 1
}

/** `check --url URL --version V`: one server, its key from MISP_KEY or --key-file. */
const checkOne = async (p: Parsed, io: Io): Promise<E.Either<UsageError, ServerReport>> => {
  const read = readOptions(
    SERVER_OPTIONS,
    (name) => (name === 'keyEnv' ? undefined : p.values[name === 'url' ? 'url' : SERVER_OPTIONS[name].flag]),
    (name) => `--${name === 'url' ? 'url' : SERVER_OPTIONS[name].flag}`,
    { base: io.cwd ?? process.cwd(), nowMs: Date.now() },
  )
  if (E.isLeft(read)) return E.left(usageError(read.left.join('\n')))
  if (read.right.version === undefined) return E.left(usageError('--version 2.3|2.4 is required with --url'))
  let key = io.env['MISP_KEY']?.trim() ?? ''
  if (read.right.keyFile !== undefined) {
    const { readKeyFile } = await import('../config/keys.js')
    const k = await readKeyFile(read.right.keyFile, '--key-file')
    if (E.isLeft(k)) return E.left(usageError(k.left))
    key = k.right.key
  }
  if (key === '') return E.left(usageError('no API key: set MISP_KEY or pass --key-file FILE'))
  const side: LinkSide = {
    ...read.right,
    url: read.right.url!,
    version: read.right.version,
    key,
    at: (name) => `--${SERVER_OPTIONS[name].flag}`,
    versionAt: '--version',
  }
  const client = await clientOf(side)
  return E.isLeft(client) ? client : E.right(await inspect('server', client.right, side.version))
}

/**
 * Runs `misp-bridge check` with its arguments (after `check`).
 *
 * @category commands
 * @since 0.2.0
 */
export const checkCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const parsed = parse(
    args,
    {
      ...CONFIG_OPTIONS,
      json: { type: 'boolean' },
      url: { type: 'string' },
      version: { type: 'string' },
      'key-file': { type: 'string' },
      ca: { type: 'string' },
      'client-cert': { type: 'string' },
      'client-key': { type: 'string' },
      proxy: { type: 'string' },
    },
    0,
  )
  if (E.isLeft(parsed)) return usageExit(io, 'check', parsed.left)
  const p = parsed.right
  if (flag(p, 'help')) {
    io.stdout.write(checkHelp)
    return 0
  }
  const json = flag(p, 'json')
  if (str(p, 'url') !== undefined) {
    if (str(p, 'config') !== undefined)
      return usageExit(io, 'check', usageError('give --config or --url, not both'))
    const one = await checkOne(p, io)
    return E.isLeft(one) ? usageExit(io, 'check', one.left) : write(io, json, [one.right], [])
  }
  const loaded = await configOf(p, 'check', io)
  if (E.isLeft(loaded)) return usageExit(io, 'check', loaded.left)
  const ready = await prepareLinks(loaded.right.links, io)
  if (E.isLeft(ready)) return usageExit(io, 'check', ready.left)
  const clients = new Map<string, { client: MispClient<ApiVersion>; declared: ApiVersion }>()
  for (const r of ready.right) {
    clients.set(r.link.from.name, { client: r.clients.from, declared: r.link.from.version })
    clients.set(r.link.to.name, { client: r.clients.to, declared: r.link.to.version })
  }
  const servers = await Promise.all([...clients].map(([name, c]) => inspect(name, c.client, c.declared)))
  const byName = new Map(servers.map((s) => [s.name, s]))
  return write(
    io,
    json,
    servers,
    loaded.right.links.map((l) => linkReport(l, byName.get(l.to.name))),
  )
}
