/**
 * The model of a misp-bridge config file: servers (where, which format, where the key comes
 * from, TLS), links (one direction between two servers, on a schedule, with the options of
 * `sync`), and where the state, log, archive and metrics go. Read and checked by
 * {@link loadConfig}.
 *
 * @since 0.2.0
 */
import type { ApiVersion } from '../client/ServerVersion.js'
import type { LinkOptions } from './linkOptions.js'

/**
 * A server of the config file. The key is never in the file: it comes from the environment
 * variable `keyEnv` or from the file `keyFile` (exactly one of them).
 *
 * @category model
 * @since 0.2.0
 */
export interface ServerConfig {
  /** its name in the file (`servers.<name>`) */
  readonly name: string
  /** the MISP base URL */
  readonly url: string
  /** the wire format: `'2.3'` for MISP 2.3, `'2.4'` for MISP 2.4 and 2.5 */
  readonly version: ApiVersion
  /** the environment variable that holds the API key */
  readonly keyEnv?: string
  /** the file that holds the API key (absolute) */
  readonly keyFile?: string
  /** a PEM file of the CA(s) to trust for this server instead of the system's (absolute) */
  readonly ca?: string
  /** a client certificate (PEM, absolute), with `clientKey` */
  readonly clientCert?: string
  /** the client certificate's private key (PEM, absolute) */
  readonly clientKey?: string
  /** an HTTP(S) proxy URL */
  readonly proxy?: string
}

/**
 * A link: events move from server `from` to server `to` with `options` (the options of `sync`,
 * the config file's top-level ones as defaults; `state` is always set).
 *
 * @category model
 * @since 0.2.0
 */
export interface LinkConfig {
  /** unique in the file; `run --link NAME` */
  readonly name: string
  /** its position in the file, for messages: `links[0]` */
  readonly path: string
  readonly from: ServerConfig
  readonly to: ServerConfig
  /** how often `daemon` runs it, in milliseconds (absent: `daemon` refuses the link) */
  readonly every?: number
  readonly options: LinkOptions & { readonly state: string }
}

/**
 * A checked config file. Paths are absolute (relative ones were resolved against the file's
 * folder).
 *
 * @category model
 * @since 0.2.0
 */
export interface BridgeConfig {
  /** the config file (absolute) */
  readonly file: string
  readonly servers: ReadonlyArray<ServerConfig>
  readonly links: ReadonlyArray<LinkConfig>
  /** the Prometheus text file rewritten after each run (node_exporter textfile collector) */
  readonly metrics?: string
  /** what is allowed but worth a look: a key file other users can read, … (`path: message`) */
  readonly warnings: ReadonlyArray<ConfigProblem>
}

/**
 * One problem in a config file, at a path such as `links[0].tags` or `servers.hub.keyFile`; the
 * message names the path too (`links[0].tags must be mirror or add-only or none, got "all"`).
 *
 * @category model
 * @since 0.2.0
 */
export interface ConfigProblem {
  readonly path: string
  readonly message: string
}

/**
 * A config file that cannot be used: every problem found, not only the first.
 *
 * @category model
 * @since 0.2.0
 */
export interface ConfigError {
  readonly _tag: 'ConfigError'
  readonly file: string
  readonly problems: ReadonlyArray<ConfigProblem>
}

/**
 * A config error for people: one line per problem, `file: message`.
 *
 * @category utils
 * @since 0.2.0
 */
export const formatConfigError = (e: ConfigError): string =>
  e.problems.map((p) => `${e.file}: ${p.message}`).join('\n')
