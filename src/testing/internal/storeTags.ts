/**
 * Tags (§6) of the emulator's store: the `tags` table, event and attribute tag links.
 *
 * @internal
 */
import type { Raw, Tag, TagLink } from './model.js'
import { asArray, isRecord, str } from './model.js'
import type { Store } from './store.js'
import { toBool } from './validate.js'

const tagColours = ['#fa4c22', '#15a7b8', '#0088cc', '#e2b93b', '#a94442', '#3c763d', '#7c4dff', '#ff6f00']

export function captureTag(s: Store, name: string): Tag {
  const found = s.tags.find((t) => t.name === name)
  if (found !== undefined) return found
  const id = s.next('tag')
  const tag: Tag = {
    id,
    name,
    colour: tagColours[(id - 1) % tagColours.length] ?? '#0088cc',
    exportable: true,
    is_galaxy: name.startsWith('misp-galaxy:'),
  }
  s.tags.push(tag)
  return tag
}

export function tagLinks(s: Store, raw: Raw, kind: 'eventTag' | 'attributeTag'): Array<TagLink> {
  const out: Array<TagLink> = []
  const entries = [
    ...asArray(raw['Tag']),
    ...asArray(raw['EventTag']).map((et) => (isRecord(et) ? et['Tag'] : et)),
  ]
  for (const t of entries) {
    const name = isRecord(t) ? str(t['name']) : str(t)
    if (name === undefined || name === '') continue
    const tag = captureTag(s, name)
    if (out.some((l) => l.tagId === tag.id)) continue
    out.push({
      id: s.next(kind),
      tagId: tag.id,
      local: isRecord(t) ? (toBool(t['local']) ?? false) : false,
    })
  }
  return out
}
