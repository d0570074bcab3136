#!/usr/bin/env node
// Bundles the `minik` command (CLI, apiserver, node agent) with esbuild, after `tsc -b` has
// type-checked and compiled the packages. One bundle with shared chunks loads in a fraction of
// the time Node needs to resolve and read hundreds of separate modules — which every CLI call and
// every daemon start pays. lmdb stays external: it loads a native binding.
import { build } from 'esbuild';
import { rmSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}packages/cli/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { minik: `${root}packages/cli/dist/main.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['lmdb'],
  logLevel: 'warning',
  legalComments: 'none',
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __minikCreateRequire } from 'node:module'; const require = __minikCreateRequire(import.meta.url);" },
});

// The add-on programs run inside containers built from the host's node binary: each is one
// self-contained file (no node_modules in the image).
const addons = `${root}packages/addons`;
const entries = Object.fromEntries(
  ['proxy', 'dns'].map((name) => [name, `${addons}/src/${name}/main.ts`]).filter(([, file]) => existsSync(file)),
);
rmSync(`${addons}/bundle`, { recursive: true, force: true });
if (Object.keys(entries).length) {
  await build({
    entryPoints: entries,
    outdir: `${addons}/bundle`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    // .js so that node runs them as ES modules without a package.json next to them.
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire as __minikCreateRequire } from 'node:module'; const require = __minikCreateRequire(import.meta.url);" },
  });
}
