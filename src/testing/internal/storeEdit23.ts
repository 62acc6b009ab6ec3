/**
 * MISP 2.3.178's REST edit of an event's attributes (`EventsController::edit@v2.3.178:1209-1253`),
 * as the real server behaves: each attribute of the body is looked up by uuid; an existing one
 * newer than the stored one is saved over it, an older or equal one is skipped; a new one is
 * saved with `Attribute->save()` without `create()`. Seen on a real 2.3.178 (site admin and
 * "Sync user" keys, values unique to the event): new attributes sent before any existing one is
 * saved in the edit land on one row — each overwrites the one before, the last survives — while
 * once an existing attribute has been saved, every new one after it is inserted:
 *
 * | the edit carries | stored |
 * |---|---|
 * | 3 new | the last |
 * | 2 existing (not newer), 3 new | the 2, and the last new |
 * | 2 existing (newer), 3 new | all 5 |
 * | 1 existing (newer), 5 or 50 new | all |
 * | 5 new, then 1 existing (newer) | the existing ones, and the last new |
 *
 * (The real server's `attribute_count` also counts every new save, overwritten or not; the
 * emulator's count is its rows.)
 *
 * @internal
 */

import { toInt } from './lenient.js'
import type { Attr, Ev } from './model.js'
import { asArray, isRecord, str } from './model.js'
import { buildAttribute, mergeAttribute } from './storeAttributes.js'
import type { StoreCore } from './storeCore.js'

/** Merges the edit's `Attribute` list into `ev` the way MISP 2.3.178's REST edit does. */
export function mergeAttributes23(s: StoreCore, ev: Ev, list: unknown, now: number): void {
  let savedExisting = false
  // the row the last new attribute went to, while no existing attribute has been saved
  let chain: Attr | undefined
  for (const a of asArray(list)) {
    if (!isRecord(a)) continue
    const uuid = str(a['uuid'])
    const found = uuid === undefined ? undefined : s.findAttribute(uuid)
    if (found !== undefined) {
      if (found.ev === ev && (toInt(a['timestamp']) ?? now) > found.attr.timestamp) savedExisting = true
      mergeAttribute(s, ev, a, 0, ev.attributes, now)
      continue
    }
    if (!savedExisting && chain !== undefined && a['id'] === undefined) {
      // saved over the row the previous new attribute made (its uuid too)
      const built = buildAttribute(s, ev, a, 0, now, true, chain)
      if ('ok' in built && uuid !== undefined) chain.uuid = uuid
      continue
    }
    const before = ev.attributes.length
    mergeAttribute(s, ev, a, 0, ev.attributes, now)
    if (!savedExisting && ev.attributes.length > before) chain = ev.attributes[ev.attributes.length - 1]
  }
}
