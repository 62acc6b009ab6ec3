/**
 * Which MISP format an event is in, told from its shape: what only 2.3 writes (the creator and
 * owner organisations as name strings `orgc`, `org`) against what only 2.4/2.5 writes (`Orgc` and
 * `Org` objects, their ids, sharing groups, distribution 4 or 5, tags, objects, galaxies, event
 * reports and the fields later 2.4 releases added) — `JSONConverterTool.php@v2.3.178:44`, `Event.php@v2.4.199:1997`.
 *
 * @internal
 */

/** The verdict and the fields that decided it (`'2.3'`/`'2.4'`), or why there is none. */
export interface Detected {
  /** `undefined`: no evidence either way, or evidence for both */
  readonly version: '2.3' | '2.4' | undefined
  readonly evidence23: ReadonlyArray<string>
  readonly evidence24: ReadonlyArray<string>
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const nonEmptyString = (u: unknown): boolean => typeof u === 'string' && u.trim() !== ''

/** Event keys that exist only in MISP 2.4/2.5 (nested objects, then scalar fields). */
const EVENT_ONLY_24: ReadonlyArray<string> = [
  'SharingGroup',
  'Tag',
  'Object',
  'Galaxy',
  'EventReport',
  'CryptographicKey',
  'orgc_id',
  'org_id',
  'sharing_group_id',
  'extends_uuid',
  'disable_correlation',
  'protected',
  'event_creator_email',
]

/** Attribute keys that exist only in MISP 2.4/2.5. */
const ATTRIBUTE_ONLY_24: ReadonlyArray<string> = [
  'sharing_group_id',
  'object_id',
  'object_relation',
  'first_seen',
  'last_seen',
  'deleted',
  'disable_correlation',
  'Tag',
  'Sighting',
  'Galaxy',
]

/** Looks at a bare event (no envelope) and names the evidence for each version. */
export const detectVersion = (event: Record<string, unknown>): Detected => {
  const e23: Array<string> = []
  const e24: Array<string> = []
  for (const org of ['orgc', 'org']) if (nonEmptyString(event[org])) e23.push(`${org} string`)
  for (const org of ['Orgc', 'Org']) if (isRecord(event[org])) e24.push(`${org} object`)
  if (String(event['distribution']) === '4') e24.push('distribution 4')
  for (const key of EVENT_ONLY_24) if (key in event && event[key] !== undefined) e24.push(key)
  const attributes = Array.isArray(event['Attribute']) ? event['Attribute'] : []
  const seen = new Set<string>()
  for (const a of attributes) {
    if (!isRecord(a)) continue
    const d = String(a['distribution'])
    if ((d === '4' || d === '5') && !seen.has(`distribution ${d}`)) seen.add(`distribution ${d}`)
    for (const key of ATTRIBUTE_ONLY_24) if (key in a && a[key] !== undefined) seen.add(key)
  }
  for (const key of seen) e24.push(`Attribute ${key}`)
  const version =
    e24.length > 0 && e23.length === 0 ? '2.4' : e23.length > 0 && e24.length === 0 ? '2.3' : undefined
  return { version, evidence23: e23, evidence24: e24 }
}

/** The first few pieces of evidence, for a message: `Orgc object, sharing_group_id, Tag, …`. */
export const evidenceText = (evidence: ReadonlyArray<string>, max = 4): string =>
  evidence.length <= max ? evidence.join(', ') : `${evidence.slice(0, max).join(', ')}, …`
