/**
 * A server's API key, from the environment variable or the file the config names. The key is
 * never in a message.
 *
 * @since 0.2.0
 */
import { readFile, stat } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import type { ServerConfig } from './BridgeConfig.js'

/**
 * Reads a key file: its trimmed content, and whether users other than its owner may read it.
 * `Left` names `at` and the problem (missing, unreadable, empty), never the content.
 *
 * @internal
 */
export const readKeyFile = async (
  file: string,
  at: string,
): Promise<E.Either<string, { readonly key: string; readonly othersMayRead: boolean }>> => {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)])
    const key = text.replace(/^\uFEFF/, '').trim()
    return key === ''
      ? E.left(`${at} ${file} is empty`)
      : E.right({ key, othersMayRead: (info.mode & 0o044) !== 0 })
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return E.left(`cannot read ${at} ${file}${typeof code === 'string' ? ` (${code})` : ''}`)
  }
}

/**
 * The API key of a config file's server: the environment variable `keyEnv` (from `env`) or the
 * file `keyFile`. `Left` says what is missing, naming the server's path in the file.
 *
 * @example
 * const key = await serverKey(config.servers[0], process.env)
 *
 * @category utils
 * @since 0.2.0
 */
export const serverKey = async (
  server: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<E.Either<string, string>> => {
  const at = `servers.${server.name}`
  if (server.keyFile !== undefined) {
    const read = await readKeyFile(server.keyFile, `${at}.keyFile`)
    return E.isLeft(read) ? read : E.right(read.right.key)
  }
  const variable = server.keyEnv ?? ''
  const value = env[variable]?.trim()
  return value === undefined || value === ''
    ? E.left(
        `${at}.keyEnv: the environment variable ${variable} is not set (it holds ${server.name}'s API key)`,
      )
    : E.right(value)
}
