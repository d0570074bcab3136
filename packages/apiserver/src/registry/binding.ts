// pods/binding: the scheduler's way to assign a pod to a node (kube-apiserver's BindingREST).
import { errors, metaTime, type KubeObject } from '@minik/api';
import type { RegistryStore } from './store.js';

interface Binding extends KubeObject {
  target?: { kind?: string; name?: string };
}

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export async function bindPod(pods: RegistryStore, namespace: string, name: string, body: Binding): Promise<KubeObject> {
  const node = body.target?.name;
  if (!node) throw errors.invalid('Binding', '', name, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  if (body.target?.kind && body.target.kind !== 'Node') {
    throw errors.invalid('Binding', '', name, [{ reason: 'FieldValueNotSupported', field: 'target.kind', message: `Unsupported value: ${JSON.stringify(body.target.kind)}: supported values: "Node"` }]);
  }
  const uid = body.metadata?.uid;
  return pods.modify(
    namespace,
    name,
    (pod) => {
      const spec = pod.spec as { nodeName?: string };
      if (uid && pod.metadata?.uid !== uid) throw errors.conflict(pods.ref, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata?.uid}`);
      if (pod.metadata?.deletionTimestamp) throw errors.conflict(pods.ref, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw errors.conflict(pods.ref, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
      spec.nodeName = node;
      const status = ((pod.status as { conditions?: PodCondition[] }) ??= {});
      const conds = (status.conditions ??= []);
      const cond: PodCondition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: metaTime() };
      const i = conds.findIndex((c) => c.type === 'PodScheduled');
      if (i >= 0) conds[i] = cond;
      else conds.push(cond);
      return pod;
    },
    { subresource: 'binding' },
  );
}
