/**
 * How the CLI and a config file reach a server through TLS options: a CA file (`ca`), a client
 * certificate and key (`clientCert`, `clientKey`) and an HTTP(S) proxy (`proxy`), turned into
 * the undici@7 dispatcher `MispClient` takes. undici is an optional peer dependency: it is
 * loaded only when one of these options is set.
 *
 * @internal
 */
import { readFile } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'

/** The TLS and proxy options of a server (paths already resolved). */
export interface TlsOptions {
  readonly ca?: string
  readonly clientCert?: string
  readonly clientKey?: string
  readonly proxy?: string
}

type TlsName = keyof TlsOptions

const readPem = async (file: string, at: string): Promise<E.Either<string, string>> => {
  try {
    const text = await readFile(file, 'utf8')
    return text.includes('-----BEGIN ')
      ? E.right(text)
      : E.left(`${at} ${file} is not a PEM file (no "-----BEGIN" line)`)
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return E.left(`cannot read ${at} ${file}${typeof code === 'string' ? ` (${code})` : ''}`)
  }
}

interface Undici {
  readonly Agent: new (options: object) => object
  readonly ProxyAgent: new (options: object) => object
}

const loadUndici = async (): Promise<Undici | undefined> => {
  try {
    return (await import('undici')) as unknown as Undici
  } catch {
    return undefined
  }
}

/**
 * The dispatcher for a server's TLS options, `undefined` when none is set (Node's defaults:
 * its CA store, plus `NODE_EXTRA_CA_CERTS`). `Left` names the option with `at(name)`. Verification
 * stays on: a `ca` replaces the trusted CAs for that server.
 */
export const dispatcherOf = async (
  options: TlsOptions,
  at: (name: TlsName) => string,
): Promise<E.Either<string, object | undefined>> => {
  if (Object.values(options).every((v) => v === undefined)) return E.right(undefined)
  if ((options.clientCert === undefined) !== (options.clientKey === undefined))
    return E.left(
      `${at(options.clientCert === undefined ? 'clientCert' : 'clientKey')} is required with ${at(options.clientCert === undefined ? 'clientKey' : 'clientCert')}`,
    )
  const files = await Promise.all(
    (['ca', 'clientCert', 'clientKey'] as const).map(async (name) => {
      const file = options[name]
      return [name, file === undefined ? E.right(undefined) : await readPem(file, at(name))] as const
    }),
  )
  const errors = files.flatMap(([, r]) => (E.isLeft(r) ? [r.left] : []))
  if (errors.length > 0) return E.left(errors.join('\n'))
  const pem = Object.fromEntries(files.map(([name, r]) => [name, E.isRight(r) ? r.right : undefined]))
  const undici = await loadUndici()
  if (undici === undefined)
    return E.left(
      `${at(options.ca !== undefined ? 'ca' : options.proxy !== undefined ? 'proxy' : 'clientCert')} needs the optional package undici@7 next to misp-bridge (npm install undici@7)${
        options.ca !== undefined ? '; for a CA only, NODE_EXTRA_CA_CERTS=FILE works without it' : ''
      }`,
    )
  const tls = {
    ...(pem['ca'] === undefined ? {} : { ca: pem['ca'] }),
    ...(pem['clientCert'] === undefined ? {} : { cert: pem['clientCert'], key: pem['clientKey'] }),
  }
  return E.right(
    options.proxy === undefined
      ? new undici.Agent({ connect: tls })
      : new undici.ProxyAgent({ uri: options.proxy, requestTls: tls }),
  )
}
