/**
 * A file-system error in words, without the paths Node puts in its messages (which may name a
 * temporary file): `permission denied (EACCES)`.
 *
 * @internal
 */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'it exists already',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
}

/** The error's code, when it has one (`'EACCES'`). */
export const fsCode = (e: unknown): string | undefined => {
  const code = typeof e === 'object' && e !== null ? (e as { readonly code?: unknown }).code : undefined
  return typeof code === 'string' ? code : undefined
}

/** `permission denied (EACCES)`; an error without a code: its message. */
export const fsProblem = (e: unknown): string => {
  const code = fsCode(e)
  if (code === undefined) return e instanceof Error ? e.message : String(e)
  const words = WORDS[code]
  return words === undefined ? code : `${words} (${code})`
}
