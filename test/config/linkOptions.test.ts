/**
 * The option table: one reader per option, the same checks and messages for a `sync` flag and a
 * config file's key, each message naming where the value was written.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import {
  argsOptions,
  connectorOptionsOf,
  LINK_OPTIONS,
  readOptions,
  SERVER_OPTIONS,
  syncOptionsOf,
} from '../../src/config/linkOptions.js'

const context = { base: '/etc/misp-bridge', nowMs: Date.parse('2026-01-10T00:00:00Z') }

const readLink = (values: Record<string, unknown>, at: (name: string) => string) =>
  readOptions(LINK_OPTIONS, (name) => values[name], at, context)

describe('LINK_OPTIONS', () => {
  test('a link in a file: values read, paths resolved against the file folder', () => {
    const r = readLink(
      { tags: 'add-only', concurrency: 2, distribution: 'misp-push', state: 'state.json', since: '2d' },
      (n) => `links[0].${n}`,
    )
    expect(r).toEqual(
      E.right({
        tags: 'add-only',
        concurrency: 2,
        distribution: 'misp-push',
        state: '/etc/misp-bridge/state.json',
        since: Date.parse('2026-01-08T00:00:00Z') / 1000,
      }),
    )
    if (E.isLeft(r)) return
    expect(connectorOptionsOf(r.right)).toEqual({
      tags: 'add-only',
      concurrency: 2,
      convert: { distribution: 'misp-push' },
    })
    expect(syncOptionsOf(r.right)).toEqual({ since: Date.parse('2026-01-08T00:00:00Z') / 1000 })
  })

  test('every problem is reported, each naming its path (file) or flag (command line)', () => {
    const bad = { tags: 'all', concurrency: 0, existence: 3, since: '7d' }
    const file = readLink(bad, (n) => `links[1].${n}`)
    expect(E.isLeft(file) && file.left).toEqual([
      'links[1].concurrency must be a whole number of at least 1, got 0',
      'links[1].existence must be lookup or create-first, got 3',
      'links[1].tags must be mirror or add-only or none, got "all"',
    ])
    const cli = readLink({ tags: 'all' }, (n) => `--${LINK_OPTIONS[n as keyof typeof LINK_OPTIONS].flag}`)
    expect(E.isLeft(cli) && cli.left).toEqual(['--tags must be mirror or add-only or none, got "all"'])
    const sge = readLink({ sharingGroupEvents: 'drop' }, () => '--sharing-group-events')
    expect(E.isLeft(sge) && sge.left[0]).toMatch(/^--sharing-group-events must be convert or skip/)
  })

  test('the command-line flags come from the tables', () => {
    expect(argsOptions(LINK_OPTIONS)).toMatchObject({
      uuid: { type: 'string', multiple: true },
      'sharing-group-events': { type: 'string' },
    })
    const from = argsOptions(SERVER_OPTIONS, 'from')
    expect(Object.keys(from).sort()).toEqual(
      [
        'from',
        'from-ca',
        'from-client-cert',
        'from-client-key',
        'from-key-file',
        'from-proxy',
        'from-version',
      ].sort(),
    )
  })

  test('server options: 2.5 and a full version (2.5.1, 2.3.178) are read as their wire format (issue #16)', () => {
    for (const [given, format] of [
      ['2.3', '2.3'],
      ['2.3.178', '2.3'],
      ['2.4', '2.4'],
      ['2.4.199', '2.4'],
      ['2.5', '2.4'],
      ['2.5.1', '2.4'],
    ] as const) {
      const r = readOptions(
        SERVER_OPTIONS,
        (name) => (name === 'version' ? given : undefined),
        String,
        context,
      )
      expect(E.isRight(r) && r.right.version, given).toBe(format)
    }
  })

  test('server options: a URL with credentials is refused without echoing them', () => {
    const r = readOptions(
      SERVER_OPTIONS,
      (name) => ({ url: 'https://admin:hunter2@misp.example.org', version: '2.6' })[name as string],
      (name) => `servers.hub.${name}`,
      context,
    )
    expect(E.isLeft(r) && r.left.join('\n')).toMatch(/^servers\.hub\.url "https:\/\/<redacted>@misp/)
    expect(E.isLeft(r) && r.left.join('\n')).not.toContain('hunter2')
    expect(E.isLeft(r) && r.left[1]).toBe(
      `servers.hub.version must be 2.3, 2.4 or 2.5 (MISP 2.5 speaks 2.4's format), got "2.6"`,
    )
  })
})

describe('sharing options in the table', () => {
  test('a link in a file: inline rules, arrival and excludedCopies; ids refused naming the path', () => {
    const r = readOptions(
      LINK_OPTIONS,
      (name) =>
        ({
          rules: { tags: { NOT: ['tlp:red'] }, published: true },
          arrival: { publish: 'never', tags: ['source:hub'] },
          excludedCopies: 'unpublish',
        })[name as string],
      (n) => `links[0].${n}`,
      context,
    )
    expect(E.isRight(r) && connectorOptionsOf(r.right)).toEqual({
      rules: { tags: { NOT: ['tlp:red'] }, published: true },
      arrival: { publish: 'never', tags: ['source:hub'] },
      excludedCopies: 'unpublish',
    })
    const ids = readOptions(
      LINK_OPTIONS,
      (name) => (name === 'rules' ? { orgs: { OR: ['4'] } } : undefined),
      (n) => `links[2].${n}`,
      context,
    )
    expect(E.isLeft(ids) && ids.left[0]).toMatch(
      /^links\[2\]\.rules: rules\.orgs\.OR: "4" looks like a MISP id/,
    )
  })

  test('the command line: shorthands add to the rules, --publish and --arrival-tag make the arrival', () => {
    const r = readOptions(
      LINK_OPTIONS,
      (name) =>
        ({
          blockTags: ['tlp:red'],
          allowOrgs: ['CIRCL'],
          publishedOnly: true,
          blockTypes: ['email-src'],
          publish: 'as-source',
          arrivalTags: ['source:misp-2.3'],
        })[name as string],
      (n) => `--${LINK_OPTIONS[n as keyof typeof LINK_OPTIONS].flag}`,
      context,
    )
    expect(E.isRight(r) && connectorOptionsOf(r.right)).toEqual({
      rules: {
        tags: { NOT: ['tlp:red'] },
        orgs: { OR: ['CIRCL'] },
        published: true,
        type_attributes: { NOT: ['email-src'] },
      },
      arrival: { publish: 'as-source', tags: ['source:misp-2.3'] },
    })
  })
})
