/**
 * Sync a MISP 2.3 server into a MISP 2.4/2.5 server, resumably.
 *
 * The example starts its own two MISP emulators (`misp-bridge/testing`); against real servers,
 * only the two `MispClient`s change.
 *
 * Run it with `node examples/sync-23-to-24.mjs` from a clone, once `npm install` (or `npm run build`)
 * has built dist/: plain JavaScript with JSDoc types (type-checked by CI), so any Node.js that
 * `engines` allows (>= 22.0) runs it; no type stripping needed.
 */
import { pathToFileURL } from 'node:url'
import { MispClient } from 'misp-bridge'
import { connect23to24, memoryLogger, memoryStateStore } from 'misp-bridge/sync'
import { startMispEmulator } from 'misp-bridge/testing'

/**
 * @param {number} n
 * @param {string} uuid
 */
const event = (n, uuid) => ({
  Event: {
    uuid,
    info: `Phishing wave #${n}`,
    date: '2024-11-20',
    distribution: '1',
    threat_level_id: '2',
    analysis: '1',
    published: true,
    timestamp: String(1_732_000_000 + n),
    orgc: 'CIRCL',
    Attribute: [
      {
        uuid: `${uuid.slice(0, -4)}a00${n}`,
        type: 'url',
        category: 'Network activity',
        value: `https://lure-${n}.example.test/login`,
        to_ids: true,
        distribution: '1',
        timestamp: String(1_732_000_000 + n),
      },
    ],
  },
})

export async function main() {
  const misp23 = await startMispEmulator({
    version: '2.3.178',
    events: [
      event(1, '0b7c3a10-5d1e-4c7a-9f00-000000000001'),
      event(2, '0b7c3a10-5d1e-4c7a-9f00-000000000002'),
    ],
  })
  const misp24 = await startMispEmulator({ version: '2.5' })
  try {
    const from = new MispClient({ url: misp23.url, key: misp23.apiKey, version: '2.3' })
    const to = new MispClient({ url: misp24.url, key: misp24.apiKey, version: '2.4' })
    const log = memoryLogger()
    const state = memoryStateStore() // fileStateStore('bridge.state.json') to survive restarts
    const bridge = connect23to24({ from, to, logger: log, state, convert: { distribution: 'preserve' } })

    const first = await bridge.sync()() // every event: created on 2.5, locked, Orgc by name
    misp23.seed([event(3, '0b7c3a10-5d1e-4c7a-9f00-000000000003')]) // a new event on 2.3
    const second = await bridge.sync()() // only what changed after the watermark
    return {
      first: first.counts,
      second: second.counts,
      watermark: second.watermark?.after,
      log: log.records.map((r) => `${r.uuid} ${r.outcome} → #${r.targetId}`),
      onTarget: misp24
        .events()
        .map((e) => [e['info'], /** @type {{ name?: string }} */ (e['Orgc']).name, e['distribution']]),
    }
  } finally {
    await Promise.all([misp23.close(), misp24.close()])
  }
}

// run as a program (not imported): print the result
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  console.dir(await main(), { depth: 4 })
