// `minik rollout status|history|undo|pause|resume|restart` for Deployments, client-side as in
// kubectl (polymorphichelpers: the status viewer, history viewer and rollbacker), with its
// messages; and `minik set image`.
import { parseDuration, type KubeObject, type ResourceClient } from '@minik/api';
import type { Action } from '../command-kit.js';
import type { Kube } from '../context.js';
import { qualifiedResource, type ApiResource } from '../discovery.js';
import { describePodTemplate } from '../describe/pod.js';
import { PrefixWriter } from '../describe/writer.js';
import { CliError, formatError, usageError } from '../errors.js';
import { TabWriter } from '../printers/tabwriter.js';
import { objectName, parseTargets } from './common.js';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** Annotations a rollback keeps from the Deployment rather than taking from the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

interface Deployment extends KubeObject {
  spec?: { replicas?: number; paused?: boolean; selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }; template?: Template };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; reason?: string }[] };
}
interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[]; [k: string]: unknown };
}

interface Resolved {
  r: ApiResource;
  name: string;
}

/**
 * The objects named (`TYPE NAME...`, `TYPE/NAME...`, or every one of a TYPE), each read first
 * so a missing one is kubectl's NotFound; only Deployments have rollouts here. Errors for
 * several objects are printed as kubectl aggregates them: one per line, no `error: ` prefix.
 */
async function targets(kube: Kube, args: string[], verb: string): Promise<Resolved[]> {
  if (!args.length) throw usageError(`required resource not specified`);
  const out: Resolved[] = [];
  for (const t of await parseTargets(kube, args)) {
    const rc = kube.client.resource(t.resource);
    const ns = t.resource.namespaced ? kube.namespace : undefined;
    if (t.names.length) for (const name of t.names) await rc.get(ns, name).then(() => out.push({ r: t.resource, name }));
    else for (const o of (await rc.list(ns)).items) out.push({ r: t.resource, name: o.metadata!.name! });
  }
  const unsupported = out.filter((t) => t.r.group !== 'apps' || t.r.kind !== 'Deployment');
  if (unsupported.length) {
    const messages = unsupported.map((t) => {
      const gk = `${t.r.kind}${t.r.group ? `.${t.r.group}` : ''}`;
      if (verb === 'status') return `no status viewer has been implemented for ${gk}`;
      if (verb === 'history') return `no history viewer has been implemented for "${gk}"`;
      if (verb === 'undo') return `no rollbacker has been implemented for "${gk}"`;
      return `${qualifiedResource(t.r)} "${t.name}" ${verb === 'restart' ? 'restarting' : verb === 'pause' ? 'pausing' : 'resuming'} is not supported`;
    });
    throw new CliError(messages.length === 1 ? `error: ${messages[0]}` : messages.join('\n'));
  }
  return out;
}

const deployments = (kube: Kube, r: ApiResource) => kube.client.resource(r) as ResourceClient<Deployment>;

