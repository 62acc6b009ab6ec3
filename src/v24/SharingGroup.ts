/**
 * A MISP 2.4 sharing group (`Event.php@v2.4.0:1130-1145`): present on events (and attributes) with
 * distribution 4. Sync users and site admins get the full group with its member organisations
 * (`SharingGroupOrg[]`) and servers (`SharingGroupServer[]`, `server_id "0"` = this instance);
 * others get `{id, name, releasability, description}`.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import {
  Flag,
  NumericString,
  nullable,
  OpenRecord,
  orEmpty,
  Str,
  Uuid,
  wireArray,
  wireStruct,
} from '../codecs/wire.js'
import { Org } from './Org.js'

/**
 * A member organisation of a sharing group.
 *
 * @category model
 * @since 0.1.0
 */
export const SharingGroupOrg = wireStruct(
  'V24.SharingGroupOrg',
  {},
  {
    id: NumericString,
    sharing_group_id: NumericString,
    org_id: NumericString,
    extend: Flag,
    Organisation: orEmpty(Org),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type SharingGroupOrg = t.TypeOf<typeof SharingGroupOrg>

/**
 * A member server of a sharing group (`server_id "0"` is the local instance).
 *
 * @category model
 * @since 0.1.0
 */
export const SharingGroupServer = wireStruct(
  'V24.SharingGroupServer',
  {},
  {
    id: NumericString,
    sharing_group_id: NumericString,
    server_id: NumericString,
    all_orgs: Flag,
    Server: orEmpty(OpenRecord),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type SharingGroupServer = t.TypeOf<typeof SharingGroupServer>

/**
 * @category model
 * @since 0.1.0
 */
export const SharingGroup = wireStruct(
  'V24.SharingGroup',
  {},
  {
    id: nullable(NumericString),
    name: nullable(Str),
    releasability: nullable(Str),
    description: nullable(Str),
    uuid: Uuid,
    organisation_uuid: Uuid,
    org_id: NumericString,
    sync_user_id: NumericString,
    active: Flag,
    created: Str,
    modified: Str,
    local: Flag,
    roaming: Flag,
    Organisation: orEmpty(Org),
    SharingGroupOrg: wireArray(SharingGroupOrg),
    SharingGroupServer: wireArray(SharingGroupServer),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type SharingGroup = t.TypeOf<typeof SharingGroup>

/**
 * One entry of `GET /sharing_groups` (`{"response": [entry, …]}`): the group's own row beside its
 * organisation and members.
 *
 * @category model
 * @since 0.1.0
 */
export const SharingGroupListEntry = wireStruct(
  'V24.SharingGroupListEntry',
  { SharingGroup },
  {
    Organisation: orEmpty(Org),
    SharingGroupOrg: wireArray(SharingGroupOrg),
    SharingGroupServer: wireArray(SharingGroupServer),
    editable: Flag,
    deletable: Flag,
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type SharingGroupListEntry = t.TypeOf<typeof SharingGroupListEntry>
