#!/usr/bin/env node
// The package.json that goes into a tarball has no `prepare` script: `prepare` builds dist/ when a
// clone or a git URL is installed (or packed), but a tarball already holds dist/, and npm warns
// about a `prepare` script on every tarball install. `npm pack` runs prepack, then prepare (read
// from package.json again), then packs, then postpack: so package.json's `prepack` builds dist/
// itself (`node scripts/ensure-dist.mjs`) and then runs `node scripts/pack-manifest.mjs strip`, and
// `postpack` runs `… restore`. (Installing a git URL runs only `prepare`, and packs the clone's
// package.json as it is.)
//
// - strip: saves package.json as package.json.prepack (not in `files`, so not packed) and writes
//   package.json without `scripts.prepare`. A package.json.prepack left by a pack that failed
//   half-way is restored first.
// - restore: puts package.json.prepack back.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const manifest = join(ROOT, 'package.json')
const saved = join(ROOT, 'package.json.prepack')
const say = (line) => process.stderr.write(`misp-bridge pack-manifest: ${line}\n`)

const restore = () => {
  if (existsSync(saved)) renameSync(saved, manifest)
}

const mode = process.argv[2]
if (mode === 'restore') {
  restore()
} else if (mode === 'strip') {
  restore()
  const text = readFileSync(manifest, 'utf8')
  const pkg = JSON.parse(text)
  if (pkg.scripts?.prepare !== undefined) {
    writeFileSync(saved, text)
    delete pkg.scripts.prepare
    writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`)
    say('the packed package.json leaves out scripts.prepare (restored after packing)')
  }
} else {
  say(`usage: node scripts/pack-manifest.mjs strip|restore (got ${JSON.stringify(mode)})`)
  process.exit(2)
}
