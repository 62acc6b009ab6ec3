/**
 * Options shared by {@link downgrade} and {@link upgrade}.
 *
 * @since 0.1.0
 */
import type { DistributionOption } from './DistributionPolicy.js'

/**
 * @category model
 * @since 0.1.0
 */
export interface ConvertOptions {
  /**
   * How sharing levels map: a preset (`'organisation-only'`, the default; `'preserve'`;
   * `'misp-push'`; `'misp-pull'`) or a custom table. A table that could widen sharing is refused
   * (reported as `PolicyRejected`) and `organisation-only` is used.
   */
  readonly distribution?: DistributionOption
  /**
   * `'keep'` (default): source timestamps are kept, so the target accepts the copy exactly when
   * the source changed. `'decrement'`: every copied timestamp is moved back by one second, as
   * MISP's own 2.3 "mangle" push did, so that a later genuine push of the same event still wins.
   */
  readonly timestamps?: 'keep' | 'decrement'
}
