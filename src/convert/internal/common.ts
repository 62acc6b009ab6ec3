/**
 * Steps both conversion directions share: distribution changes, the `locked` flag and the
 * optional timestamp shift. Each writes the target field and reports what it changed.
 */
import type { ConvertOptions } from '../ConvertOptions.js'
import { resolveTable } from '../DistributionPolicy.js'
import type { Loss } from '../Loss.js'

/** Per-conversion state: the chosen table and where losses go. */
export interface Run {
  readonly losses: Array<Loss>
  readonly table: ReturnType<typeof resolveTable>['table']
  readonly decrement: boolean
}

export const startRun = (options: ConvertOptions | undefined): Run => {
  const { table, problems } = resolveTable(options?.distribution)
  const losses: Array<Loss> = []
  if (problems.length > 0) losses.push({ _tag: 'PolicyRejected', path: 'options.distribution', problems })
  return { losses, table, decrement: options?.timestamps === 'decrement' }
}

/** Writes `to` as the distribution and reports it when it differs from `from`. */
export const setDistribution = (
  run: Run,
  target: Record<string, unknown>,
  path: string,
  from: string | undefined,
  to: string,
): void => {
  target['distribution'] = to
  if (from !== to)
    run.losses.push({
      _tag: 'DistributionChanged',
      path: `${path}.distribution`,
      from,
      to,
      policy: run.table.name,
    })
}

/** Synced copies are `locked: true` (`Event::_edit@v2.4.199:4075-4160`). */
export const lock = (
  run: Run,
  target: Record<string, unknown>,
  path: string,
  from: boolean | undefined,
): void => {
  target['locked'] = true
  if (from !== true)
    run.losses.push({
      _tag: 'ValueChanged',
      path: `${path}.locked`,
      from,
      to: true,
      reason: 'a synced copy is locked, so that sync users may update it',
    })
}

/** With `timestamps: 'decrement'`, moves a copied timestamp back by one second (MISP's mangle trick). */
export const shiftTimestamp = (run: Run, target: Record<string, unknown>, path: string): void => {
  const ts = target['timestamp']
  if (!run.decrement || typeof ts !== 'string' || ts === '0') return
  const to = String(Number(ts) - 1)
  target['timestamp'] = to
  run.losses.push({
    _tag: 'ValueChanged',
    path: `${path}.timestamp`,
    from: ts,
    to,
    reason: 'timestamps: decrement, so that a later genuine change on the source still wins',
  })
}
