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
import { describe, test } from 'vitest'
import { missingRealEnv, realBackend, SKIP_REAL } from './backends.js'
import { scenarios } from './scenarios.js'

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
