/**
 * `misp-bridge demo`: the main job, end to end, with nothing but the package. Two in-memory MISP
 * servers (the `misp-bridge/testing` emulator: a MISP 2.3.178 and a MISP 2.4.199 on 127.0.0.1)
 * seeded with the sample events of `demo-events.ts`, synced both ways three times, with a JSON
 * Lines log, an archive and a state file in a directory the demo prints.
 *
 * @since 0.1.0
 */
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { MispClient } from '../client/MispClient.js'
import { connect23to24 } from '../sync/connect23to24.js'
import { connect24to23 } from '../sync/connect24to23.js'
import { directoryArchive } from '../sync/directoryArchive.js'
import { fileStateStore } from '../sync/fileStateStore.js'
import { formatRunResult } from '../sync/formatRunResult.js'
import { jsonLinesLog } from '../sync/jsonLinesLog.js'
import type { RunResult } from '../sync/RunResult.js'
import type { StateStore } from '../sync/StateStore.js'
import { combineLoggers, type TransferLogger } from '../sync/TransferLogger.js'
import { type MispEmulator, startMispEmulator } from '../testing/MispEmulator.js'
import { demoEvents23, demoEvents24 } from './demo-events.js'
import type { ExitCode, Io } from './Io.js'
import { flag, parse, str, usageError } from './internal/args.js'

/** How to run this CLI again: `npx misp-bridge` where it is installed, `node <path>` in a clone. */
const selfCommand = (): string => {
  const entry = process.argv[1]
  return entry?.endsWith(join('cli', 'main.js')) && !entry.includes('node_modules')
    ? `node ${relative(process.cwd(), entry)}`
    : 'npx misp-bridge'
}

/**
 * `misp-bridge demo --help`.
 *
 * @category help
 * @since 0.1.0
 */
export const demoHelp = `Usage: misp-bridge demo [--dir DIR]

Runs the main job end to end with nothing but this package: starts two in-memory MISP servers on
127.0.0.1 (emulators of MISP 2.3.178 and MISP 2.4.199) seeded with sample events — objects,
tags, a galaxy, a sharing group, an attribute inheriting its event's distribution, attribute
types 2.3 cannot hold, events that exist on one side only — and syncs them:

  1. both ways (2.3 → 2.4, then 2.4 → 2.3), with a state file;
  2. both ways again, without the state file: every event is compared, nothing is written twice;
  3. after editing one event on each server, both ways with the state file: only the events
     changed since the last run are read, and they are updated;
  4. after re-marking an event (tlp:amber → tlp:red / tlp:clear) and deleting an attribute on
     each server, both ways again: the markings and the retractions reach the other side;
  5. two new events on 2.4 — one tlp:red, unpublished, "your organisation only"; one published
     tlp:green — synced to 2.3 with the rule {"tags": {"NOT": ["tlp:red"]}}: the tlp:red event is
     held back (skipped, with the rule as its reason), the published one arrives published
     without a single alert e-mail from the target.

It prints each run's summary and where the transfer log (JSON Lines), the archive (each event's
JSON as read, as sent and as stored) and the state file went.

  --dir DIR     write the log, archive and state there (default: a new temporary directory)
  -h, --help    this help

Exit status: 0 when every transfer worked, 1 otherwise.
`

