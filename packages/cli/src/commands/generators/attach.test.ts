// run's attach path on a fake API: waiting for the pod, the not-yet-supported attach falling
// back to logs, exit codes from the finished pod, and the timeout message.
import type { KubeObject, WatchEvent } from '@minik/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAttached, waitForPod, podRunningAndReady } from './attach.js';
import type { GenContext } from './cli.js';

const pod = (status: object): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'p' }] }, status } as KubeObject);
const RUNNING = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };

/** A GenContext whose pod list starts with `initial` and whose watch delivers `events`. */
function fakeCtx(initial: KubeObject | undefined, events: WatchEvent[], logs = 'log line\n'): GenContext {
  const pods = {
    list: async () => ({ metadata: { resourceVersion: '1' }, items: initial ? [initial] : [] }),
    get: async () => initial,
    async *watch(_ns: string, _o: unknown, signal?: AbortSignal) {
      for (const e of events) yield e;
      await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    },
  };
  const client = { resource: () => pods, request: async () => logs };
  return { namespace: 'default', kube: { client } } as unknown as GenContext;
}

const opts = { stdin: true, tty: true, quiet: false, timeoutMs: 200, leaveStdinOpen: false };

afterEach(() => vi.restoreAllMocks());

describe('waitForPod', () => {
  it('returns when a watch event satisfies the condition', async () => {
    const ctx = fakeCtx(pod({ phase: 'Pending' }), [{ type: 'MODIFIED', object: pod(RUNNING) }]);
    expect((await waitForPod(ctx, 'default', 'p', 1000, podRunningAndReady)).status).toEqual(RUNNING);
  });

  it('gives up with kubectl’s message', async () => {
    await expect(waitForPod(fakeCtx(pod({ phase: 'Pending' }), []), 'default', 'p', 50, podRunningAndReady)).rejects.toThrow('error: timed out waiting for the condition');
  });

  it('fails when the pod is deleted', async () => {
    const ctx = fakeCtx(pod({ phase: 'Pending' }), [{ type: 'DELETED', object: pod({}) }]);
    await expect(waitForPod(ctx, 'default', 'p', 1000, podRunningAndReady)).rejects.toThrow('pods "" not found');
  });
});

describe('runAttached', () => {
  it('falls back to the logs when it cannot attach, then returns the exit code', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const err = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const failed = pod({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3, reason: 'Error', message: 'boom' } } }] });
    const ctx = fakeCtx(pod(RUNNING), [{ type: 'MODIFIED', object: failed }]);
    const run = runAttached(ctx, pod({}), { ...opts, restartPolicy: 'Never' });
    await expect(run).rejects.toMatchObject({ message: 'pod default/p terminated (Error)\nboom', exitCode: 3 });
    expect(err.mock.calls.map((c) => c[0])).toEqual([
      'error: Unable to use a TTY - container p did not allocate one\n',
      "If you don't see a command prompt, try pressing enter.\n",
      "warning: couldn't attach to pod/p, falling back to streaming logs: no cluster connection settings (kubeconfig) to attach with\n",
    ]);
    expect(out).toHaveBeenCalledWith('log line\n');
  });

  it('returns 0 without waiting for an exit code when the pod restarts always', async () => {
    vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    expect(await runAttached(fakeCtx(pod(RUNNING), []), pod({}), { ...opts, restartPolicy: 'Always' })).toBe(0);
  });

  it('prints the logs of a pod that finished before it ran', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const done = pod({ phase: 'Succeeded' });
    expect(await runAttached(fakeCtx(done, []), pod({}), { ...opts, restartPolicy: 'Never' })).toBe(0);
    expect(out).toHaveBeenCalledWith('log line\n');
  });
});
