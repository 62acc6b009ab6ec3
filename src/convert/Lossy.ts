/**
 * `Lossy<A>`: a value together with the report of what was lost making it (fp-ts `These` /
 * `Writer` in a plain record).
 *
 * @since 0.1.0
 */
import type { Loss } from './Loss.js'

/**
 * @category model
 * @since 0.1.0
 */
export interface Lossy<A> {
  readonly value: A
  readonly losses: ReadonlyArray<Loss>
}

/**
 * A value made without any loss.
 *
 * @category constructors
 * @since 0.1.0
 */
export const exact = <A>(value: A): Lossy<A> => ({ value, losses: [] })

/**
 * @category combinators
 * @since 0.1.0
 */
export const map =
  <A, B>(f: (a: A) => B) =>
  (fa: Lossy<A>): Lossy<B> => ({ value: f(fa.value), losses: fa.losses })
