// The scheduling framework's shapes: filter and score plugins, their statuses, and the
// FitError message kube-scheduler writes into FailedScheduling events and PodScheduled.
import type { NodeInfo } from './node-info.js';
import type { Pod } from './types.js';

export const MAX_NODE_SCORE = 100;

/**
 * Unschedulable: preemption might help (resources, ports). UnschedulableAndUnresolvable:
 * removing pods would not (taints, affinity, cordon), so preemption skips the node.
 */
export type Code = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Status {
  code: Code;
  reasons: string[];
  plugin: string;
}

export interface FilterPlugin {
  readonly name: string;
  filter(pod: Pod, node: NodeInfo): Status | undefined;
}

/** Decides which pods spread together (the default PodTopologySpread selector). */
export type PodMatcher = (other: Pod) => boolean;

export interface ScoreContext {
  /** Every node in the snapshot, not only the feasible ones (zone spreading counts them all). */
  allNodes: NodeInfo[];
  spreadMatcher?: PodMatcher;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Normalized scores, 0..MAX_NODE_SCORE, one per node in `nodes` (same order). */
  score(pod: Pod, nodes: NodeInfo[], ctx: ScoreContext): number[];
}

export const unschedulable = (plugin: string, ...reasons: string[]): Status => ({ code: 'Unschedulable', reasons, plugin });
export const unresolvable = (plugin: string, ...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons, plugin });

/** RunFilterPlugins: the first plugin that rejects the node decides its status. */
export function runFilters(filters: FilterPlugin[], pod: Pod, node: NodeInfo): Status | undefined {
  for (const f of filters) {
    const s = f.filter(pod, node);
    if (s) return s;
  }
  return undefined;
}

/** helper.DefaultNormalizeScore: scale to 0..100 by the highest score, optionally reversed. */
export function defaultNormalize(scores: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return scores.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return scores.map((s) => {
    const n = Math.trunc((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - n : n;
  });
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * FitError.Error(): "0/N nodes are available: <count reason, …>. <postfilter msg>." The
 * histogram entries are "<count> <reason>" sorted as strings (Go's sort.Strings), so
 * "10 …" sorts before "2 …" just as in kube-scheduler.
 */
export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, postFilterMsg?: string): string {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  let msg = `0/${numAllNodes} nodes are available:`;
  const hist = [...counts].map(([r, n]) => `${n} ${r}`).sort(byteOrder);
  if (hist.length) msg += ` ${hist.join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}

/** validation.NoteLengthLimit: kube-scheduler truncates event notes to 1024 characters. */
export function truncateMessage(msg: string, max = 1024): string {
  if (msg.length <= max) return msg;
  const suffix = ' ...';
  return msg.slice(0, max - suffix.length) + suffix;
}
