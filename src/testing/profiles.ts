/**
 * Version profiles of the MISP emulator: which behaviour a given MISP release shows, as data.
 *
 * Every behaviour that changed between MISP 2.3 and 2.5 is one row of {@link behaviours}: the first
 * release that has it (`since`, inclusive), optionally the first release that no longer has it
 * (`until`, exclusive), and where that comes from. The server logic only asks
 * `profile.has('row')`; it never compares version numbers itself.
 *
 * Sources, in order of authority for the 2.5 profile: the 32 exchanges recorded from a real MISP 2.5.1
 * (`shared/fixtures/real-server/misp-2.5.1-exchanges.json`, cited as `rec#N`), then
 * `shared/docs/misp-versions.md` (cited as `§N`, which in turn cites MISP's source per tag).
 * Where the docs verify a behaviour only at one tag and do not say since when, the row uses that tag
 * and says "earliest verified": the emulator then shows the older behaviour for earlier releases.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * A MISP release the emulator can imitate. The named ones are the profiles the project tests
 * against; any `2.x.y` works, its behaviour is found by the thresholds of {@link behaviours}.
 * `'2.5'` means MISP 2.5.1, the release the real-server recording was made with.
 *
 * @category model
 * @since 0.1.0
 */
export type EmulatorVersion = '2.3.178' | '2.4.0' | '2.4.102' | '2.4.199' | '2.5' | `2.${number}.${number}`

/**
 * The profiles the project's own tests cover: the last 2.3, the first 2.4, the last release of the
 * "200 with an error body" era, late 2.4 and 2.5.1.
 *
 * @category model
 * @since 0.1.0
 */
export const profileVersions = ['2.3.178', '2.4.0', '2.4.102', '2.4.199', '2.5'] as const

/**
 * One version-dependent behaviour: present in releases `since` ≤ v < `until`.
 *
 * @category model
 * @since 0.1.0
 */
export interface Behaviour {
  readonly since: string
  readonly until?: string
  readonly source: string
}

/**
 * The behaviour table. Keys are what the server asks about; values say from (and until) which MISP
 * release, and why.
 *
 * @category model
 * @since 0.1.0
 */
