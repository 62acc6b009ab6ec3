/**
 * Validation rules of the emulated MISP models (Event, Attribute), version by version.
 *
 * Sources: `Event.php@v2.4.0:74-75` (distribution levels), `EventsController.php@v2.3.178:1000-1014` (event-level failures), `Attribute.php@v2.3.178:101-145` (2.3
 * constraints: 41 types, category/type pairs, required attribute distribution 0–3, valueIsUnique);
 * rec#24/rec#25/rec#26 for the 2.5.1 messages. MISP's full value validators are not tabulated in
 * the docs (not verified against MISP's source); the emulator checks the common formats (hashes, IP addresses, domains), which is
 * what rec#26 exercises (`ip-dst` "not-an-ip" is dropped).
 *
 * @since 0.1.0
 */
import { isCategory, isType, isValidPair } from '../../v23/attributeTypes.js'
import type { Profile } from '../profiles.js'

export type FieldErrors = Record<string, Array<string>>

// ---------------------------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------------------------

/** rec#25: the inList message of Event.distribution (2.5.1; same text for 0–3 in 2.3). */
export const eventDistributionMessage =
  'Options : Your organisation only, This community only, Connected communities, All communities'
const attributeDistributionMessage23 = eventDistributionMessage
const attributeDistributionMessage24 =
  'Options : Your organisation only, This community only, Connected communities, All communities, Sharing group, Inherit event'
const sharingGroupRequiredMessage =
  'If the distribution is set to "Sharing Group", a sharing group has to be selected.'
const uniqueMessage = 'A similar attribute already exists for this event.'
const categoryTypeMessage = 'Options depend on the selected category.'

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

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

const hexOf = (n: number): RegExp => new RegExp(`^[0-9a-f]{${n}}$`, 'i')
const hashLengths: Record<string, number> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  'sha512/224': 56,
  'sha512/256': 64,
  imphash: 32,
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const isIpv6 = (s: string): boolean =>
  /^[0-9a-f:.]+$/i.test(s) && s.includes(':') && s.split('::').length <= 2
const isIp = (s: string): boolean => {
  const [addr, cidr, ...rest] = s.split('/')
  if (rest.length > 0 || addr === undefined) return false
  if (cidr !== undefined && !/^\d{1,3}$/.test(cidr)) return false
  return ipv4.test(addr) || isIpv6(addr)
}
const isDomain = (s: string): boolean => /^([-\p{L}\p{N}_]+\.)+[-\p{L}\p{N}]+$/u.test(s)

const hashMessage = (n: number): string =>
  `Checksum has an invalid length or format (expected: ${n} hexadecimal characters). Please double check the value or select type "other".`

/** Value format check of the common types; `undefined` when the value is acceptable. */
export const valueFormatError = (type: string, value: string): string | undefined => {
  const checkHash = (t: string, v: string): string | undefined => {
    const n = hashLengths[t]
    if (n === undefined) return undefined
    return hexOf(n).test(v) ? undefined : hashMessage(n)
  }
  if (type in hashLengths) return checkHash(type, value)
  if (type.startsWith('filename|')) {
    const i = value.lastIndexOf('|')
    if (i <= 0) return 'Composite type, but value not explodable.'
    return checkHash(type.slice('filename|'.length), value.slice(i + 1))
  }
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return isIp(value) ? undefined : 'IP address has an invalid format.'
    case 'domain':
    case 'hostname':
      return isDomain(value)
        ? undefined
        : `${type === 'domain' ? 'Domain' : 'Hostname'} name has an invalid format.`
    default:
      return undefined
  }
}

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

// ---------------------------------------------------------------------------------------------
// event-level
// ---------------------------------------------------------------------------------------------

export interface EventFields {
  readonly info: unknown
  readonly distribution: unknown
  readonly threat_level_id: unknown
  readonly analysis: unknown
  readonly date: unknown
  readonly sharing_group_id: unknown
}

/**
 * Event-level validation (`Event.php@v2.4.0:74-75`, `EventsController.php@v2.3.178:1000-1014`; messages from rec#24, rec#25). Returns the Cake-style
 * `{field: [message]}` map, empty when valid.
 */
export const validateEventFields = (
  e: EventFields,
  profile: Profile,
  sharingGroupExists: (id: number) => boolean,
): FieldErrors => {
  const errors: FieldErrors = {}
  const add = (field: string, message: string): void => {
    errors[field] = [...(errors[field] ?? []), message]
  }
  if (typeof e.info !== 'string' || e.info.trim() === '') add('info', 'valueNotEmpty')
  const maxDistribution = profile.has('sharingGroups') ? 4 : 3
  const d = toInt(e.distribution)
  if (d === undefined || d < 0 || d > maxDistribution) add('distribution', eventDistributionMessage)
  else if (d === 4) {
    const sg = toInt(e.sharing_group_id)
    if (sg === undefined || sg === 0 || !sharingGroupExists(sg))
      add('sharing_group_id', sharingGroupRequiredMessage)
  }
  const tl = toInt(e.threat_level_id)
  if (tl === undefined || tl < 1 || tl > 4) add('threat_level_id', 'Options : 1, 2, 3, 4')
  const an = toInt(e.analysis)
  if (an === undefined || an < 0 || an > 2) add('analysis', 'Options : 0, 1, 2')
  if (typeof e.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.date))
    add('date', 'Expected date format: YYYY-MM-DD')
  return errors
}

// ---------------------------------------------------------------------------------------------
// attribute-level
// ---------------------------------------------------------------------------------------------

export interface AttributeCandidate {
  readonly type: string
  readonly category: string
  readonly value: string
  readonly distribution: number | undefined
  readonly sharing_group_id: number
  readonly inObject: boolean
}

/**
 * Attribute validation. 2.3 (`Attribute.php@v2.3.178:101-145`): type among the 41, valid category/type pair, distribution
 * required 0–3. 2.4 (`Event.php@v2.4.0:74-75`): distribution 0–5, 4 needs a sharing group. Both: value not empty, value
 * format, `valueIsUnique` (same type + category + value twice in one event; not for object
 * attributes).
 */
export const validateAttribute = (
  a: AttributeCandidate,
  profile: Profile,
  isDuplicate: boolean,
  sharingGroupExists: (id: number) => boolean,
): FieldErrors => {
  const errors: FieldErrors = {}
  const add = (field: string, message: string): void => {
    errors[field] = [...(errors[field] ?? []), message]
  }
  if (profile.era === '2.3') {
    if (!isType(a.type)) add('type', categoryTypeMessage)
    if (!isCategory(a.category)) add('category', categoryTypeMessage)
    else if (isType(a.type) && !isValidPair(a.category, a.type)) add('type', categoryTypeMessage)
    if (a.distribution === undefined || a.distribution < 0 || a.distribution > 3)
      add('distribution', attributeDistributionMessage23)
  } else {
    if (a.type.trim() === '') add('type', categoryTypeMessage)
    if (a.category.trim() === '') add('category', categoryTypeMessage)
    if (a.distribution === undefined || a.distribution < 0 || a.distribution > 5)
      add('distribution', attributeDistributionMessage24)
    else if (a.distribution === 4 && (a.sharing_group_id === 0 || !sharingGroupExists(a.sharing_group_id)))
      add('sharing_group_id', sharingGroupRequiredMessage)
  }
  if (a.value.trim() === '') add('value', 'valueNotEmpty')
  else {
    const formatError = valueFormatError(a.type, a.value.trim())
    if (formatError !== undefined) add('value', formatError)
    else if (isDuplicate && !a.inObject) add('value', uniqueMessage)
  }
  return errors
}
