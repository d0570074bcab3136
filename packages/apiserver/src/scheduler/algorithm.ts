// One scheduling decision (schedulePod): filter every node, score the feasible ones, pick the
// best. Pure over a snapshot of NodeInfos, so it is tested without an apiserver.
import { DEFAULT_FILTERS } from './filters/index.js';
import { fitErrorMessage, NO_NODES_AVAILABLE, runFilters, type FilterPlugin, type PodMatcher, type ScorePlugin, type Status } from './framework.js';
import type { NodeInfo } from './node-info.js';
import { preemptionMessage } from './preemption.js';
import { DEFAULT_SCORES } from './scores/index.js';
import { podRequests } from './resources.js';
import type { Pod } from './types.js';

export interface Profile {
  filters: FilterPlugin[];
  scores: ScorePlugin[];
}

export const DEFAULT_PROFILE: Profile = { filters: DEFAULT_FILTERS, scores: DEFAULT_SCORES };

export type ScheduleResult =
  | { nodeName: string; feasible: number; scores?: Map<string, number> }
  | { nodeName?: undefined; message: string; statuses: Map<string, Status> };

export interface ScheduleOptions {
  profile?: Profile;
  spreadMatcher?: PodMatcher;
  /** For the final tie-break; Math.random by default. */
  random?: () => number;
}

/**
 * Share of the node's cpu and memory the pod and the node's pods would take, unrounded. Used
 * only to order nodes whose integer scores tie: kube-scheduler's integer LeastAllocated score
 * cannot tell 100m of 32 cores from 200m, and minik's walkthroughs expect the emptier node.
 */
function exactLoad(pod: Pod, n: NodeInfo): number {
  const req = podRequests(pod, true);
  const cpu = n.allocatable.milliCPU ? (req.milliCPU + n.nonZeroRequested.milliCPU) / n.allocatable.milliCPU : 0;
  const mem = n.allocatable.memory ? (req.memory + n.nonZeroRequested.memory) / n.allocatable.memory : 0;
  return cpu + mem;
}

export function schedulePod(pod: Pod, snapshot: NodeInfo[], opts: ScheduleOptions = {}): ScheduleResult {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const nodes = snapshot.filter((n) => n.node);
  if (!nodes.length) return { message: NO_NODES_AVAILABLE, statuses: new Map() };

  const feasible: NodeInfo[] = [];
  const statuses = new Map<string, Status>();
  for (const n of nodes) {
    const s = runFilters(profile.filters, pod, n);
    if (s) statuses.set(n.name, s);
    else feasible.push(n);
  }
  if (!feasible.length) {
    const post = preemptionMessage(pod, nodes, statuses, profile.filters);
    return { message: fitErrorMessage(nodes.length, statuses.values(), post), statuses };
  }
  // With a single feasible node kube-scheduler skips scoring.
  if (feasible.length === 1) return { nodeName: feasible[0].name, feasible: 1 };

  const totals = feasible.map(() => 0);
  for (const plugin of profile.scores) {
    const s = plugin.score(pod, feasible, { allNodes: nodes, spreadMatcher: opts.spreadMatcher });
    s.forEach((v, i) => (totals[i] += v * plugin.weight));
  }
  const best = Math.max(...totals);
  let top = feasible.filter((_, i) => totals[i] === best);
  if (top.length > 1) {
    const loads = top.map((n) => exactLoad(pod, n));
    const least = Math.min(...loads);
    top = top.filter((_, i) => loads[i] - least < 1e-12);
  }
  // selectHost: a random one among equals, as kube-scheduler does.
  const pick = top[Math.min(top.length - 1, Math.floor((opts.random ?? Math.random)() * top.length))];
  return { nodeName: pick.name, feasible: feasible.length, scores: new Map(feasible.map((n, i) => [n.name, totals[i]])) };
}
