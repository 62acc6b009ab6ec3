/**
 * fileStateStore's errors name the problem and the fix, never its temporary file (issue #16).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { fileStateStore } from '../../src/sync/index.js'
import { tempDir } from './support.js'

let dir: Awaited<ReturnType<typeof tempDir>>
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(async () => {
  await dir.remove()
})

const watermark = { timestamp: 1_700_000_000, uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000001' }

test('an empty file: says so, and that deleting it starts over', async () => {
  const path = join(dir.path, 'state.json')
  await writeFile(path, '')
  const r = await fileStateStore(path).load('k')()
  expect(E.isLeft(r) && r.left.message).toMatch(/is empty.*delete it to start over/)
})

test('a folder: says so, and what to give instead', async () => {
  const path = join(dir.path, 'state')
  await mkdir(path)
  const r = await fileStateStore(path).load('k')()
  expect(E.isLeft(r) && r.left.message).toMatch(/is a folder, not a file: give a file path/)
  expect(E.isLeft(r) && r.left.message).not.toMatch(/EISDIR:/)
})

test('a save that cannot create its file names the folder, not the temporary file', async () => {
  const r = await fileStateStore('/proc/misp-bridge-state.json').save('k', watermark)()
  expect(E.isLeft(r)).toBe(true)
  expect(E.isLeft(r) && r.left.message).toMatch(
    /cannot save \/proc\/misp-bridge-state\.json: cannot create files in \/proc/,
  )
  expect(E.isLeft(r) && r.left.message).not.toMatch(/\.tmp/)
})
