/**
 * Validation rules of the emulated MISP models (Event, Attribute), version by version.
 *
 * Sources: `Event.php@v2.4.0:74-75` (distribution levels), `EventsController.php@v2.3.178:1000-1014` (event-level failures), `Attribute.php@v2.3.178:101-145` (2.3
 * constraints: 41 types, category/type pairs, required attribute distribution 0–3, valueIsUnique);
 * rec#24/rec#25/rec#26 for the 2.5.1 messages. The value formats it checks are in
 * `valueFormats.ts`; what MISP fills in by type, in `typeDefaults.ts`.
 *
 * @since 0.1.0
 */
import { isCategory, isType, isValidPair } from '../../v23/attributeTypes.js'
import type { Profile } from '../profiles.js'
import { toInt } from './lenient.js'
import { categoryTypes25 } from './types25.js'
import { isIp, valueFormatError } from './valueFormats.js'

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
/** `MispAttribute.php@v2.3.178:249`, `@v2.5.1:210` */
const categoryOptionsMessage =
  'Options : Payload delivery, Antivirus detection, Payload installation, Files dropped ...'

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
  if (profile.era === '2.3') return validateEventFields23(e)
  const errors: FieldErrors = {}
  const add = (field: string, message: string): void => {
    errors[field] = [...(errors[field] ?? []), message]
  }
  // absent: the `required` rule's name (rec#24); sent but empty: `AppModel::valueNotEmpty`'s own
  // message (`AppModel.php@v2.5.1:2591-2599`; real 2.5.1)
  if (e.info === undefined || e.info === null) add('info', 'valueNotEmpty')
  else if (typeof e.info !== 'string' || e.info.trim() === '') add('info', 'Info cannot be empty.')
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

/**
 * MISP 2.3.178's Event rules (`Event.php@v2.3.178:150-185`), in their order: `date`,
 * `threat_level_id` and `analysis` are required (no default: real 2.3 refuses an empty body with
 * exactly these three), `distribution` is filled from the column default 0 by `Model::create()`
 * before it is checked, and `info` is checked only when sent (`valueNotEmpty`, no `required`):
 * "Info cannot be empty." (`AppModel::valueNotEmpty@v2.3.178:173-179`).
 */
const validateEventFields23 = (e: EventFields): FieldErrors => {
  const errors: FieldErrors = {}
  if (typeof e.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.date))
    errors['date'] = ['Expected date format: YYYY-MM-DD']
  const tl = toInt(e.threat_level_id)
  if (tl === undefined || tl < 1 || tl > 4)
    errors['threat_level_id'] = ['Options : 1, 2, 3, 4 (for High, Medium, Low, Undefined)']
  const d = toInt(e.distribution)
  if (d === undefined || d < 0 || d > 3) errors['distribution'] = [eventDistributionMessage]
  const an = toInt(e.analysis)
  if (an === undefined || an < 0 || an > 2)
    errors['analysis'] = ['Options : 0, 1, 2 (for Initial, Ongoing, Completed)']
  if (e.info !== undefined && (typeof e.info !== 'string' || e.info.trim() === ''))
    errors['info'] = ['Info cannot be empty.']
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

