/**
 * What a new user gets from the repository and its package (issue #9): a LICENSE in both, a
 * `prepare` script so that installing a clone or packing it builds `dist/`, and package.json
 * scripts that point at files that exist and that CI runs (or that are listed, with a reason, as
 * not runnable in CI). The full install from a fresh clone and from its tarball is in `.ci/run`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>
  license: string
}

describe('the package', () => {
  test('11. LICENSE: MIT as package.json says, in the repository and in the tarball', () => {
    expect(pkg.license).toBe('MIT')
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8')
    expect(license).toMatch(/^MIT License/)
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS"')
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(packed.status, packed.stderr).toBe(0)
    const files = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
      (f) => f.path,
    )
    expect(files).toContain('LICENSE')
  })

  test('2. a prepare script builds dist/ (npm install of a clone or a git URL, npm pack)', () => {
    const prepare = pkg.scripts['prepare']
    expect(prepare).toBeDefined()
    const file = /node (scripts\/\S+)/.exec(prepare ?? '')?.[1]
    expect(file && existsSync(join(ROOT, file))).toBeTruthy()
    expect(readFileSync(join(ROOT, file!), 'utf8')).toContain('tsconfig.build.json')
  })

  test('issue #16: the packed package.json has no prepare script (npm warns about it on every tarball install); the repository keeps it', () => {
    const before = readFileSync(join(ROOT, 'package.json'), 'utf8')
    const out = mkdtempSync(join(tmpdir(), 'misp-bridge-pack-'))
    try {
      const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', out], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, MISP_BRIDGE_SKIP_PREPARE: '1', npm_config_loglevel: 'error' },
      })
      expect(packed.status, packed.stderr).toBe(0)
      const tarball = join(out, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename)
      const manifest = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })
      expect(manifest.status, manifest.stderr).toBe(0)
      const inTarball = JSON.parse(manifest.stdout) as { scripts?: Record<string, string>; bin?: unknown }
      expect(inTarball.scripts?.['prepare']).toBeUndefined()
      expect(inTarball.bin).toEqual(pkg['bin' as keyof typeof pkg])
      expect(readFileSync(join(ROOT, 'package.json'), 'utf8')).toBe(before)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  test('3. every file a script names exists', () => {
    const missing = Object.entries(pkg.scripts).flatMap(([name, command]) =>
      [...command.matchAll(/(?:^|\s)((?:scripts|bench|examples)\/[\w./-]+)/g)]
        .map((m) => m[1]!)
        .filter((f) => !existsSync(join(ROOT, f)))
        .map((f) => `${name}: ${f}`),
    )
    expect(missing).toEqual([])
  })

  test('3. CI runs every script package.json lists, or names why it cannot', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-scripts.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0)
    expect(r.stdout).toMatch(/scripts: \d+ run by \.ci\/run, \d+ exempt/)
  })
})
