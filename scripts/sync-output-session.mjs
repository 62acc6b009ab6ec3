// Reproduces the session that docs/sync-output.md shows, and prints its pieces (run it after
// `npm run build`): a MISP 2.4.199 emulator with the demo's three 2.4 events, a MISP 2.3.178
// emulator whose first create is answered HTTP 500 four times (the in-run recovery's four
// attempts), and `misp-bridge sync` run twice. Writes the pieces into the folder it prints.
//
//   node scripts/sync-output-session.mjs [DIR]
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { demoEvents24 } from '../dist/cli/demo-events.js'
import { startMispEmulator } from '../dist/testing/index.js'

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'mbdoc-'))
mkdirSync(dir, { recursive: true })
const e24 = await startMispEmulator({ version: '2.4.199', events: demoEvents24 })
const e23 = await startMispEmulator({ version: '2.3.178' })
e23.inject(
  { kind: 'status', status: 500 },
  { times: 4, match: { method: 'POST', path: /^\/events(\/add)?$/ } },
)
const sync = (json) => {
  const args = [
    'dist/cli/main.js',
    'sync',
    '--from',
    e24.url,
    '--from-version',
    '2.4',
    '--to',
    e23.url,
    '--to-version',
    '2.3',
    '--log',
    'transfers.jsonl',
    '--archive',
    'archive',
    '--state',
    'state.json',
    '--concurrency',
    '1',
    '--sharing-group-events',
    'skip',
    ...(json ? ['--json'] : []),
  ]
  // (not spawnSync: the emulators answer from this process)
  return new Promise((done) =>
    execFile(
      process.execPath,
      args.map((a) => (a.startsWith('dist/') ? join(process.cwd(), a) : a)),
      {
        cwd: dir,
        env: { ...process.env, MISP_FROM_KEY: e24.apiKey, MISP_TO_KEY: e23.apiKey },
        encoding: 'utf8',
      },
      (error, stdout, stderr) => done({ status: error === null ? 0 : error.code, stdout, stderr }),
    ),
  )
}
const run1 = await sync(true)
writeFileSync(join(dir, 'run1.json'), run1.stdout)
const state1 = readFileSync(join(dir, 'state.json'), 'utf8')
writeFileSync(join(dir, 'state1.json'), state1)
const run2 = await sync(false)
writeFileSync(join(dir, 'run2.txt'), run2.stdout)
const listing = readdirSync(join(dir, 'archive'))
  .sort()
  .flatMap((u) => [
    `${u}/`,
    ...readdirSync(join(dir, 'archive', u))
      .sort()
      .map((f) => `  ${f}`),
  ])
writeFileSync(join(dir, 'archive.txt'), `${listing.join('\n')}\n`)
console.log(`dir ${dir}\nrun 1 exit ${run1.status}, run 2 exit ${run2.status}`)
console.log(`from ${e24.url} to ${e23.url}`)
await Promise.all([e24.close(), e23.close()])
