import type { Docker } from './client.js';
import { pauseArch, pauseElf } from './pause-elf.js';
import { tar } from './tar.js';

export const PAUSE_IMAGE = 'minik/pause:3.10';

/** The image's root filesystem: the one executable, and nothing else (Docker adds /etc/hosts & co at run time). */
export function pauseImageTar(arch: string): Buffer {
  return tar([{ name: 'pause', data: pauseElf(pauseArch(arch)), mode: 0o755 }]);
}

const building = new WeakMap<Docker, Map<string, Promise<string>>>();

/**
 * Makes sure the pod sandbox image exists: built locally (no registry needed) for the
 * Engine's architecture. Resolves to the tag. Concurrent callers on one client share one build.
 */
export function ensurePauseImage(docker: Docker, tag = PAUSE_IMAGE): Promise<string> {
  const byTag = building.get(docker) ?? new Map<string, Promise<string>>();
  building.set(docker, byTag);
  let pending = byTag.get(tag);
  if (!pending) {
    pending = build(docker, tag).finally(() => byTag.delete(tag));
    byTag.set(tag, pending);
  }
  return pending;
}

async function build(docker: Docker, tag: string): Promise<string> {
  if (!(await docker.imageInspect(tag))) {
    const { Arch } = await docker.version();
    await docker.imageImport(pauseImageTar(Arch), tag, ['CMD ["/pause"]']);
  }
  return tag;
}
