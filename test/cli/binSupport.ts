/**
 * Helpers of the tests that spawn the built `misp-bridge` program: the library built
 * (tsconfig.build.json) into a private folder of node_modules/.cache, so that a test neither needs
 * nor overwrites `dist/`; and the program run as a user runs it, `node <build>/cli/main.js …`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface Exit {
  readonly code: number | null
  readonly signal?: NodeJS.Signals | null
  readonly out: string
  readonly err: string
}

export interface NodeOptions {
  readonly env?: Record<string, string>
  readonly input?: string
  readonly cwd?: string
  /** called with the child once it is started (to signal it, or read its output as it comes) */
  readonly started?: (child: ChildProcess) => void
}

/** Runs `node ARGS` with only PATH (and `env`) in its environment; resolves when it exits. */
export const node = (args: ReadonlyArray<string>, options: NodeOptions = {}): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, out, err }))
    child.stdin.end(options.input ?? '')
    options.started?.(child)
  })

/**
 * Builds the library into `node_modules/.cache/<name>` (one folder per test file: test files run
 * in parallel) and answers the path of its bin, `<build>/cli/main.js`.
 */
export const buildBin = async (name: string): Promise<string> => {
  const out = join(ROOT, 'node_modules', '.cache', name)
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const built = await node([tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out])
  if (built.code !== 0) throw new Error(`the build failed:\n${built.out}${built.err}`)
  return join(out, 'cli', 'main.js')
}
