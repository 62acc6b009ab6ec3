/**
 * Organisations (`Event.php@v2.4.199:3462-3471` `captureOrg`) and sharing groups (`Event.php@v2.4.0:74-75`) of the emulator's store.
 *
 * @internal
 */

import { toBool } from './lenient.js'
import type { Org, Raw, SharingGroup, SharingGroupOrg } from './model.js'
import { asArray, isRecord, str } from './model.js'
import type { StoreCore } from './storeCore.js'

// --- organisations (`Event.php@v2.4.199:3462-3471`) ----------------------------------------------------------------------

/**
 * `Organisation::captureOrg`: by uuid (2.4.0 then falls back to the name, late does not), else by
 * name; creates a non-local organisation when none is found (late: `name_<rand>` if the name is
 * taken by an org with another uuid).
 */
export function captureOrg(
  s: StoreCore,
  input: { name?: string | undefined; uuid?: string | undefined },
  nameFallback: boolean,
): Org {
  const byName = (n: string): Org | undefined => s.orgs.find((o) => o.name.toLowerCase() === n.toLowerCase())
  if (input.uuid !== undefined && input.uuid !== '') {
    const found = s.orgs.find((o) => o.uuid.toLowerCase() === input.uuid?.toLowerCase())
    if (found !== undefined) return found
    if (input.name !== undefined && nameFallback) {
      const named = byName(input.name)
      if (named !== undefined) return named
    }
    let name = input.name ?? input.uuid
    if (byName(name) !== undefined) name = `${name}_${Math.floor(Math.random() * 1000)}`
    return addOrg(s, name, input.uuid)
  }
  const name = input.name ?? ''
  return byName(name) ?? addOrg(s, name, s.newUuid())
}

export function addOrg(s: StoreCore, name: string, uuid: string): Org {
  const org: Org = { id: s.next('org'), name, uuid, local: false }
  s.orgs.push(org)
  return org
}

export function orgFrom(
  s: StoreCore,
  rawObj: unknown,
  rawString: unknown,
  nameFallback: boolean,
): Org | undefined {
  if (isRecord(rawObj)) {
    const name = str(rawObj['name'])
    const uuid = str(rawObj['uuid'])
    if ((name !== undefined && name !== '') || (uuid !== undefined && uuid !== ''))
      return captureOrg(s, { name, uuid }, nameFallback)
  }
  const name = str(rawString)
  return name !== undefined && name !== '' ? captureOrg(s, { name }, true) : undefined
}

// --- sharing groups --------------------------------------------------------------------------

/** `POST /sharing_groups/add` (rec#28): the group, owned by the user's org, with this instance as its server. */
export function addSharingGroup(s: StoreCore, raw: Raw): SharingGroup {
  const sgRaw = isRecord(raw['SharingGroup']) ? raw['SharingGroup'] : raw
  const now = new Date(s.clock() * 1000).toISOString().replace('T', ' ').slice(0, 19)
  const servers = asArray(raw['Server'])
  const localServer = servers.find(
    (s) => isRecord(s) && (s['url'] === '<local>' || s['id'] === 0 || s['id'] === '0'),
  )
  const sg: SharingGroup = {
    id: s.next('sharingGroup'),
    uuid: str(sgRaw['uuid']) ?? s.newUuid(),
    name: str(sgRaw['name']) ?? '',
    releasability: str(sgRaw['releasability']) ?? '',
    description: str(sgRaw['description']) ?? '',
    org_id: s.user.orgId,
    sync_user_id: s.user.id,
    active: toBool(sgRaw['active']) ?? true,
    created: now,
    modified: now,
    // rec#28: a REST-created group came back `local: false` although `local: true` was sent.
    local: false,
    roaming: toBool(sgRaw['roaming']) ?? false,
    // rec#28: the `Organisation` list of the request did not become SharingGroupOrg rows.
    orgs: [],
    servers: [
      {
        id: s.next('sgServer'),
        server_id: 0,
        all_orgs: isRecord(localServer) ? (toBool(localServer['all_orgs']) ?? false) : false,
      },
    ],
  }
  s.sharingGroups.push(sg)
  return sg
}

/** A full `SharingGroup` object of a pushed/seeded event (sync users, `captureSG`): found by uuid, else created. */
export function captureSharingGroup(s: StoreCore, raw: unknown): SharingGroup | undefined {
  if (!isRecord(raw)) return undefined
  const uuid = str(raw['uuid'])
  const found =
    uuid !== undefined
      ? s.sharingGroups.find((s) => s.uuid === uuid)
      : s.sharingGroups.find((s) => s.name === str(raw['name']))
  if (found !== undefined) return found
  if (str(raw['name']) === undefined) return undefined
  const owner = orgFrom(s, raw['Organisation'], undefined, true)
  const orgs: Array<SharingGroupOrg> = []
  for (const so of asArray(raw['SharingGroupOrg'])) {
    if (!isRecord(so)) continue
    const org = orgFrom(s, so['Organisation'], undefined, true)
    if (org !== undefined)
      orgs.push({ id: s.next('sgOrg'), org_id: org.id, extend: toBool(so['extend']) ?? false })
  }
  const stamp = new Date(s.clock() * 1000).toISOString().replace('T', ' ').slice(0, 19)
  const sg: SharingGroup = {
    id: s.next('sharingGroup'),
    uuid: uuid ?? s.newUuid(),
    name: str(raw['name']) ?? '',
    releasability: str(raw['releasability']) ?? '',
    description: str(raw['description']) ?? '',
    org_id: owner?.id ?? s.user.orgId,
    sync_user_id: s.user.id,
    active: toBool(raw['active']) ?? true,
    created: str(raw['created']) ?? stamp,
    modified: str(raw['modified']) ?? stamp,
    local: false,
    roaming: toBool(raw['roaming']) ?? false,
    orgs,
    servers: [{ id: s.next('sgServer'), server_id: 0, all_orgs: false }],
  }
  s.sharingGroups.push(sg)
  return sg
}
