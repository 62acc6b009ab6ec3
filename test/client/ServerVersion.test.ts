import { describe, expect, test } from 'vitest'
import { apiVersionOf, atLeast, parseServerVersion } from '../../src/client/index.js'
import { capabilities } from '../../src/client/ServerVersion.js'

describe('ServerVersion', () => {
  test('parses MISP version strings', () => {
    expect(parseServerVersion('2.4.199')).toEqual({ version: '2.4.199', major: 2, minor: 4, patch: 199 })
    expect(parseServerVersion('v2.5.1-dev')).toMatchObject({ major: 2, minor: 5, patch: 1 })
    expect(parseServerVersion('2.3')).toMatchObject({ major: 2, minor: 3, patch: 0 })
    expect(parseServerVersion('unknown')).toBeUndefined()
  })

  test('orders releases and maps them to wire formats', () => {
    const v = (s: string) => parseServerVersion(s)!
    expect(atLeast(v('2.4.135'), 2, 4, 135)).toBe(true)
    expect(atLeast(v('2.4.134'), 2, 4, 135)).toBe(false)
    expect(atLeast(v('2.5.0'), 2, 4, 199)).toBe(true)
    expect(apiVersionOf(v('2.3.178'))).toBe('2.3')
    expect(apiVersionOf(v('2.4.0'))).toBe('2.4')
    expect(apiVersionOf(v('2.5.1'))).toBe('2.4')
  })

  test('capabilities follow misp-versions.md §5', () => {
    expect(capabilities(parseServerVersion('2.4.59')!)).toEqual({
      editByUuid: false,
      head: false,
      restSearchUuidMetadata: true,
      indexTimestamp: true,
      tagIndexUnpaged: true,
      attributeDeleteAnswers: true,
      tagInBody: false,
    })
    expect(capabilities(parseServerVersion('2.4.135')!)).toMatchObject({ editByUuid: true, head: true })
    expect(capabilities(parseServerVersion('2.4.54')!)).toMatchObject({
      restSearchUuidMetadata: false,
      indexTimestamp: true,
      tagIndexUnpaged: false,
    })
  })
})
