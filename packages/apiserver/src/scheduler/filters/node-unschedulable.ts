// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate
// `node.kubernetes.io/unschedulable:NoSchedule` (DaemonSet pods do).
import { unresolvable, type FilterPlugin } from '../framework.js';
import { tolerated } from './taint-toleration.js';

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    if (!node.node?.spec?.unschedulable) return undefined;
    if (tolerated(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return undefined;
    return unresolvable(this.name, 'node(s) were unschedulable');
  },
};
