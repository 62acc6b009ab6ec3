import { spawnSync } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  compareWatermarks,
  fileStateStore,
  formatWatermark,
  isWatermark,
  memoryStateStore,
} from '../../src/sync/index.js'
import { tempDir } from './support.js'

let dir: Awaited<ReturnType<typeof tempDir>>
beforeEach(async () => {
  dir = await tempDir()
})
afterEach(() => dir.remove())

describe('watermarks', () => {
  test('ordered by timestamp, then uuid (case-insensitive)', () => {
    expect(compareWatermarks({ timestamp: 1, uuid: 'b' }, { timestamp: 2, uuid: 'a' })).toBe(-1)
    expect(compareWatermarks({ timestamp: 2, uuid: 'a' }, { timestamp: 2, uuid: 'B' })).toBe(-1)
    expect(compareWatermarks({ timestamp: 2, uuid: 'A' }, { timestamp: 2, uuid: 'a' })).toBe(0)
    expect(isWatermark({ timestamp: 1, uuid: 'x' })).toBe(true)
    expect(isWatermark({ timestamp: '1', uuid: 'x' })).toBe(false)
    expect(isWatermark({ timestamp: 1, uuid: 'x', atSecond: ['a', 'b'] })).toBe(true)
    expect(isWatermark({ timestamp: 1, uuid: 'x', atSecond: 'a' })).toBe(false)
    expect(isWatermark({ timestamp: 1, uuid: 'x', atSecond: [1] })).toBe(false)
    expect(formatWatermark({ timestamp: 0, uuid: 'u' })).toBe('0 (1970-01-01T00:00:00.000Z) / u')
  })
})

describe('memoryStateStore', () => {
  test('keeps watermarks by key', async () => {
    const s = memoryStateStore()
    expect(await s.load('k')()).toEqual(E.right(undefined))
    await s.save('k', { timestamp: 5, uuid: 'u' })()
    expect(await s.load('k')()).toEqual(E.right({ timestamp: 5, uuid: 'u' }))
    expect(await s.load('other')()).toEqual(E.right(undefined))
  })
})

describe('fileStateStore', () => {
  test('a missing file is empty; saves are atomic, keep other keys, leave no temporary file', async () => {
    const path = join(dir.path, 'state.json')
    const s = fileStateStore(path)
    expect(await s.load('a')()).toEqual(E.right(undefined))
    await Promise.all([
      s.save('a', { timestamp: 1, uuid: 'x' })(),
      s.save('b', { timestamp: 2, uuid: 'y' })(),
    ])
    await s.save('a', { timestamp: 3, uuid: 'z' })()
    expect(await fileStateStore(path).load('a')()).toEqual(E.right({ timestamp: 3, uuid: 'z' }))
    expect(await fileStateStore(path).load('b')()).toEqual(E.right({ timestamp: 2, uuid: 'y' }))
    // every field of a watermark is kept, and only those
    const full = { timestamp: 4, uuid: 'w', retry: [{ uuid: 'v', timestamp: 4 }], atSecond: ['t', 'u'] }
    await s.save('c', { ...full, extra: 1 } as typeof full)()
    expect(await fileStateStore(path).load('c')()).toEqual(E.right(full))
    const file = JSON.parse(await readFile(path, 'utf8'))
    expect(file.version).toBe(1)
    expect(file.watermarks.a.savedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(await readdir(dir.path)).toEqual(['state.json'])
  })

  test('two stores on one file (two links in two processes) lose no watermark: each save is locked', async () => {
    const path = join(dir.path, 'state.json')
    const one = fileStateStore(path)
    const two = fileStateStore(path)
    const keys = (p: string) => Array.from({ length: 40 }, (_, i) => `${p}${i}`)
    const results = await Promise.all([
      ...keys('one-').map((k, i) => one.save(k, { timestamp: i, uuid: k })()),
      ...keys('two-').map((k, i) => two.save(k, { timestamp: i, uuid: k })()),
    ])
    expect(results.filter(E.isLeft)).toEqual([])
    const file = JSON.parse(await readFile(path, 'utf8'))
    expect(Object.keys(file.watermarks).sort()).toEqual([...keys('one-'), ...keys('two-')].sort())
    expect(await readdir(dir.path)).toEqual(['state.json'])
  })

  test('a save lock left by a dead process is taken over', async () => {
    const path = join(dir.path, 'state.json')
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    await writeFile(
      `${path}.save.lock`,
      JSON.stringify({ pid: dead, host: hostname(), startedAt: new Date().toISOString(), link: 'saving k' }),
    )
    expect(await fileStateStore(path).save('k', { timestamp: 1, uuid: 'u' })()).toEqual(E.right(undefined))
    expect(await readdir(dir.path)).toEqual(['state.json'])
  })

  test('a file that is not a state file is an error, never a silent restart', async () => {
    const path = join(dir.path, 'state.json')
    await writeFile(path, '{"something": "else"}')
    const r = await fileStateStore(path).load('a')()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'StateError', store: `file:${path}` })
    await writeFile(path, 'not json')
    expect(E.isLeft(await fileStateStore(path).load('a')())).toBe(true)
    await writeFile(path, '{"version": 1, "watermarks": {"a": {"timestamp": "x"}}}')
    expect(E.isLeft(await fileStateStore(path).save('a', { timestamp: 1, uuid: 'u' })())).toBe(true)
  })

  test('a directory that does not exist is an error with its code', async () => {
    const r = await fileStateStore(join(dir.path, 'missing', 'state.json')).save('a', {
      timestamp: 1,
      uuid: 'u',
    })()
    expect(E.isLeft(r) && r.left.code).toBe('ENOENT')
  })
})
