/** A UUID in any case. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A plain JSON object. */
export const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/** Whether `a` is a string equal to the uuid `b`, case-insensitively. */
export const sameUuid = (a: unknown, b: string): boolean =>
  typeof a === 'string' && a.toLowerCase() === b.toLowerCase()

/**
 * An argument as it may appear in a request path of an error, for any value a caller passes
 * (`undefined`, `null`, a symbol, an object whose `toString` throws): never throws.
 */
export const shown = (u: unknown): string => {
  if (typeof u === 'string') return u
  if (typeof u === 'number' || typeof u === 'bigint' || typeof u === 'boolean') return String(u)
  if (u === undefined || u === null) return String(u)
  return `<${typeof u}>`
}

/** The `uuid` of an event argument, or `''` when it is not a record with a string uuid; never throws. */
export const uuidArgument = (event: unknown): string => {
  try {
    const uuid = isRecord(event) ? event['uuid'] : undefined
    return typeof uuid === 'string' ? uuid : ''
  } catch {
    return ''
  }
}

/** A local numeric id (a non-negative safe integer or a decimal string), as a string. */
export const numericIdOf = (x: unknown): string | undefined => {
  const s =
    typeof x === 'number'
      ? Number.isSafeInteger(x) && x >= 0
        ? String(x)
        : ''
      : typeof x === 'string'
        ? x.trim()
        : ''
  return /^\d+$/.test(s) ? s : undefined
}

/** A local numeric id or a UUID, as a string. */
export const idOrUuidOf = (x: unknown): string | undefined => {
  const id = numericIdOf(x)
  if (id !== undefined) return id
  const s = typeof x === 'string' ? x.trim() : ''
  return UUID_RE.test(s) ? s : undefined
}

/** `since` as unix seconds, or `undefined` when it is not a valid time. */
export const sinceOf = (since: number | string | Date): number | undefined => {
  if (since instanceof Date) {
    const t = since.getTime()
    return Number.isNaN(t) ? undefined : Math.max(0, Math.floor(t / 1000))
  }
  if (typeof since === 'number') return Number.isFinite(since) && since >= 0 ? Math.floor(since) : undefined
  if (typeof since !== 'string') return undefined
  return /^\d+$/.test(since.trim()) ? Number(since.trim()) : undefined
}
