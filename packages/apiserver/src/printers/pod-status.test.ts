// READY / STATUS / RESTARTS for every pod state kubectl users meet, cell by cell.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@minik/api';
import { toTable } from './index.js';

const NOW = Date.parse('2024-07-09T13:30:00Z');
const before = (secs: number) => new Date(NOW - secs * 1000).toISOString();
const PODS = { group: '', version: 'v1', kind: 'Pod', resource: 'pods' };

type Obj = Record<string, unknown>;
function pod(status: Obj, o: { spec?: Obj; meta?: Obj } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: before(600), ...o.meta },
    spec: { containers: [{ name: 'app', image: 'app:1' }], nodeName: 'worker1', ...o.spec },
    status,
  };
}

/** [READY, STATUS, RESTARTS] of a pod's row. */
function summary(p: KubeObject): unknown[] {
  return toTable(PODS, [p], { now: NOW }).rows[0].cells.slice(1, 4);
}

const running = { running: { startedAt: before(300) } };
const waiting = (reason: string) => ({ waiting: { reason } });
const terminated = (reason: string | undefined, exitCode: number, extra: Obj = {}) => ({ terminated: { reason, exitCode, finishedAt: before(60), ...extra } });
const cs = (state: Obj, extra: Obj = {}) => ({ name: 'app', ready: false, restartCount: 0, state, ...extra });

