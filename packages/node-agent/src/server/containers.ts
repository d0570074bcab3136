// Which Docker container a logs/exec/attach request means. Logs follow kubelet's
// validateContainerLogStatus (current, previous, or why there are none yet), judged from the
// pod's reported status when the agent provides it, else from what Docker runs.
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import type { ContainerInfo, RuntimeView } from '../runtime.js';

export interface PodRef {
  namespace: string;
  pod: string;
  /** Pins one incarnation of a pod name (the apiserver sends it). */
  uid?: string;
}

/** The app and init containers of a pod; without a uid, those of its newest incarnation. */
export function podContainers(runtime: RuntimeView, ref: PodRef): ContainerInfo[] {
  const all = runtime.all().filter((c) => c.namespace === ref.namespace && c.podName === ref.pod && (!ref.uid || c.podUid === ref.uid));
  const uids = new Set(all.map((c) => c.podUid));
  if (uids.size > 1) {
    // Two pods of the same name (one being deleted): the one that started last.
    const newest = all.reduce((a, b) => ((b.startedAt ?? '') > (a.startedAt ?? '') ? b : a));
    return all.filter((c) => c.podUid === newest.podUid && c.role !== 'sandbox');
  }
  return all.filter((c) => c.role !== 'sandbox');
}

/** Attempts of one container, newest first. */
export function attempts(containers: ContainerInfo[], name: string): ContainerInfo[] {
  return containers.filter((c) => c.container === name).sort((a, b) => b.attempt - a.attempt);
}

/** kubelet's findContainer: the running container of that name (exec and attach need one). */
export function runningContainer(runtime: RuntimeView, ref: PodRef, name: string): ContainerInfo | undefined {
  const c = attempts(podContainers(runtime, ref), name)[0];
  return c?.state === 'running' ? c : undefined;
}

const dockerId = (id: string | undefined) => (id ?? '').replace(/^docker:\/\//, '');

/**
 * A ContainerStatus as kubelet would report it, from Docker alone: used when the agent gives
 * no pod status. It cannot tell a crash-looping container waiting to restart from a finished
 * one, so `--previous` then means the attempt before the newest.
 */
export function statusFromRuntime(containers: ContainerInfo[], name: string): ContainerStatus {
  const [cur, prev] = attempts(containers, name);
  const term = (c: ContainerInfo) => ({ exitCode: c.exitCode, containerID: `docker://${c.id}` });
  const lastState = prev && prev.state === 'exited' ? { terminated: term(prev) } : {};
  const base = { name, image: '', imageID: '', ready: false, restartCount: cur?.attempt ?? 0 };
  if (!cur) {
    // Init containers still running (or failed) keep app containers waiting.
    const inits = containers.filter((c) => c.role === 'init');
    const isApp = !inits.some((c) => c.container === name);
    const reason = isApp && inits.length ? 'PodInitializing' : 'ContainerCreating';
    return { ...base, state: { waiting: { reason } }, lastState };
  }
  if (cur.state === 'running' || cur.state === 'paused' || cur.state === 'restarting') {
    return { ...base, containerID: `docker://${cur.id}`, state: { running: {} }, lastState };
  }
  if (cur.state === 'exited' || cur.state === 'dead') {
    return { ...base, containerID: `docker://${cur.id}`, state: { terminated: term(cur) }, lastState };
  }
  return { ...base, state: { waiting: { reason: 'ContainerCreating' } }, lastState };
}

export type LogTarget = { container: ContainerInfo } | { code: number; message: string };

/** kubelet's validateContainerLogStatus: the container id to read, or why not. */
export function logContainerId(podName: string, cs: ContainerStatus | undefined, name: string, previous: boolean): { id: string } | { error: string } {
  if (!cs) return { error: `container ${q(name)} in pod ${q(podName)} is not available` };
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  if (previous) {
    if (!last?.containerID) return { error: `previous terminated container ${q(name)} in pod ${q(podName)} not found` };
    return { id: last.containerID };
  }
  if (running) return { id: cs.containerID ?? '' };
  if (terminated) {
    if (terminated.containerID) return { id: terminated.containerID };
    if (last?.containerID) return { id: last.containerID };
    return { error: `container ${q(name)} in pod ${q(podName)} is terminated` };
  }
  if (last) {
    if (!last.containerID) return { error: `container ${q(name)} in pod ${q(podName)} is terminated` };
    return { id: last.containerID };
  }
  if (waiting) {
    switch (waiting.reason) {
      case 'ErrImagePull':
        return { error: `container ${q(name)} in pod ${q(podName)} is waiting to start: image can't be pulled` };
      case 'ImagePullBackOff':
        return { error: `container ${q(name)} in pod ${q(podName)} is waiting to start: trying and failing to pull image` };
      default:
        return { error: `container ${q(name)} in pod ${q(podName)} is waiting to start: ${waiting.reason ?? ''}` };
    }
  }
  return { error: `container ${q(name)} in pod ${q(podName)} is waiting to start - no logs yet` };
}

/** The container whose log a request wants; errors are kubelet's (400, as it answers them). */
export function logTarget(runtime: RuntimeView, ref: PodRef, name: string, previous: boolean, status?: PodStatus): LogTarget {
  const containers = podContainers(runtime, ref);
  const cs = status
    ? [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])].find((s) => s.name === name)
    : statusFromRuntime(containers, name);
  const found = logContainerId(ref.pod, cs, name, previous);
  if ('error' in found) return { code: 400, message: found.error };
  const id = dockerId(found.id);
  const container = runtime.all().find((c) => c.id === id);
  if (!container) return { code: 400, message: `container ${q(name)} in pod ${q(ref.pod)} is not available` };
  return { container };
}

/** Go's %q for plain names. */
function q(s: string): string {
  return JSON.stringify(s);
}
