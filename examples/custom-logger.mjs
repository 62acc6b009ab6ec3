/**
 * Your own transfer log: anything with a `name` and a `log(attempt)` that answers an `Either`.
 * `transferLogger(name, async fn)` makes one from an async function (a rejection becomes a
 * `LogError`). Here: a CSV audit trail next to the in-memory log — and what happens when a logger
 * fails: the event is reported `failed` (`LogFailed`) and the run stops, loudly.
 *
 * Run it with `node examples/custom-logger.mjs` from a clone, once `npm install` (or `npm run build`)
 * has built dist/: plain JavaScript with JSDoc types (type-checked by CI), so any Node.js that
 * `engines` allows (>= 22.0) runs it; no type stripping needed.
 */
import { pathToFileURL } from 'node:url'
import { MispClient } from 'misp-bridge'
import { combineLoggers, connect23to24, memoryLogger, transferLogger } from 'misp-bridge/sync'
import { startMispEmulator } from 'misp-bridge/testing'

export async function main() {
  const misp23 = await startMispEmulator({
    version: '2.3.178',
    events: [1, 2, 3].map((n) => ({
      Event: {
        uuid: `7d2e3f40-1b2c-4d3e-9f40-00000000000${n}`,
        info: `event ${n}`,
        timestamp: String(1_732_000_000 + n),
        distribution: '1',
      },
    })),
  })
  const misp24 = await startMispEmulator({ version: '2.4.199' })
  try {
    const from = new MispClient({ url: misp23.url, key: misp23.apiKey, version: '2.3' })
    const to = new MispClient({ url: misp24.url, key: misp24.apiKey, version: '2.4' })

    /** @type {Array<string>} */
    const csv = ['at,uuid,direction,outcome,targetId,losses']
    const csvLogger = transferLogger('csv', async ({ record: r }) => {
      csv.push([r.at, r.uuid, r.direction, r.outcome, r.targetId ?? '', r.losses.total].join(','))
    })
    const ok = await connect23to24({ from, to, logger: combineLoggers(csvLogger, memoryLogger()) }).sync({
      uuids: ['7d2e3f40-1b2c-4d3e-9f40-000000000001'],
    })()

    // a logger that cannot store its records: nothing may count as done without its record
    const full = transferLogger('full-disk', async () => {
      throw new Error('ENOSPC: no space left on device')
    })
    const loud = await connect23to24({ from, to, logger: full, concurrency: 1 }).sync()()
    return {
      csv,
      ok: ok.counts,
      loud: {
        ok: loud.ok,
        stopped: loud.stopped,
        first: loud.events[0]?.error,
        notAttempted: loud.notAttempted.length,
      },
    }
  } finally {
    await Promise.all([misp23.close(), misp24.close()])
  }
}

// run as a program (not imported): print the result
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  console.dir(await main(), { depth: 4 })
