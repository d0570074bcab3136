// Pods and pod templates (describePod, DescribePodTemplate in describe.go).
import { parseResourceList, Quantity } from '@minik/api';
import { goSort } from '../printers/go-sort.js';
import { describeContainers, describeResources, type EnvResolver } from './containers.js';
import { describeEvents } from './events.js';
import { printAnnotationsMultiline, printController, printLabelsMultiline, printTolerationsMultiline, rfc1123z, since, goStringLess, type Obj } from './format.js';
import { describeVolumes } from './volumes.js';
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './writer.js';

/**
 * EnvValueRetriever: kubectl resolves `fieldRef`s with its scheme's default field-label
 * conversion, which only knows metadata.name and metadata.namespace; others print empty.
 */
export function envValueRetriever(pod: Obj): EnvResolver {
  return (e) => {
    const path = e?.valueFrom?.fieldRef?.fieldPath;
    if (path === 'metadata.name') return pod?.metadata?.name ?? '';
    if (path === 'metadata.namespace') return pod?.metadata?.namespace ?? '';
    return '';
  };
}

/** qos.GetPodQOS: the status field, else computed from requests and limits. */
export function podQOS(pod: Obj): string {
  if (pod?.status?.qosClass) return pod.status.qosClass;
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const zero = Quantity.zero();
  const add = (into: Map<string, Quantity>, list: Obj) => {
    for (const [name, q] of parseResourceList(list)) {
      if ((name !== 'cpu' && name !== 'memory') || q.cmp(zero) <= 0) continue;
      into.set(name, into.has(name) ? q.add(into.get(name)!) : q);
    }
  };
  const limitsCover = (list: Obj) => {
    const l = parseResourceList(list);
    return ['cpu', 'memory'].every((n) => (l.get(n)?.cmp(zero) ?? 0) > 0);
  };
  const podResources = pod?.spec?.resources;
  if (podResources) {
    add(requests, podResources.requests);
    if (podResources.limits) {
      add(limits, podResources.limits);
      if (!limitsCover(podResources.limits)) guaranteed = false;
    }
  } else {
    for (const c of [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])]) {
      add(requests, c?.resources?.requests);
      add(limits, c?.resources?.limits);
      if (!limitsCover(c?.resources?.limits)) guaranteed = false;
    }
  }
  if (!requests.size && !limits.size) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function describePodIPs(pod: Obj, w: PrefixWriter, space: string): void {
  const ips: Obj[] = pod?.status?.podIPs ?? [];
  if (!ips.length) {
    w.write(LEVEL_0, `${space}IPs:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}IPs:\n`);
  for (const ip of ips) w.write(LEVEL_1, `IP:\t${ip?.ip ?? ''}\n`);
}

/** describeTopologySpreadConstraints */
function describeTopologySpreadConstraints(tscs: Obj[] | undefined, w: PrefixWriter, space: string): void {
  if (!tscs?.length) return;
  const sorted = goSort(tscs, (a, b) => (a?.topologyKey ?? '') < (b?.topologyKey ?? ''));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, `${space}\t`);
    let s = `${t?.topologyKey ?? ''}:${t?.whenUnsatisfiable ?? ''} when max skew ${t?.maxSkew ?? 0} is exceeded`;
    if (t?.labelSelector) s += ` for selector ${formatSelector(t.labelSelector)}`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

/** metav1.FormatLabelSelector */
export function formatSelector(sel: Obj): string {
  const s = selectorString(sel);
  return s || '<none>';
}

/** labels.Selector.String() of metav1.LabelSelectorAsSelector: requirements sorted by key. */
export function selectorString(sel: Obj): string {
  if (!sel) return '';
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e?.values ?? [])].sort(goStringLess).join(',');
    const op = e?.operator;
    const text = op === 'In' ? `${e.key} in (${vals})` : op === 'NotIn' ? `${e.key} notin (${vals})` : op === 'Exists' ? `${e.key}` : op === 'DoesNotExist' ? `!${e.key}` : `${e?.key}`;
    reqs.push([e?.key ?? '', text]);
  }
  return reqs
    .sort((a, b) => goStringLess(a[0], b[0]))
    .map((r) => r[1])
    .join(',');
}

export function describePod(pod: Obj, events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    const meta = pod?.metadata ?? {};
    const spec = pod?.spec ?? {};
    const status = pod?.status ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
    w.write(LEVEL_0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
      w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
    } else {
      w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
    }
    if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
    if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
    const seccomp = spec.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
      if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
    describePodIPs(pod, w, '');
    const controlledBy = printController(pod);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
    if (spec.resources) {
      w.write(LEVEL_0, 'Resources:\n');
      describeResources(spec.resources, w, LEVEL_1);
    }
    const resolver = envValueRetriever(pod);
    if (spec.initContainers?.length) describeContainers('Init Containers', spec.initContainers, status.initContainerStatuses, resolver, w, '');
    describeContainers('Containers', spec.containers, status.containerStatuses, resolver, w, '');
    if (spec.ephemeralContainers?.length) describeContainers('Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses, resolver, w, '');
    const conditions: Obj[] = status.conditions ?? [];
    if (spec.readinessGates?.length) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
      for (const g of spec.readinessGates) {
        const c = conditions.find((x) => x?.type === g?.conditionType);
        w.write(LEVEL_1, `${g?.conditionType ?? ''} \t${c ? (c.status ?? '') : '<none>'} \n`);
      }
    }
    if (conditions.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
      for (const c of conditions) w.write(LEVEL_1, `${c?.type ?? ''} \t${c?.status ?? ''} \n`);
    }
    describeVolumes(spec.volumes, w, '');
    w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
    printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
    describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '');
    if (events) describeEvents(events, w, now);
  });
}

/** DescribePodTemplate, as Deployments and ReplicaSets embed it. */
export function describePodTemplate(template: Obj, w: PrefixWriter): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const spec = template.spec ?? {};
  printLabelsMultiline(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length) printAnnotationsMultiline(w, '  Annotations', template.metadata.annotations);
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers('Init Containers', spec.initContainers, undefined, undefined, w, '  ');
  describeContainers('Containers', spec.containers, undefined, undefined, w, '  ');
  describeVolumes(spec.volumes, w, '  ');
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '  ');
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}
