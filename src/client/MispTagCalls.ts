/**
 * The tag and attribute calls of {@link MispClient}: the tag list, creating tags, attaching and
 * detaching them, the events carrying a tag, and deleting (retracting) an attribute. One concept
 * apart from the event calls; `MispClient` inherits them.
 *
 * @since 0.2.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { shown } from './internal/args.js'
import * as attributes from './internal/attributes.js'
import type { Core } from './internal/core.js'
import * as tagCalls from './internal/tags.js'
import type { CallOptions } from './MispClientOptions.js'
import type { MispError } from './MispError.js'
import type {
  AddAttributeResult,
  AttachResult,
  DeleteAttributeResult,
  DetachResult,
  IndexEntryOf,
  TagEntry,
} from './Results.js'
import type { ApiVersion } from './ServerVersion.js'

/**
 * The tag and attribute calls every {@link MispClient} has (use them on a `MispClient`; this class
 * is not made on its own).
 *
 * @category client
 * @since 0.2.0
 */
export abstract class MispTagCalls<V extends ApiVersion> {
  readonly #core: Core

  /** @internal */
  protected constructor(core: Core) {
    this.#core = core
  }

  /**
   * Every tag of the server, as `{id, name, colour?, exportable?, count?}`.
   *
   * - 2.4/2.5: `GET /tags/index` → `{"Tag": [...]}`, all tags in one answer
   *   (`TagsController.php@v2.4.199:67-69`; seen on a real MISP 2.5.1).
   * - 2.3: `GET /tags/index/page:N`, 50 tags a page (the REST index paginates,
   *   `TagsController.php@v2.3.178:14-31`), page after page until the last.
   *
   * A read: retried like the others.
   *
   * @category methods
   * @since 0.1.0
   */
  tags(options?: CallOptions): TE.TaskEither<MispError, ReadonlyArray<TagEntry>> {
    return this.#core.run('GET', 'tags/index', (t) => tagCalls.tags(this.#core, t, options))
  }

  /**
   * Creates a tag: `POST /tags/add {"Tag": {name, colour, exportable}}`; without `colour`, MISP's
   * TLP colour for a `tlp:` tag, else a colour derived from the name (the same on every run).
   * `exportable` (default: not sent, MISP's default `true`) is sent to 2.4/2.5 only: 2.3's tags
   * have no such column (`MYSQL.sql@v2.3.178:269-274`). Creating a tag needs `perm_tag_editor`
   * on 2.4/2.5 (`ACLComponent.php@v2.5.1:710`), `perm_tagger` on 2.3
   * (`TagsController.php@v2.3.178:71`); see {@link MispClient.permissions}.
   *
   * - 2.4/2.5: 200 `{"Tag": {…}}` (seen on a real MISP 2.5.1); a name the server has answers with that tag
   *   (`TagsController.php@v2.4.199:155-165`).
   * - 2.3: REST success is a redirect to `/tags/view/{id}` (`TagsController.php@v2.3.178:77`), the
   *   id is read from `Location`; a taken name (405 "…A similar name already exists.") is looked
   *   up in the tag list and that tag returned.
   *
   * A write: never retried.
   *
   * @category methods
   * @since 0.1.0
   */
  createTag(
    tag: { readonly name: string; readonly colour?: string; readonly exportable?: boolean },
    options?: CallOptions,
  ): TE.TaskEither<MispError, TagEntry> {
    return this.#core.run('POST', 'tags/add', (t) => tagCalls.createTag(this.#core, t, tag, options))
  }

  /**
   * Attaches an existing tag to an event (a global tag, not a local one).
   *
   * - 2.3: `POST /events/addTag/{eventId}/{tagId}`; the event's timestamp does not change
   *   (`EventsController.php@v2.3.178:2817-2851`).
   * - 2.4/2.5: `POST /events/addTag/{eventId}/{tagId}/local:0` (MISP's OpenAPI `tagEvent`); MISP
   *   unpublishes the event and bumps its timestamp (`Event::unpublishEvent@v2.4.199:6028-6053`, seen on a real MISP 2.5.1).
   *
   * Without a numeric `tag.id`, the tag is named in the body instead (2.4/2.5 `{"tag": name}`,
   * seen on a real MISP 2.5.1; 2.3 `{"Event": {"tag": name}}`) — never in the URL, where MISP misreads `tlp:amber`.
   * "Tag is already attached to this event." is `AlreadyAttached`; "Invalid Tag.", "Tag not
   * found." and "Invalid event." are `NotFound`, a permission refusal `Forbidden` (all answered
   * with HTTP 200 and `saved: false`). A write: never retried.
   *
   * @category methods
   * @since 0.1.0
   */
  attachTag(
    eventId: string | number,
    tag: { readonly id: string; readonly name: string },
    options?: CallOptions,
  ): TE.TaskEither<MispError, AttachResult> {
    return this.#core.run('POST', `events/addTag/${shown(eventId)}`, (t) =>
      tagCalls.attachTag(this.#core, t, eventId, tag, options),
    )
  }

