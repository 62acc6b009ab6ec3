/**
 * Keeping the API key out of everything the client emits: errors, debug lines, URLs.
 *
 * @internal
 */

/** The placeholder written where the key was. */
export const REDACTED = '<redacted>'

/** Secrets shorter than this are not searched for (they would match ordinary text). */
const MIN_SECRET_LENGTH = 4

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * A function that replaces every occurrence of the key (and of each part of a comma-separated
 * key list, which MISP 2.3 accepts) by `<redacted>`, also in its URL-encoded form.
 */
export const makeRedactor = (key: string): ((s: string) => string) => {
  const parts = new Set<string>()
  for (const k of [key, ...key.split(',')]) {
    const t = k.trim()
    if (t.length >= MIN_SECRET_LENGTH) {
      parts.add(t)
      parts.add(encodeURIComponent(t))
    }
  }
  if (parts.size === 0) return (s) => s
  const re = new RegExp(
    [...parts]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  )
  return (s) => s.replace(re, REDACTED)
}

/**
 * Applies `redact` to every string inside a JSON-like value (objects, arrays; keys too), returning
 * a copy. Non-plain objects are left out of the copy's strings only where they are plain data.
 */
export const redactDeep = <A>(value: A, redact: (s: string) => string): A => {
  const go = (u: unknown, depth: number): unknown => {
    if (typeof u === 'string') return redact(u)
    if (depth > 64 || typeof u !== 'object' || u === null) return u
    if (Array.isArray(u)) return u.map((x) => go(x, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(u)) out[redact(k)] = go(v, depth + 1)
    return out
  }
  return go(value, 0) as A
}

/**
 * The URL as shown in errors and logs: no user information, no key.
 */
export const displayUrl = (url: string | URL, redact: (s: string) => string): string => {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return redact(u.href)
  } catch {
    return redact(String(url))
  }
}
