// DefaultPreemption's PostFilter, as far as its message: minik does not evict pods, but says
// what kube-scheduler would, e.g. "preemption: 0/3 nodes are available: 3 Preemption is not
// helpful for scheduling." Returns undefined when preemption would find a victim (Kubernetes
// would then nominate a node and report no PostFilter message).
import { fitErrorMessage, runFilters, unresolvable, type FilterPlugin, type Status } from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { Pod } from './types.js';

const priority = (p: Pod) => p.spec?.priority ?? 0;

export function preemptionMessage(pod: Pod, nodes: NodeInfo[], statuses: Map<string, Status>, filters: FilterPlugin[]): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const results = new Map<string, Status>();
  let candidates = 0;
  // Only nodes whose failure removing pods could fix are tried (nodesWherePreemptionMightHelp).
  for (const n of nodes) {
    if (statuses.get(n.name)?.code !== 'Unschedulable') continue;
    // SelectVictimsOnNode: remove every lower-priority pod, then filter again.
    const victims = [...n.pods.values()].filter((p) => priority(p) < priority(pod));
    if (!victims.length) {
      results.set(n.name, unresolvable('DefaultPreemption', 'No preemption victims found for incoming pod'));
      continue;
    }
    const without = n.clone();
    for (const v of victims) without.removePod(v);
    const s = runFilters(filters, pod, without);
    if (s) results.set(n.name, s);
    else candidates++;
  }
  if (candidates) return undefined;
  for (const n of nodes) if (!results.has(n.name)) results.set(n.name, unresolvable('DefaultPreemption', 'Preemption is not helpful for scheduling'));
  return `preemption: ${fitErrorMessage(nodes.length, results.values())}`;
}
