/**
 * Replays a property failure: `FC_SEED=<seed> FC_PATH=<path>` (both printed by fast-check when a
 * property fails) make every property in the run start from that seed and, with the path, go
 * straight to the shrunk counterexample. Unset, fast-check picks a fresh seed each run.
 */
import fc from 'fast-check'

const seed = process.env['FC_SEED']
if (seed !== undefined && seed !== '') {
  const path = process.env['FC_PATH']
  fc.configureGlobal({
    ...fc.readConfigureGlobal(),
    seed: Number(seed),
    ...(path !== undefined && path !== '' ? { path } : {}),
  })
}
