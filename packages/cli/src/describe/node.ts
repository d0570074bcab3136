// Nodes (describeNode, describeNodeLease, describeNodeResource in describe.go).
import { ApiError, parseResourceList, Quantity } from '@minik/api';
import { CORE, listAll, type DescribeContext } from './context.js';
import { describeEvents, searchEvents } from './events.js';
import { goStringLess, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, rfc1123z, since, type Obj } from './format.js';
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './writer.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** findNodeRoles: `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role`. */
export function nodeRoles(node: Obj): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node?.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort(goStringLess);
}

type ResourceMap = Map<string, Quantity>;

function addList(into: ResourceMap, list: ResourceMap): void {
  for (const [name, q] of list) into.set(name, into.has(name) ? into.get(name)!.add(q) : q);
}

function maxList(into: ResourceMap, list: ResourceMap): void {
  for (const [name, q] of list) if (!into.has(name) || q.cmp(into.get(name)!) > 0) into.set(name, q);
}

/** resourcehelper.PodRequestsAndLimits (sidecar init containers add up, others take the max). */
export function podRequestsAndLimits(pod: Obj): { requests: ResourceMap; limits: ResourceMap } {
  const sum = (kind: 'requests' | 'limits') => {
    const total: ResourceMap = new Map();
    for (const c of pod?.spec?.containers ?? []) addList(total, parseResourceList(c?.resources?.[kind]));
    const restartable: ResourceMap = new Map();
    const init: ResourceMap = new Map();
    for (const c of pod?.spec?.initContainers ?? []) {
      const own = parseResourceList(c?.resources?.[kind]);
      let effective: ResourceMap;
      if (c?.restartPolicy === 'Always') {
        addList(total, own);
        addList(restartable, own);
        effective = restartable;
      } else {
        effective = new Map();
        addList(effective, own);
        addList(effective, restartable);
      }
      maxList(init, effective);
    }
    maxList(total, init);
    const overhead = parseResourceList(pod?.spec?.overhead);
    if (kind === 'requests') addList(total, overhead);
    else for (const [name, q] of overhead) if (total.has(name) && !total.get(name)!.isZero()) total.set(name, total.get(name)!.add(q));
    return total;
  };
  return { requests: sum('requests'), limits: sum('limits') };
}

/** int64(float64(a)/float64(b)*100), with Go's float→int conversion of NaN/Inf on amd64. */
function percent(a: number, b: number): number {
  const f = (a / b) * 100;
  return Number.isFinite(f) ? Math.trunc(f) : -9223372036854775808;
}

const zero = Quantity.zero();
const get = (m: ResourceMap, name: string) => m.get(name) ?? zero;

