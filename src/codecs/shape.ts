/**
 * What every wire codec is: the `WireC` type and the {@link Shape} registry that lets code walk a
 * model generically (test generators, docs). The leaves are in `wire.ts`, the combinators in
 * `combinators.ts` (which build on this module; it imports neither); `wire.ts` exports all three.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/**
 * A codec whose decoded value is the canonical wire value, so that `encode` is the identity.
 *
 * @category model
 * @since 0.1.0
 */
export type WireC<A> = t.Type<A, A, unknown>

/**
 * A wire codec of any decoded type.
 *
 * @category model
 * @since 0.1.0
 */
// biome-ignore lint/suspicious/noExplicitAny: a codec of any decoded type (WireC is invariant in A)
export type AnyWireC = WireC<any>

/**
 * Props of a wire struct: field name → codec.
 *
 * @category combinators
 * @since 0.1.0
 */
export type WireProps = Readonly<Record<string, AnyWireC>>

/**
 * The shape of a wire codec, for code that walks models generically (test generators, docs).
 *
 * @category model
 * @since 0.1.0
 */
export type Shape =
  | { readonly kind: 'leaf'; readonly name: string }
  | { readonly kind: 'level'; readonly levels: ReadonlyArray<string> }
  | { readonly kind: 'nullable'; readonly inner: AnyWireC }
  | { readonly kind: 'orEmpty'; readonly inner: AnyWireC }
  | { readonly kind: 'either'; readonly members: readonly [AnyWireC, AnyWireC] }
  | { readonly kind: 'array'; readonly item: AnyWireC }
  | { readonly kind: 'struct'; readonly required: WireProps; readonly optional: WireProps }

const shapes = new WeakMap<object, Shape>()

/** Records a codec's shape (for the combinators and leaves that build codecs). @internal */
export const described = <C extends object>(codec: C, shape: Shape): C => {
  shapes.set(codec, shape)
  return codec
}

/**
 * The {@link Shape} of a codec built by this module.
 *
 * @category model
 * @since 0.1.0
 */
export const shapeOf = (codec: AnyWireC): Shape => shapes.get(codec) ?? { kind: 'leaf', name: codec.name }

/** A JSON object (not an array, not null). @internal */
export const isPlainRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)
