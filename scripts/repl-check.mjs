// Runs the README's REPL walkthrough in a real `node -i` REPL, line by line, the way a person
// types it: each line is sent only after the REPL has answered the previous one (its prompt came
// back), so top-level `await`s finish in order. Then checks that every output line the README
// shows for the session appears in what the REPL printed.
//
// The session is the ```console block between <!-- repl-walkthrough:start --> and
// <!-- repl-walkthrough:end --> of a Markdown file (README.md, or the file named as the first
// argument): lines starting with "> " are typed, other lines are expected output (matched as
// substrings, whitespace-normalised).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? new URL('../README.md', import.meta.url).pathname
const readme = readFileSync(file, 'utf8')
const block = readme.split('<!-- repl-walkthrough:start -->')[1]?.split('<!-- repl-walkthrough:end -->')[0]
if (!block) throw new Error(`${file} has no repl-walkthrough block`)
const body = block.split('```console')[1]?.split('```')[0] ?? ''
const lines = body.split('\n').filter((l) => l.trim() !== '')
const typed = lines.filter((l) => l.startsWith('> ')).map((l) => l.slice(2))
const expected = lines.filter((l) => !l.startsWith('> ') && !l.startsWith('$ ')).map((l) => l.trim())

const norm = (s) => s.replace(/\s+/g, ' ')
const repl = spawn(process.execPath, ['-i'], {
  cwd: new URL('..', import.meta.url),
  stdio: ['pipe', 'pipe', 'pipe'],
  env: { ...process.env, NODE_NO_READLINE: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
})
let out = ''
repl.stdout.on('data', (d) => (out += d))
repl.stderr.on('data', (d) => (out += d))
const prompts = () => out.split('> ').length - 1
const waitForPrompt = async (n, what) => {
  const until = Date.now() + 30_000
  while (prompts() < n) {
    if (Date.now() > until) throw new Error(`REPL did not answer ${what}\n--- REPL output ---\n${out}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
await waitForPrompt(1, 'at start')
for (let i = 0; i < typed.length; i++) {
  repl.stdin.write(`${typed[i]}\n`)
  await waitForPrompt(i + 2, typed[i])
}
repl.stdin.end()
await new Promise((r) => repl.on('close', r))
const missing = expected.filter((e) => !norm(out).includes(norm(e)))
if (missing.length > 0 || /Uncaught|Error:/.test(out)) {
  console.error(out)
  throw new Error(`REPL walkthrough: missing ${JSON.stringify(missing)} or an error was printed`)
}
console.log(`REPL walkthrough ${file}: ${typed.length} lines typed, ${expected.length} expected outputs seen`)
