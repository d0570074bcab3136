// TaintToleration: a node's NoSchedule/NoExecute taints must all be tolerated. Node readiness
// is enforced the same way: Kubernetes' node lifecycle controller taints a NotReady node
// `node.kubernetes.io/not-ready:NoSchedule` (Unknown: `unreachable`); the taint is implied here
// when the controller has not put it yet, so tolerations of it work as in Kubernetes.
import { unresolvable, type FilterPlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { Node, Pod, Taint, Toleration } from '../types.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** v1.Toleration.ToleratesTaint */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

export const tolerated = (tolerations: Toleration[] | undefined, taint: Taint): boolean => (tolerations ?? []).some((t) => toleratesTaint(t, taint));

/** The node's taints plus the readiness taint its Ready condition implies. */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...(node.spec?.taints ?? [])];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready !== 'True') {
    const key = ready === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' });
  }
  return taints;
}

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod: Pod, node: NodeInfo) {
    const taint = effectiveTaints(node.node!).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(pod.spec?.tolerations, t));
    if (!taint) return undefined;
    return unresolvable(this.name, `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  },
};
