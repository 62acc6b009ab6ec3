// The machine a figure was measured on: cores, memory, Node, platform, date. Printed by every
// bench/*.mjs command so that a figure pasted into the docs says where it comes from.
import os from 'node:os'

/** One line: `2 cores, 23.4 GiB, Node v24.21.0, linux/x64, 2026-11-27`. */
export const machineLine = () =>
  `${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ` +
  `${process.platform}/${process.arch}, ${new Date().toISOString().slice(0, 10)}`

/** The command line that produced the output (to paste next to the figures). */
export const commandLine = () =>
  [
    'node',
    ...process.execArgv,
    ...process.argv.slice(1).map((a, i) => (i === 0 ? a.replace(`${process.cwd()}/`, '') : a)),
  ].join(' ')

/** Milliseconds since `t0` (from `performance.now()`). */
export const since = (t0) => performance.now() - t0

/** A number with thousands separators. */
export const fmt = (n, digits = 0) =>
  Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** Peak resident set size of this process so far, in MiB. */
export const peakRssMiB = () => process.resourceUsage().maxRSS / 1024

/** Prints rows (arrays) as a Markdown table under `header`. */
export const table = (header, rows) => {
  const line = (cells) => `| ${cells.join(' | ')} |`
  console.log(line(header))
  console.log(line(header.map((_, i) => (i === 0 ? '---' : '---:'))))
  for (const r of rows) console.log(line(r))
}
