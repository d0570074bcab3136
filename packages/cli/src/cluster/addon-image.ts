// The image minik's in-cluster add-ons run from (the Service proxies and cluster DNS), built
// locally so no registry is needed: on Linux from this machine's own node binary and the
// libraries it links, plus minik's bundled add-on programs; elsewhere (Docker Desktop runs a
// Linux VM) on top of the official node image, which is then pulled.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { findUpward, MINIK_VERSION } from '@minik/api';
import type { Docker } from '@minik/node-agent';
import { CliError } from '../errors.js';

const PROGRAMS = ['proxy.mjs', 'dns.mjs'];

function bundleDir(): string | undefined {
  const dir = findUpward(import.meta.url, 'packages/addons/bundle');
  return dir && PROGRAMS.every((p) => existsSync(join(dir, p))) ? dir : undefined;
}

/** Shared libraries a binary needs, from ldd (as /work/shared/env/offline-node-image does). */
function linkedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/[^\s)]+)/g)].map((m) => m[1]).filter((p) => existsSync(p));
}

/** Where Debian-like systems keep iptables' multi-call binaries and their extension modules. */
const XTABLES_BINARIES = ['/usr/sbin/xtables-nft-multi', '/usr/sbin/xtables-legacy-multi', '/sbin/xtables-nft-multi', '/sbin/xtables-legacy-multi'];
const XTABLES_MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/xtables', '/usr/lib/aarch64-linux-gnu/xtables', '/usr/lib/xtables', '/usr/lib64/xtables', '/lib/xtables'];

/**
 * This machine's iptables (binary, its libraries, its extension modules) for the Service proxies
 * to forward in the kernel; none when it has no iptables (the proxies then relay in userspace).
 */
function xtablesFiles(): { name: string; data: Buffer; mode?: number; alias?: string }[] {
  const bin = XTABLES_BINARIES.find((b) => existsSync(b));
  const modules = XTABLES_MODULE_DIRS.find((d) => existsSync(join(d, 'libxt_standard.so')));
  if (!bin || !modules) return [];
  try {
    const real = realpathSync(bin);
    const libs = [real, ...readdirSync(modules).filter((f) => f.endsWith('.so')).map((f) => join(modules, f))].flatMap((f) => linkedLibraries(f));
    return [
      // Kept at the host's paths: the binary finds its modules where it was built to look.
      { name: bin.slice(1), data: readFileSync(real), mode: 0o755 },
      ...readdirSync(modules)
        .filter((f) => f.endsWith('.so'))
        .map((f) => ({ name: join(modules, f).slice(1), data: readFileSync(realpathSync(join(modules, f))), mode: 0o755 })),
      ...[...new Set(libs)].map((lib) => ({ name: realpathSync(lib).slice(1), data: readFileSync(realpathSync(lib)), mode: 0o755, alias: lib.slice(1) })),
    ];
  } catch {
    return [];
  }
}

/** The add-on image's tag; undefined (the cluster runs without add-ons) when they are not built. */
export async function ensureAddonImage(docker: Docker): Promise<string | undefined> {
  const dir = bundleDir();
  if (!dir) {
    process.stderr.write('warning: minik\'s add-ons (cluster DNS, Service proxies) are not built (packages/addons/bundle); run `pnpm run build`\n');
    return undefined;
  }
  const programs = PROGRAMS.map((p) => ({ name: `minik/${p}`, data: readFileSync(join(dir, p)) }));
  const xtables = process.platform === 'linux' ? xtablesFiles() : [];
  const hash = createHash('sha256');
  for (const p of [...programs, ...xtables]) hash.update(p.name).update(p.data);
  hash.update(process.version);
  const tag = `minik/addons:${MINIK_VERSION}-${hash.digest('hex').slice(0, 12)}`;
  if (await docker.imageInspect(tag)) return tag;
  const { tar } = await import('@minik/node-agent');
  const version = (await docker.version()) as { Os?: string; Arch?: string };
  const hostArch = process.arch === 'x64' ? 'amd64' : process.arch;
  if (process.platform === 'linux' && version.Os === 'linux' && version.Arch === hostArch) {
    const node = realpathSync(process.execPath);
    const files = [
      { name: 'usr/local/bin/node', data: readFileSync(node), mode: 0o755 },
      ...linkedLibraries(node).map((lib) => ({ name: realpathSync(lib).slice(1), data: readFileSync(realpathSync(lib)), mode: 0o755, alias: lib.slice(1) })),
      { name: 'etc/nsswitch.conf', data: Buffer.from('hosts: files dns\n') },
      { name: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n') },
      { name: 'tmp/.keep', data: Buffer.alloc(0) },
      ...xtables,
      ...programs,
    ];
    // ldd names libraries by their links (libc.so.6 → libc.so.6's target): store both names,
    // once each (node and iptables share libc).
    const seen = new Set<string>();
    const entries = files
      .flatMap((f) => ('alias' in f && f.alias && f.alias !== f.name ? [f, { ...f, name: f.alias as string }] : [f]))
      .filter((f) => !seen.has(f.name) && !!seen.add(f.name));
    await docker.imageImport(tar(entries), tag, ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'WORKDIR /minik', 'CMD ["node"]']);
    return tag;
  }
  throw new CliError(`error: building minik's add-on image needs a Linux Docker engine of this machine's architecture (${hostArch}); found ${version.Os}/${version.Arch}`);
}
