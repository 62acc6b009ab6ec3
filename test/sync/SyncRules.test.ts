import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { combineSyncRules, formatMispRules, parseSyncRules, type SyncRules } from '../../src/sync/index.js'

const own: SyncRules = {
  tags: { OR: ['tlp:clear', 'tlp:green'], NOT: ['tlp:red'] },
  orgs: { NOT: ['ACME-Internal'] },
  published: true,
  type_attributes: { NOT: ['email-src'] },
}

describe('parseSyncRules', () => {
  test("the bridge's own shape; empty lists constrain nothing", () => {
    expect(parseSyncRules(JSON.stringify({ ...own, orgs: { OR: [], NOT: ['ACME-Internal'] } }))).toEqual(
      E.right(own),
    )
    expect(parseSyncRules({ tags: { OR: [], NOT: [] } })).toEqual(E.right({}))
  })

  test("round-trips MISP's exported push_rules (MISP pushes only published events)", () => {
    const exported = formatMispRules(own)
    // what a MISP 2.5.1 server link keeps: a JSON string with every field, empty lists included
    expect(JSON.parse(exported.push_rules)).toEqual({
      tags: { OR: ['tlp:clear', 'tlp:green'], NOT: ['tlp:red'] },
      orgs: { OR: [], NOT: ['ACME-Internal'] },
      type_attributes: { NOT: ['email-src'] },
      type_objects: { NOT: [] },
    })
    expect(parseSyncRules(exported)).toEqual(E.right(own))
    expect(parseSyncRules({ Server: { ...exported, pull_rules: '' } })).toEqual(E.right(own))
    // the bare push-rules string is the bridge's own shape (no published: nothing implied)
    const { published: _p, ...bare } = own
    expect(parseSyncRules(exported.push_rules)).toEqual(E.right(bare))
  })

  test('pull_rules with url_params as MISP stores them', () => {
    const pull = JSON.stringify({
      tags: { OR: ['tlp:green'], NOT: [] },
      orgs: { OR: [], NOT: [] },
      type_attributes: { NOT: [] },
      type_objects: { NOT: [] },
      url_params: '',
    })
    expect(parseSyncRules({ pull_rules: pull })).toEqual(
      E.right({ tags: { OR: ['tlp:green'] }, published: true }),
    )
    const withParams = JSON.stringify({ url_params: JSON.stringify({ timestamp: '30d' }) })
    expect(parseSyncRules({ pull_rules: withParams })).toEqual(
      E.left(expect.stringMatching(/url_params\.timestamp: MISP search parameters other than "published"/)),
    )
  })

  test('ids where names are expected: a clear error naming the fix', () => {
    const fromMisp = { push_rules: '{"tags":{"OR":["3"],"NOT":[]},"orgs":{"OR":[],"NOT":[]}}' }
    expect(parseSyncRules(fromMisp)).toEqual(
      E.left(
        expect.stringMatching(
          /rules\.push_rules\.tags\.OR: "3" looks like a MISP id; rules take tag names.*\/tags\/index/,
        ),
      ),
    )
    expect(parseSyncRules({ orgs: { NOT: [7] } })).toEqual(
      E.left(expect.stringMatching(/rules\.orgs\.NOT: "7" looks like a MISP id.*\/organisations\/index/)),
    )
  })

  test('unknown fields, object filters, both push and pull rules, bad JSON are refused', () => {
    expect(E.isLeft(parseSyncRules({ tag: { NOT: ['x'] } }))).toBe(true)
    expect(E.isLeft(parseSyncRules({ type_objects: { NOT: ['a0c0b46e-…'] } }))).toBe(true)
    expect(
      E.isLeft(parseSyncRules({ push_rules: '{"tags":{"OR":["a"]}}', pull_rules: '{"tags":{"OR":["b"]}}' })),
    ).toBe(true)
    expect(parseSyncRules('{not json')).toEqual(E.left(expect.stringMatching(/^rules: not valid JSON/)))
  })

  test('combineSyncRules joins lists case-insensitively; published true wins', () => {
    expect(combineSyncRules(own, { tags: { NOT: ['TLP:RED', 'tlp:amber'] }, published: false })).toEqual({
      ...own,
      tags: { OR: ['tlp:clear', 'tlp:green'], NOT: ['tlp:red', 'tlp:amber'] },
    })
  })
})
