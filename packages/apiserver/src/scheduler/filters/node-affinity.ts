// NodeAffinity: spec.nodeSelector (every label equal) and
// requiredDuringSchedulingIgnoredDuringExecution (terms ORed, expressions within a term ANDed).
import { unresolvable, type FilterPlugin } from '../framework.js';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../types.js';

/** An int64 as Go's strconv.ParseInt reads it; undefined when it is not one. */
function parseInt64(s: string | undefined): bigint | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  return BigInt(s);
}

/** nodeaffinity: one requirement against a set of labels (or fields). */
export function matchRequirement(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v);
    case 'NotIn':
      return !has || !values.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      // Exactly one integer value; the label must parse as an integer too.
      const want = values.length === 1 ? parseInt64(values[0]) : undefined;
      const got = has ? parseInt64(v) : undefined;
      if (want === undefined || got === undefined) return false;
      return r.operator === 'Gt' ? got > want : got < want;
    }
    default:
      return false;
  }
}

/** A term with neither expressions nor fields matches nothing. */
export function matchTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  const nodeFields = { 'metadata.name': node.metadata.name ?? '' };
  return exprs.every((r) => matchRequirement(r, labels)) && fields.every((r) => matchRequirement(r, nodeFields));
}

/** RequiredNodeAffinity.Match: nodeSelector and the required terms. */
export function matchesRequiredAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => matchTerm(t, node));
}

export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(pod, node) {
    return matchesRequiredAffinity(pod, node.node!) ? undefined : unresolvable(this.name, "node(s) didn't match Pod's node affinity/selector");
  },
};
