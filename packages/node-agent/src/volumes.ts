// Pod volumes on the host, bind-mounted into containers: emptyDir directories, ConfigMap and
// Secret files, hostPath. Kept under the node's state directory, removed with the pod.
import { mkdirSync, rmSync, writeFileSync, chmodSync, existsSync, readdirSync, renameSync } from 'node:fs';
import { join, dirname, normalize } from 'node:path';
import type { Pod, Volume, VolumeMount, KeyToPath } from 'kubernetes-types/core/v1.js';
import type { RefCache } from './env.js';

export class VolumeError extends Error {}

export interface PreparedVolume {
  hostPath: string;
  readOnly: boolean;
}

/** Docker's Mounts entries for one container. */
export interface DockerMount {
  Type: 'bind';
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

/**
 * Writes a volume's files in place: the directory itself must stay the same inode, since
 * running containers have it bind-mounted (kubelet's atomic writer keeps the root too).
 * Each file is replaced atomically; files no longer in the source are removed.
 */
function syncFiles(dir: string, files: [path: string, value: string | Buffer, mode: number | undefined][], defaultMode: number | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const wanted = new Set<string>();
  for (const [path, value, mode] of files) {
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + '/')) throw new VolumeError(`invalid path ${path}`);
    wanted.add(file);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.minik-tmp`;
    writeFileSync(tmp, value);
    chmodSync(tmp, mode ?? defaultMode ?? 0o644);
    renameSync(tmp, file);
  }
  const prune = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        prune(p);
        if (!readdirSync(p).length) rmSync(p, { recursive: true, force: true });
      } else if (!wanted.has(p)) rmSync(p, { force: true });
    }
  };
  prune(dir);
}

function writeItems(dir: string, data: Record<string, string | Buffer>, items: readonly KeyToPath[] | undefined, defaultMode: number | undefined, what: string, optional: boolean | undefined): void {
  const files: [string, string | Buffer, number | undefined][] = [];
  if (items?.length) {
    for (const it of items) {
      if (!(it.key in data)) {
        if (optional) continue;
        throw new VolumeError(`configmap references non-existent config key: ${it.key} (${what})`);
      }
      files.push([it.path, data[it.key], it.mode]);
    }
  } else for (const [k, v] of Object.entries(data)) files.push([k, v, undefined]);
  syncFiles(dir, files, defaultMode);
}

export class VolumeManager {
  constructor(private readonly podsDir: string) {}

  podDir(uid: string): string {
    return join(this.podsDir, uid);
  }

  /** Creates or refreshes every volume of the pod; returns where each one lives on the host. */
  async prepare(pod: Pod, refs: RefCache): Promise<Map<string, PreparedVolume>> {
    const uid = pod.metadata!.uid!;
    const out = new Map<string, PreparedVolume>();
    for (const v of pod.spec?.volumes ?? []) out.set(v.name, await this.prepareOne(uid, v, refs, pod));
    return out;
  }

  private async prepareOne(uid: string, v: Volume, refs: RefCache, pod: Pod): Promise<PreparedVolume> {
    const base = join(this.podDir(uid), 'volumes');
    if (v.emptyDir) {
      const dir = join(base, 'empty-dir', v.name);
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        chmodSync(dir, 0o777); // any container user may write, as with kubelet's emptyDir
      }
      return { hostPath: dir, readOnly: false };
    }
    if (v.configMap) {
      const dir = join(base, 'configmap', v.name);
      const data = await refs.data('configmaps', v.configMap.name ?? '');
      if (!data && !v.configMap.optional) throw new VolumeError(`MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`);
      writeItems(dir, data ?? {}, v.configMap.items, v.configMap.defaultMode, `configmap ${v.configMap.name}`, v.configMap.optional);
      return { hostPath: dir, readOnly: true };
    }
    if (v.secret) {
      const dir = join(base, 'secret', v.name);
      const data = await refs.data('secrets', v.secret.secretName ?? '');
      if (!data && !v.secret.optional) throw new VolumeError(`MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`);
      writeItems(dir, data ?? {}, v.secret.items, v.secret.defaultMode, `secret ${v.secret.secretName}`, v.secret.optional);
      return { hostPath: dir, readOnly: true };
    }
    if (v.downwardAPI) {
      const dir = join(base, 'downward-api', v.name);
      const m = pod.metadata ?? {};
      const data: Record<string, string> = {};
      for (const it of v.downwardAPI.items ?? []) {
        const p = it.fieldRef?.fieldPath ?? '';
        data[it.path] =
          p === 'metadata.labels'
            ? Object.entries(m.labels ?? {}).map(([k, val]) => `${k}="${val}"`).join('\n')
            : p === 'metadata.annotations'
              ? Object.entries(m.annotations ?? {}).map(([k, val]) => `${k}="${val}"`).join('\n')
              : p === 'metadata.name'
                ? (m.name ?? '')
                : p === 'metadata.namespace'
                  ? (m.namespace ?? '')
                  : p === 'metadata.uid'
                    ? (m.uid ?? '')
                    : '';
      }
      writeItems(dir, data, undefined, v.downwardAPI.defaultMode, 'downwardAPI', true);
      return { hostPath: dir, readOnly: true };
    }
    if (v.hostPath) {
      if (v.hostPath.type === 'DirectoryOrCreate' || !v.hostPath.type) mkdirSync(v.hostPath.path, { recursive: true });
      else if (!existsSync(v.hostPath.path)) throw new VolumeError(`MountVolume.SetUp failed for volume "${v.name}" : hostPath type check failed: ${v.hostPath.path} is not a ${v.hostPath.type}`);
      return { hostPath: v.hostPath.path, readOnly: false };
    }
    if (v.projected) {
      const dir = join(base, 'projected', v.name);
      const files: [string, string, number | undefined][] = [];
      for (const src of v.projected.sources ?? []) {
        const kind = src.configMap ? 'configmaps' : src.secret ? 'secrets' : undefined;
        const ref = src.configMap ?? src.secret;
        if (!kind || !ref) continue;
        const data = await refs.data(kind, ref.name ?? '');
        if (!data) continue;
        const items = ref.items?.length ? ref.items.filter((it) => it.key in data).map((it) => [it.path, data[it.key]] as const) : Object.entries(data);
        for (const [p, val] of items) files.push([p, val, undefined]);
      }
      syncFiles(dir, files, v.projected.defaultMode);
      return { hostPath: dir, readOnly: true };
    }
    throw new VolumeError(`volume "${v.name}": this volume type is not supported by minik yet`);
  }

  /** Docker mounts for a container's volumeMounts. */
  mounts(vms: readonly VolumeMount[] | undefined, prepared: Map<string, PreparedVolume>): DockerMount[] {
    const out: DockerMount[] = [];
    for (const vm of vms ?? []) {
      const p = prepared.get(vm.name);
      if (!p) throw new VolumeError(`volume "${vm.name}" not found in the pod's volumes`);
      let source = p.hostPath;
      if (vm.subPath) {
        source = normalize(join(p.hostPath, vm.subPath));
        if (!source.startsWith(p.hostPath)) throw new VolumeError(`invalid subPath ${vm.subPath}`);
        if (!existsSync(source)) mkdirSync(source, { recursive: true });
      }
      out.push({ Type: 'bind', Source: source, Target: vm.mountPath, ReadOnly: !!vm.readOnly || p.readOnly });
    }
    return out;
  }

  /** Writes a file of the pod's own (resolv.conf) and returns its host path. */
  writePodFile(uid: string, name: string, content: string): string {
    const file = join(this.podDir(uid), name);
    mkdirSync(this.podDir(uid), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  cleanup(uid: string): void {
    rmSync(this.podDir(uid), { recursive: true, force: true });
  }

  /** Pod uids that still have a directory (for garbage collection after a restart). */
  knownPods(): string[] {
    return existsSync(this.podsDir) ? readdirSync(this.podsDir) : [];
  }
}
