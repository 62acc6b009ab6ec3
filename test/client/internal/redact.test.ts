import { describe, expect, test } from 'vitest'
import { displayUrl, makeRedactor, redactDeep } from '../../../src/client/internal/redact.js'

describe('redaction', () => {
  const key = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/=='
  const redact = makeRedactor(key)

  test('replaces the key, its URL-encoded form and each part of a key list', () => {
    expect(redact(`x ${key} y ${encodeURIComponent(key)}`)).toBe('x <redacted> y <redacted>')
    const list = makeRedactor('first-key-123, second-key-456')
    expect(list('first-key-123 and second-key-456')).toBe('<redacted> and <redacted>')
  })

  test('does not search for tiny keys', () => {
    expect(makeRedactor('ab')('abc')).toBe('abc')
    expect(makeRedactor('')('abc')).toBe('abc')
  })

  test('redacts deep values and keys, without touching the input', () => {
    const input = { a: [key, { [key]: `${key}!` }], n: 1 }
    expect(redactDeep(input, redact)).toEqual({ a: ['<redacted>', { '<redacted>': '<redacted>!' }], n: 1 })
    expect(input.a[0]).toBe(key)
  })

  test('URLs lose user information and the key', () => {
    expect(displayUrl(`https://u:pw@misp.example/${key}/x`, redact)).toBe(
      'https://misp.example/%3Credacted%3E/x'.replace('%3Credacted%3E', '<redacted>'),
    )
  })
})
