/**
 * The watermark over many runs, against a model source: events are created and edited between the
 * runs — also in the very second a run read the list, which MISP stamps with that second, so they
 * can sort before the position the run saves. Laws: no event that is not done is ever left out of
 * the next run (whatever failed or was interrupted), and an uninterrupted run is followed by one
 * that selects exactly what changed since, plus what failed.
 */

import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { Progress } from '../../../src/sync/internal/progress.js'
import { selectChanged } from '../../../src/sync/internal/select.js'
import type { DirectionSpec, SourceRow } from '../../../src/sync/internal/spec.js'
import type { Watermark } from '../../../src/sync/StateStore.js'

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? (process.env['CI'] ? 2_000 : 300))

/** One run's outcome per attempted row: done, failed, or not reached (interrupted). */
type Fate = 'done' | 'failed' | 'not-reached'

interface Round {
  /** seconds from the previous read to this run's read */
  readonly wait: number
  /** events saved after this run read the list: new (fresh uuid) or an edit of a listed one */
  readonly changes: ReadonlyArray<{
    readonly edit: number | undefined
    readonly offset: number
    readonly uuid: string
  }>
  readonly fates: ReadonlyArray<Fate>
}

const round = (interrupted: boolean): fc.Arbitrary<Round> =>
  fc.record({
    wait: fc.nat(2),
    changes: fc.array(
      fc.record({
        edit: fc.option(fc.nat(20), { nil: undefined }),
        offset: fc.nat(1),
        uuid: fc.uuid(),
      }),
      { maxLength: 5 },
    ),
    fates: fc.array(
      interrupted
        ? fc.constantFrom<Fate>('done', 'done', 'failed', 'not-reached')
        : fc.constantFrom<Fate>('done', 'done', 'done', 'failed'),
      { minLength: 30, maxLength: 30 },
    ),
  })

/** The model source: every event's latest timestamp, listed with MISP's `timestamp >= since`. */
const sourceOf = (events: Map<string, number>) =>
  ({
    changedSince: (since: number | undefined) => async () =>
      E.right(
        [...events]
          .filter(([, t]) => since === undefined || t >= since)
          .map(([uuid, timestamp]): SourceRow => ({ uuid, timestamp })),
      ),
  }) as unknown as DirectionSpec<'2.4', '2.3'>

/**
 * Runs the rounds: each reads the list at `now`, attempts its selection with the round's fates,
 * saves the state; then the round's changes land, stamped `now + offset` (an edit: at least one
 * second after the event's last stamp). Calls `check` with each selection and what it must hold.
 */
const play = async (
  T: number,
  rounds: ReadonlyArray<Round>,
  check: (selected: ReadonlyArray<string>, pending: ReadonlySet<string>, exact: boolean) => void,
) => {
  const events = new Map<string, number>()
  const pending = new Set<string>() // changed and not yet done
  let now = T
  let before: Watermark | undefined
  let interrupted = false
  for (const r of rounds) {
    // the list is read at or after every stamp it shows
    now = Math.max(now + r.wait, ...events.values())
    const sel = await selectChanged(sourceOf(events), undefined, before, {}, undefined)
    if (E.isLeft(sel)) throw new Error('the model source failed')
    const rows = sel.right.rows ?? []
    check(
      rows.map((x) => x.uuid),
      pending,
      !interrupted,
    )
    const progress = new Progress(rows, before, sel.right.others)
    interrupted = false
    rows.forEach((row, i) => {
      const fate = r.fates[i % r.fates.length] ?? 'done'
      if (fate === 'not-reached') {
        interrupted = true
        return
      }
      progress.mark(i, fate === 'done')
      if (fate === 'done' && events.get(row.uuid) === row.timestamp) pending.delete(row.uuid)
    })
    before = progress.current() ?? before
    for (const c of r.changes) {
      const listed = [...events.keys()]
      const uuid = c.edit === undefined || listed.length === 0 ? c.uuid : listed[c.edit % listed.length]!
      const last = events.get(uuid)
      const stamp = Math.max(now + c.offset, last === undefined ? 0 : last + 1)
      events.set(uuid, stamp)
      pending.add(uuid)
    }
  }
}

describe('the watermark over many runs (model source)', () => {
  test('law: an event that is not done is in the next run, also one saved in the second the list was read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(round(true), { minLength: 2, maxLength: 8 }), async (rounds) => {
        await play(1_700_000_000, rounds, (selected, pending) => {
          const chosen = new Set(selected)
          for (const u of pending) expect(chosen.has(u), `${u} changed and is not selected`).toBe(true)
        })
      }),
      { numRuns },
    )
  })

  test('law: after an uninterrupted run, the next selects exactly what changed since and what failed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(round(false), { minLength: 2, maxLength: 8 }), async (rounds) => {
        await play(1_700_000_000, rounds, (selected, pending, exact) => {
          if (exact) expect(new Set(selected)).toEqual(new Set(pending))
        })
      }),
      { numRuns },
    )
  })

  test('an event saved in the read second with a lower uuid than the position is selected (once)', async () => {
    const T = 1_700_000_000
    const events = new Map([['bbbb', T]])
    const first = await selectChanged(sourceOf(events), undefined, undefined, {}, undefined)
    const rows = E.isRight(first) ? (first.right.rows ?? []) : []
    const p = new Progress(rows, undefined)
    p.mark(0, true)
    const mark = p.current()
    expect(mark).toEqual({ timestamp: T, uuid: 'bbbb' })
    events.set('aaaa', T) // saved in the same second, after the list was read
    events.set('cccc', T)
    const second = await selectChanged(sourceOf(events), undefined, mark, {}, undefined)
    expect(E.isRight(second) && second.right.uuids).toEqual(['aaaa', 'cccc'])
    const rows2 = E.isRight(second) ? (second.right.rows ?? []) : []
    const p2 = new Progress(rows2, mark, E.isRight(second) ? second.right.others : [])
    for (const i of rows2.keys()) p2.mark(i, true)
    const mark2 = p2.current()
    expect(mark2).toEqual({ timestamp: T, uuid: 'cccc', atSecond: ['aaaa', 'bbbb'] })
    const third = await selectChanged(sourceOf(events), undefined, mark2, {}, undefined)
    expect(E.isRight(third) && third.right.uuids).toEqual([])
  })
})
