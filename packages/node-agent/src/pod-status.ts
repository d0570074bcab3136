// PodStatus from what runs, as kubelet's generateAPIPodStatus computes it: container states
// (waiting with reasons, running, terminated), restart counts, phase, conditions, IPs.
import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { metaTime } from '@minik/api';
import type { ContainerInfo } from './runtime.js';
import { k8sTime } from './runtime.js';

export interface Waiting {
  reason: string;
  message?: string;
}

export interface StatusInput {
  pod: Pod;
  containers: ContainerInfo[];
  /** Why a container is not running yet (ErrImagePull, CrashLoopBackOff, ...), by container name. */
  waiting: Map<string, Waiting>;
  /** Containers whose readiness probe passes (when probes exist); default: running = ready. */
  ready?: (name: string, running: boolean) => boolean;
  hostIP: string;
  podIP?: string;
  /** Set when the pod failed outright (an init container failed with restartPolicy Never). */
  failed?: boolean;
  now?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function latest(cs: ContainerInfo[], name: string): ContainerInfo[] {
  return cs.filter((c) => c.container === name).sort((a, b) => b.attempt - a.attempt);
}

function terminated(c: ContainerInfo) {
  const reason = c.oomKilled ? 'OOMKilled' : c.exitCode === 0 ? 'Completed' : 'Error';
  return {
    exitCode: c.exitCode,
    reason,
    ...(c.error ? { message: c.error } : {}),
    startedAt: k8sTime(c.startedAt),
    finishedAt: k8sTime(c.finishedAt),
    containerID: `docker://${c.id}`,
  };
}

function containerStatus(spec: Container, cs: ContainerInfo[], waiting: Waiting | undefined, ready: (name: string, running: boolean) => boolean, defaultWaiting: string): ContainerStatus {
  const [cur, prev] = latest(cs, spec.name);
  const st: Mutable<ContainerStatus> = {
    name: spec.name,
    image: spec.image ?? '',
    imageID: cur ? `docker://${cur.imageId}` : '',
    restartCount: cur?.attempt ?? 0,
    ready: false,
    started: false,
    state: {},
    lastState: {},
  };
  if (cur) st.containerID = `docker://${cur.id}`;
  if (prev && prev.state === 'exited') st.lastState = { terminated: terminated(prev) };
  if (cur?.state === 'running' && !waiting) {
    st.state = { running: { startedAt: k8sTime(cur.startedAt) } };
    st.started = true;
    st.ready = ready(spec.name, true);
  } else if (waiting) {
    st.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
    if (cur && cur.state === 'exited') st.lastState = { terminated: terminated(cur) };
  } else if (cur && (cur.state === 'exited' || cur.state === 'dead')) {
    st.state = { terminated: terminated(cur) };
  } else {
    st.state = { waiting: { reason: defaultWaiting } };
  }
  if (!st.containerID) delete st.containerID;
  return st as ContainerStatus;
}

function condition(type: string, ok: boolean, prev: readonly PodCondition[] | undefined, now: string, reason?: string, message?: string): PodCondition {
  const old = prev?.find((c) => c.type === type);
  const status = ok ? 'True' : 'False';
  const c = { type, status, lastProbeTime: null, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now } as unknown as Mutable<PodCondition>;
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c as PodCondition;
}

export function buildPodStatus(input: StatusInput): PodStatus {
  const { pod, containers, waiting } = input;
  const spec = pod.spec!;
  const prev = pod.status ?? {};
  const now = metaTime(input.now ?? Date.now());
  const ready = input.ready ?? ((_n: string, running: boolean) => running);
  const inits = spec.initContainers ?? [];

  const initStatuses = inits.map((c) => containerStatus(c, containers, waiting.get(c.name), () => false, 'PodInitializing'));
  // An init container that finished successfully is ready in Kubernetes' status.
  for (const s of initStatuses) if (s.state?.terminated?.exitCode === 0) (s as Mutable<ContainerStatus>).ready = true;
  const initialized = initStatuses.every((s) => s.state?.terminated?.exitCode === 0);
  const appWaitingDefault = initialized ? 'ContainerCreating' : 'PodInitializing';
  const appStatuses = spec.containers.map((c) => containerStatus(c, containers, waiting.get(c.name), ready, appWaitingDefault));

  // Phase (kubelet getPhase).
  let phase: PodStatus['phase'];
  const policy = spec.restartPolicy ?? 'Always';
  if (input.failed) phase = 'Failed';
  else if (!initialized) phase = 'Pending';
  else {
    let waitingN = 0;
    let running = 0;
    let stopped = 0;
    let succeeded = 0;
    for (const s of appStatuses) {
      if (s.state?.running) running++;
      else if (s.state?.terminated) {
        stopped++;
        if (s.state.terminated.exitCode === 0) succeeded++;
      } else if (s.state?.waiting) {
        if (s.lastState?.terminated) stopped++;
        else waitingN++;
      }
    }
    if (waitingN > 0) phase = 'Pending';
    else if (running > 0) phase = 'Running';
    else if (stopped > 0) {
      if (policy === 'Always') phase = 'Running';
      else if (stopped === succeeded) phase = 'Succeeded';
      else if (policy === 'Never') phase = 'Failed';
      else phase = 'Running';
    } else phase = 'Pending';
  }

  const allReady = appStatuses.every((s) => s.ready);
  const notReady = appStatuses.filter((s) => !s.ready).map((s) => s.name);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const conds: PodCondition[] = [];
  const sandboxUp = !!input.podIP && !terminal;
  conds.push(condition('PodReadyToStartContainers', sandboxUp, prev.conditions, now));
  conds.push(
    condition(
      'Initialized',
      initialized,
      prev.conditions,
      now,
      'ContainersNotInitialized',
      `containers with incomplete status: [${inits.filter((_c, i) => initStatuses[i].state?.terminated?.exitCode !== 0).map((c) => c.name).join(' ')}]`,
    ),
  );
  const reason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const msg = terminal ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  conds.push(condition('ContainersReady', allReady && !terminal, prev.conditions, now, reason, msg));
  conds.push(condition('Ready', allReady && !terminal, prev.conditions, now, reason, msg));
  // Conditions owned by others (PodScheduled, readiness gates) are kept.
  for (const c of prev.conditions ?? []) if (!conds.some((x) => x.type === c.type)) conds.push(c);
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  conds.sort((a, b) => (order.indexOf(a.type) + 100) % 100 - ((order.indexOf(b.type) + 100) % 100));

  const status: Mutable<PodStatus> = {
    phase,
    conditions: conds,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: prev.startTime ?? now,
    containerStatuses: appStatuses,
  };
  if (prev.qosClass) status.qosClass = prev.qosClass;
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  } else if (prev.podIP && terminal) {
    status.podIP = prev.podIP;
    status.podIPs = prev.podIPs;
  }
  if (inits.length) status.initContainerStatuses = initStatuses;
  return status as PodStatus;
}
