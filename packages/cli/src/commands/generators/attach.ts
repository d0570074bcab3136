// `minik run -i/-t/--attach`: wait for the pod to run, attach to its container, then (with
// --restart=Never|OnFailure) wait for it to finish and return the container's exit code,
// as kubectl run does. attachToPod() runs the attach session (commands/streaming/attach.ts).
import { errors, type KubeObject } from '@minik/api';
import { CliError } from '../../errors.js';
import type { GenContext } from './cli.js';
import { RESOURCES } from './submit.js';

type PodCondition = (pod: KubeObject | undefined, deleted: boolean) => boolean;

interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: { state?: { terminated?: { exitCode?: number; reason?: string; message?: string } } }[];
}

const statusOf = (pod: KubeObject | undefined) => ((pod as { status?: PodStatus } | undefined)?.status ?? {}) as PodStatus;

class PodCompleted extends Error {}

/** A deleted pod fails every wait with the NotFound kubectl builds (its name left empty). */
function notDeleted(deleted: boolean): void {
  if (deleted) throw errors.notFound({ group: '', resource: 'pods' }, '');
}

export const podRunningAndReady: PodCondition = (pod, deleted) => {
  notDeleted(deleted);
  const s = statusOf(pod);
  if (s.phase === 'Succeeded' || s.phase === 'Failed') throw new PodCompleted('pod ran to completion');
  return s.phase === 'Running' && !!s.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
};

export const podCompleted: PodCondition = (pod, deleted) => {
  notDeleted(deleted);
  const phase = statusOf(pod).phase;
  return phase === 'Succeeded' || phase === 'Failed';
};

export const podSucceeded: PodCondition = (pod, deleted) => {
  notDeleted(deleted);
  return statusOf(pod).phase === 'Succeeded';
};

/** watchtools.UntilWithSync on one pod (list, then watch), giving up after `timeoutMs`. */
export async function waitForPod(ctx: GenContext, ns: string, name: string, timeoutMs: number, cond: PodCondition): Promise<KubeObject> {
  const pods = ctx.kube.client.resource(RESOURCES.pods);
  const fieldSelector = `metadata.name=${name}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    while (!abort.signal.aborted) {
      const list = await pods.list(ns, { fieldSelector });
      const current = list.items[0];
      if (current && cond(current, false)) return current;
      try {
        for await (const ev of pods.watch(ns, { fieldSelector, resourceVersion: list.metadata?.resourceVersion }, abort.signal)) {
          if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
          if (cond(ev.object, ev.type === 'DELETED')) return ev.object;
        }
      } catch (e) {
        if (abort.signal.aborted) break;
        throw e;
      }
    }
    throw new CliError('error: timed out waiting for the condition');
  } finally {
    clearTimeout(timer);
  }
}

export interface AttachOptions {
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
}

/**
 * Connects the terminal to the container's stdin/stdout (kubectl attach's Run with the pod
 * known): the prompt hint on stderr, raw mode and resizes with -t on a terminal, and the
 * "Session ended" hint for pods that restart.
 */
export async function attachToPod(ctx: GenContext, pod: KubeObject, opts: AttachOptions): Promise<void> {
  const { attachToRunningPod } = await import('../streaming/attach.js');
  await attachToRunningPod(ctx.kube, pod, { stdin: opts.stdin, tty: opts.tty, quiet: opts.quiet, commandName: 'minik attach' });
}

/** What kubectl falls back to when it cannot attach: the container's log. */
async function printLogs(ctx: GenContext, pod: KubeObject): Promise<void> {
  const name = pod.metadata?.name ?? '';
  const container = (pod as { spec?: { containers?: { name: string }[] } }).spec?.containers?.[0]?.name;
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata?.namespace ?? ctx.namespace)}/pods/${encodeURIComponent(name)}/log`;
  const text = await ctx.kube.client.request<string>('GET', path, { query: { container }, text: true });
  process.stdout.write(text);
}

export interface AttachRun extends AttachOptions {
  timeoutMs: number;
  restartPolicy: string;
  leaveStdinOpen: boolean;
}

/** kubectl run's attach path once the pod exists; returns the exit code. */
export async function runAttached(ctx: GenContext, pod: KubeObject, o: AttachRun): Promise<number> {
  const ns = pod.metadata?.namespace || ctx.namespace;
  const name = pod.metadata?.name ?? '';
  let running: KubeObject | undefined;
  try {
    running = await waitForPod(ctx, ns, name, o.timeoutMs, podRunningAndReady);
  } catch (e) {
    if (!(e instanceof PodCompleted)) throw e;
  }
  if (!running) {
    await printLogs(ctx, (await ctx.kube.client.resource(RESOURCES.pods).get(ns, name)) as KubeObject);
  } else {
    try {
      await attachToPod(ctx, running, o);
    } catch (e) {
      process.stderr.write(`warning: couldn't attach to pod/${name}, falling back to streaming logs: ${(e as Error).message}\n`);
      await printLogs(ctx, running);
    }
  }
  const waitForExit = !o.leaveStdinOpen && (o.restartPolicy === 'Never' || o.restartPolicy === 'OnFailure');
  if (!waitForExit) return 0;
  const done = await waitForPod(ctx, ns, name, o.timeoutMs, o.restartPolicy === 'OnFailure' ? podSucceeded : podCompleted);
  const s = statusOf(done);
  if (s.phase === 'Succeeded') return 0;
  if (s.phase === 'Failed') {
    const term = s.containerStatuses?.[0]?.state?.terminated;
    if (!term?.exitCode) throw new CliError(`error: pod ${ns}/${name} failed with unknown exit code`);
    // kubectl prints an exit error without its `error: ` prefix and exits with the container's code.
    throw new CliError(`pod ${ns}/${name} terminated (${term.reason ?? ''})\n${term.message ?? ''}`, term.exitCode);
  }
  throw new CliError(`error: pod ${ns}/${name} left in phase ${s.phase ?? ''}`);
}
