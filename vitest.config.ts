import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@minik\/api$/, replacement: src('./packages/api/src/index.ts') },
      { find: /^@minik\/apiserver$/, replacement: src('./packages/apiserver/src/index.ts') },
      { find: /^@minik\/node-agent$/, replacement: src('./packages/node-agent/src/index.ts') },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        extends: true,
        // End-to-end: real processes started from bin/minik (built JS), real HTTP, real Docker.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