const hashes23: Record<string, { readonly length: number; readonly empty: string }> = {
  md5: { length: 32, empty: 'd41d8cd98f00b204e9800998ecf8427e' },
  sha1: { length: 40, empty: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
  sha256: { length: 64, empty: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
}
const otherHint = 'Please double check the value or select "other" for a type.'
const oneLine = new Set([
  'filename',
  'email-subject',
  'email-attachment',
  'url',
  'user-agent',
  'regkey',
  'named pipe',
])
const anything = new Set([
  'mutex',
  'AS',
  'snort',
  'pattern-in-file',
  'pattern-in-traffic',
  'pattern-in-memory',
])
for (const t of ['yara', 'attachment', 'malware-sample', 'comment', 'text', 'other']) anything.add(t)

/**
 * MISP 2.3.178's value check (`MispAttribute::runValidation@v2.3.178:549-792`, after
 * `beforeValidate` trimmed the value and lowercased hashes and domains, `:450-469`): `true`, a
 * message of its own, or `false` — the rule's message. A type it does not know is `false`.
 */
const runValidation23 = (type: string, value: string): true | false | string => {
  const email = /^[A-Z0-9._%+-]*@[A-Z0-9.\-_]+\.[A-Z]{2,}$/i
  const [base, hashType] = type.startsWith('filename|') ? ['filename', type.slice(9)] : [undefined, type]
  const hash = hashes23[hashType]
  if (hash !== undefined) {
    const v = value.toLowerCase()
    const i = v.lastIndexOf('|')
    const h = base === undefined ? v : i > 0 ? v.slice(i + 1) : ''
    if (!new RegExp(`^[0-9a-f]{${hash.length}}$`).test(h))
      return `Checksum has invalid length or format. ${otherHint}`
    return h === hash.empty ? 'The supplied hash indicates an empty file.' : true
  }
  if (oneLine.has(type) || type.startsWith('target-')) {
    if (type === 'target-email') return email.test(value) || `Email address has invalid format. ${otherHint}`
    return !value.includes('\n')
  }
  if (anything.has(type)) return true
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return isIp(value) || `IP address has invalid format. ${otherHint}`
    case 'hostname':
    case 'domain':
      return /^[A-Z0-9.\-_]+\.[A-Z]{2,}$/i.test(value) || `Domain name has invalid format. ${otherHint}`
    case 'email-src':
    case 'email-dst':
      return email.test(value) || `Email address has invalid format. ${otherHint}`
    case 'regkey|value':
      return /(.)+\|(.)+/.test(value) && !value.includes('\n')
    case 'vulnerability':
      return /^(CVE-)[0-9]{4}(-)[0-9]{4,6}$/.test(value) || 'Invalid format. Expected: CVE-xxxx-xxxx.'
    case 'link':
      return (
        /^(http|ftp)(s)?:\/\/((([a-z|0-9|-]{1,25})(\.)?){2,7})($|\/.*$)/i.test(value) && !value.includes('\n')
      )
    default:
      return false
  }
}

/**
 * MISP 2.3.178's Attribute rules, in their order (`MispAttribute.php@v2.3.178:211-290`): `type`
 * must belong to the category ("Options depend on the selected category."), `category` must be
 * one of 2.3's ("Options : Payload delivery, …"), `value` not empty, then its format
 * ({@link runValidation23}: its own message, or the rule's), then unique in the event;
 * `distribution` 0–3.
 */
const validateAttribute23 = (a: AttributeCandidate, isDuplicate: boolean): FieldErrors => {
  const errors: FieldErrors = {}
  // key order as real 2.3.178 answers (rec 2d: category, type, value)
  if (!isCategory(a.category))
    errors['category'] = [
      'Options : Payload delivery, Antivirus detection, Payload installation, Files dropped ...',
    ]
  if (!isType(a.type) || !isCategory(a.category) || !isValidPair(a.category, a.type))
    errors['type'] = [categoryTypeMessage]
  const value = a.value.trim()
  if (value === '') errors['value'] = ['Value cannot be empty.']
  else {
    const checked = runValidation23(a.type, value)
    if (checked !== true)
      errors['value'] = [checked === false ? `Value not in the right type/format. ${otherHint}` : checked]
    else if (isDuplicate && !a.inObject) errors['value'] = [uniqueMessage]
  }
  if (a.distribution === undefined || a.distribution < 0 || a.distribution > 3)
    errors['distribution'] = [attributeDistributionMessage23]
  return errors
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
  if (profile.era === '2.3') return validateAttribute23(a, isDuplicate)
  if (profile.has('categoryTypes25')) {
    const allowed = categoryTypes25[a.category]
    if (allowed === undefined) add('category', categoryOptionsMessage)
    if (!allowed?.includes(a.type)) add('type', categoryTypeMessage)
  } else {
    if (a.type.trim() === '') add('type', categoryTypeMessage)
    if (a.category.trim() === '') add('category', categoryTypeMessage)
  }
  if (a.distribution === undefined || a.distribution < 0 || a.distribution > 5)
    add('distribution', attributeDistributionMessage24)
  else if (a.distribution === 4 && (a.sharing_group_id === 0 || !sharingGroupExists(a.sharing_group_id)))
    add('sharing_group_id', sharingGroupRequiredMessage)
  if (a.value.trim() === '') add('value', 'valueNotEmpty')
  else {
    const formatError = valueFormatError(a.type, a.value.trim())
    if (formatError !== undefined) add('value', formatError)
    else if (isDuplicate && !a.inObject) add('value', uniqueMessage)
  }
  return errors
}
