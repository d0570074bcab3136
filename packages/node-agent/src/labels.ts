// How the agent marks what it runs, so that a restarted agent can find, adopt or remove its
// containers (the role dockershim's labels played for kubelet).

export const L = {
  cluster: 'io.minik.cluster',
  node: 'io.minik.node',
  role: 'io.minik.role', // sandbox | init | app
  namespace: 'io.kubernetes.pod.namespace',
  pod: 'io.kubernetes.pod.name',
  uid: 'io.kubernetes.pod.uid',
  container: 'io.kubernetes.container.name',
  restartCount: 'io.kubernetes.container.restartCount',
  podIP: 'io.minik.pod-ip',
  /** Hash of the container spec it was created from: a changed spec means a new container. */
  specHash: 'io.minik.spec-hash',
} as const;

export type Role = 'sandbox' | 'init' | 'app';

/** Docker names must be unique: include the pod uid and the attempt, like dockershim's `k8s_…`. */
export function containerName(cluster: string, role: Role, container: string, pod: string, namespace: string, uid: string, attempt: number): string {
  const c = role === 'sandbox' ? 'POD' : container;
  return `minik-${cluster}_${c}_${pod}_${namespace}_${uid.slice(0, 8)}_${attempt}`;
}
