/**
 * The state and helpers every call of one client shares: its transport, budgets, redaction, the
 * server's remembered release, and the error builders. The per-concept modules (`events.ts`,
 * `tags.ts`, `attributes.ts`) take a {@link Core}; `MispClient` only wires them.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { type DecodeFailure, decodeFailure } from '../../DecodeFailure.js'
import type { CallOptions, Timeouts } from '../MispClientOptions.js'
import type { MispError, RequestInfo } from '../MispError.js'
import { capabilities, parseServerVersion, type ServerVersion } from '../ServerVersion.js'
import { errorText, failureOf, jsonOf, okWithErrorBody, unexpected } from './answers.js'
import { isRecord } from './args.js'
import type { AnyEvent, Flavour } from './flavours.js'
import { redactDeep } from './redact.js'
import type { Answer, Transport } from './transport.js'

/** What a call body resolves to. */
export type Result<A> = Promise<E.Either<MispError, A>>

/** The shared state of one client. */
export class Core {
  serverVersion: Promise<E.Either<MispError, ServerVersion>> | undefined

  constructor(
    readonly apiVersion: '2.3' | '2.4',
    readonly flavour: Flavour,
    readonly url: string,
    readonly redact: (s: string) => string,
    readonly timeouts: Timeouts,
    readonly transport: Transport | undefined,
    readonly configError: string | undefined,
  ) {}

  get is23(): boolean {
    return this.apiVersion === '2.3'
  }

