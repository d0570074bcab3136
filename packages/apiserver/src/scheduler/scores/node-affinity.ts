// NodeAffinity's score: the summed weights of the preferred terms a node matches.
import { defaultNormalize, type ScorePlugin } from '../framework.js';
import { matchTerm } from '../filters/node-affinity.js';

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  score(pod, nodes) {
    const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const sums = nodes.map((n) => preferred.reduce((acc, p) => (p.weight && matchTerm(p.preference, n.node!) ? acc + p.weight : acc), 0));
    return defaultNormalize(sums, false);
  },
};