describe('pod STATUS column', () => {
  it('Pending before scheduling, with no container statuses', () => {
    expect(summary(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }, { spec: { nodeName: undefined } }))).toEqual(['0/1', 'Pending', '0']);
  });

  it('SchedulingGated', () => {
    expect(summary(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }))).toEqual(['0/1', 'SchedulingGated', '0']);
  });

  it('ContainerCreating', () => {
    expect(summary(pod({ phase: 'Pending', containerStatuses: [cs(waiting('ContainerCreating'))] }))).toEqual(['0/1', 'ContainerCreating', '0']);
  });

  it('Running (ready) and Running (not yet ready)', () => {
    expect(summary(pod({ phase: 'Running', containerStatuses: [cs(running, { ready: true })] }))).toEqual(['1/1', 'Running', '0']);
    expect(summary(pod({ phase: 'Running', containerStatuses: [cs(running, { ready: false })] }))).toEqual(['0/1', 'Running', '0']);
  });

  it('Completed, with the Completed row condition', () => {
    const p = pod({ phase: 'Succeeded', containerStatuses: [cs(terminated('Completed', 0))] });
    expect(summary(p)).toEqual(['0/1', 'Completed', '0']);
    expect((toTable(PODS, [p], { now: NOW }).rows[0] as { conditions?: unknown }).conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
  });

  it('Error, with the Failed row condition', () => {
    const p = pod({ phase: 'Failed', containerStatuses: [cs(terminated('Error', 1))] });
    expect(summary(p)).toEqual(['0/1', 'Error', '0']);
    expect((toTable(PODS, [p], { now: NOW }).rows[0] as { conditions?: unknown }).conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
    ]);
  });

  it('CrashLoopBackOff with RESTARTS "5 (60s ago)"', () => {
    const c = cs(waiting('CrashLoopBackOff'), { restartCount: 5, lastState: terminated('Error', 1) });
    expect(summary(pod({ phase: 'Running', containerStatuses: [c] }))).toEqual(['0/1', 'CrashLoopBackOff', '5 (60s ago)']);
  });

  it('RESTARTS suffix uses the latest termination across containers, in kubectl duration format', () => {
    const a = { ...cs(running, { ready: true, restartCount: 2, lastState: terminated('Error', 1, { finishedAt: before(3600) }) }), name: 'a' };
    const b = { ...cs(running, { ready: true, restartCount: 1, lastState: terminated('Completed', 0, { finishedAt: before(330) }) }), name: 'b' };
    const p = pod({ phase: 'Running', containerStatuses: [a, b] }, { spec: { containers: [{ name: 'a' }, { name: 'b' }] } });
    expect(summary(p)).toEqual(['2/2', 'Running', '3 (5m30s ago)']);
  });

  it('restarts without a recorded termination time print as a bare number', () => {
    const c = cs(running, { ready: true, restartCount: 2, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
    expect(summary(pod({ phase: 'Running', containerStatuses: [c] }))).toEqual(['1/1', 'Running', '2']);
  });

  it('ImagePullBackOff and ErrImagePull', () => {
    expect(summary(pod({ phase: 'Pending', containerStatuses: [cs(waiting('ImagePullBackOff'))] }))).toEqual(['0/1', 'ImagePullBackOff', '0']);
    expect(summary(pod({ phase: 'Pending', containerStatuses: [cs(waiting('ErrImagePull'))] }))).toEqual(['0/1', 'ErrImagePull', '0']);
  });

  it('OOMKilled', () => {
    const c = cs(terminated('OOMKilled', 137), { restartCount: 1, lastState: terminated('OOMKilled', 137, { finishedAt: before(130) }) });
    expect(summary(pod({ phase: 'Running', containerStatuses: [c] }))).toEqual(['0/1', 'OOMKilled', '1 (2m10s ago)']);
  });

  it('terminated without a reason: ExitCode:N / Signal:N', () => {
    expect(summary(pod({ phase: 'Failed', containerStatuses: [cs(terminated(undefined, 2))] }))[1]).toBe('ExitCode:2');
    expect(summary(pod({ phase: 'Failed', containerStatuses: [cs(terminated(undefined, 137, { signal: 9 }))] }))[1]).toBe('Signal:9');
  });

  it('Evicted (the pod-level reason)', () => {
    expect(summary(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }))).toEqual(['0/1', 'Evicted', '0']);
  });

  it('NodeLost, and Unknown once the pod is being deleted', () => {
    const status = { phase: 'Running', reason: 'NodeLost', containerStatuses: [cs(running, { ready: true })] };
    expect(summary(pod(status))).toEqual(['1/1', 'NodeLost', '0']);
    expect(summary(pod(status, { meta: { deletionTimestamp: before(10) } }))).toEqual(['1/1', 'Unknown', '0']);
  });

  it('Terminating when deletionTimestamp is set, but not for a finished pod', () => {
    expect(summary(pod({ phase: 'Running', containerStatuses: [cs(running, { ready: true })] }, { meta: { deletionTimestamp: before(1) } }))).toEqual(['1/1', 'Terminating', '0']);
    expect(summary(pod({ phase: 'Succeeded', containerStatuses: [cs(terminated('Completed', 0))] }, { meta: { deletionTimestamp: before(1) } }))[1]).toBe('Completed');
  });

  describe('init containers', () => {
    const spec = { initContainers: [{ name: 'init', image: 'busybox' }] };
    const init = (state: Obj, extra: Obj = {}) => ({ name: 'init', ready: false, restartCount: 0, state, ...extra });
    const mainWaiting = [cs(waiting('PodInitializing'))];
    const notInitialized = [{ type: 'Initialized', status: 'False' }];

    it('Init:0/1 while the first init container runs', () => {
      expect(summary(pod({ phase: 'Pending', conditions: notInitialized, initContainerStatuses: [init(running)], containerStatuses: mainWaiting }, { spec }))).toEqual(['0/1', 'Init:0/1', '0']);
    });

    it('Init:1/2 once the first of two is done', () => {
      const two = { initContainers: [{ name: 'init' }, { name: 'init2' }] };
      const st = [init(terminated('Completed', 0)), { ...init(running), name: 'init2' }];
      expect(summary(pod({ phase: 'Pending', conditions: notInitialized, initContainerStatuses: st, containerStatuses: mainWaiting }, { spec: two }))[1]).toBe('Init:1/2');
    });

    it('Init:Error, Init:CrashLoopBackOff, Init:ExitCode:N, Init:Signal:N; init restarts count', () => {
      const st = (s: Obj, extra: Obj = {}) => pod({ phase: 'Pending', conditions: notInitialized, initContainerStatuses: [init(s, extra)], containerStatuses: mainWaiting }, { spec });
      expect(summary(st(terminated('Error', 1)))).toEqual(['0/1', 'Init:Error', '0']);
      expect(summary(st(waiting('CrashLoopBackOff'), { restartCount: 3, lastState: terminated('Error', 1) }))).toEqual(['0/1', 'Init:CrashLoopBackOff', '3 (60s ago)']);
      expect(summary(st(terminated(undefined, 3)))[1]).toBe('Init:ExitCode:3');
      expect(summary(st(terminated(undefined, 143, { signal: 15 })))[1]).toBe('Init:Signal:15');
      expect(summary(st(waiting('ImagePullBackOff')))[1]).toBe('Init:ImagePullBackOff');
    });

    it('PodInitializing once init is done and the main container is starting', () => {
      const p = pod(
        { phase: 'Pending', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [init(terminated('Completed', 0), { ready: true })], containerStatuses: mainWaiting },
        { spec },
      );
      expect(summary(p)).toEqual(['0/1', 'PodInitializing', '0']);
    });

    it('sidecars (restartPolicy Always) count in READY and keep the pod Running', () => {
      const sidecarSpec = { initContainers: [{ name: 'init', image: 'proxy', restartPolicy: 'Always' }] };
      const p = pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
          initContainerStatuses: [init(running, { ready: true, started: true, restartCount: 1, lastState: terminated('Error', 1, { finishedAt: before(45) }) })],
          containerStatuses: [cs(running, { ready: true })],
        },
        { spec: sidecarSpec },
      );
      expect(summary(p)).toEqual(['2/2', 'Running', '1 (45s ago)']);
    });
  });

  it('one container Completed and one still running: Running if Ready, else NotReady', () => {
    const spec = { containers: [{ name: 'job' }, { name: 'web' }] };
    const statuses = [{ ...cs(terminated('Completed', 0)), name: 'job' }, { ...cs(running, { ready: true }), name: 'web' }];
    expect(summary(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses }, { spec }))).toEqual(['1/2', 'Running', '0']);
    expect(summary(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses }, { spec }))).toEqual(['1/2', 'NotReady', '0']);
  });

  it('with several containers the first one with a reason wins', () => {
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    const statuses = [{ ...cs(waiting('CrashLoopBackOff')), name: 'a' }, { ...cs(waiting('ImagePullBackOff')), name: 'b' }];
    expect(summary(pod({ phase: 'Running', containerStatuses: statuses }, { spec }))[1]).toBe('CrashLoopBackOff');
  });

  it('wide cells: IP from podIPs (or podIP), NODE, NOMINATED NODE, READINESS GATES', () => {
    const p = pod(
      { phase: 'Running', podIP: '10.244.1.7', conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }], nominatedNodeName: 'worker2' },
      { spec: { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] } },
    );
    expect(toTable(PODS, [p], { now: NOW }).rows[0].cells.slice(5)).toEqual(['10.244.1.7', 'worker1', 'worker2', '1/2']);
    const unscheduled = pod({ phase: 'Pending' }, { spec: { nodeName: undefined } });
    expect(toTable(PODS, [unscheduled], { now: NOW }).rows[0].cells.slice(4)).toEqual(['10m', '<none>', '<none>', '<none>', '<none>']);
  });
});
