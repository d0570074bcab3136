// Pod QoS class (pkg/apis/core/helper/qos), set once at creation.
import { parseQuantity, quantityCmp } from '../validation/quantity.js';
import { list, type Obj } from './util.js';

const QOS_RESOURCES = ['cpu', 'memory'];

export function podQOSClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  let guaranteed = true;
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const lim: Obj = c.resources?.limits ?? {};
    // Requests default to limits on a Pod; count them so the answer does not depend on order.
    const req: Obj = { ...lim, ...(c.resources?.requests ?? {}) };
    for (const [name, q] of Object.entries(req)) {
      const v = parseQuantity(q).value ?? 0;
      if (QOS_RESOURCES.includes(name) && v > 0) requests[name] = (requests[name] ?? 0) + v;
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(lim)) {
      const v = parseQuantity(q).value ?? 0;
      if (QOS_RESOURCES.includes(name) && v > 0) {
        found.add(name);
        limits[name] = (limits[name] ?? 0) + v;
      }
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false;
  }
  if (!Object.keys(requests).length && !Object.keys(limits).length) return 'BestEffort';
  if (guaranteed) {
    for (const [name, r] of Object.entries(requests)) {
      if (limits[name] === undefined || quantityCmp(limits[name], r) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && Object.keys(requests).length === Object.keys(limits).length ? 'Guaranteed' : 'Burstable';
}
