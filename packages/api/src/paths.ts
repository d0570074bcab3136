// Finding files that ship with minik (schemas/, bin/minik) from wherever the running code is:
// compiled per package (packages/x/dist/...) or bundled (packages/cli/bundle/...).
import { existsSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest ancestor directory of `fromUrl` that contains `relative`, joined with it. */
export function findUpward(fromUrl: string, relative: string): string | undefined {
  let dir = dirname(fileURLToPath(fromUrl));
  const root = parse(dir).root;
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dir === root) return undefined;
    dir = dirname(dir);
  }
}
