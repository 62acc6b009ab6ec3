/**
 * The sharing rules applied to what is known of an event: its tags, creator organisation and
 * published flag — from the source's index row when it tells (no event read), else from the
 * event. An exclusion is a reason naming the rule and the value (`rules.tags.NOT: tlp:red`).
 *
 * @internal
 */
import type { SyncRules } from '../SyncRules.js'

/** What is known of an event; `undefined`: not known (the rule that needs it is undecided). */
export interface EventFacts {
  /** the event-level tags (names) */
  readonly tags?: ReadonlyArray<string>
  /** the creator organisation: name and/or uuid */
  readonly org?: { readonly name?: string; readonly uuid?: string }
  readonly published?: boolean
}

/** A rule check: excluded (with the reason), included, or undecided (a fact is missing). */
export type Verdict =
  | { readonly _tag: 'Excluded'; readonly reason: string }
  | { readonly _tag: 'Included' }
  | { readonly _tag: 'Undecided' }

const included: Verdict = { _tag: 'Included' }
const undecided: Verdict = { _tag: 'Undecided' }
const excluded = (reason: string): Verdict => ({ _tag: 'Excluded', reason })

/** A tag pattern: exact (case-insensitive), or a prefix with a trailing `*`. */
const matches = (pattern: string, name: string): boolean => {
  const p = pattern.toLowerCase()
  const n = name.toLowerCase()
  return p.endsWith('*') ? n.startsWith(p.slice(0, -1)) : n === p
}

const shown = (pattern: string, name: string): string =>
  pattern.endsWith('*') ? `${name} (${pattern})` : name

/** Compiled rules: which facts they need, and the check. */
export interface RuleCheck {
  readonly rules: SyncRules
  /** the rules constrain tags (a 2.3 source's rows then need its tag map) */
  readonly needsTags: boolean
  /** attribute types that are not sent (lower-case) */
  readonly blockedTypes: ReadonlySet<string>
  readonly check: (facts: EventFacts) => Verdict
}

/** The rules, ready to check events. */
export const ruleCheck = (rules: SyncRules | undefined): RuleCheck | undefined => {
  if (rules === undefined) return undefined
  const tagOr = rules.tags?.OR ?? []
  const tagNot = rules.tags?.NOT ?? []
  const orgOr = rules.orgs?.OR ?? []
  const orgNot = rules.orgs?.NOT ?? []
  const types = rules.type_attributes?.NOT ?? []
  if (
    tagOr.length + tagNot.length + orgOr.length + orgNot.length + types.length === 0 &&
    rules.published !== true
  )
    return undefined
  const orgIs = (rule: string, org: { readonly name?: string; readonly uuid?: string }): boolean => {
    const r = rule.toLowerCase()
    return org.name?.toLowerCase() === r || org.uuid?.toLowerCase() === r
  }
  const check = (f: EventFacts): Verdict => {
    let open = false
    if (rules.published === true) {
      if (f.published === undefined) open = true
      else if (!f.published) return excluded('rules.published: the event is not published')
    }
    if (tagOr.length + tagNot.length > 0) {
      if (f.tags === undefined) open = true
      else {
        for (const p of tagNot) {
          const hit = f.tags.find((t) => matches(p, t))
          if (hit !== undefined) return excluded(`rules.tags.NOT: ${shown(p, hit)}`)
        }
        if (tagOr.length > 0 && !f.tags.some((t) => tagOr.some((p) => matches(p, t))))
          return excluded(
            `rules.tags.OR: none of ${tagOr.join(', ')} (the event has ${f.tags.length === 0 ? 'no tags' : f.tags.join(', ')})`,
          )
      }
    }
    if (orgOr.length + orgNot.length > 0) {
      const org = f.org
      if (org === undefined || (org.name === undefined && org.uuid === undefined)) open = true
      else {
        const label = org.name ?? org.uuid ?? ''
        const blocked = orgNot.find((r) => orgIs(r, org))
        if (blocked !== undefined) return excluded(`rules.orgs.NOT: ${label}`)
        if (orgOr.length > 0 && !orgOr.some((r) => orgIs(r, org)))
          return excluded(`rules.orgs.OR: ${label} is not among ${orgOr.join(', ')}`)
      }
    }
    return open ? undecided : included
  }
  return {
    rules,
    needsTags: tagOr.length + tagNot.length > 0,
    blockedTypes: new Set(types.map((t) => t.toLowerCase())),
    check,
  }
}