export const behaviours = {
  // --- §5.1 authentication -----------------------------------------------------------------
  xMispAuthHeader: {
    since: '2.4.199',
    source:
      '§5.1: late 2.4 also reads X-MISP-AUTH (AppController.php@v2.4.199:443-465); earliest verified, the docs cite no older tag',
  },

  // --- §5.2 version ------------------------------------------------------------------------
  getVersion: {
    since: '2.3.129',
    source: '§5.2: GET /servers/getVersion since v2.3.129 (ServersController.php@v2.3.178:671)',
  },
  getVersionExtended: {
    since: '2.4.199',
    source:
      '§5.2 late shape (ServersController.php@v2.4.199:1883), rec#0; earliest verified, 2.4.0 answers {"version"} only',
  },

  // --- §2 event JSON -----------------------------------------------------------------------
  orgObjects: {
    since: '2.4.0',
    source: '§2.1/§4: org_id/orgc_id + Org/Orgc objects replace the 2.3 org/orgc strings',
  },
  sharingGroups: {
    since: '2.4.0',
    source: '§2.2/§3: sharing_group_id, SharingGroup, distribution 4 (and 5 on attributes)',
  },
  eventTags: { since: '2.4.0', source: '§2.2/§6: Event.Tag[] (absent when the event has none: §11, rec#23)' },
  fullTagRows: {
    since: '2.4.199',
    source:
      '§6 late Tag row {…,user_id,hide_tag,numerical_value,is_galaxy,…,local,relationship_type}, rec#1; earliest verified',
  },
  relatedEventObject: {
    since: '2.4.35',
    source: '§2.2: RelatedEvent items {Event:{…}} from v2.4.35, {Event:[{…}]} before',
  },
  attributeDeleted: { since: '2.4.43', source: '§2.3: attribute deleted flag since v2.4.43' },
  galaxy: { since: '2.4.56', source: '§2.2: Event.Galaxy since v2.4.56' },
  disableCorrelation: { since: '2.4.58', source: '§2.1/§2.3: disable_correlation since v2.4.58' },
  attributeTags: { since: '2.4.60', source: '§2.3/§6: Attribute.Tag[] since v2.4.60' },
  eventCreatorEmail: {
    since: '2.4.67',
    source: '§2.1: event_creator_email since v2.4.67 (site admins only)',
  },
  objects: {
    since: '2.4.80',
    source: '§2.2: Object since v2.4.80; attribute object_id/object_relation too (§2.3)',
  },
  extendsUuid: { since: '2.4.90', source: '§2.1: extends_uuid since v2.4.90' },
  attributeGalaxy: {
    since: '2.4.100',
    source: '§2.3: attribute-level Galaxy present in v2.4.10x fixtures (first tag not pinned); rec#1',
  },
  orgLocal: { since: '2.4.114', source: '§2.2: Org/Orgc gain `local` in v2.4.114' },
  seenFields: { since: '2.4.120', source: '§2.3: first_seen/last_seen since v2.4.120' },
  eventReports: { since: '2.4.133', source: '§2.2: EventReport since v2.4.133' },
  protectedEvents: { since: '2.4.156', source: '§2.1/§2.2: protected + CryptographicKey since v2.4.156' },
  relationshipInbound: {
    since: '2.4.186',
    source: '§2.2 analyst data (v2.4.186); rec#2: view RelatedEvent items carry RelationshipInbound',
  },
  attributeEmptySharingGroupRemoved: {
    since: '2.4.199',
    source: '§2.3: the late converter removes an empty attribute SharingGroup; rec#1; earliest verified',
  },
  sightingTimestamp: {
    since: '2.4.199',
    source: '§5.2 index rows carry sighting_timestamp (rec#16); earliest verified',
  },
  prettyJson: {
    since: '2.5.0',
    source:
      'rec#1 content-length: 4-space pretty JSON, unescaped slashes; only verified on 2.5.1, older releases get json_encode',
  },

  // --- §6/§12 tags and attribute deletions ------------------------------------------------
  tagIndexUnpaged: {
    since: '2.4.55',
    source:
      "§6: REST GET /tags/index drops the page limit (`unset($this->paginate['limit'])`, TagsController.php@v2.4.199:67-69; first in v2.4.55, absent in v2.4.54); before, 50 tags a page ordered by name (TagsController.php@v2.3.178:14-31)",
  },
  tagAddAnswersTag: {
    since: '2.4.88',
    source:
      '§6/§12: REST POST /tags/add answers 200 {"Tag":{…}} (TagsController.php@v2.4.199:166-174, §12; first in v2.4.88); before, a redirect to /tags/view/{id} (TagsController.php@v2.3.178:77)',
  },
  tagAddReturnsExisting: {
    since: '2.4.199',
    source:
      '§6: REST POST /tags/add with a taken name answers the existing tag (TagsController.php@v2.4.199:155-165); earliest verified — older releases fail the isUnique rule with 405 "Could not add the Tag. [name]: A similar name already exists." (Tag.php@v2.3.178:33-41)',
  },
  addTagBodyRearranged: {
    since: '2.4.102',
    source:
      '§6/§12: addTag/removeTag read the tag from {"tag"} or {"Event":{"tag"}} (RequestRearrangeTool, EventsController.php@v2.4.102:3347-3361, @v2.4.199:3816-3825); v2.4.0 and 2.3 only {"Event":{"tag"}} (EventsController.php@v2.3.178:2821); first tag not pinned',
  },
  tagTimestampBump: {
    since: '2.4.102',
    source:
      '§12: addTag/removeTag of a global tag unpublish the event and set its timestamp to now (EventsController.php@v2.4.102:3447-3451; Event::unpublishEvent@v2.4.199:6028-6053; §12 on 2.5.1); v2.4.0 and 2.3 do not touch the event (EventsController.php@v2.3.178:2817-2884); first tag not pinned',
  },
  attributeDeleteMessage: {
    since: '2.4.51',
    source:
      '§12: REST POST /attributes/delete/{id} answers 200 {"message":"Attribute deleted."} (AttributesController.php@v2.4.199:1053-1057, §12; first in v2.4.51); 2.4.43–2.4.50 redirect to /events/view/{eventId}; 2.3 (and 2.4 before soft deletes) redirect to <baseurl>/attributes, the router URL of the index action (AttributesController.php@v2.3.178:867-869; real 2.3.178)',
  },

  exportableTagsOnly: {
    since: '2.5.0',
    source:
      'real 2.5.1: a tag with exportable false (kept by tags/add) is left out of REST views and restSearch (Event::fetchEvent without includeAllTags, Event.php@v2.5.1:2095-2140, __getCachedTag :7336-7345) and of index rows (EventsController.php@v2.5.1:855-880), even for a site admin; the release that started is not pinned',
  },
  categoryTypes25: {
    since: '2.5.0',
    source:
      'real 2.5.1: an attribute whose category is not one of 2.5.1\'s, or whose type that category does not allow, is refused ("Options depend on the selected category."; MispAttribute.php@v2.5.1:765-805) and dropped silently (rec#26); the table is 2.5.1\'s describeTypes; older 2.4 type lists are not tabulated',
  },
  emptyAddRefused: {
    since: '2.5.0',
    source:
      'real 2.5.1: a REST POST /events/add whose body is empty or {} answers 405 "No valid event data received." (EventsController.php@v2.5.1:2117-2121, add); the release that added it is not pinned',
  },

  // --- §5.2 view / HEAD --------------------------------------------------------------------
  invalidEventNoDot: {
    since: '2.5.0',
    source: 'rec#12: 2.5.1 answers "Invalid event" (§5.2 cites "Invalid event." for older code)',
  },
  explicitHead: {
    since: '2.4.135',
    source: '§5.2: HEAD /events/view/{id|uuid} → bare 200/404 since v2.4.135 (rec#10, rec#11)',
  },

  // --- §5.2/§5.3 create --------------------------------------------------------------------
  bareEventBody: {
    since: '2.4.199',
    source:
      '§5.2: late 2.4 accepts an unwrapped event (EventsController.php@v2.4.199:2130); earliest verified',
  },
  orgcStrippedForNonSync: {
    since: '2.4.49',
    source: '§4: non-sync REST users get Orgc/orgc stripped since v2.4.49',
  },
  captureOrgNameFallback: {
    since: '2.4.0',
    until: '2.4.199',
    source: '§4: 2.4.0 captureOrg falls back from uuid to name; late (v2.4.199) does not',
  },
  saveFailResponse: {
    since: '2.4.103',
    source: '§5.3/§5.5: saveFailResponse ⇒ 403 "Could not add/edit Event" since v2.4.103',
  },
  saveFailSavedFlag: {
    since: '2.4.120',
    source: '§5.3/§5.5: "saved": false added in v2.4.120 (rec#6, rec#24)',
  },
  saveFailId: { since: '2.4.159', source: '§5.5: "id" added to the edit failure in v2.4.159 (rec#6)' },
  attributeErrorsListed: {
    since: '2.3.0',
    until: '2.5.0',
    source:
      '§5.3/§7: dropped attributes listed under top-level "errors"; §11/rec#26: 2.5.1 drops them silently',
  },

  // --- §5.5 edit ---------------------------------------------------------------------------
  editByUuid: { since: '2.4.60', source: '§5.2/§5.5: edit URL accepts a UUID since v2.4.60' },
  editUrlIdFallback: {
    since: '2.4.199',
    source:
      '§5.5 rule 1: the event is located by the body uuid, with a fallback to the URL id "in late 2.4" (Event::_edit@v2.4.199:4081-4087); earliest verified — older releases answer a body without uuid with "Could not find the local event."',
  },
  editKeepsForeignAttributeId: {
    since: '2.3.0',
    until: '2.4.0',
    source:
      '§7: 2.3 edit keeps a foreign attribute id when the uuid is unknown and overwrites the local attribute with that id (EventsController.php@v2.3.178:1220-1262); 2.4.0 unsets ids for this reason (Event.php@v2.4.0:858-863)',
  },
  editFail405: {
    since: '2.3.0',
    until: '2.4.0',
    source: '§5.5: 2.3 not-newer ⇒ 405 MethodNotAllowedException (EventsController.php@v2.3.178:1203)',
  },
  editFail200: {
    since: '2.4.0',
    until: '2.4.103',
    source:
      '§5.5: v2.4.0–v2.4.102 ⇒ 200 {"name":"Edit event failed.","message":"Error",…} (EventsController.php@v2.4.0:1054-1068)',
  },
  unpublishOnEdit: {
    since: '2.4.0',
    source:
      '§5.5 rule 4 recovers only analysis/threat_level_id/info/distribution/date; Event::_edit (2.4) saves an omitted `published` as false',
  },

  // --- §5.2 index --------------------------------------------------------------------------
  indexTimestampFilter: {
    since: '2.4.54',
    source: '§5.2: index filters timestamp/publishtimestamp since v2.4.54',
  },
  indexMinimal: {
    since: '2.4.72',
    source:
      '§5.2: minimal since v2.4.72; rows {id,timestamp,sighting_timestamp,published,uuid,orgc_uuid} per rec#19 (§11)',
  },
  indexPublishTimestampFilter: {
    since: '2.4.73',
    source: '§5.2: publish_timestamp index filter since v2.4.73',
  },
  indexDateFilter: { since: '2.4.97', source: '§5.2: lower-case datefrom/dateuntil since v2.4.97' },
  indexNamedParams: {
    since: '2.3.0',
    until: '2.5.0',
    source: '§5.2 named parameters; §11/rec#17: 2.5.1 does not apply GET /events/index/timestamp:X',
  },

  // --- §5.2 restSearch ---------------------------------------------------------------------
  restSearchMetadata: { since: '2.4.52', source: '§5.2: restSearch metadata since v2.4.52' },
  restSearchUuid: { since: '2.4.55', source: '§5.2: restSearch uuid since v2.4.55' },
  restSearchTimestamp: {
    since: '2.4.56',
    source: '§5.2: restSearch published/publish_timestamp/timestamp since v2.4.56',
  },
  restSearchEmptyResponse: {
    since: '2.4.199',
    source:
      '§5.2 says 404 "No matches." (2.3, "same shape" in 2.4); late RestSearch answers {"response":[]} (PyMISP); earliest verified',
  },
} as const satisfies Record<string, Behaviour>

