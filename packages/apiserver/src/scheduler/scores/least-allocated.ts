// NodeResourcesFit's LeastAllocated score: the share of cpu and memory left free after placing
// the pod, averaged. Requests missing on a container count as 100m / 200Mi, so pods without
// requests still spread by count.
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';
import { podRequests } from '../resources.js';

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export const leastAllocated: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score(pod, nodes) {
    const req = podRequests(pod, true);
    return nodes.map((n) => {
      let sum = 0;
      let weights = 0;
      for (const [r, a] of [
        [req.milliCPU + n.nonZeroRequested.milliCPU, n.allocatable.milliCPU],
        [req.memory + n.nonZeroRequested.memory, n.allocatable.memory],
      ]) {
        if (a === 0) continue;
        sum += leastRequestedScore(r, a);
        weights++;
      }
      return weights ? Math.trunc(sum / weights) : 0;
    });
  },
};
