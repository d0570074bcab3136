// The default profile's scores with kube-scheduler's weights. InterPodAffinity and
// ImageLocality are not implemented (minik has no pod affinity support or image reports).
import type { ScorePlugin } from '../framework.js';
import { balancedAllocation } from './balanced-allocation.js';
import { leastAllocated } from './least-allocated.js';
import { nodeAffinityScore } from './node-affinity.js';
import { podTopologySpread } from './pod-topology-spread.js';
import { taintTolerationScore } from './taint-toleration.js';

export const DEFAULT_SCORES: ScorePlugin[] = [taintTolerationScore, nodeAffinityScore, leastAllocated, podTopologySpread, balancedAllocation];

export { balancedAllocation, leastAllocated, nodeAffinityScore, podTopologySpread, taintTolerationScore };
