// Pod QoS class (pkg/apis/core/helper/qos), set once at creation.
import { parseResourceList, Quantity } from '@minik/api';
import { list, type Obj } from './util.js';

const QOS_RESOURCES = ['cpu', 'memory'];

export function podQOSClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  const sum = (into: Map<string, Quantity>, name: string, q: Quantity) => into.set(name, (into.get(name) ?? Quantity.zero()).add(q));
  let guaranteed = true;
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const lim: Obj = c.resources?.limits ?? {};
    // Requests default to limits on a Pod; count them so the answer does not depend on order.
    const req: Obj = { ...lim, ...(c.resources?.requests ?? {}) };
    for (const [name, q] of parseResourceList(req)) {
      if (QOS_RESOURCES.includes(name) && q.sign() > 0) sum(requests, name, q);
    }
    const found = new Set<string>();
    for (const [name, q] of parseResourceList(lim)) {
      if (QOS_RESOURCES.includes(name) && q.sign() > 0) {
        found.add(name);
        sum(limits, name, q);
      }
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false;
  }
  if (!requests.size && !limits.size) return 'BestEffort';
  if (guaranteed) {
    for (const [name, r] of requests) {
      const l = limits.get(name);
      if (l === undefined || l.cmp(r) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
