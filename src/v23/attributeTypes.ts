/**
 * The attribute types and categories a MISP 2.3 server accepts, and which (category, type) pairs
 * its validation lets through.
 *
 * Source: `$categoryDefinitions` and `$typeDefinitions` of `app/Model/Attribute.php` in MISP 2.3
 * (41 types, 12 categories; `validateTypeValue`, `Attribute.php@v2.3.178:536-542`). A 2.3 server
 * drops an attribute whose pair is not listed here ("Attribute dropped due to validation").
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * Category → the attribute types MISP 2.3 allows in it. Frozen data, the single source for the
 * downgrade's type filter, the emulator's 2.3 validation and `docs/mapping.md`.
 *
 * @category model
 * @since 0.1.0
 */
export const categoryTypes = {
  'Internal reference': ['link', 'comment', 'text', 'other'],
  'Targeting data': [
    'target-user',
    'target-email',
    'target-machine',
    'target-org',
    'target-location',
    'target-external',
    'comment',
  ],
  'Antivirus detection': ['link', 'comment', 'text', 'attachment', 'other'],
  'Payload delivery': [
    'md5',
    'sha1',
    'sha256',
    'filename',
    'filename|md5',
    'filename|sha1',
    'filename|sha256',
    'ip-src',
    'ip-dst',
    'hostname',
    'domain',
    'email-src',
    'email-dst',
    'email-subject',
    'email-attachment',
    'url',
    'user-agent',
    'AS',
    'pattern-in-file',
    'pattern-in-traffic',
    'yara',
    'attachment',
    'malware-sample',
    'link',
    'comment',
    'text',
    'vulnerability',
    'other',
  ],
  'Artifacts dropped': [
    'md5',
    'sha1',
    'sha256',
    'filename',
    'filename|md5',
    'filename|sha1',
    'filename|sha256',
    'regkey',
    'regkey|value',
    'pattern-in-file',
    'pattern-in-memory',
    'yara',
    'attachment',
    'malware-sample',
    'comment',
    'text',
    'other',
    'named pipe',
    'mutex',
  ],
  'Payload installation': [
    'md5',
    'sha1',
    'sha256',
    'filename',
    'filename|md5',
    'filename|sha1',
    'filename|sha256',
    'pattern-in-file',
    'pattern-in-traffic',
    'pattern-in-memory',
    'yara',
    'vulnerability',
    'attachment',
    'malware-sample',
    'comment',
    'text',
    'other',
  ],
  'Persistence mechanism': ['filename', 'regkey', 'regkey|value', 'comment', 'text', 'other'],
  'Network activity': [
    'ip-src',
    'ip-dst',
    'hostname',
    'domain',
    'email-dst',
    'url',
    'user-agent',
    'http-method',
    'AS',
    'snort',
    'pattern-in-file',
    'pattern-in-traffic',
    'attachment',
    'comment',
    'text',
    'other',
  ],
  'Payload type': ['comment', 'text', 'other'],
  Attribution: ['comment', 'text', 'other'],
  'External analysis': [
    'md5',
    'sha1',
    'sha256',
    'filename',
    'filename|md5',
    'filename|sha1',
    'filename|sha256',
    'ip-src',
    'ip-dst',
    'hostname',
    'domain',
    'url',
    'user-agent',
    'regkey',
    'regkey|value',
    'AS',
    'snort',
    'pattern-in-file',
    'pattern-in-traffic',
    'pattern-in-memory',
    'vulnerability',
    'attachment',
    'malware-sample',
    'link',
    'comment',
    'text',
    'other',
  ],
  Other: ['comment', 'text', 'other'],
} as const satisfies Record<string, ReadonlyArray<string>>

/**
 * A category MISP 2.3 knows.
 *
 * @category model
 * @since 0.1.0
 */
export type Category = keyof typeof categoryTypes

/**
 * An attribute type MISP 2.3 knows.
 *
 * @category model
 * @since 0.1.0
 */
export type AttributeType = (typeof categoryTypes)[Category][number]

/**
 * The 41 attribute types of MISP 2.3, in MISP's own order (`$typeDefinitions`).
 *
 * @category model
 * @since 0.1.0
 */
export const attributeTypes: ReadonlyArray<AttributeType> = [
  'md5',
  'sha1',
  'sha256',
  'filename',
  'filename|md5',
  'filename|sha1',
  'filename|sha256',
  'ip-src',
  'ip-dst',
  'hostname',
  'domain',
  'email-src',
  'email-dst',
  'email-subject',
  'email-attachment',
  'url',
  'http-method',
  'user-agent',
  'regkey',
  'regkey|value',
  'AS',
  'snort',
  'pattern-in-file',
  'pattern-in-traffic',
  'pattern-in-memory',
  'yara',
  'vulnerability',
  'attachment',
  'malware-sample',
  'link',
  'comment',
  'text',
  'other',
  'named pipe',
  'mutex',
  'target-user',
  'target-email',
  'target-machine',
  'target-org',
  'target-location',
  'target-external',
]

/**
 * The 12 categories of MISP 2.3.
 *
 * @category model
 * @since 0.1.0
 */
export const categories: ReadonlyArray<Category> = Object.keys(categoryTypes) as Array<Category>

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

const typeSet: ReadonlySet<string> = new Set(attributeTypes)
const typesByCategory: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  categories.map((c) => [c, new Set<string>(categoryTypes[c])]),
)

/**
 * Whether MISP 2.3 knows this attribute type at all.
 *
 * @category utils
 * @since 0.1.0
 */
export const isType = (type: string): type is AttributeType => typeSet.has(type)

/**
 * Whether MISP 2.3 knows this category at all.
 *
 * @category utils
 * @since 0.1.0
 */
export const isCategory = (category: string): category is Category => Object.hasOwn(categoryTypes, category)

/**
 * Whether MISP 2.3's validation accepts this (category, type) pair.
 *
 * @example
 * isValidPair('Network activity', 'ip-src') // true
 * isValidPair('Attribution', 'ip-src')      // false: 2.3 would drop the attribute
 *
 * @category utils
 * @since 0.1.0
 */
export const isValidPair = (category: string, type: string): boolean =>
  typesByCategory.get(category)?.has(type) === true
