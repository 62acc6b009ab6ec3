/**
 * The emulator's reading of wire values MISP's models accept in several forms: integers sent as
 * numbers or digit strings, and CakePHP's `boolean` rule.
 *
 * @internal
 */

/** Lenient integer: MISP stores ints but clients send "3" or 3. */
export const toInt = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim())
  return undefined
}

/** CakePHP's `boolean` rule: true/false, 1/0, "1"/"0" (and "true"/"false" from JSON clients). */
export const toBool = (v: unknown): boolean | undefined => {
  if (typeof v === 'boolean') return v
  if (v === 1 || v === '1' || v === 'true') return true
  if (v === 0 || v === '0' || v === 'false' || v === '') return false
  return undefined
}
