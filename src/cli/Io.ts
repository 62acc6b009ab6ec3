/**
 * What the CLI talks to: its output streams, input, environment and an interruption signal. The
 * bin passes the process's; tests pass their own and call `main` in-process.
 *
 * @since 0.1.0
 */

/**
 * The CLI's exit status: 0 all transferred (or unchanged/skipped by policy), 1 some events
 * failed, 2 bad usage or configuration.
 *
 * @category model
 * @since 0.1.0
 */
export type ExitCode = 0 | 1 | 2

/**
 * A writable text stream; `isTTY` turns progress lines on (stderr only).
 *
 * @category model
 * @since 0.1.0
 */
export interface TextOut {
  readonly write: (text: string) => unknown
  readonly isTTY?: boolean
}

/**
 * The CLI's surroundings.
 *
 * @category model
 * @since 0.1.0
 */
export interface Io {
  readonly stdout: TextOut
  readonly stderr: TextOut
  /** read by `convert -` (or `convert` without a file) */
  readonly stdin: AsyncIterable<string | Uint8Array>
  /** `MISP_FROM_KEY`, `MISP_TO_KEY` are read from here */
  readonly env: Readonly<Record<string, string | undefined>>
  /** relative paths are resolved against it (default: the process's) */
  readonly cwd?: string
  /** fires on Ctrl-C: the sync stops starting events, running ones finish */
  readonly signal?: AbortSignal
}

/**
 * The process's streams and environment.
 *
 * @category constructors
 * @since 0.1.0
 */
export const processIo = (signal?: AbortSignal): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  ...(signal === undefined ? {} : { signal }),
})
