/**
 * What MISP fills in or leaves out by attribute type: the types it does not correlate on, a
 * type's default category and `to_ids` (`typeDefinitions`, abridged). Data tables.
 *
 * @internal
 */

/** Types MISP does not correlate on (`Correlation::$nonCorrelatingTypes`, abridged). rec#29: two "test comment" comments do not correlate. */
export const nonCorrelatingTypes: ReadonlySet<string> = new Set([
  'comment',
  'text',
  'other',
  'hex',
  'anonymised',
  'http-method',
  'aba-rtn',
  'gender',
  'counter',
  'float',
  'port',
  'nationality',
  'cortex',
  'boolean',
  'pgp-private-key',
  'pgp-public-key',
])

/** Default category of a type when an attribute omits it (2.4: `typeDefinitions[type].default_category`). */
const defaultCategories: Record<string, string> = {
  md5: 'Payload delivery',
  sha1: 'Payload delivery',
  sha256: 'Payload delivery',
  sha512: 'Payload delivery',
  filename: 'Payload delivery',
  'ip-src': 'Network activity',
  'ip-dst': 'Network activity',
  hostname: 'Network activity',
  domain: 'Network activity',
  url: 'Network activity',
  'email-src': 'Payload delivery',
  'email-dst': 'Network activity',
  comment: 'Other',
  text: 'Other',
  other: 'Other',
  link: 'External analysis',
  vulnerability: 'External analysis',
}

/** Types whose `to_ids` defaults to true (`typeDefinitions[type].to_ids`, abridged). */
const idsTypes: ReadonlySet<string> = new Set([
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'filename|md5',
  'filename|sha1',
  'filename|sha256',
  'ip-src',
  'ip-dst',
  'hostname',
  'domain',
  'email-src',
  'email-dst',
  'url',
  'snort',
  'yara',
  'malware-sample',
  'imphash',
  'ssdeep',
  'mutex',
  'regkey',
  'regkey|value',
  'named pipe',
])

export const defaultCategory = (type: string): string | undefined => defaultCategories[type]
export const defaultToIds = (type: string): boolean => idsTypes.has(type)
