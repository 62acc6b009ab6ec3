/**
 * The version table: parsing, thresholds at their boundaries, and the table's own consistency.
 */
import { describe, expect, test } from 'vitest'
import {
  type BehaviourName,
  behaviours,
  compareVersions,
  parseVersion,
  profileVersions,
  resolveProfile,
  startMispEmulator,
} from '../../src/testing/index.js'

describe('profiles', () => {
  test('parseVersion: 2.x.y, "2.5" = 2.5.1, anything else refused', () => {
    expect(parseVersion('2.4.199')).toEqual({ major: 2, minor: 4, patch: 199 })
    expect(parseVersion('2.5')).toEqual({ major: 2, minor: 5, patch: 1 })
    for (const bad of ['3.0.0', '2.2.9', '2.4', 'latest', '2.6.0'])
      expect(() => parseVersion(bad)).toThrow(RangeError)
    expect(resolveProfile('2.5').version).toBe('2.5.1')
  })

  test('every row: a parseable since, since < until, a cited source', () => {
    for (const [name, row] of Object.entries(behaviours)) {
      const since = parseVersion(row.since)
      if ('until' in row) expect(compareVersions(since, parseVersion(row.until)), name).toBeLessThan(0)
      // MISP's source (`file@tag:line`), an exchange recorded from a real server, or the release it came with
      expect(row.source, name).toMatch(/@v\d|rec#\d|\bv2\.\d+\.\d+\b/)
    }
  })

  test.each([
    ['editFail405', '2.3.178', true],
    ['editFail405', '2.4.0', false],
    ['editFail200', '2.4.102', true],
    ['editFail200', '2.4.103', false],
    ['saveFailResponse', '2.4.103', true],
    ['saveFailSavedFlag', '2.4.119', false],
    ['saveFailSavedFlag', '2.4.120', true],
    ['saveFailId', '2.4.159', true],
    ['editByUuid', '2.4.59', false],
    ['editByUuid', '2.4.60', true],
    ['explicitHead', '2.4.134', false],
    ['explicitHead', '2.4.135', true],
    ['indexTimestampFilter', '2.4.53', false],
    ['indexTimestampFilter', '2.4.54', true],
    ['indexMinimal', '2.4.72', true],
    ['indexNamedParams', '2.4.199', true],
    ['indexNamedParams', '2.5', false],
    ['attributeErrorsListed', '2.4.199', true],
    ['attributeErrorsListed', '2.5', false],
    ['objects', '2.4.79', false],
    ['objects', '2.4.80', true],
    ['orgObjects', '2.3.178', false],
    ['getVersion', '2.3.128', false],
    ['getVersion', '2.3.129', true],
    // §5.1 cites X-MISP-AUTH at v2.4.199 only: earliest verified
    ['xMispAuthHeader', '2.4.0', false],
    ['xMispAuthHeader', '2.4.198', false],
    ['xMispAuthHeader', '2.4.199', true],
    ['xMispAuthHeader', '2.5', true],
    // §5.5 rule 1: URL-id fallback "in late 2.4" (earliest verified v2.4.199)
    ['editUrlIdFallback', '2.4.198', false],
    ['editUrlIdFallback', '2.4.199', true],
    // §7: only 2.3 keeps a foreign attribute id on edit
    ['editKeepsForeignAttributeId', '2.3.178', true],
    ['editKeepsForeignAttributeId', '2.4.0', false],
  ] as const)('%s at %s → %s', (name: BehaviourName, version, on) => {
    expect(resolveProfile(version).has(name)).toBe(on)
  })

  test('the named profiles resolve, with their era', () => {
    expect(profileVersions.map((v) => resolveProfile(v).era)).toEqual(['2.3', '2.4', '2.4', '2.4', '2.4'])
  })
})

describe('startMispEmulator options', () => {
  test('an unknown role (from plain JavaScript) is refused with the roles it knows, not a TypeError', async () => {
    const bad = { version: '2.3.178', role: 'admin' } as unknown as Parameters<typeof startMispEmulator>[0]
    await expect(startMispEmulator(bad)).rejects.toThrow(
      /unknown role 'admin' \(one of site-admin, org-admin, user, publisher, sync, automation, read-only\)/,
    )
  })
})
