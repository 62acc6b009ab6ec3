/**
 * Sync a MISP 2.4/2.5 server into a MISP 2.3 server: a dry run first, then the real run, with a
 * JSON Lines transfer log and an archive of every event's JSON. Sharing-group events are
 * skipped; the losses (what 2.3 cannot hold) are reported per event.
 *
 * Run it with `node examples/sync-24-to-23.mjs` from a clone, once `npm install` (or `npm run build`)
 * has built dist/: plain JavaScript with JSDoc types (type-checked by CI), so any Node.js that
 * `engines` allows (>= 22.0) runs it; no type stripping needed.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { formatLoss, MispClient } from 'misp-bridge'
import { combineLoggers, connect24to23, directoryArchive, jsonLinesLog } from 'misp-bridge/sync'
import { startMispEmulator } from 'misp-bridge/testing'

const APT = '6c1d2e3f-0a1b-4c2d-8e3f-000000000001'
const SHARED = '6c1d2e3f-0a1b-4c2d-8e3f-000000000002'

const events = [
  {
    Event: {
      uuid: APT,
      info: 'APT infrastructure',
      distribution: '2',
      timestamp: '1732000100',
      Orgc: { name: 'CERT-FR', uuid: '6c1d2e3f-0a1b-4c2d-8e3f-0000000000f1' },
      Tag: [{ name: 'tlp:amber' }],
      Attribute: [
        {
          uuid: '6c1d2e3f-0a1b-4c2d-8e3f-00000000a001',
          type: 'domain',
          category: 'Network activity',
          value: 'c2.example.test',
          distribution: '5',
        },
        {
          uuid: '6c1d2e3f-0a1b-4c2d-8e3f-00000000a002',
          type: 'sha512',
          category: 'Payload delivery',
          value: 'ab'.repeat(64),
          distribution: '5',
        },
      ],
    },
  },
  {
    Event: {
      uuid: SHARED,
      info: 'Shared with the Finance ISAC only',
      distribution: '4',
      sharing_group_id: '1',
      timestamp: '1732000200',
      SharingGroup: { name: 'Finance ISAC', uuid: '6c1d2e3f-0a1b-4c2d-8e3f-0000000005a1' },
      Attribute: [
        {
          uuid: '6c1d2e3f-0a1b-4c2d-8e3f-00000000b001',
          type: 'ip-dst',
          category: 'Network activity',
          value: '203.0.113.7',
        },
      ],
    },
  },
]

export async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'misp-bridge-example-'))
  const misp24 = await startMispEmulator({ version: '2.4.199', events })
  const misp23 = await startMispEmulator({ version: '2.3.178', role: 'org-admin' }) // 2.3's stock "Sync user" may not tag
  try {
    const from = new MispClient({ url: misp24.url, key: misp24.apiKey, version: '2.4' })
    const to = new MispClient({ url: misp23.url, key: misp23.apiKey, version: '2.3' })
    const logger = combineLoggers(
      directoryArchive(join(dir, 'archive')),
      jsonLinesLog(join(dir, 'transfers.jsonl')),
    )
    const bridge = connect24to23({ from, to, logger, sharingGroupEvents: 'skip' })

    const dry = await bridge.sync({ dryRun: true })() // reads, converts, looks up; writes nothing
    const afterDryRun = misp23.events().length
    const run = await bridge.sync()()
    const apt = run.events.find((e) => e.uuid === APT)
    return {
      dryRun: dry.counts,
      afterDryRun,
      run: run.counts,
      skipped: run.events.filter((e) => e.outcome === 'skipped').map((e) => e.reason),
      dropped: (apt?.losses ?? []).filter((l) => l._tag === 'AttributeDropped').map(formatLoss),
      on23: misp23.events().map((e) => [e['info'], e['orgc'], e['distribution']]),
      logLines: (await readFile(join(dir, 'transfers.jsonl'), 'utf8')).trim().split('\n').length,
      archived: (await readdir(join(dir, 'archive', APT))).map((f) => f.replace(/^.*Z-/, '')).sort(),
    }
  } finally {
    await Promise.all([misp24.close(), misp23.close()])
    await rm(dir, { recursive: true, force: true })
  }
}

// run as a program (not imported): print the result
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  console.dir(await main(), { depth: 4 })
