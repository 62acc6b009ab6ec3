// One measurement in a fresh process: read a file, run one mode once, print peak RSS (KiB).
import { readFileSync } from 'node:fs'
import { baseline, down, up } from './pipeline.mjs'

const [mode, file] = process.argv.slice(2)
const bytes = readFileSync(file, 'utf8')
const fn = { baseline, down, up }[mode]
const out = fn(bytes)
process.stdout.write(
  JSON.stringify({ mode, outBytes: out.length, maxRssKiB: process.resourceUsage().maxRSS }),
)
