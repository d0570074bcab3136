// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in equal
// shares. Skipped for pods that request nothing (Kubernetes 1.32+, issue 129138): otherwise
// best-effort pods pile onto one node.
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';
import { podRequests } from '../resources.js';

export function balancedScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    fractions.push(Math.min(1, requested[i] / allocatable[i]));
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
  else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod, nodes) {
    const req = podRequests(pod);
    if (req.milliCPU === 0 && req.memory === 0) return nodes.map(() => 0);
    return nodes.map((n) =>
      balancedScore([req.milliCPU + n.requested.milliCPU, req.memory + n.requested.memory], [n.allocatable.milliCPU, n.allocatable.memory]),
    );
  },
};
