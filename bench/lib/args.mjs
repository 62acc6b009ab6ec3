// Command-line options of the bench commands (node:util parseArgs), numbers checked.
import { parseArgs } from 'node:util'

/**
 * Parses `--name value` options. `spec` maps a name to its default (a number, a string or a
 * boolean); numbers are parsed and must be finite. `--help` prints `usage` and exits.
 */
export const options = (spec, usage) => {
  const parsed = parseArgs({
    options: {
      help: { type: 'boolean' },
      ...Object.fromEntries(
        Object.entries(spec).map(([k, v]) => [k, { type: typeof v === 'boolean' ? 'boolean' : 'string' }]),
      ),
    },
    strict: true,
    allowPositionals: false,
  }).values
  if (parsed.help) {
    console.log(usage)
    process.exit(0)
  }
  const out = {}
  for (const [k, d] of Object.entries(spec)) {
    const v = parsed[k]
    if (v === undefined) out[k] = d
    else if (typeof d === 'number') {
      const n = Number(v)
      if (!Number.isFinite(n)) {
        console.error(`--${k}: expected a number, got ${v}\n\n${usage}`)
        process.exit(2)
      }
      out[k] = n
    } else out[k] = v
  }
  return out
}
