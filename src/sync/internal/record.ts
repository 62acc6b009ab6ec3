/**
 * The record step: an attempt counts only once the transfer logger has its record (and the
 * archive its documents). A logger that fails turns the event into a failure (`LogFailed`).
 *
 * @internal
 */
import createDebug from 'debug'
import * as E from 'fp-ts/lib/Either.js'
import type { ApiVersion } from '../../client/ServerVersion.js'
import type { ConnectorOptions } from '../Connector.js'
import { runLogger } from '../TransferLogger.js'
import { toTransferRecord } from '../TransferRecord.js'
import type { TransferResult } from '../TransferResult.js'
import type { Attempted } from './attemptInput.js'
import type { DirectionSpec } from './spec.js'

const debug = createDebug('misp-bridge:sync')

/** Logs one attempt; the result, made `failed` when the logger failed. Never rejects. */
export const record = async <S extends ApiVersion, T extends ApiVersion>(
  spec: DirectionSpec<S, T>,
  options: ConnectorOptions<S>,
  { result, docs }: Attempted,
): Promise<TransferResult> => {
  debug(
    '%s %s: %s%s (%d ms)%s',
    spec.name,
    result.uuid,
    result.outcome,
    result.dryRun ? ' (dry run)' : '',
    result.durationMs,
    result.error === undefined ? '' : ` ${result.error._tag}`,
  )
  const logger = options.logger
  if (logger === undefined) return result
  const rec = toTransferRecord(result, {
    at: new Date(),
    from: spec.from.url,
    to: spec.to.url,
    ...(options.lossSample === undefined ? {} : { lossSample: options.lossSample }),
  })
  const logged = await runLogger(logger, {
    record: rec,
    losses: result.losses,
    ...docs,
    ...(result.changes === undefined ? {} : { changes: result.changes }),
  })
  if (E.isRight(logged)) return result
  debug('%s %s: the logger failed: %s', spec.name, result.uuid, logged.left.message)
  const cause = result.error
  return {
    ...result,
    outcome: 'failed',
    error: {
      _tag: 'LogFailed',
      logger: logged.left.logger,
      message: logged.left.message,
      outcome: result.outcome,
      ...(cause === undefined || cause._tag === 'LogFailed' ? {} : { cause }),
    },
  }
}
