/**
 * 2.4 → 2.3: `downgrade(event)` turns a MISP 2.4/2.5 event into a body a MISP 2.3 server accepts
 * (`Event.php@v2.4.0:74-75`, `Event.php@v2.4.199:3462-3471`, `Attribute.php@v2.3.178:101-145`, docs/mapping.md), reporting everything it drops or changes.
 *
 * @since 0.1.0
 */
import { isEmptyArray } from '../codecs/wire.js'
import { isCategory, isType, isValidPair } from '../v23/attributeTypes.js'
import type * as V23 from '../v23/index.js'
import type * as V24 from '../v24/index.js'
import type { ConvertOptions } from './ConvertOptions.js'
import { narrower, type ResolvedLevel } from './DistributionPolicy.js'
import { attributeToV23, eventToV23, objectToV23, orgToV23 } from './fieldFates.js'
import { applyFates } from './internal/applyFates.js'
import { lock, type Run, setDistribution, shiftTimestamp, startRun } from './internal/common.js'
import { SeenValues } from './internal/SeenValues.js'
import type { AttributeDropReason } from './Loss.js'
import type { Lossy } from './Lossy.js'

// ---------------------------------------------------------------------------------------------
// internals
// ---------------------------------------------------------------------------------------------

interface Downgrade extends Run {
  readonly attributes: Array<V23.Attribute>
  /** (type, category, value) already in the output (2.3 `valueIsUnique`) */
  readonly seen: SeenValues
}

/** Why 2.3 would refuse this attribute, if it would (`Attribute.php@v2.3.178:101-145`). */
const refusal = (a: V24.Attribute): AttributeDropReason | undefined => {
  if (a.deleted === true) return 'deleted'
  if (!isType(a.type)) return 'type-not-in-2.3'
  if (!isCategory(a.category)) return 'category-not-in-2.3'
  if (!isValidPair(a.category, a.type)) return 'category-type-pair-not-in-2.3'
  return undefined
}

const dropAttribute = (run: Run, a: V24.Attribute, path: string, reason: AttributeDropReason): undefined => {
  run.losses.push({
    _tag: 'AttributeDropped',
    path,
    reason,
    uuid: a.uuid,
    type: a.type,
    category: a.category,
    value: a.value,
  })
  return undefined
}

/**
 * Converts one attribute; returns its index in the output, or `undefined` when it was dropped.
 * `inherit` is the level "5"/missing resolves to; `restrict` caps the result (an object's level
 * for its attributes).
 */
const attribute = (
  run: Downgrade,
  a: V24.Attribute,
  path: string,
  inherit: ResolvedLevel,
  restrict: ResolvedLevel | undefined,
): number | undefined => {
  const refused = refusal(a)
  if (refused !== undefined) return dropAttribute(run, a, path, refused)
  const own = a.distribution === undefined || a.distribution === '5' ? inherit : a.distribution
  const resolved = restrict === undefined ? own : narrower(own, restrict)
  const level = run.table.downgrade.attribute[resolved]
  if (level === 'drop') return dropAttribute(run, a, path, 'distribution-policy')
  if (!run.seen.add(a)) return dropAttribute(run, a, path, 'duplicate-in-2.3')

  const out: Record<string, unknown> = {}
  applyFates(a, attributeToV23, path, out, run.losses)
  setDistribution(run, out, path, a.distribution, level)
  shiftTimestamp(run, out, path)
  return run.attributes.push(out as V23.Attribute) - 1
}

const object = (run: Downgrade, o: V24.Object, path: string, eventLevel: ResolvedLevel): void => {
  if (o.deleted === true) {
    run.losses.push({ _tag: 'ObjectDropped', path, reason: 'deleted', uuid: o.uuid, name: o.name })
    return
  }
  applyFates(o, objectToV23, path, {}, run.losses)
  const level: ResolvedLevel =
    o.distribution === undefined || o.distribution === '5' ? eventLevel : o.distribution
  const moved: Array<{ from: string; to: string }> = []
  const attributes = o.Attribute ?? []
  for (let j = 0; j < attributes.length; j++) {
    const from = `${path}.Attribute[${j}]`
    const to = attribute(run, attributes[j]!, from, level, level)
    if (to !== undefined) moved.push({ from, to: `Event.Attribute[${to}]` })
  }
  run.losses.push({ _tag: 'ObjectFlattened', path, uuid: o.uuid, name: o.name, moved })
}

/**
 * `Orgc.name` (or, without one, the legacy `orgc` string) → `orgc`. The rest of `Orgc` goes
 * through its table (an `Orgc` of `[]` or `{}` carries nothing); a legacy `orgc` that disagrees
 * with `Orgc.name` is reported.
 */
const creator = (run: Run, e: V24.Event, out: Record<string, unknown>): void => {
  const orgc = e.Orgc
  let name: string | undefined
  if (orgc !== undefined && !isEmptyArray(orgc)) {
    applyFates(orgc, orgToV23, 'Event.Orgc', {}, run.losses)
    if (orgc.name !== undefined && orgc.name !== '') name = orgc.name
  }
  if (e.orgc !== undefined && e.orgc !== '') {
    if (name === undefined) name = e.orgc
    else if (e.orgc !== name)
      run.losses.push({
        _tag: 'FieldsDropped',
        path: 'Event',
        reason: 'instance-local',
        fields: { orgc: e.orgc },
      })
  }
  if (name !== undefined) out['orgc'] = name
}

// ---------------------------------------------------------------------------------------------
// conversions
// ---------------------------------------------------------------------------------------------

/**
 * Converts a 2.4 event into a 2.3 event. Total: for every event `V24.Event` accepts it returns an
 * event `V23.Event` accepts, and never throws. Never widens sharing.
 *
 * What happens, field by field, is in `fieldFates.ts` (and `docs/mapping.md`): `Orgc.name`
 * becomes `orgc`; sharing groups, tags, galaxies, reports and sightings are dropped (reported
 * when they hold anything); ids, counters and correlations are left to the target; objects are flattened into attributes; attributes that 2.3 would refuse (unknown type,
 * category/type pair, duplicates, deleted) are dropped; distribution follows the policy; the copy
 * is `locked`. Every drop and change is a {@link Loss} in the result.
 *
 * @example
 * import { downgrade, formatLoss } from 'misp-bridge'
 * const { value, losses } = downgrade(event24, { distribution: 'preserve' })
 * losses.map(formatLoss)
 *
 * @category conversions
 * @since 0.1.0
 */
export const downgrade = (event: V24.Event, options?: ConvertOptions): Lossy<V23.Event> => {
  const run: Downgrade = { ...startRun(options), attributes: [], seen: new SeenValues() }
  const out: Record<string, unknown> = {}
  applyFates(event, eventToV23, 'Event', out, run.losses)
  shiftTimestamp(run, out, 'Event')
  creator(run, event, out)
  const eventLevel: ResolvedLevel = event.distribution ?? '0'
  setDistribution(run, out, 'Event', event.distribution, run.table.downgrade.event[eventLevel])
  lock(run, out, 'Event', event.locked)

  const attributes = event.Attribute ?? []
  for (let i = 0; i < attributes.length; i++)
    attribute(run, attributes[i]!, `Event.Attribute[${i}]`, eventLevel, undefined)
  const objects = event.Object ?? []
  for (let i = 0; i < objects.length; i++) object(run, objects[i]!, `Event.Object[${i}]`, eventLevel)
  if (event.Attribute !== undefined || run.attributes.length > 0) out['Attribute'] = run.attributes

  return { value: out as V23.Event, losses: run.losses }
}
