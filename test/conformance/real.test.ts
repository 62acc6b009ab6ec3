/**
 * The conformance scenarios (./scenarios.ts) against REAL MISP 2.3.178 and 2.5.1 — the servers
 * `../shared/real-misp/misp-real up 2.3|2.5` starts, found through `MISP_REAL_23_URL/KEY/SYNC_KEY`
 * and `MISP_REAL_25_URL/KEY`. Skipped, with the command to run, when those are unset.
 *
 * Both servers are used by this one file only (vitest runs files in parallel): every real-server
 * test of the project lives here. The scenarios use fresh uuids and tag names of their own and
 * name their events in every sync, so the servers need no reset and may hold anything else.
 * The id mode is the servers' (`MISP_REAL_NUMERIC_IDS=1` when they were started): `./dev real`
 * runs both.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { startMispEmulator } from '../../src/testing/index.js'
import { missingRealEnv, realBackend, realNumeric, SKIP_REAL } from './backends.js'
import { scenarios } from './scenarios.js'
import { probe } from './shapes.js'

const missing = missingRealEnv()
if (missing.length > 0) console.warn(SKIP_REAL(missing))

const backend = missing.length === 0 ? realBackend() : undefined

describe.runIf(backend !== undefined)(backend?.name ?? SKIP_REAL(missing), () => {
  for (const { name, run, awaiting } of scenarios)
    test.skipIf(awaiting !== undefined)(
      awaiting === undefined ? name : `${name} (waits for ${awaiting})`,
      async () => {
        if (backend !== undefined) await run(backend)
      },
    )
})

/**
 * The emulator answers like the real servers: the exchanges the scenarios make, sent to a real
 * server and to a fresh emulator of its release, reduced to their shapes (./shapes.ts) and
 * compared step by step.
 */
describe.runIf(backend !== undefined)('the emulator answers like the real servers', () => {
  test.each([
    { version: '2.3' as const, url: 'MISP_REAL_23_URL', key: 'MISP_REAL_23_KEY' },
    { version: '2.5' as const, url: 'MISP_REAL_25_URL', key: 'MISP_REAL_25_KEY' },
  ])('MISP $version: every exchange of the probe', async ({ version, url, key }) => {
    const numeric = realNumeric()
    // the emulator's numeric wire is a 2.5 behaviour; a real 2.3 started with numeric ids is
    // compared with digit strings and numbers as one type
    const emu = await startMispEmulator({
      version: version === '2.3' ? '2.3.178' : '2.5',
      role: 'site-admin',
      orgName: 'ADMIN',
      ...(numeric && version === '2.5' ? { numericWire: true } : {}),
    })
    try {
      const seed = {
        ip: `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`,
        tag: `shape-${randomUUID()}`,
      }
      const looseIds = numeric && version === '2.3'
      const real = await probe(
        { url: process.env[url] ?? '', key: process.env[key] ?? '', version, looseIds },
        seed,
      )
      const emulated = await probe({ url: emu.url, key: emu.apiKey, version, looseIds }, seed)
      expect(emulated.map((s) => s.step)).toEqual(real.map((s) => s.step))
      const differing = (shapes: typeof real) =>
        Object.fromEntries(
          shapes
            .filter(
              (s, i) =>
                JSON.stringify(s) !== JSON.stringify(real[i]) ||
                JSON.stringify(s) !== JSON.stringify(emulated[i]),
            )
            .map((s) => [s.step, s]),
        )
      // every step whose answer differs, emulator against real
      expect(differing(emulated)).toEqual(differing(real))
    } finally {
      await emu.close()
    }
  })
})
