#!/usr/bin/env node
// Every script package.json lists must run in CI, so that none can point at a missing file
// again: each is either run by .ci/run as `npm run <name>`, or run by a command .ci/run runs (see
// INDIRECT), or listed in EXEMPT with the reason it cannot run in CI. Also checks that every file
// a script names exists. Exits 1 with the list of problems.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const read = (file) => readFileSync(join(ROOT, file), 'utf8')

/** Scripts that cannot run in CI, and why. */
const EXEMPT = {
  format: 'rewrites the files in place; CI runs `npm run lint` (biome ci), the same checks without writing',
  'test:watch': 'interactive: watches the files and never exits; CI runs `npm test` (./dev test)',
}

/** Scripts CI runs through another command: that command must be in .ci/run, and run the script. */
const INDIRECT = {
  prepare: { ci: 'npm pack', why: 'npm runs prepare on `npm pack` and on installing a clone or a git URL' },
  prepack: { ci: 'npm pack', why: 'npm runs prepack on `npm pack`: the packed package.json has no prepare' },
  postpack: { ci: 'npm pack', why: 'npm runs postpack on `npm pack`: package.json gets its prepare back' },
  test: { ci: './dev test', file: 'dev', runs: 'npm test', why: "the README's test command" },
}

const scripts = JSON.parse(read('package.json')).scripts ?? {}
const ci = read('.ci/run')
  .split('\n')
  .filter((l) => !l.trimStart().startsWith('#'))
  .join('\n')
const problems = []
let ran = 0
let exempt = 0

for (const [name, command] of Object.entries(scripts)) {
  for (const m of command.matchAll(/(?:^|\s)((?:scripts|bench|examples|src|test)\/[\w./-]+)/g))
    if (!existsSync(join(ROOT, m[1]))) problems.push(`${name}: names ${m[1]}, which does not exist`)
  const direct = new RegExp(`\\bnpm run ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:-])`).test(ci)
  const indirect = INDIRECT[name]
  if (direct) ran++
  else if (indirect !== undefined) {
    if (!ci.includes(indirect.ci)) problems.push(`${name}: .ci/run does not run \`${indirect.ci}\``)
    else if (indirect.file !== undefined && !read(indirect.file).includes(indirect.runs))
      problems.push(`${name}: ${indirect.file} does not run \`${indirect.runs}\``)
    else ran++
  } else if (EXEMPT[name] !== undefined) exempt++
  else problems.push(`${name}: not run by .ci/run (add \`npm run ${name}\` there, or an exemption here)`)
}
for (const name of [...Object.keys(EXEMPT), ...Object.keys(INDIRECT)])
  if (!(name in scripts))
    problems.push(`${name}: listed in scripts/check-scripts.mjs but not in package.json`)

if (problems.length > 0) {
  console.error(`package.json scripts:\n${problems.map((p) => `  ${p}`).join('\n')}`)
  process.exit(1)
}
console.log(`scripts: ${ran} run by .ci/run, ${exempt} exempt (${Object.keys(EXEMPT).join(', ')})`)