  /**
   * Runs a call body: configuration errors, redaction of every error, and no rejection ever. An
   * exception inside the body is a `TransportError` with reason `internal`: not a network failure
   * and not transient, since it may come after a write was sent (nothing may re-send it blindly).
   */
  run<A>(method: string, path: string, body: (t: Transport) => Result<A>): TE.TaskEither<MispError, A> {
    return async () => {
      const t = this.transport
      if (t === undefined) return this.invalid(method, path, 'options', this.configError ?? 'invalid options')
      try {
        const r = await body(t)
        return E.isLeft(r) ? E.left(redactDeep(r.left, this.redact)) : r
      } catch (e) {
        let message: string
        try {
          message = this.redact(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
        } catch {
          message = 'an exception that cannot be shown'
        }
        return E.left({
          _tag: 'TransportError',
          request: this.request(method, path),
          reason: 'internal',
          message: `unexpected client failure: ${message}`,
        })
      }
    }
  }

  request(method: string, path: string): RequestInfo {
    const t = this.transport
    if (t !== undefined) {
      try {
        return t.requestInfo(method, path)
      } catch {
        // fall through
      }
    }
    return { method, url: this.redact(`${this.url}${path}`) }
  }

  invalid<A>(
    method: string,
    path: string,
    argument: string,
    message: string,
    failure?: DecodeFailure,
  ): E.Either<MispError, A> {
    return E.left(
      redactDeep(
        {
          _tag: 'InvalidArgument',
          request: this.request(method, path),
          argument,
          message,
          ...(failure === undefined ? {} : { failure }),
        } satisfies MispError,
        this.redact,
      ),
    )
  }

  /** The call's time budget: its own valid `timeout`, else its class's. */
  budget(options: CallOptions | undefined, kind: keyof Timeouts): number {
    const t = options?.timeout
    return typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : this.timeouts[kind]
  }

  check(method: string, path: string, event: unknown): E.Either<MispError, AnyEvent> {
    const r = this.flavour.check(event)
    return E.isRight(r)
      ? r
      : this.invalid(method, path, 'event', `not a valid ${this.flavour.model}; nothing was sent`, r.left)
  }

  shape(a: Answer, failure: DecodeFailure): MispError {
    const base = unexpected(a, `the body is not a valid ${failure.model}`)
    return base._tag === 'UnexpectedResponse' ? { ...base, failure } : base
  }

  /** An `UnexpectedResponse` naming one missing or wrong member of the answer. */
  missing(
    a: Answer,
    path: string,
    model: string = this.flavour.model,
    expected = 'NumericString',
  ): MispError {
    return this.shape(a, decodeFailure(model, [{ path, expected, actual: undefined }]))
  }

  decodeEvent(a: Answer): E.Either<MispError, AnyEvent> {
    const json = jsonOf(a)
    if (E.isLeft(json)) return json
    const okError = okWithErrorBody(a)
    if (okError !== undefined) return E.left(failureOf(a))
    const event = this.flavour.decodeEvent(json.right)
    return E.isLeft(event) ? E.left(this.shape(a, event.left)) : event
  }

  topErrors(a: Answer): { readonly errors?: unknown } {
    if (a.body._tag !== 'Json' || !isRecord(a.body.value)) return {}
    const errors = a.body.value['errors']
    return errors === undefined || (Array.isArray(errors) && errors.length === 0) ? {} : { errors }
  }

  async fetchVersion(t: Transport, options: CallOptions | undefined): Result<ServerVersion> {
    const answer = await t.send({
      method: 'GET',
      path: 'servers/getVersion',
      idempotent: true,
      timeoutMs: this.budget(options, 'lookup'),
      signal: options?.signal,
    })()
    if (E.isLeft(answer)) return answer
    const json = jsonOf(answer.right)
    if (E.isLeft(json)) return json
    const raw = isRecord(json.right) ? json.right['version'] : undefined
    const parsed = typeof raw === 'string' ? parseServerVersion(this.redact(raw)) : undefined
    if (parsed === undefined)
      return E.left(
        this.shape(
          answer.right,
          decodeFailure('ServerVersion', [
            { path: 'version', expected: 'a version string like "2.4.199"', actual: raw },
          ]),
        ),
      )
    const permSync = isRecord(json.right) ? json.right['perm_sync'] : undefined
    return E.right({ ...parsed, ...(typeof permSync === 'boolean' ? { permSync } : {}) })
  }

  /** The server's release, asked once and remembered (a failure is not remembered). */
  async knownVersion(t: Transport): Result<ServerVersion> {
    if (this.serverVersion === undefined) {
      // shared by concurrent calls: only the client's own signal and budget apply
      const pending = this.fetchVersion(t, undefined)
      this.serverVersion = pending
      const r = await pending
      if (E.isLeft(r) && this.serverVersion === pending) this.serverVersion = undefined
      return r
    }
    return this.serverVersion
  }

  /** The capabilities of the server's release (asked once). */
  async capabilities(t: Transport): Result<ReturnType<typeof capabilities>> {
    const v = await this.knownVersion(t)
    return E.isLeft(v) ? v : E.right(capabilities(v.right))
  }

  /**
   * The error of a refused edit. MISP words a sync user's edit of an event that is not `locked`
   * like any other "not authorised" refusal; a late 2.4 server says whether the key's user is a
   * sync user (`perm_sync` in `getVersion`), and for a sync user that refusal can only mean an
   * event that is not locked (the owner organisation would have been allowed).
   */
  async refusal(t: Transport, a: Answer): Promise<MispError> {
    const error = failureOf(a)
    // MISP 2.3 redirects a non-sync, non-owner edit to /events/index before any check (`EventsController.php@v2.3.178:1158-1162`)
    if (error._tag === 'HttpError' && error.status >= 300 && error.status < 400)
      return {
        _tag: 'Forbidden',
        request: error.request,
        status: error.status,
        ...(error.location === undefined ? {} : { location: error.location }),
      }
    if (error._tag !== 'Forbidden' || this.apiVersion !== '2.4') return error
    if (!/not authori[sz]ed/i.test(errorText(error.body))) return error
    const v = await this.knownVersion(t)
    return E.isRight(v) && v.right.permSync === true && error.body !== undefined
      ? { _tag: 'NotLocked', request: error.request, status: error.status, body: error.body }
      : error
  }
}