  /**
   * Detaches a tag from an event by numeric tag id: `POST /events/removeTag/{eventId}/{tagId}` in
   * every release (a tag name there answers "Invalid Tag.", seen on a real MISP 2.5.1). 2.4/2.5 bump the event's
   * timestamp, 2.3 does not. "Invalid event - tag combination." is `NotAttached`. A write: never
   * retried.
   *
   * @category methods
   * @since 0.1.0
   */
  detachTag(
    eventId: string | number,
    tagId: string | number,
    options?: CallOptions,
  ): TE.TaskEither<MispError, DetachResult> {
    return this.#core.run('POST', `events/removeTag/${shown(eventId)}/${shown(tagId)}`, (t) =>
      tagCalls.detachTag(this.#core, t, eventId, tagId, options),
    )
  }

  /**
   * Deletes an attribute by its local id: `POST /attributes/delete/{id}`.
   *
   * - 2.4/2.5: a soft delete (`deleted: true`, attribute and event timestamps bumped, the event
   *   unpublished; `Attribute::deleteAttribute@v2.4.199:3016-3074`, seen on a real MISP 2.5.1), 200 `{"message":
   *   "Attribute deleted."}`; a missing or already deleted attribute is `NotFound`.
   * - 2.3: deleted for good (`AttributesController.php@v2.3.178:841-923`); the event's timestamp
   *   does not change, its `attribute_count` drops (`counterCache`, `Attribute.php@v2.3.178:350-358`).
   *   2.3 answers every REST delete with a redirect to `<baseurl>/attributes` (real 2.3.178), so the client first
   *   looks the attribute up (`GET /attributes/view/{id}`) and reports a missing one as `NotFound`.
   *
   * The delete is a write: never retried.
   *
   * @category methods
   * @since 0.1.0
   */
  deleteAttribute(
    attributeId: string | number,
    options?: CallOptions,
  ): TE.TaskEither<MispError, DeleteAttributeResult> {
    return this.#core.run('POST', `attributes/delete/${shown(attributeId)}`, (t) =>
      attributes.deleteAttribute(this.#core, t, attributeId, options),
    )
  }
  /**
   * Adds one attribute to an event on MISP 2.3: `POST /attributes/add/{eventId}`
   * (`AttributesController::add@v2.3.178:102-262`). The attribute keeps its uuid and timestamp; the
   * event is unpublished and stamped with the server's clock. An attribute whose uuid is already
   * stored answers `AlreadyExists`, so adding is idempotent by uuid. Only the event's creator org
   * (with `perm_modify`) or a site admin may add (`:121-123`): a sync user adding to a synced copy
   * is refused. On 2.4/2.5 it is an `InvalidArgument` (an event edit adds attributes there). A
   * write: never retried by the client.
   *
   * @category methods
   * @since 0.3.0
   */
  addAttribute(
    eventId: string | number,
    attribute: object,
    options?: CallOptions,
  ): TE.TaskEither<MispError, AddAttributeResult> {
    return this.#core.run('POST', `attributes/add/${shown(eventId)}`, (t) =>
      attributes.addAttribute(this.#core, t, eventId, attribute, options),
    )
  }

  /**
   * The index rows of the events that carry a tag (by its numeric id), or any of a list of tags
   * (`searchtag:1|2|3`, `{"tag": "1|2|3"}`: MISP ORs the pieces).
   *
   * - 2.3: `GET /events/index/searchtag:{tagId}` (`EventsController::index@v2.3.178:389-441`).
   * - 2.4/2.5: `POST /events/index {"tag": "{tagId}"}` (`EventsController.php@v2.4.199:686,462-520`).
   *
   * 2.4 rows carry `EventTag` (each with `Tag.name`, exportable tags only) and `attribute_count`
   * (live attributes). A read: retried like the others.
   *
   * @category methods
   * @since 0.1.0
   */
  eventsWithTag(
    tagId: string | number | ReadonlyArray<string | number>,
    options?: CallOptions,
  ): TE.TaskEither<MispError, ReadonlyArray<IndexEntryOf<V>>> {
    return this.#core.run(
      this.#core.is23 ? 'GET' : 'POST',
      'events/index',
      (t) =>
        tagCalls.eventsWithTag(this.#core, t, tagId, options) as Promise<
          E.Either<MispError, ReadonlyArray<IndexEntryOf<V>>>
        >,
    )
  }
}
