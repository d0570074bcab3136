// PodTopologySpread with the cluster-default constraints (what spreads the replicas of one
// Deployment): ScheduleAnyway, maxSkew 3 across hostnames and 5 across zones, over the pods
// the default selector matches (Services selecting the pod, its ReplicaSet's selector).
// Fewer matching pods in a node's domain is better.
import { MAX_NODE_SCORE, type PodMatcher, type ScorePlugin } from '../framework.js';
import { matchesRequiredAffinity } from '../filters/node-affinity.js';
import type { NodeInfo } from '../node-info.js';
import type { Pod } from '../types.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

const DEFAULT_CONSTRAINTS = [
  { key: LABEL_HOSTNAME, maxSkew: 3 },
  { key: LABEL_ZONE, maxSkew: 5 },
];

/**
 * The node's value for a topology key. A node without a hostname label is its own domain
 * (minik's nodes may be created without one; Kubernetes would score it as empty).
 */
function topologyValue(n: NodeInfo, key: string): string | undefined {
  const v = n.node?.metadata.labels?.[key];
  return v ?? (key === LABEL_HOSTNAME ? n.name : undefined);
}

/** countPodsMatchSelector: same namespace, not terminating, selected. */
function countMatching(n: NodeInfo, ns: string | undefined, match: PodMatcher): number {
  let c = 0;
  for (const p of n.pods.values()) if (!p.metadata.deletionTimestamp && p.metadata.namespace === ns && match(p)) c++;
  return c;
}

export const podTopologySpread: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  score(pod: Pod, nodes, ctx) {
    const match = ctx.spreadMatcher;
    if (!match) return nodes.map(() => 0);
    const ns = pod.metadata.namespace;
    const raw = nodes.map(() => 0);
    for (const c of DEFAULT_CONSTRAINTS) {
      // Domains present among the feasible nodes; their count sets the weight of the constraint.
      const domains = new Set<string>();
      for (const n of nodes) {
        const v = topologyValue(n, c.key);
        if (v !== undefined) domains.add(v);
      }
      if (!domains.size) continue;
      const weight = Math.log(domains.size + 2);
      let counts: Map<string, number> | undefined;
      if (c.key !== LABEL_HOSTNAME) {
        // Zone totals over every node the pod's node affinity allows (nodeAffinityPolicy Honor).
        counts = new Map();
        for (const n of ctx.allNodes) {
          const v = n.node && topologyValue(n, c.key);
          if (v === undefined || !domains.has(v) || !matchesRequiredAffinity(pod, n.node!)) continue;
          counts.set(v, (counts.get(v) ?? 0) + countMatching(n, ns, match));
        }
      }
      nodes.forEach((n, i) => {
        const v = topologyValue(n, c.key);
        if (v === undefined) return;
        const cnt = counts ? (counts.get(v) ?? 0) : countMatching(n, ns, match);
        raw[i] += cnt * weight + (c.maxSkew - 1);
      });
    }
    const scores = raw.map((s) => Math.round(s));
    // NormalizeScore: the fewest matching pods gets 100.
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    return scores.map((s) => (max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - s)) / max)));
  },
};
