import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = fileURLToPath(new URL('./src/', import.meta.url))

export default defineConfig({
  // the examples import the package by name: point those names at the sources
  resolve: {
    alias: [
      { find: /^misp-bridge$/, replacement: `${src}index.ts` },
      { find: /^misp-bridge\/(v23|v24|convert|client|sync|testing)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // FC_SEED / FC_PATH replay a property failure (test/support/fastCheckReplay.ts)
    setupFiles: ['test/support/fastCheckReplay.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
