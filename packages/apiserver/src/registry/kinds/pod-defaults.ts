// SetDefaults_* of pkg/apis/core/v1/defaults.go for everything inside a PodSpec, shared by Pods
// and the pod templates of Deployments and ReplicaSets; plus what only a Pod gets.
import { child, isObj, list, type Obj } from './util.js';

const FILE_MODE_DEFAULT = 0o644;

/** parsers.ParseImageName: the tag, "latest" when neither tag nor digest is given. */
export function imageTag(image: string): string {
  if (image.includes('@')) return image.slice(0, image.indexOf('@')).match(/:([^/:]+)$/)?.[1] ?? '';
  const m = image.match(/:([^/:]+)$/);
  return m ? m[1] : 'latest';
}

function defaultProbe(p: Obj | undefined): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultHandler(h: Obj | undefined): void {
  if (!isObj(h) || !isObj(h.httpGet)) return;
  h.httpGet.path ||= '/';
  h.httpGet.scheme ||= 'HTTP';
}

function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(String(c.image ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // ResourceRequirements is a struct in Go: it always serialises, as `resources: {}`.
  if (!isObj(c.resources)) c.resources = {};
  for (const port of list(c.ports)) port.protocol ||= 'TCP';
  for (const e of list(c.env)) {
    const fr = e.valueFrom?.fieldRef;
    if (isObj(fr)) fr.apiVersion ||= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

function defaultVolume(v: Obj): void {
  // A volume with no source is an emptyDir (SetDefaults_Volume).
  if (!Object.keys(v).some((k) => k !== 'name' && v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  if (isObj(v.secret)) v.secret.defaultMode ??= FILE_MODE_DEFAULT;
  if (isObj(v.configMap)) v.configMap.defaultMode ??= FILE_MODE_DEFAULT;
  if (isObj(v.downwardAPI)) {
    v.downwardAPI.defaultMode ??= FILE_MODE_DEFAULT;
    for (const item of list(v.downwardAPI.items)) if (isObj(item.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
  }
  if (isObj(v.hostPath)) v.hostPath.type ??= '';
  if (isObj(v.projected)) {
    v.projected.defaultMode ??= FILE_MODE_DEFAULT;
    for (const src of list(v.projected.sources)) {
      if (isObj(src.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
      for (const item of list(src.downwardAPI?.items)) if (isObj(item.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
    }
  }
  const claim = v.ephemeral?.volumeClaimTemplate?.spec;
  if (isObj(claim)) claim.volumeMode ||= 'Filesystem';
}

/** SetDefaults_PodSpec and the defaulters of everything it contains. */
export function defaultPodSpec(spec: Obj): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  // v1 conversion keeps the deprecated serviceAccount mirroring serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) defaultContainer(c);
  for (const c of list(spec.ephemeralContainers)) defaultContainer(c);
  for (const v of list(spec.volumes)) defaultVolume(v);
}

/** Pod templates (Deployment, ReplicaSet): the PodSpec defaults only. */
export function defaultPodTemplate(template: Obj | undefined): void {
  if (!isObj(template)) return;
  defaultPodSpec(child(template, 'spec'));
}

/** DefaultTolerationSeconds' setting: a process-wide flag in kube-apiserver too. */
let TOLERATION_SECONDS = 300;
export function setDefaultTolerationSeconds(seconds: number): void {
  TOLERATION_SECONDS = seconds;
}
const DEFAULT_TOLERATIONS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/**
 * What only a Pod gets: SetDefaults_Pod (requests from limits, enableServiceLinks, host ports
 * under hostNetwork), and two admission plugins kube-apiserver runs on every pod: ServiceAccount
 * (serviceAccountName "default") and DefaultTolerationSeconds (tolerate not-ready/unreachable
 * for 300 s, or what setDefaultTolerationSeconds says). Kubernetes runs the plugins on create only; doing them here too keeps a PUT that
 * omits them from being read as a forbidden spec change.
 */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const r = child(c, 'resources');
    if (isObj(r.limits)) {
      const req = child(r, 'requests');
      for (const [k, v] of Object.entries(r.limits)) if (!(k in req)) req[k] = v;
    }
    if (spec.hostNetwork) for (const p of list(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
  }
  spec.enableServiceLinks ??= true;
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount = 'default';
  const tolerations = list(spec.tolerations);
  for (const key of DEFAULT_TOLERATIONS) {
    // An existing toleration for the taint (any operator, or an empty key with Exists) wins.
    const covered = tolerations.some(
      (t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'),
    );
    if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: TOLERATION_SECONDS });
  }
  spec.tolerations = tolerations;
}
