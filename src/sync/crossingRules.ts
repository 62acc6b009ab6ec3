/**
 * What happens to tags, retracted attributes and a copy's published state in each direction and
 * under each option, as
 * data: the engine's behaviour described row by row, rendered into `docs/mapping.md` by
 * `scripts/gen-mapping.mjs` (and checked to be current by CI).
 *
 * @since 0.2.0
 */

/**
 * One rule: what the bridge does with `what`, in `direction`, under `option`.
 *
 * @category model
 * @since 0.2.0
 */
export interface CrossingRule {
  readonly what: 'tags' | 'retractions' | 'published'
  readonly direction: '2.4->2.3' | '2.3->2.4'
  /** the `tags`, `retractions` or `arrival.publish` option value the row is about */
  readonly option: string
  /** what the bridge does */
  readonly does: string
  /** the requests it makes on the target (or source), per release */
  readonly requests: string
}

/**
 * The rules, in the order the docs show them.
 *
 * @category constructors
 * @since 0.2.0
 */
export const crossingRules: ReadonlyArray<CrossingRule> = [
  {
    what: 'tags',
    direction: '2.4->2.3',
    option: 'mirror',
    does: "the 2.3 copy carries exactly the source's exportable, non-local tags (galaxy clusters as plain tags): missing ones attached (created on 2.3 first when unknown), others removed",
    requests:
      "the 2.3 copies' tags, at most once per run (up front in a full run, else when an event needs them): `GET /tags/index` (50 a page), `GET /events/index/searchtag:{id}` per tag the run's events carry, and `searchtag:{a}|{b}|…` for the target's other tags, halved only where a copy carries one; per change: `POST /tags/add`, `POST /events/addTag/{id}/{tagId}`, `POST /events/removeTag/{id}/{tagId}`",
  },
  {
    what: 'tags',
    direction: '2.4->2.3',
    option: 'add-only',
    does: "missing tags attached (created first when unknown); none removed: a copy with tags beyond its source's (the target's own) is up to date",
    requests:
      "as `mirror`, without `removeTag` and without the full run's search for the target's other tags",
  },
  {
    what: 'tags',
    direction: '2.4->2.3',
    option: 'none',
    does: 'tags left alone',
    requests: 'none',
  },
  {
    what: 'tags',
    direction: '2.3->2.4',
    option: 'mirror',
    does: "the 2.4/2.5 copy carries exactly the 2.3 event's tags: sent by name in `Event.Tag` on create and edit (MISP creates unknown ones; an edit only adds), the rest attached, others removed; a 2.3 tag change (which does not move its timestamp) is caught by every run",
    requests:
      'once per run on 2.3: `GET /tags/index` and `GET /events/index/searchtag:{id}` per tag in use; per change on 2.4/2.5: `POST /tags/add`, `POST /events/addTag/{id}/{tagId}/local:0`, `POST /events/removeTag/{id}/{tagId}`',
  },
  {
    what: 'tags',
    direction: '2.3->2.4',
    option: 'add-only',
    does: 'tags sent and attached; none removed',
    requests: 'as `mirror`, without `removeTag`',
  },
  {
    what: 'tags',
    direction: '2.3->2.4',
    option: 'none',
    does: 'tags left alone (not even read from 2.3)',
    requests: 'none',
  },
  {
    what: 'retractions',
    direction: '2.4->2.3',
    option: 'mirror',
    does: "an attribute soft-deleted (or removed) at the source — its timestamp moves — is hard-deleted from the 2.3 copy, found by uuid in the edit's answer",
    requests:
      '`POST /attributes/delete/{id}` per attribute (2.3 answers with a redirect; a `GET /attributes/view/{id}` tells a missing one)',
  },
  {
    what: 'retractions',
    direction: '2.3->2.4',
    option: 'mirror',
    does: "an attribute gone from the 2.3 event (a hard delete, its timestamp unchanged) is soft-deleted on the 2.4/2.5 copy; caught by full runs (no `since`, no state), the copy read only when the index's `attribute_count` differs",
    requests: '`POST /attributes/delete/{id}` per attribute (a soft delete: `deleted: true`)',
  },
  {
    what: 'retractions',
    direction: '2.4->2.3',
    option: 'keep',
    does: 'attributes deleted at the source stay on the copy',
    requests: 'none',
  },
  {
    what: 'retractions',
    direction: '2.3->2.4',
    option: 'keep',
    does: 'attributes deleted at the source stay on the copy',
    requests: 'none',
  },
  {
    what: 'published',
    direction: '2.4->2.3',
    option: 'quiet',
    does: 'the copy is written unpublished, then published without alert e-mails when its source is published; MISP 2.3 lets a site admin, or the creator organisation (`orgc` name) with `perm_publish` publish: a refusal leaves copies unpublished and is said once per run',
    requests:
      '`POST /events/publish/{id}` per copy to publish (its timestamp does not move); none (2.3 has no unpublish call)',
  },
  {
    what: 'published',
    direction: '2.4->2.3',
    option: 'never',
    does: 'copies are written unpublished and stay so',
    requests: 'none',
  },
  {
    what: 'published',
    direction: '2.4->2.3',
    option: 'as-source',
    does: "the write carries the source's `published`: MISP 2.3 e-mails every subscribed user and publishes onward for each published copy, unless it sets `MISP.disablerestalert`",
    requests: "none (the alert e-mails and the onward push are the target's)",
  },
  {
    what: 'published',
    direction: '2.3->2.4',
    option: 'quiet',
    does: 'the copy is written unpublished, then published without alert e-mails when its source is published; MISP 2.4/2.5 lets a site admin, or `perm_publish` in the creator organisation (`orgc_id`) publish: a refusal leaves copies unpublished and is said once per run',
    requests:
      '`POST /events/publish/{id}` per copy to publish (its timestamp does not move); `POST /events/unpublish/{id}` when the source was unpublished without an edit',
  },
  {
    what: 'published',
    direction: '2.3->2.4',
    option: 'never',
    does: 'copies are written unpublished and stay so',
    requests: 'none',
  },
  {
    what: 'published',
    direction: '2.3->2.4',
    option: 'as-source',
    does: "the write carries the source's `published`: MISP 2.4/2.5 e-mails every subscribed user and publishes onward for each published copy, unless it sets `MISP.disablerestalert`",
    requests: "none (the alert e-mails and the onward push are the target's)",
  },
]
