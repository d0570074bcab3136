// TaintToleration's score: fewer untolerated PreferNoSchedule taints is better.
import { defaultNormalize, type ScorePlugin } from '../framework.js';
import { tolerated } from '../filters/taint-toleration.js';

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(pod, nodes) {
    // Only tolerations that can apply to PreferNoSchedule count (empty effect or that effect).
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    const counts = nodes.map((n) => (n.node?.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerated(tolerations, t)).length);
    return defaultNormalize(counts, true);
  },
};
