/**
 * A JSON file read for a config: the document, or a message that says what is wrong (missing,
 * a folder, not JSON — with the line and column).
 *
 * @internal
 */
import { readFile } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'

const lineAndColumn = (text: string, message: string): string => {
  const m = /position (\d+)/.exec(message)
  if (m === null) return ''
  const before = text.slice(0, Number(m[1]))
  const line = before.split('\n').length
  return ` (line ${line}, column ${Number(m[1]) - before.lastIndexOf('\n')})`
}

export const readJsonFile = async (file: string): Promise<E.Either<string, unknown>> => {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return E.left(
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'this is a folder, not a config file'
          : `cannot read it (${typeof code === 'string' ? code : String(e)})`,
    )
  }
  try {
    return E.right(JSON.parse(text.replace(/^\uFEFF/, '')))
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    return E.left(`not JSON${lineAndColumn(text, message)}: ${message}`)
  }
}