/**
 * The name of one row of {@link behaviours}.
 *
 * @category model
 * @since 0.1.0
 */
export type BehaviourName = keyof typeof behaviours

/**
 * A parsed `major.minor.patch` MISP version.
 *
 * @category model
 * @since 0.1.0
 */
export interface VersionTriple {
  readonly major: number
  readonly minor: number
  readonly patch: number
}

/**
 * The resolved behaviour of one MISP release.
 *
 * @category model
 * @since 0.1.0
 */
export interface Profile {
  /** The release as `getVersion` reports it, e.g. `'2.5.1'`. */
  readonly version: string
  readonly triple: VersionTriple
  /** `'2.3'` or `'2.4'` (2.5 speaks the 2.4 wire format). */
  readonly era: '2.3' | '2.4'
  /** Whether this release has the behaviour (its row in {@link behaviours}). */
  readonly has: (behaviour: BehaviourName) => boolean
}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/**
 * Parses `'2.4.199'` (or the alias `'2.5'` = 2.5.1). Throws a `RangeError` on anything else: the
 * emulator only imitates MISP 2.x.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseVersion = (version: string): VersionTriple => {
  if (version === '2.5') return { major: 2, minor: 5, patch: 1 }
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)
  if (m === null || m[1] !== '2')
    throw new RangeError(`misp-bridge/testing: unsupported MISP version '${version}'`)
  const minor = Number(m[2])
  const patch = Number(m[3])
  if (minor < 3 || minor > 5)
    throw new RangeError(`misp-bridge/testing: unsupported MISP version '${version}'`)
  return { major: 2, minor, patch }
}

/**
 * Compares two versions: negative when `a` is older than `b`.
 *
 * @category utils
 * @since 0.1.0
 */
export const compareVersions = (a: VersionTriple, b: VersionTriple): number =>
  a.major - b.major || a.minor - b.minor || a.patch - b.patch

/**
 * Resolves the behaviour of a release from {@link behaviours}.
 *
 * @example
 * import { resolveProfile } from 'misp-bridge/testing'
 * resolveProfile('2.4.102').has('editFail200') // true
 *
 * @category constructors
 * @since 0.1.0
 */
export const resolveProfile = (version: EmulatorVersion): Profile => {
  const triple = parseVersion(version)
  const cache = new Map<BehaviourName, boolean>()
  const has = (name: BehaviourName): boolean => {
    const hit = cache.get(name)
    if (hit !== undefined) return hit
    const row: Behaviour = behaviours[name]
    const on =
      compareVersions(triple, parseVersion(row.since)) >= 0 &&
      (row.until === undefined || compareVersions(triple, parseVersion(row.until)) < 0)
    cache.set(name, on)
    return on
  }
  return {
    version: `${triple.major}.${triple.minor}.${triple.patch}`,
    triple,
    era: triple.minor === 3 ? '2.3' : '2.4',
    has,
  }
}
