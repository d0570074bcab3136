// Which container logs/exec/attach mean: kubelet's validateContainerLogStatus rules and their
// messages, the status derived from Docker alone, and the running-container lookup.
import { describe, expect, it } from 'vitest';
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { ContainerInfo, RuntimeView } from '../runtime.js';
import { logContainerId, logTarget, podContainers, runningContainer, statusFromRuntime } from './containers.js';

function info(p: Partial<ContainerInfo>): ContainerInfo {
  return {
    id: 'id',
    name: 'n',
    role: 'app',
    container: 'c',
    podUid: 'u1',
    podName: 'p',
    namespace: 'default',
    attempt: 0,
    specHash: '',
    state: 'running',
    exitCode: 0,
    oomKilled: false,
    imageId: '',
    image: '',
    tty: false,
    ...p,
  };
}

const runtime = (cs: ContainerInfo[]) => ({ all: () => cs }) as unknown as RuntimeView;
const ref = { namespace: 'default', pod: 'p' };

describe('logContainerId (kubelet validateContainerLogStatus)', () => {
  const cs = (s: Partial<ContainerStatus>): ContainerStatus => ({ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, ...s });

  it('reads the running container, or the previous terminated one', () => {
    const s = cs({ containerID: 'docker://cur', state: { running: {} }, lastState: { terminated: { exitCode: 1, containerID: 'docker://old' } } });
    expect(logContainerId('p', s, 'c', false)).toEqual({ id: 'docker://cur' });
    expect(logContainerId('p', s, 'c', true)).toEqual({ id: 'docker://old' });
  });

  it('says why there are no logs, in kubelet’s words', () => {
    expect(logContainerId('p', cs({ state: { running: {} } }), 'c', true)).toEqual({ error: 'previous terminated container "c" in pod "p" not found' });
    expect(logContainerId('p', cs({ state: { waiting: { reason: 'ContainerCreating' } } }), 'c', false)).toEqual({ error: 'container "c" in pod "p" is waiting to start: ContainerCreating' });
    expect(logContainerId('p', cs({ state: { waiting: { reason: 'ErrImagePull' } } }), 'c', false)).toEqual({ error: 'container "c" in pod "p" is waiting to start: image can\'t be pulled' });
    expect(logContainerId('p', cs({ state: { waiting: { reason: 'ImagePullBackOff' } } }), 'c', false)).toEqual({ error: 'container "c" in pod "p" is waiting to start: trying and failing to pull image' });
    expect(logContainerId('p', cs({ state: { terminated: { exitCode: 0 } } }), 'c', false)).toEqual({ error: 'container "c" in pod "p" is terminated' });
    expect(logContainerId('p', cs({ state: {} }), 'c', false)).toEqual({ error: 'container "c" in pod "p" is waiting to start - no logs yet' });
    expect(logContainerId('p', undefined, 'c', false)).toEqual({ error: 'container "c" in pod "p" is not available' });
  });

  it('reads the last terminated container while crash-looping (waiting)', () => {
    const s = cs({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, containerID: 'docker://crashed' } } });
    expect(logContainerId('p', s, 'c', false)).toEqual({ id: 'docker://crashed' });
    expect(logContainerId('p', s, 'c', true)).toEqual({ id: 'docker://crashed' });
  });
});

describe('statusFromRuntime', () => {
  it('reports current and last state from the attempts Docker has', () => {
    const cs = [info({ id: 'a0', attempt: 0, state: 'exited', exitCode: 1 }), info({ id: 'a1', attempt: 1, state: 'running' })];
    expect(statusFromRuntime(cs, 'c')).toMatchObject({ containerID: 'docker://a1', state: { running: {} }, lastState: { terminated: { containerID: 'docker://a0', exitCode: 1 } }, restartCount: 1 });
  });

  it('waits with ContainerCreating, or PodInitializing behind init containers', () => {
    expect(statusFromRuntime([], 'c').state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(statusFromRuntime([info({ role: 'init', container: 'setup' })], 'c').state).toEqual({ waiting: { reason: 'PodInitializing' } });
  });
});

describe('logTarget / runningContainer', () => {
  const cs = [
    info({ id: 'sandbox', role: 'sandbox', container: '' }),
    info({ id: 'old', attempt: 0, state: 'exited', exitCode: 2 }),
    info({ id: 'new', attempt: 1, state: 'running' }),
    info({ id: 'other', podUid: 'u0', attempt: 5, startedAt: '2000-01-01T00:00:00Z' }),
  ];
  cs[2]!.startedAt = '2030-01-01T00:00:00Z';

  it('picks the newest incarnation of a pod name, or the one the uid pins', () => {
    expect(podContainers(runtime(cs), ref).map((c) => c.id)).toEqual(['old', 'new']);
    expect(podContainers(runtime(cs), { ...ref, uid: 'u0' }).map((c) => c.id)).toEqual(['other']);
  });

  it('finds the current and previous containers', () => {
    expect(logTarget(runtime(cs), { ...ref, uid: 'u1' }, 'c', false)).toEqual({ container: cs[2] });
    expect(logTarget(runtime(cs), { ...ref, uid: 'u1' }, 'c', true)).toEqual({ container: cs[1] });
    expect(logTarget(runtime(cs), { ...ref, uid: 'u1' }, 'x', false)).toEqual({ code: 400, message: 'container "x" in pod "p" is waiting to start: ContainerCreating' });
  });

  it('prefers the reported pod status when there is one', () => {
    const status = { containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] };
    expect(logTarget(runtime([]), ref, 'c', false, status)).toEqual({ code: 400, message: 'container "c" in pod "p" is waiting to start: trying and failing to pull image' });
  });

  it('exec and attach need a running container', () => {
    expect(runningContainer(runtime(cs), { ...ref, uid: 'u1' }, 'c')?.id).toBe('new');
    expect(runningContainer(runtime([cs[1]!]), ref, 'c')).toBeUndefined();
  });
});
