// NodeName: a pod naming its node fits only there. The scheduler never picks such pods up
// (they are the kubelet's), so this matters only for preemption's re-run of the filters.
import { unresolvable, type FilterPlugin } from '../framework.js';

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(pod, node) {
    const want = pod.spec?.nodeName;
    return !want || want === node.name ? undefined : unresolvable(this.name, "node(s) didn't match the requested node name");
  },
};
