/**
 * API keys never come from the command line (other local users can read a process's arguments,
 * and shells keep a history): a flag that looks like one is answered with where keys do come
 * from, without echoing its value; and both sides' missing keys are reported together.
 *
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js'
import { type UsageError, usageError } from './args.js'

const KEY_FLAG = /^--(?:(from|to)-)?(?:api-?)?key(?:=|$)/i

const whereFrom = (side: 'from' | 'to'): string =>
  `set ${side === 'from' ? 'MISP_FROM_KEY' : 'MISP_TO_KEY'} or pass --${side}-key-file FILE`

/** `--from-key KEY`, `--to-key=KEY`, `--key KEY`, `--api-key …`: what to do instead (the value is never shown). */
export const keyOnCommandLine = (args: ReadonlyArray<string>): UsageError | undefined => {
  for (const arg of args) {
    if (arg === '--') return undefined
    const m = KEY_FLAG.exec(arg)
    if (m === null) continue
    const flag = arg.split('=', 1)[0]!
    const side = m[1]?.toLowerCase() as 'from' | 'to' | undefined
    const how = side === undefined ? `${whereFrom('from')}; ${whereFrom('to')}` : whereFrom(side)
    return usageError(
      `${flag}: API keys are not taken on the command line (other users can read a command's arguments): ${how}`,
    )
  }
  return undefined
}

/** Both sides' keys, or every side's problem at once (one line each). */
export const bothKeys = <A>(
  from: E.Either<UsageError, A>,
  to: E.Either<UsageError, A>,
): E.Either<UsageError, readonly [A, A]> => {
  if (E.isRight(from) && E.isRight(to)) return E.right([from.right, to.right])
  const problems = [from, to].flatMap((k) => (E.isLeft(k) ? [k.left] : []))
  return E.left({
    ...problems[0]!,
    message: problems.map((p) => p.message).join('\n'),
    ...(problems.every((p) => p.help === false) ? { help: false as const } : {}),
  })
}
