/**
 * 2.3 → 2.4: `upgrade(event)` turns a MISP 2.3 event into a body a MISP 2.4/2.5 server accepts
 * (`Event.php@v2.4.199:3462-3471`, docs/mapping.md), reporting everything it drops or changes.
 *
 * @since 0.1.0
 */
import type * as V23 from '../v23/index.js'
import type * as V24 from '../v24/index.js'
import type { ConvertOptions } from './ConvertOptions.js'
import { attributeToV24, eventToV24 } from './fieldFates.js'
import { applyFates } from './internal/applyFates.js'
import { lock, type Run, setDistribution, shiftTimestamp, startRun } from './internal/common.js'
import type { Lossy } from './Lossy.js'

const attribute = (run: Run, a: V23.Attribute, path: string, out: Array<V24.Attribute>): void => {
  const level = run.table.upgrade.attribute[a.distribution]
  if (level === 'drop') {
    run.losses.push({
      _tag: 'AttributeDropped',
      path,
      reason: 'distribution-policy',
      uuid: a.uuid,
      type: a.type,
      category: a.category,
      value: a.value,
    })
    return
  }
  const target: Record<string, unknown> = {}
  applyFates(a, attributeToV24, path, target, run.losses)
  setDistribution(run, target, path, a.distribution, level)
  shiftTimestamp(run, target, path)
  out.push(target as V24.Attribute)
}

/**
 * Converts a 2.3 event into a 2.4 event. Total: for every event `V23.Event` accepts it returns an
 * event `V24.Event` accepts, and never throws. Never widens sharing.
 *
 * `orgc` becomes `Orgc: {name}` (2.4 finds or creates the organisation by name); the owner `org`,
 * ids, counters and correlations are left out, not reported (the target assigns or recomputes its
 * own), and so are empty lists; distribution follows
 * the policy; the copy is `locked`. Every drop and change is a {@link Loss} in the result.
 *
 * @example
 * import { upgrade } from 'misp-bridge'
 * const { value, losses } = upgrade(event23, { distribution: 'preserve' })
 *
 * @category conversions
 * @since 0.1.0
 */
export const upgrade = (event: V23.Event, options?: ConvertOptions): Lossy<V24.Event> => {
  const run = startRun(options)
  const out: Record<string, unknown> = {}
  applyFates(event, eventToV24, 'Event', out, run.losses)
  shiftTimestamp(run, out, 'Event')
  if (event.orgc !== undefined && event.orgc !== '') out['Orgc'] = { name: event.orgc }
  setDistribution(run, out, 'Event', event.distribution, run.table.upgrade.event[event.distribution ?? '0'])
  lock(run, out, 'Event', event.locked)
  if (event.Attribute !== undefined) {
    const attributes: Array<V24.Attribute> = []
    for (let i = 0; i < event.Attribute.length; i++)
      attribute(run, event.Attribute[i]!, `Event.Attribute[${i}]`, attributes)
    out['Attribute'] = attributes
  }
  return { value: out as V24.Event, losses: run.losses }
}
