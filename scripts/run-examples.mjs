#!/usr/bin/env node
// Runs every example the way its header says ("Run it with `node examples/X.mjs`"), from the
// repository root, after a build (the examples import the package by name, which resolves to
// dist/): each must exit 0 and print something. `--node PATH` runs them with another Node.js
// (CI: the oldest release `engines` allows). Exits 1 when one fails or has no run command.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const at = process.argv.indexOf('--node')
const node = at === -1 ? process.execPath : process.argv[at + 1]
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
const files = readdirSync(join(ROOT, 'examples')).filter(
  (f) => /\.[cm]?[jt]s$/.test(f) && !f.endsWith('.d.ts'),
)
const problems = []

for (const file of files) {
  const header = /^\/\*\*([\s\S]*?)\*\//.exec(readFileSync(join(ROOT, 'examples', file), 'utf8'))?.[1] ?? ''
  const command = /Run it with `([^`]+)`/.exec(header.replace(/\n\s*\* ?/g, ' '))?.[1]
  if (command === undefined) {
    problems.push(`${file}: its header has no "Run it with \`node examples/${file}\`"`)
    continue
  }
  const [program, ...args] = command.split(/\s+/)
  if (program !== 'node' || !args.includes(`examples/${file}`)) {
    problems.push(
      `${file}: the header's command ${JSON.stringify(command)} is not \`node … examples/${file}\``,
    )
    continue
  }
  const t0 = performance.now()
  const r = spawnSync(node, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  const ms = Math.round(performance.now() - t0)
  if (r.status !== 0 || r.stdout.trim() === '')
    problems.push(
      `${file}: \`${command}\` under ${version} ${r.status !== 0 ? `exited ${r.status ?? r.signal}` : 'printed nothing'}\n${r.stderr}`,
    )
  else console.log(`  ${command}: ok in ${ms} ms, ${r.stdout.split('\n').length} lines`)
}

if (problems.length > 0) {
  console.error(problems.map((p) => `examples: ${p}`).join('\n'))
  process.exit(1)
}
console.log(`examples: ${files.length} run as their headers say, under node ${version}`)
