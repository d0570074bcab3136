// Node: STATUS from the Ready condition (+ SchedulingDisabled when cordoned), ROLES from labels.
import { AGE, NAME, NONE, ageOf, col, nameOf, printer, sortedSet, wide } from './helpers.js';
import { DOC } from './descriptions.js';
import type { Node } from './shapes.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

const columns = [
  NAME,
  col('Status', 'string', 'The status of the node'),
  col('Roles', 'string', 'The roles of the node'),
  AGE,
  col('Version', 'string', DOC['NodeSystemInfo.kubeletVersion']),
  col('Internal-IP', 'string', DOC['NodeStatus.addresses'], wide),
  col('External-IP', 'string', DOC['NodeStatus.addresses'], wide),
  col('OS-Image', 'string', DOC['NodeSystemInfo.osImage'], wide),
  col('Kernel-Version', 'string', DOC['NodeSystemInfo.kernelVersion'], wide),
  col('Container-Runtime', 'string', DOC['NodeSystemInfo.containerRuntimeVersion'], wide),
];

export function nodeStatus(node: Node): string {
  // Only Ready is reported (NodeAllConditions); the last entry of a type wins, as in the Go map.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  const status: string[] = [];
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role=<role>` label. */
export function nodeRoles(node: Node): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.push(role);
    } else if (k === ROLE_LABEL && v !== '') {
      roles.push(v);
    }
  }
  return sortedSet(roles).join(',') || NONE;
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? NONE;
}

export const nodePrinter = printer<Node>(columns, (node, now) => {
  const info = node.status?.nodeInfo ?? {};
  return [
    nameOf(node),
    nodeStatus(node),
    nodeRoles(node),
    ageOf(node, now),
    info.kubeletVersion ?? '',
    address(node, 'InternalIP'),
    address(node, 'ExternalIP'),
    info.osImage || '<unknown>',
    info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ];
});