const OPTIONS = { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const

const countFiles = async (dir: string): Promise<number> => {
  let n = 0
  for (const entry of await readdir(dir, { withFileTypes: true }))
    n += entry.isDirectory() ? await countFiles(join(dir, entry.name)) : 1
  return n
}

const infoOf =
  (...servers: ReadonlyArray<MispEmulator>) =>
  (uuid: string): string | undefined => {
    for (const s of servers) {
      const info = s.event(uuid)?.['info']
      if (typeof info === 'string') return `“${info.length > 48 ? `${info.slice(0, 47)}…` : info}”`
    }
    return undefined
  }

/**
 * Runs `misp-bridge demo` with its arguments (after `demo`).
 *
 * @category commands
 * @since 0.1.0
 */
export const demoCommand = async (args: ReadonlyArray<string>, io: Io): Promise<ExitCode> => {
  const parsed = parse(args, OPTIONS, 0)
  if (E.isLeft(parsed)) {
    io.stderr.write(
      `misp-bridge demo: ${parsed.left.message}\nRun 'misp-bridge demo --help' for the options.\n`,
    )
    return 2
  }
  if (flag(parsed.right, 'help')) {
    io.stdout.write(demoHelp)
    return 0
  }
  const dirArg = str(parsed.right, 'dir')
  let dir: string
  try {
    dir =
      dirArg === undefined
        ? await mkdtemp(join(tmpdir(), 'misp-bridge-demo-'))
        : resolve(io.cwd ?? process.cwd(), dirArg)
    await mkdir(join(dir, 'archive'), { recursive: true })
  } catch (e) {
    io.stderr.write(
      `misp-bridge demo: ${usageError(`cannot create ${dirArg}: ${(e as Error).message}`).message}\n`,
    )
    return 2
  }
  const logFile = join(dir, 'transfers.jsonl')
  const archiveDir = join(dir, 'archive')
  const stateFile = join(dir, 'state.json')
  const out = (s: string) => io.stdout.write(s)

  // MISP timestamps are in seconds: the demo's servers move their clocks on between the steps,
  // as real edits would be seconds apart (a change in the same second as a run is not seen by
  // timestamps — see the guide)
  let skew = 0
  const clock = () => Math.floor(Date.now() / 1000) + skew
  const tick = () => {
    skew += 2
  }
  // site-admin keys: they may tag (2.3's stock "Sync user" may not) and publish the copies (a
  // sync user may not publish another organisation's event: the run would say so once and leave
  // the copies unpublished)
  const e23 = await startMispEmulator({ version: '2.3.178', role: 'site-admin', events: demoEvents23, clock })
  const e24 = await startMispEmulator({ version: '2.4.199', role: 'site-admin', events: demoEvents24, clock })
  // MISP 2.3's event JSON has no tags: its tags live beside the events (event_tags)
  const tagged23 = demoEvents23[0]!.Event['uuid'] as string
  e23.tagEvent(tagged23, 'tlp:amber')
  e23.tagEvent(tagged23, 'phishing:techniques="email-spoofing"')
  try {
    const misp23 = new MispClient({ url: e23.url, key: e23.apiKey, version: '2.3' })
    const misp24 = new MispClient({ url: e24.url, key: e24.apiKey, version: '2.4' })
    const logger = combineLoggers(directoryArchive(archiveDir), jsonLinesLog(logFile))
    const state = fileStateStore(stateFile)
    const label = infoOf(e23, e24)
    const both = async (withState: StateStore | undefined): Promise<ReadonlyArray<RunResult>> => {
      const stateOption = withState === undefined ? {} : { state: withState }
      const up = await connect23to24({ from: misp23, to: misp24, logger, ...stateOption }).sync()()
      out(formatRunResult(up, { allEvents: true, eventLabel: label }))
      const down = await connect24to23({ from: misp24, to: misp23, logger, ...stateOption }).sync()()
      out(formatRunResult(down, { allEvents: true, eventLabel: label }))
      return [up, down]
    }

    out('misp-bridge demo: two MISP servers (in-memory emulators on 127.0.0.1)\n')
    out(`  MISP ${e23.version}  ${e23.url}  ${e23.events().length} events\n`)
    out(`  MISP ${e24.version}  ${e24.url}  ${e24.events().length} events\n`)
    out(`  log, archive and state go to ${dir}\n\n`)

    out('1. Sync both ways (2.3 → 2.4, then 2.4 → 2.3), keeping a watermark in the state file.\n')
    out("   Events that came from the other side are already there: they are 'unchanged'.\n")
    const first = await both(state)

    out('\n2. The same again, without the state file: every event is compared, nothing is written twice.\n')
    const second = await both(undefined)

    const edited23 = demoEvents23[1]!.Event['uuid'] as string
    const edited24 = demoEvents24[0]!.Event['uuid'] as string
    tick()
    e23.setEvent(edited23, (e) => {
      e['info'] = `${String(e['info'])} (edited on 2.3)`
    })
    e24.setEvent(edited24, (e) => {
      e['info'] = `${String(e['info'])} (edited on 2.4)`
    })
    out(`\n3. Edited ${edited23} on 2.3 and ${edited24} on 2.4; sync both ways with the state file:\n`)
    out('   only the events changed after the watermark are read, and they are updated.\n')
    const third = await both(state)

    // tags and retractions, each way
    const retracted23 = '5f1c2a3e-0d4b-4c8e-9a1f-23a000000202'
    const retracted24 = '5f1c2a3e-0d4b-4c8e-9a1f-24b000000101'
    tick()
    e23.untagEvent(tagged23, 'tlp:amber')
    e23.tagEvent(tagged23, 'tlp:red')
    e23.deleteAttribute(retracted23)
    e24.untagEvent(edited24, 'tlp:amber')
    e24.tagEvent(edited24, 'tlp:clear')
    e24.deleteAttribute(retracted24)
    out(`\n4. On 2.3: ${tagged23} re-marked tlp:amber → tlp:red, attribute ${retracted23} deleted`)
    out('\n   (MISP 2.3 changes neither event timestamp for that);')
    out(`\n   on 2.4: ${edited24} re-marked tlp:amber → tlp:clear, attribute ${retracted24} deleted.`)
    out('\n   Sync both ways without the state file (a full run compares tags and attributes):\n')
    const fourth = await both(undefined)
    const tagNames = (s: MispEmulator, uuid: string) =>
      s
        .eventTags(uuid)
        .filter((t) => !t.local)
        .map((t) => t.name)
        .sort()
        .join(', ')
    out(
      `   on 2.4, the copy of ${tagged23}: tags ${tagNames(e24, tagged23)}; attribute ${retracted23}: ${e24.attributeState(retracted23)}\n`,
    )
    out(
      `   on 2.3, the copy of ${edited24}: tags ${tagNames(e23, edited24)}; attribute ${retracted24}: ${e23.attributeState(retracted24)}\n`,
    )

    const fifth = await rulesStep(e24, e23, misp24, misp23, logger, label, out)

    const runs = [...first, ...second, ...third, ...fourth, fifth]
    const lines = (await readFile(logFile, 'utf8')).split('\n').filter((l) => l !== '').length
    const files = await countFiles(archiveDir)
    out(
      `\nNow MISP 2.3 holds ${e23.events().length} events and MISP 2.4 holds ${e24.events().length}, each once`,
    )
    out(' (the tlp:red one stays on 2.4).\n')
    out(`  transfer log  ${logFile}  (${lines} lines, one per event attempt)\n`)
    out(
      `  archive       ${archiveDir}/<uuid>/  (${files} files: as read, as sent, as stored, losses, tag and retraction changes)\n`,
    )
    out(`  state         ${stateFile}\n`)
    const sample = (await readdir(join(archiveDir, edited24))).find((f) => f.endsWith('-source.json'))
    if (sample !== undefined)
      out(`Try: ${selfCommand()} convert --to 2.3 ${join(archiveDir, edited24, sample)}\n`)
    return runs.every((r) => r.ok) ? 0 : 1
  } finally {
    await Promise.all([e23.close(), e24.close()])
  }
}

/**
 * Step 5: sharing rules and the arrival policy. A tlp:red event (unpublished, organisation only)
 * and a published tlp:green one appear on 2.4; a sync to 2.3 with the rule
 * `{"tags": {"NOT": ["tlp:red"]}}` holds the first back and publishes the copy of the second
 * without alert e-mails (`arrival.publish: 'quiet'`, the default).
 */
const rulesStep = async (
  e24: MispEmulator,
  e23: MispEmulator,
  misp24: MispClient<'2.4'>,
  misp23: MispClient<'2.3'>,
  logger: TransferLogger,
  label: (uuid: string) => string | undefined,
  out: (s: string) => void,
): Promise<RunResult> => {
  const red = '5f1c2a3e-0d4b-4c8e-9a1f-24c000000001'
  const green = '5f1c2a3e-0d4b-4c8e-9a1f-24c000000002'
  const now = String(Math.floor(Date.now() / 1000))
  const event = (uuid: string, info: string, tag: string, published: boolean, distribution: string) => ({
    Event: {
      uuid,
      info,
      date: '2024-11-24',
      threat_level_id: '1',
      analysis: '1',
      distribution,
      published,
      timestamp: now,
      locked: false,
      Orgc: { name: 'CERT-FR', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000f1' },
      Tag: [{ name: tag, exportable: true }],
      Attribute: [
        {
          type: 'domain',
          category: 'Network activity',
          value: `${uuid.slice(-4)}.example.test`,
          to_ids: true,
        },
      ],
    },
  })
  e24.seed([
    event(red, 'Internal investigation (tlp:red, unpublished, organisation only)', 'tlp:red', false, '0'),
    event(green, 'Published advisory (tlp:green)', 'tlp:green', true, '3'),
  ])
  const alertsBefore = e23.alertEmails().length
  out(`\n5. Two new events on 2.4: ${red} (tlp:red, unpublished, distribution 0) and ${green}`)
  out('\n   (tlp:green, published). Sync 2.4 → 2.3 with the rule {"tags": {"NOT": ["tlp:red"]}}:\n')
  const run = await connect24to23({
    from: misp24,
    to: misp23,
    logger,
    rules: { tags: { NOT: ['tlp:red'] } },
  }).sync({ uuids: [red, green] })()
  out(formatRunResult(run, { allEvents: true, eventLabel: label }))
  out(
    `   on 2.3: ${red} ${e23.event(red) === undefined ? 'held back' : 'present'}; the copy of ${green} published: ${String(e23.event(green)?.['published'])}; alert e-mails the target sent: ${e23.alertEmails().length - alertsBefore} (with --publish as-source it would have e-mailed every subscribed user)\n`,
  )
  return run
}
