// Child process of bench/big-event.mjs: hosts the two emulators, so that the measured connector
// process holds only what the library holds. Argv: source version, target version, event file.
// Prints one JSON line {src, tgt, key, uuid}; then answers lines on stdin: "verify" → the target's
// copy summary; "exit" → closes the emulators and exits.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { startMispEmulator } from '../../dist/testing/index.js'
import { allAttributes } from './content.mjs'

const [sourceVersion, targetVersion, file] = process.argv.slice(2)
const event = JSON.parse(readFileSync(file, 'utf8'))
const src = await startMispEmulator({ version: sourceVersion, events: [event] })
const tgt = await startMispEmulator({ version: targetVersion, role: 'org-admin' }) // 2.3's stock Sync user may not tag
process.stdout.write(
  `${JSON.stringify({ src: src.url, tgt: tgt.url, key: src.apiKey, uuid: event.Event.uuid })}\n`,
)
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'verify') {
    const copy = tgt.event(event.Event.uuid)
    process.stdout.write(
      `${JSON.stringify({
        stored: copy !== undefined,
        attributes: copy === undefined ? 0 : allAttributes(copy).length,
        targetEvents: tgt.events().length,
        hostMaxRssMiB: process.resourceUsage().maxRSS / 1024,
      })}\n`,
    )
  } else if (line === 'exit') break
}
await Promise.all([src.close(), tgt.close()])
process.exit(0) // stdin stays open otherwise
