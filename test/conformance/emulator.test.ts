/**
 * The conformance scenarios (./scenarios.ts) against the emulators: MISP 2.3.178 and 2.5, in
 * both id modes (ids and timestamps as JSON strings, and as numbers — what a real MISP on PHP ≥
 * 8.1 answers without `PDO::ATTR_STRINGIFY_FETCHES`). The same scenarios run against real MISP
 * servers in ./real.test.ts; they must end the same.
 */
import { afterAll, beforeAll, describe, test } from 'vitest'
import { type Backend, emulatorBackend } from './backends.js'
import { scenarios } from './scenarios.js'

describe.each([
  { mode: 'string ids', numeric: false },
  { mode: 'numeric ids', numeric: true },
])('emulators ($mode)', ({ numeric }) => {
  let b: Backend
  beforeAll(async () => {
    b = await emulatorBackend(numeric)
  })
  afterAll(async () => {
    await b?.close()
  })
  for (const { name, run, awaiting } of scenarios)
    test.skipIf(awaiting !== undefined)(
      awaiting === undefined ? name : `${name} (waits for ${awaiting})`,
      async () => {
        await run(b)
      },
    )
})
