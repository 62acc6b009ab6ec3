/**
 * The README's quick start, type-checked and run by CI: convert one event and read its losses,
 * then move events from a MISP 2.4 server to a MISP 2.3 server with a transfer log. `quickStart`
 * is the README's code; `main` runs it against two emulators standing in for real servers.
 *
 * Run it with `node examples/quick-start.mjs` from a clone, once `npm install` (or `npm run build`)
 * has built dist/: plain JavaScript with JSDoc types (type-checked by CI), so any Node.js that
 * `engines` allows (>= 22.0) runs it; no type stripping needed. It prints what the README's code
 * prints: the converted event's summary, its losses, and the run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  connect24to23,
  decodeEvent24,
  downgrade,
  formatLoss,
  formatRunResult,
  jsonLinesLog,
  MispClient,
} from 'misp-bridge'
import { startMispEmulator } from 'misp-bridge/testing'

/** @typedef {import('misp-bridge').RunResult} RunResult */
/** @typedef {{ readonly url: string, readonly key: string }} Server */
/** @typedef {{ readonly misp24: Server, readonly misp23: Server }} Servers */

/**
 * @param {string} json one MISP 2.4 event
 * @param {Servers} servers
 * @param {string} log the transfer log's path
 * @returns {Promise<RunResult>}
 */
export const quickStart = async (json, servers, log) => {
  // convert one event, and see what 2.3 cannot hold
  const e = decodeEvent24(JSON.parse(json)) // Either<DecodeFailure, V24.Event>
  if (e._tag === 'Right') {
    const { value, losses } = downgrade(e.right, { distribution: 'preserve' })
    console.log(value.info, value.Attribute?.length ?? 0, 'attributes')
    for (const l of losses) console.error(formatLoss(l))
  }

  // move events from a 2.4 server to a 2.3 server
  const from = new MispClient({ url: servers.misp24.url, key: servers.misp24.key, version: '2.4' })
  const to = new MispClient({ url: servers.misp23.url, key: servers.misp23.key, version: '2.3' })
  // against real servers: new MispClient({ url: 'https://misp24.example.org/', key: process.env.MISP_FROM_KEY ?? '', version: '2.4' })
  const bridge = connect24to23({ from, to, logger: jsonLinesLog(log) })
  const run = await bridge.sync({ since: '7d' })() // a Task: never rejects
  console.log(formatRunResult(run))
  return run
}

/** @returns {Promise<{ run: RunResult, logLines: number }>} */
export const main = async () => {
  const now = Math.floor(Date.now() / 1000)
  const event = {
    Event: {
      uuid: '3f1c9a2e-7b4d-4e8a-9c1f-000000000001',
      info: 'Quick start',
      distribution: '1',
      timestamp: String(now - 3600),
      Orgc: { name: 'CIRCL' },
      Attribute: [
        {
          uuid: '3f1c9a2e-7b4d-4e8a-9c1f-00000000a001',
          type: 'url',
          category: 'Network activity',
          value: 'http://phish.example.test/',
        },
        {
          uuid: '3f1c9a2e-7b4d-4e8a-9c1f-00000000a002',
          type: 'btc',
          category: 'Financial fraud',
          value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
        },
      ],
    },
  }
  const [misp24, misp23] = await Promise.all([
    startMispEmulator({ version: '2.5', events: [event] }),
    startMispEmulator({ version: '2.3.178', role: 'org-admin' }), // 2.3's stock "Sync user" may not tag
  ])
  const dir = await mkdtemp(join(tmpdir(), 'misp-bridge-quick-start-'))
  try {
    const servers = {
      misp24: { url: misp24.url, key: misp24.apiKey },
      misp23: { url: misp23.url, key: misp23.apiKey },
    }
    const run = await quickStart(JSON.stringify(event), servers, join(dir, 'transfers.jsonl'))
    const logLines = (await readFile(join(dir, 'transfers.jsonl'), 'utf8')).trim().split('\n').length
    return { run, logLines }
  } finally {
    await Promise.all([misp24.close(), misp23.close(), rm(dir, { recursive: true, force: true })])
  }
}

// run as a program (not imported): the README's code prints its own output
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { logLines } = await main()
  console.log(`transfer log: ${logLines} line(s)`)
}
