/**
 * A safe client for MISP 2.3 and MISP 2.4/2.5 servers: existence checks, reads, creates and
 * updates of events in the server's own wire format, with MISP's era-specific answers turned into
 * typed results and every failure into a {@link MispError}.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { shown, uuidArgument } from './internal/args.js'
import type { Core } from './internal/core.js'
import * as eventState from './internal/eventState.js'
import * as events from './internal/events.js'
import { permissions } from './internal/permissions.js'
import * as search from './internal/search.js'
import { coreOf } from './internal/setup.js'
import type { KeyPermissions } from './KeyPermissions.js'
import type {
  CallOptions,
  DetectOptions,
  GetOptions,
  IndexOptions,
  MispClientOptions,
  Timeouts,
  UpdateOptions,
} from './MispClientOptions.js'
import type { MispError } from './MispError.js'
import { MispTagCalls } from './MispTagCalls.js'
import type {
  CreateResult,
  EventOf,
  EventStateResult,
  Exists,
  IndexEntryOf,
  UpdateResult,
} from './Results.js'
import { type ApiVersion, apiVersionOf, type ServerVersion } from './ServerVersion.js'

export type { GetOptions, IndexOptions, UpdateOptions } from './MispClientOptions.js'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * The client's `User-Agent` unless told otherwise.
 *
 * @category constants
 * @since 0.1.0
 */
export { DEFAULT_USER_AGENT } from './internal/setup.js'

// ---------------------------------------------------------------------------------------------
// client
// ---------------------------------------------------------------------------------------------

/**
 * A client of one MISP server, typed by the wire format it speaks: a `MispClient<'2.3'>` takes and
 * returns `V23.Event`s, a `MispClient<'2.4'>` `V24.Event`s (MISP 2.4 and 2.5).
 *
 * Every method returns a `TaskEither<MispError, A>`: nothing runs until it is called, and the
 * returned promise never rejects. Idempotent calls are retried (see `RetryPolicy`); writes
 * never are. The API key never appears in an error or a debug line (`DEBUG=misp-bridge:*`).
 *
 * @example
 * const misp = new MispClient({ url: 'https://misp.example.org', key, version: '2.4' })
 * const result = await misp.create(event)()
 * if (E.isRight(result) && result.right._tag === 'AlreadyExists')
 *   await misp.update(event, { id: result.right.id })()
 *
 * @category client
 * @since 0.1.0
 */
export class MispClient<V extends ApiVersion> extends MispTagCalls<V> {
  /** the wire format this client speaks (`'2.3'` or `'2.4'`), as given to the constructor */
  readonly apiVersion: V
  /** the server's base URL (no credentials, no key) */
  readonly url: string
  /** the effective time budgets of its calls (the `timeout` option resolved), in milliseconds */
  readonly timeouts: Timeouts

  readonly #core: Core

  /**
   * Creates a client. It never throws: invalid options make every call fail with
   * `InvalidArgument`. Nothing is sent until a call runs.
   *
   * @since 0.1.0
   */
  constructor(given: MispClientOptions<V>) {
    const { url, core } = coreOf(given)
    super(core)
    this.apiVersion = (typeof given === 'object' && given !== null ? given.version : undefined) as V
    this.url = url
    this.timeouts = core.timeouts
    this.#core = core
  }

  /**
   * Asks the server for its MISP release (`GET /servers/getVersion`) and creates a client of the
   * matching wire format: `MispClient<'2.3'>` for MISP 2.3, `MispClient<'2.4'>` for 2.4 and 2.5.
   * A server without `getVersion` (MISP < 2.3.129) fails with `NotFound`: create that client with
   * `version: '2.3'`.
   *
   * @example
   * const detected = await MispClient.detect({ url, key })()
   *
   * @category constructors
   * @since 0.1.0
   */
  static detect(options: DetectOptions): TE.TaskEither<MispError, MispClient<'2.3'> | MispClient<'2.4'>> {
    return async () => {
      const probe = new MispClient<'2.4'>({ ...options, version: '2.4' })
      const v = await probe.version()()
      if (E.isLeft(v)) return v
      const client: MispClient<'2.3'> | MispClient<'2.4'> =
        apiVersionOf(v.right) === '2.3'
          ? new MispClient<'2.3'>({ ...options, version: '2.3' })
          : new MispClient<'2.4'>({ ...options, version: '2.4' })
      client.#core.serverVersion = Promise.resolve(E.right(v.right))
      return E.right(client)
    }
  }

  // -------------------------------------------------------------------------------------------
  // methods
  // -------------------------------------------------------------------------------------------

  /**
   * The server's MISP release (`GET /servers/getVersion`), e.g. `{version: '2.4.199', major: 2,
   * minor: 4, patch: 199}`. The answer is remembered for the behaviours that depend on it.
   *
   * @category methods
   * @since 0.1.0
   */
  version(options?: CallOptions): TE.TaskEither<MispError, ServerVersion> {
    const c = this.#core
    return c.run('GET', 'servers/getVersion', async (t) => {
      const v = await c.fetchVersion(t, options)
      if (E.isRight(v)) c.serverVersion = Promise.resolve(v)
      return v
    })
  }