function describeNodeResource(pods: Obj[], node: Obj, w: PrefixWriter, now: number): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const allocatable = parseResourceList(Object.keys(node?.status?.allocatable ?? {}).length ? node.status.allocatable : node?.status?.capacity);
  const cpuAlloc = get(allocatable, 'cpu').milliValue();
  const memAlloc = get(allocatable, 'memory').value();
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod);
    const [cr, cl, mr, ml] = [get(requests, 'cpu'), get(limits, 'cpu'), get(requests, 'memory'), get(limits, 'memory')];
    w.write(
      LEVEL_1,
      `${pod?.metadata?.namespace ?? ''}\t${pod?.metadata?.name ?? ''}\t\t${cr} (${percent(cr.milliValue(), cpuAlloc)}%)\t${cl} (${percent(cl.milliValue(), cpuAlloc)}%)\t${mr} (${percent(mr.value(), memAlloc)}%)\t${ml} (${percent(ml.value(), memAlloc)}%)\t${since(pod?.metadata?.creationTimestamp, now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const reqs: ResourceMap = new Map();
  const lims: ResourceMap = new Map();
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod);
    addList(reqs, requests);
    addList(lims, limits);
  }
  const row = (name: string, alloc: number, value: (q: Quantity) => number) => {
    const [r, l] = [get(reqs, name), get(lims, name)];
    const pr = alloc !== 0 ? percent(value(r), alloc) : 0;
    const pl = alloc !== 0 ? percent(value(l), alloc) : 0;
    w.write(LEVEL_1, `${name}\t${r} (${pr}%)\t${l} (${pl}%)\n`);
  };
  row('cpu', cpuAlloc, (q) => q.milliValue());
  row('memory', memAlloc, (q) => q.value());
  row('ephemeral-storage', get(allocatable, 'ephemeral-storage').value(), (q) => q.value());
  const names = [...allocatable.keys()].sort(goStringLess);
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) row(name, get(allocatable, name).value(), (q) => q.value());
  // Extended resources: anything but the standard container resources, hugepages and pods.
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
  for (const name of names) {
    if (name.startsWith('hugepages-') || standard.has(name)) continue;
    w.write(LEVEL_1, `${name}\t${get(reqs, name)}\t${get(lims, name)}\n`);
  }
}

function describeNodeLease(lease: Obj, w: PrefixWriter): void {
  w.write(LEVEL_0, 'Lease:\n');
  const spec = lease?.spec ?? {};
  w.write(LEVEL_1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
  w.write(LEVEL_1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : '<unset>'}\n`);
  w.write(LEVEL_1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : '<unset>'}\n`);
}

/** What describeNode needs besides the node: its lease (or the error getting it) and its pods. */
export interface NodeExtras {
  lease: { lease: Obj } | { error: string };
  /** undefined: the user may not list pods. */
  pods: Obj[] | undefined;
}

export function describeNode(node: Obj, extras: NodeExtras, events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    const meta = node?.metadata ?? {};
    const spec = node?.spec ?? {};
    const status = node?.status ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    const roles = nodeRoles(node);
    w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
    printTaintsMultiline(w, 'Taints', spec.taints);
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`);
    if ('lease' in extras.lease) describeNodeLease(extras.lease.lease, w);
    else w.write(LEVEL_0, `Lease:\tFailed to get lease: ${extras.lease.error}\n`);
    const conditions: Obj[] = status.conditions ?? [];
    if (conditions.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conditions) {
        w.write(LEVEL_1, `${c?.type ?? ''} \t${c?.status ?? ''} \t${rfc1123z(c?.lastHeartbeatTime)} \t${rfc1123z(c?.lastTransitionTime)} \t${c?.reason ?? ''} \t${c?.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a?.type ?? ''}:\t${a?.address ?? ''}\n`);
    const printResourceList = (list: Record<string, unknown>) => {
      const parsed = parseResourceList(list);
      for (const name of Object.keys(list).sort(goStringLess)) w.write(LEVEL_0, `  ${name}:\t${parsed.get(name)?.toString() ?? String(list[name])}\n`);
    };
    if (Object.keys(status.capacity ?? {}).length) {
      w.write(LEVEL_0, 'Capacity:\n');
      printResourceList(status.capacity);
    }
    if (Object.keys(status.allocatable ?? {}).length) {
      w.write(LEVEL_0, 'Allocatable:\n');
      printResourceList(status.allocatable);
    }
    const info = status.nodeInfo ?? {};
    w.write(LEVEL_0, 'System Info:\n');
    w.write(LEVEL_0, `  Machine ID:\t${info.machineID ?? ''}\n`);
    w.write(LEVEL_0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
    w.write(LEVEL_0, `  Boot ID:\t${info.bootID ?? ''}\n`);
    w.write(LEVEL_0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
    w.write(LEVEL_0, `  OS Image:\t${info.osImage ?? ''}\n`);
    w.write(LEVEL_0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
    w.write(LEVEL_0, `  Architecture:\t${info.architecture ?? ''}\n`);
    w.write(LEVEL_0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`);
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
    if (spec.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
    if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
    if (extras.pods) describeNodeResource(extras.pods, node, w, now);
    else w.write(LEVEL_0, 'Pods:\tnot authorized\n');
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchNode(ctx: DescribeContext, _namespace: string, name: string): Promise<string> {
  const node: Obj = await ctx.client.resource(CORE('nodes')).get(undefined, name);
  let pods: Obj[] | undefined;
  try {
    pods = await listAll(ctx, CORE('pods'), undefined, { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` });
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 403)) throw e;
  }
  let events: Obj[] | undefined;
  if (ctx.settings.showEvents) {
    // Controllers record node events with the node's uid, kubelets with its name: kubectl merges both.
    const ref = { name, namespace: '', kind: 'Node' };
    const byUid = await searchEvents(ctx, { ...ref, uid: node?.metadata?.uid }).catch(() => []);
    const byName = await searchEvents(ctx, { ...ref, uid: name }).catch(() => []);
    events = [...byUid, ...byName];
  }
  let lease: NodeExtras['lease'];
  try {
    lease = { lease: await ctx.client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }).get('kube-node-lease', name) };
  } catch (e) {
    lease = { error: (e as Error).message };
  }
  return describeNode(node, { lease, pods }, events, ctx.now);
}
