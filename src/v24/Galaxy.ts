/**
 * MISP 2.4 galaxies (since v2.4.56): clusters attached to an event or attribute through
 * `misp-galaxy:…` tags (`Event.php@v2.4.0:1130-1145`, `Event::__attachTags@v2.4.199:7394-7420`).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { Flag, Json, NumericString, nullable, Str, wireArray, wireStruct } from '../codecs/wire.js'

/**
 * @category model
 * @since 0.1.0
 */
export const GalaxyCluster = wireStruct(
  'V24.GalaxyCluster',
  {},
  {
    id: NumericString,
    /** real servers send `""` for some clusters, so any string */
    uuid: Str,
    collection_uuid: Str,
    type: Str,
    value: Str,
    tag_name: Str,
    description: Str,
    galaxy_id: NumericString,
    source: Str,
    authors: nullable(Json),
    version: NumericString,
    distribution: NumericString,
    sharing_group_id: nullable(NumericString),
    org_id: NumericString,
    orgc_id: NumericString,
    default: Flag,
    locked: Flag,
    extends_uuid: nullable(Str),
    extends_version: nullable(NumericString),
    published: Flag,
    deleted: Flag,
    tag_id: NumericString,
    local: Flag,
    meta: Json,
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type GalaxyCluster = t.TypeOf<typeof GalaxyCluster>

/**
 * @category model
 * @since 0.1.0
 */
export const Galaxy = wireStruct(
  'V24.Galaxy',
  {},
  {
    id: NumericString,
    uuid: Str,
    name: Str,
    type: Str,
    description: Str,
    version: Str,
    icon: Str,
    namespace: Str,
    kill_chain_order: Json,
    local_only: Flag,
    GalaxyCluster: wireArray(GalaxyCluster),
  },
)

/**
 * @category model
 * @since 0.1.0
 */
export type Galaxy = t.TypeOf<typeof Galaxy>
