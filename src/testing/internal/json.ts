/**
 * JSON as PHP writes it, so that response bodies (and their lengths) look like a real MISP's.
 *
 * - `json_encode` default (CakePHP exception renderer, 2.3/2.4 views): compact, `/` escaped as `\/`.
 * - MISP's `RestResponseComponent` (2.5.1, rec#1): `JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES`,
 *   i.e. 4-space indentation, `": "` separators.
 * - restSearch (rec#20): compact with unescaped slashes.
 *
 * @since 0.1.0
 */

export type JsonStyle = 'compact-escaped' | 'compact' | 'pretty'

const escapeSlashes = (s: string): string => s.replaceAll('/', '\\/')

/** Serialises `value` in one of PHP's styles. */
export const phpJson = (value: unknown, style: JsonStyle): string => {
  switch (style) {
    case 'compact-escaped':
      return escapeSlashes(JSON.stringify(value))
    case 'compact':
      return JSON.stringify(value)
    case 'pretty':
      return JSON.stringify(value, null, 4)
  }
}
