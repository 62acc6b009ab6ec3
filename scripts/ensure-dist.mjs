#!/usr/bin/env node
// Builds dist/ (`tsc -p tsconfig.build.json`) unless it is current. package.json's `prepare`
// (npm runs it on `npm install`/`npm ci` in a clone, on `npm pack`, and when a project installs
// the package from a folder or a git URL, so that the package has its code and its
// `misp-bridge` bin), and the build step of ./dev, `npm run docs:mapping` and `npm run bench`.
//
// - dist/ newer than every file of src/ and the tsconfigs: nothing to do (`npm pack` right after
//   a build, or a git install that already built it).
// - MISP_BRIDGE_SKIP_PREPARE=1: nothing to do. ./dev and .ci/run set it for their own `npm ci`,
//   since they build right after it.
// - Installed from a folder (`npm install ../misp-bridge`), npm links the folder and runs this
//   script there without installing the folder's dependencies: then it first installs them
//   (`npm ci`, TypeScript included) so that the build can run and the link can be imported.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const say = (line) => process.stderr.write(`misp-bridge ensure-dist: ${line}\n`)

const newest = (path) =>
  statSync(path).isDirectory()
    ? readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), 0)
    : statSync(path).mtimeMs

const run = (command, args, env = {}) => {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status !== 0) {
    say(`${[command, ...args].join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`)
    process.exit(r.status ?? 1)
  }
}

if (process.env.MISP_BRIDGE_SKIP_PREPARE === '1') {
  say('skipped (MISP_BRIDGE_SKIP_PREPARE=1)')
  process.exit(0)
}
const built = join(ROOT, 'dist', 'index.js')
const sources = ['src', 'tsconfig.json', 'tsconfig.build.json'].map((p) => join(ROOT, p))
if (existsSync(built) && newest(join(ROOT, 'dist')) >= Math.max(...sources.map(newest))) {
  say('dist/ is current')
  process.exit(0)
}
const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
if (!existsSync(tsc)) {
  say('installing the dependencies first (npm ci): TypeScript is needed to build dist/')
  const npm = process.env.npm_execpath
  const args = [existsSync(join(ROOT, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']
  const env = { MISP_BRIDGE_SKIP_PREPARE: '1', npm_config_loglevel: 'error' }
  if (npm !== undefined && /\.[cm]?js$/.test(npm)) run(process.execPath, [npm, ...args], env)
  else run('npm', args, env)
}
say('building dist/ (tsc -p tsconfig.build.json)')
rmSync(join(ROOT, 'dist'), { recursive: true, force: true })
run(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')])