  /**
   * What this client's API key may do on the server — sync, tag, create tags, publish, site
   * admin, its role and organisation — so that a caller can decide before writing (see
   * {@link KeyPermissions} for each field's source per release):
   *
   * - 2.4/2.5: `GET /users/view/me` → the user's `Role` row and `Organisation`
   *   (`UsersController::view@v2.5.1:46-81`). The record may carry the key itself (`authkey`):
   *   only the role's flags and the two names are kept.
   * - 2.3: no REST call reports a role (`users/…` and `roles/…` answer an empty 403 to every REST
   *   key, `AppController.php@v2.3.178:259-261`), so three read-only questions are asked, each
   *   refused for want of one permission: `GET /tags/delete/0` (perm_tagger; 405 past the check), `GET /jobs/index` (site
   *   admin), `GET /events/filterEventIdsForPush` (perm_sync). `role`, `org` and `publish` are
   *   `undefined` there (unless the key is a site admin, who may publish).
   *
   * Nothing is written. A refused key is `AuthenticationFailed`; an answer that tells nothing (a
   * 5xx, a gateway's page, a timeout) is the call's error, never a guess.
   *
   * @example
   * const p = await misp.permissions()()
   * if (E.isRight(p) && !p.right.tag) console.log('this key may not tag events')
   *
   * @category methods
   * @since 0.3.0
   */
  permissions(options?: CallOptions): TE.TaskEither<MispError, KeyPermissions> {
    return this.#core.run('GET', this.#core.is23 ? 'tags/delete/0' : 'users/view/me', (t) =>
      permissions(this.#core, t, options),
    )
  }

  /**
   * Whether an event with this uuid exists, with its local `id` and `timestamp` — without
   * downloading its attributes where the server allows:
   *
   * - MISP ≥ 2.4.135: `HEAD /events/view/{uuid}` (404 ⇒ absent, one cheap request), then, since
   *   HEAD carries no timestamp, `POST /events/restSearch {uuid, metadata: true}` (no attributes).
   * - MISP 2.4.55 – 2.4.134: the `restSearch` metadata lookup alone.
   * - MISP 2.3 and 2.4 < 2.4.55: `GET /events/view/{uuid}`. These servers have no metadata-only
   *   lookup by uuid (restSearch lacks `uuid`/`metadata`, HEAD is not a handled verb), and the
   *   alternative, the index, costs one row per event on the server for every call; the view
   *   costs one event.
   *
   * @category methods
   * @since 0.1.0
   */
  exists(uuid: string, options?: CallOptions): TE.TaskEither<MispError, Exists> {
    return this.#core.run('HEAD', `events/view/${shown(uuid)}`, (t) =>
      events.exists(this.#core, t, uuid, options),
    )
  }

  /**
   * The event with this local id or uuid (`GET /events/view/{idOrUuid}`), decoded with the
   * client's model. A missing event is a `NotFound` error.
   *
   * With `deleted: true` on 2.4/2.5: `GET /events/view/{idOrUuid}/deleted:1`, the event with its
   * soft-deleted attributes (each `"deleted": true`; `EventsController::view@v2.4.199:1689-1711`,
   * since v2.4.43). MISP 2.3 deletes attributes for good: the option changes nothing there.
   *
   * @category methods
   * @since 0.1.0
   */
  get(idOrUuid: string | number, options?: GetOptions): TE.TaskEither<MispError, EventOf<V>> {
    return this.#core.run(
      'GET',
      `events/view/${shown(idOrUuid)}`,
      (t) => events.get(this.#core, t, idOrUuid, options) as Promise<E.Either<MispError, EventOf<V>>>,
    )
  }

  /**
   * Several events by uuid, in one request where the server allows: `POST /events/restSearch`
   * `{"returnFormat": "json", "uuid": [...]}` on MISP ≥ 2.4.55 (the events as the search renders
   * them: attributes, objects and tags, without soft-deleted attributes); one `GET
   * /events/view/{uuid}` each on older servers and on 2.3. Events the server does not have (or
   * does not show this key) are not in the answer; the order is the server's.
   *
   * @category methods
   * @since 0.2.0
   */
  getMany(
    uuids: ReadonlyArray<string>,
    options?: CallOptions,
  ): TE.TaskEither<MispError, ReadonlyArray<EventOf<V>>> {
    return this.#core.run(
      'POST',
      'events/restSearch',
      (t) =>
        search.getMany(this.#core, t, uuids, options) as Promise<
          E.Either<MispError, ReadonlyArray<EventOf<V>>>
        >,
    )
  }