/** DeploymentStatusViewer.Status: the line to print, whether done, or kubectl's error. */
export function deploymentStatus(d: Deployment, revision = 0): { text: string; done: boolean } {
  const name = d.metadata?.name;
  if (revision > 0) {
    const rev = Number(d.metadata?.annotations?.[REVISION] ?? 0);
    if (rev !== revision) throw new CliError(`error: desired revision (${revision}) is different from the running revision (${rev})`);
  }
  const s = d.status ?? {};
  if ((d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    const progressing = s.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError(`error: deployment "${name}" exceeded its progress deadline`);
    const want = d.spec?.replicas ?? 1;
    const updated = s.updatedReplicas ?? 0;
    if (updated < want) return { text: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
    if ((s.replicas ?? 0) > updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    if ((s.availableReplicas ?? 0) < updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    return { text: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { text: 'Waiting for deployment spec update to be observed...\n', done: false };
}

export const rolloutStatus: Action = async (kube, args, opts) => {
  const watch = opts.watch !== false && opts.watch !== 'false';
  const revision = opts.revision !== undefined ? Number(opts.revision) : 0;
  const timeout = String(opts.timeout ?? '0s');
  const timeoutMs = timeout === '0' || timeout === '0s' ? 0 : parseDuration(timeout);
  for (const t of await targets(kube, args, 'status')) {
    const rc = deployments(kube, t.r);
    const abort = new AbortController();
    let timedOut = false;
    const timer = timeoutMs ? setTimeout(() => ((timedOut = true), abort.abort()), timeoutMs) : undefined;
    try {
      // watchtools.UntilWithSync: the listed object counts as an event, then each change.
      const fieldSelector = `metadata.name=${t.name}`;
      let done = false;
      while (!done && !abort.signal.aborted) {
        const list = await rc.list(kube.namespace, { fieldSelector });
        const current = list.items[0];
        if (!current) throw new CliError('error: object has been deleted');
        const s = deploymentStatus(current, revision);
        process.stdout.write(s.text);
        if (s.done || !watch) break;
        try {
          for await (const ev of rc.watch(kube.namespace, { fieldSelector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true }, abort.signal)) {
            if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
            if (ev.type === 'DELETED') throw new CliError('error: object has been deleted');
            const st = deploymentStatus(ev.object as Deployment, revision);
            process.stdout.write(st.text);
            if (st.done) {
              done = true;
              break;
            }
          }
        } catch (e) {
          if (!abort.signal.aborted) throw e;
        }
      }
      if (timedOut) throw new CliError('error: timed out waiting for the condition');
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }
};

/** getDeploymentReplicaSets: the ReplicaSets the Deployment controls, found by its selector. */
async function ownedReplicaSets(kube: Kube, d: Deployment): Promise<KubeObject[]> {
  const sel = d.spec?.selector ?? {};
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  const rss = kube.client.resource({ group: 'apps', version: 'v1', resource: 'replicasets' });
  const list = await rss.list(kube.namespace, { labelSelector: parts.join(',') });
  return list.items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.controller && o.uid === d.metadata?.uid));
}

const revisionOf = (o: KubeObject): number | undefined => {
  const v = o.metadata?.annotations?.[REVISION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

/** The pod template as kubectl shows it for `history --revision`. */
function printTemplate(t: Template): string {
  // kubectl writes it through a bare PrefixWriter: tabs stay tabs (no column alignment).
  let out = '';
  const raw = { write: (text: string) => void (out += text), flush: () => '' } as unknown as TabWriter;
  describePodTemplate(t as never, new PrefixWriter(raw));
  return out;
}

export const rolloutHistory: Action = async (kube, args, opts) => {
  const revision = opts.revision !== undefined ? Number(opts.revision) : 0;
  if (!Number.isInteger(revision) || revision < 0) throw usageError(`revision must be a positive integer: ${String(opts.revision)}`);
  for (const t of await targets(kube, args, 'history')) {
    const d = await deployments(kube, t.r).get(kube.namespace, t.name);
    const history = new Map<number, Template>();
    for (const rs of await ownedReplicaSets(kube, d)) {
      const v = revisionOf(rs);
      if (v === undefined) continue;
      const template = structuredClone(((rs.spec as { template?: Template }).template ?? {}) as Template);
      const cause = rs.metadata?.annotations?.[CHANGE_CAUSE];
      template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...(cause ? { [CHANGE_CAUSE]: cause } : {}) } };
      history.set(v, template);
    }
    let info: string;
    if (!history.size) info = 'No rollout history found.';
    else if (revision > 0) {
      const tpl = history.get(revision);
      if (!tpl) throw new CliError('error: unable to find the specified revision');
      info = printTemplate(tpl);
    } else {
      const tw = new TabWriter({ minWidth: 0, padding: 2 });
      tw.write('REVISION\tCHANGE-CAUSE\n');
      for (const v of [...history.keys()].sort((a, b) => a - b)) tw.write(`${v}\t${history.get(v)!.metadata?.annotations?.[CHANGE_CAUSE] || '<none>'}\n`);
      info = tw.flush();
    }
    process.stdout.write(`${objectName(t.r, t.name)} ${revision > 0 ? `with revision #${revision}` : ''}\n${info}\n`);
  }
};

/** Templates compared as kubectl's rollbacker does: without the pod-template-hash label. */
function withoutHash(t: Template): Template {
  const c = structuredClone(t);
  if (c.metadata?.labels) {
    delete c.metadata.labels['pod-template-hash'];
  }
  return c;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const rolloutUndo: Action = async (kube, args, opts) => {
  const toRevision = opts.toRevision !== undefined ? Number(opts.toRevision) : 0;
  if (!Number.isInteger(toRevision) || toRevision < 0) throw usageError(`revision must be a positive integer: ${String(opts.toRevision)}`);
  let failed = false;
  for (const t of await targets(kube, args, 'undo')) {
    try {
      const rc = deployments(kube, t.r);
      const d = await rc.get(kube.namespace, t.name);
      if (d.spec?.paused) throw new CliError(`error: you cannot rollback a paused deployment; resume it first with 'minik rollout resume' and try again`);
      // deploymentRevision: the asked revision, or the one before the latest.
      let target: KubeObject | undefined;
      let latest = -1;
      let latestRs: KubeObject | undefined;
      let previous = -1;
      let previousRs: KubeObject | undefined;
      for (const rs of await ownedReplicaSets(kube, d)) {
        const v = revisionOf(rs);
        if (v === undefined) continue;
        if (toRevision === 0) {
          if (latest < v) {
            [previous, previousRs] = [latest, latestRs];
            [latest, latestRs] = [v, rs];
          } else if (previous < v) [previous, previousRs] = [v, rs];
        } else if (v === toRevision) target = rs;
      }
      if (toRevision > 0 && !target) throw new CliError(`error: unable to find specified revision ${toRevision} in history`);
      if (toRevision === 0) {
        if (!previousRs) throw new CliError(`error: no rollout history found for deployment "${t.name}"`);
        target = previousRs;
      }
      const template = withoutHash(((target!.spec as { template?: Template }).template ?? {}) as Template);
      if (canonical(withoutHash(d.spec?.template ?? {})) === canonical(template)) {
        process.stdout.write(`${objectName(t.r, t.name)} skipped rollback (current template already matches revision ${revisionOf(target!)})\n`);
        continue;
      }
      const annotations: Record<string, string> = {};
      for (const k of ANNOTATIONS_TO_SKIP) if (d.metadata?.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k]!;
      for (const [k, v] of Object.entries(target!.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
      await rc.patch(
        kube.namespace,
        t.name,
        [
          { op: 'replace', path: '/spec/template', value: template },
          { op: 'replace', path: '/metadata/annotations', value: annotations },
        ],
        'json',
      );
      process.stdout.write(`${objectName(t.r, t.name)} rolled back\n`);
    } catch (e) {
      failed = true;
      process.stderr.write(formatError(e) + '\n');
    }
  }
  return failed ? 1 : 0;
};

/** pause / resume: set spec.paused, or say it already is. */
function pauser(paused: boolean): Action {
  return async (kube, args) => {
    let failed = false;
    for (const t of await targets(kube, args, paused ? 'pause' : 'resume')) {
      try {
        const rc = deployments(kube, t.r);
        const d = await rc.get(kube.namespace, t.name);
        if (!!d.spec?.paused === paused) {
          throw new CliError(`error: ${qualifiedResource(t.r)} "${t.name}" is ${paused ? 'already paused' : 'not paused'}`);
        }
        await rc.patch(kube.namespace, t.name, { spec: { paused } }, 'strategic');
        process.stdout.write(`${objectName(t.r, t.name)} ${paused ? 'paused' : 'resumed'}\n`);
      } catch (e) {
        failed = true;
        process.stderr.write(formatError(e) + '\n');
      }
    }
    return failed ? 1 : 0;
  };
}
export const rolloutPause = pauser(true);
export const rolloutResume = pauser(false);

export const rolloutRestart: Action = async (kube, args) => {
  let failed = false;
  for (const t of await targets(kube, args, 'restart')) {
    try {
      const rc = deployments(kube, t.r);
      const d = await rc.get(kube.namespace, t.name);
      if (d.spec?.paused) throw new CliError(`error: ${qualifiedResource(t.r)} "${t.name}" can't restart paused deployment (run rollout resume first)`);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await rc.patch(kube.namespace, t.name, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now } } } } }, 'strategic');
      process.stdout.write(`${objectName(t.r, t.name)} restarted\n`);
    } catch (e) {
      failed = true;
      process.stderr.write(formatError(e) + '\n');
    }
  }
  return failed ? 1 : 0;
};

/** `minik set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE ... ` (`*` for every container). */
export const setImage: Action = async (kube, args) => {
  const pairs = args.filter((a) => a.includes('='));
  const objs = args.filter((a) => !a.includes('='));
  if (!pairs.length) throw usageError('at least one image update is required');
  const images = new Map<string, string>();
  for (const p of pairs) {
    const i = p.indexOf('=');
    images.set(p.slice(0, i), p.slice(i + 1));
  }
  let failed = false;
  for (const t of await parseTargets(kube, objs)) {
    for (const name of t.names) {
      try {
        const rc = kube.client.resource(t.resource);
        const obj = await rc.get(t.resource.namespaced ? kube.namespace : undefined, name);
        const spec = (t.resource.kind === 'Pod' ? obj.spec : (obj.spec as { template?: Template } | undefined)?.template?.spec) as Template['spec'] | undefined;
        if (!spec) throw new CliError(`error: ${objectName(t.resource, name)} has no pod template`);
        const all = [...(spec.initContainers ?? []).map((c) => ({ c, init: true })), ...(spec.containers ?? []).map((c) => ({ c, init: false }))];
        const patchContainers: { name: string; image: string }[] = [];
        const patchInit: { name: string; image: string }[] = [];
        for (const [container, image] of images) {
          const hit = all.filter((x) => container === '*' || x.c.name === container);
          if (!hit.length) throw new CliError(`error: unable to find container named "${container}"`);
          for (const h of hit) (h.init ? patchInit : patchContainers).push({ name: h.c.name, image });
        }
        const inner: Record<string, unknown> = {};
        if (patchContainers.length) inner.containers = patchContainers;
        if (patchInit.length) inner.initContainers = patchInit;
        await rc.patch(kube.namespace, name, t.resource.kind === 'Pod' ? { spec: inner } : { spec: { template: { spec: inner } } }, 'strategic');
        process.stdout.write(`${objectName(t.resource, name)} image updated\n`);
      } catch (e) {
        failed = true;
        process.stderr.write(formatError(e) + '\n');
      }
    }
  }
  return failed ? 1 : 0;
};
