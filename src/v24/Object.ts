/**
 * A MISP 2.4 object (since v2.4.80): a template-shaped group of attributes with references to
 * other objects or attributes (`Event.php@v2.4.0:1130-1145`). MISP 2.3 has no objects; the downgrade
 * flattens them into plain attributes.
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
import { Attribute, AttributeDraft } from './Attribute.js'
import { Distribution } from './Distribution.js'
import { SharingGroup } from './SharingGroup.js'

const referenceOptional = {
  id: NumericString,
  uuid: Str,
  timestamp: NumericString,
  object_id: NumericString,
  event_id: NumericString,
  source_uuid: Str,
  object_uuid: Str,
  referenced_id: NumericString,
  referenced_uuid: Str,
  referenced_type: NumericString,
  relationship_type: Str,
  comment: Str,
  deleted: Flag,
  /** the referenced attribute or object, as MISP embeds it in views */
  Attribute: OpenRecord,
  Object: OpenRecord,
}

/**
 * A reference from an object to another object or attribute.
 *
 * @category model
 * @since 0.1.0
 */
export const ObjectReference = wireStruct('V24.ObjectReference', {}, referenceOptional)

/**
 * @category model
 * @since 0.1.0
 */
export type ObjectReference = t.TypeOf<typeof ObjectReference>

const objectOptional = {
  id: NumericString,
  event_id: NumericString,
  'meta-category': Str,
  /** MISP 2.5.1 sends `null` (recorded exchanges) */
  description: nullable(Str),
  template_uuid: nullable(Str),
  template_version: nullable(NumericString),
  timestamp: NumericString,
  distribution: Distribution,
  sharing_group_id: NumericString,
  comment: nullable(Str),
  deleted: Flag,
  first_seen: nullable(Str),
  last_seen: nullable(Str),
  SharingGroup: orEmpty(SharingGroup),
  ObjectReference: wireArray(ObjectReference),
}

/**
 * A 2.4 object (exported from `misp-bridge/v24` as `V24.Object`; named `MispObject` here so that
 * it does not shadow the global `Object`).
 *
 * @category model
 * @since 0.1.0
 */
export const MispObject = wireStruct(
  'V24.Object',
  { uuid: Uuid, name: Str },
  { ...objectOptional, Attribute: wireArray(Attribute) },
)

/**
 * @category model
 * @since 0.1.0
 */
export type MispObject = t.TypeOf<typeof MispObject>

/**
 * An object as a client drafts it (e.g. PyMISP's `event_obj_attr_tag.json`): identifiers may be
 * placeholders and attributes may lack uuids.
 *
 * @category model
 * @since 0.1.0
 */
export const ObjectDraft = wireStruct(
  'V24.ObjectDraft',
  { name: Str },
  { uuid: Str, ...objectOptional, Attribute: wireArray(AttributeDraft) },
)

/**
 * @category model
 * @since 0.1.0
 */
export type ObjectDraft = t.TypeOf<typeof ObjectDraft>

/**
 * A body holding only objects (`{"Object": […]}`), as a client sends to add objects to an event.
 *
 * @category model
 * @since 0.1.0
 */
export const ObjectsFragment = wireStruct('V24.ObjectsFragment', { Object: wireArray(ObjectDraft) }, {})

/**
 * @category model
 * @since 0.1.0
 */
export type ObjectsFragment = t.TypeOf<typeof ObjectsFragment>