  /**
   * Creates the event (2.4: `POST /events/add`; 2.3: `POST /events`, with the source's ids,
   * proposals, correlations and `attribute_count` removed first). An event whose uuid the server
   * already has is not an error: MISP's 404 (or 302) with `Location: <baseurl>/events/{id}`
   * (exactly that shape), or a body named "Event already exists…", gives `{_tag:
   * 'AlreadyExists', id}`. A redirect to `…/events/view/{id}` — CakePHP's answer to a successful
   * form (non-REST) add — is an `UnexpectedResponse` with reason `redirect`: the event was
   * probably created. Never retried: a create that fails in transit (or whose answer is lost)
   * may have been applied; look it up with `exists`, or send it again and expect
   * `AlreadyExists`.
   *
   * @category methods
   * @since 0.1.0
   */
  create(event: EventOf<V>, options?: CallOptions): TE.TaskEither<MispError, CreateResult<EventOf<V>>> {
    return this.#core.run(
      'POST',
      this.#core.flavour.createPath,
      (t) =>
        events.create(this.#core, t, event, options) as Promise<
          E.Either<MispError, CreateResult<EventOf<V>>>
        >,
    )
  }

  /**
   * Updates the event on the server. MISP finds the stored event by the body's `uuid`; the URL
   * names it by local id, which MISP 2.3 and 2.4 < 2.4.60 require: without `options.id` the
   * client looks it up with `exists` there (2.4.60+ is edited by uuid). 2.4: `PUT
   * /events/edit/{idOrUuid}`; 2.3: `POST /events/edit/{id}` with attribute and event ids removed.
   *
   * MISP's "not newer than the local copy" answer in each era (2.3: 405; 2.4.0–2.4.102: 200 "Edit
   * event failed."; 2.4.103+: 403 "Could not edit Event") gives `{_tag: 'NotNewer', id}`. A sync
   * user editing an event that is not `locked` gets `NotLocked`; an edit MISP cannot match to a
   * stored event ("…Could not find the local event.") is `NotFound`. Never retried. Any argument
   * that is not a valid event (even `null`) is an `InvalidArgument`; nothing throws.
   *
   * @category methods
   * @since 0.1.0
   */
  update(event: EventOf<V>, options?: UpdateOptions): TE.TaskEither<MispError, UpdateResult<EventOf<V>>> {
    // only names the request of an early error: `event` may be anything (null, a number, …)
    const planned = this.#core.flavour.editCall(uuidArgument(event))
    return this.#core.run(
      planned.method,
      planned.path,
      (t) =>
        events.update(this.#core, t, event, options, planned) as Promise<
          E.Either<MispError, UpdateResult<EventOf<V>>>
        >,
    )
  }

  /**
   * The index rows (no attributes) of the events changed at or after `since`, or of every event.
   *
   * - 2.4/2.5: `POST /events/index {timestamp}` — the body filter, which MISP applies since
   *   2.4.54 (named URL parameters are ignored by 2.5.1).
   * - 2.3: `GET /events/index`; 2.3 has no timestamp filter, so every row comes back.
   *
   * Either way the rows are also filtered here (`timestamp >= since`), so older servers that
   * ignore the filter give the same answer. Rows are decoded with `V23.IndexRow`/`V24.IndexRow`
   * and must carry a `timestamp`.
   *
   * @category methods
   * @since 0.1.0
   */
  index(options?: IndexOptions): TE.TaskEither<MispError, ReadonlyArray<IndexEntryOf<V>>> {
    return this.#core.run(
      this.#core.is23 ? 'GET' : 'POST',
      'events/index',
      (t) =>
        events.index(this.#core, t, options) as Promise<E.Either<MispError, ReadonlyArray<IndexEntryOf<V>>>>,
    )
  }

  /**
   * Publishes the event **without alert e-mails**: `POST /events/publish/{id}` (every release;
   * `events/alert` is MISP's e-mailing call). MISP allows it to a site admin, or to a role with
   * `perm_publish` in the event's creator organisation (2.3 compares `orgc` names, 2.4/2.5
   * `orgc_id`): others get a 405, a `Forbidden` error. The event's timestamp does not move. A
   * write: never retried.
   *
   * @category methods
   * @since 0.3.0
   */
  publish(eventId: string | number, options?: CallOptions): TE.TaskEither<MispError, EventStateResult> {
    return this.#core.run('POST', `events/publish/${shown(eventId)}`, (t) =>
      eventState.publish(this.#core, t, eventId, options),
    )
  }

  /**
   * Unpublishes the event: `POST /events/unpublish/{id}` (2.4/2.5; who may edit the event may;
   * the timestamp does not move). MISP 2.3 has no such call: an `InvalidArgument` error, nothing
   * sent. A write: never retried.
   *
   * @category methods
   * @since 0.3.0
   */
  unpublish(eventId: string | number, options?: CallOptions): TE.TaskEither<MispError, EventStateResult> {
    return this.#core.run('POST', `events/unpublish/${shown(eventId)}`, (t) =>
      eventState.unpublish(this.#core, t, eventId, options),
    )
  }

  /**
   * Deletes the event: `POST /events/delete/{id}` (MISP keeps its uuid on a blocklist when
   * `MISP.enableEventBlocklisting` is on: a later create of the same uuid is refused). A write:
   * never retried.
   *
   * @category methods
   * @since 0.3.0
   */
  deleteEvent(eventId: string | number, options?: CallOptions): TE.TaskEither<MispError, EventStateResult> {
    return this.#core.run('POST', `events/delete/${shown(eventId)}`, (t) =>
      eventState.deleteEvent(this.#core, t, eventId, options),
    )
  }
}
