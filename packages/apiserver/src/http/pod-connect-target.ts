// Where a pods/log|exec|attach request goes: kube-apiserver's LogLocation / streamLocation
// (pkg/registry/core/pod/strategy.go): validate the container, find the node, its agent port.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, errors, metaTime, type KubeObject } from '@minik/api';
import type { Registry } from '../registry/index.js';

const names = (cs: readonly { name: string }[] | undefined) => (cs ?? []).map((c) => c.name);

function hasContainer(pod: Pod, name: string): boolean {
  const s = pod.spec;
  return [...names(s?.containers), ...names(s?.initContainers), ...names(s?.ephemeralContainers)].includes(name);
}

/** The named container (which must exist) or the pod's only one; else `choose` words the error. */
function pickContainer(pod: Pod, container: string | undefined, choose: (name: string) => string): string {
  const name = pod.metadata?.name ?? '';
  if (container) {
    if (!hasContainer(pod, container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  const cs = pod.spec?.containers ?? [];
  if (cs.length === 1) return cs[0]!.name;
  if (!cs.length) throw errors.badRequest(`a container name must be specified for pod ${name}`);
  throw errors.badRequest(choose(name));
}

/** validateContainer (pods/log): the container, defaulted when the pod has only one. */
export function logContainer(pod: Pod, container: string | undefined): string {
  return pickContainer(pod, container, (name) => {
    // VisitContainers order: init, regular, ephemeral; printed as Go prints a []string.
    const s = pod.spec;
    const all = [...names(s?.initContainers), ...names(s?.containers), ...names(s?.ephemeralContainers)];
    return `a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`;
  });
}

/** streamLocation (pods/exec, pods/attach): same idea, worded differently. */
export function streamContainer(pod: Pod, container: string | undefined): string {
  return pickContainer(pod, container, (name) => {
    const msg = `a container name must be specified for pod ${name}, choose one of: [${names(pod.spec?.containers).join(' ')}]`;
    const inits = names(pod.spec?.initContainers);
    return inits.length ? `${msg} or one of the init containers: [${inits.join(' ')}]` : msg;
  });
}

/**
 * The port of the agent on the pod's node (agents listen on this machine's loopback, their
 * port published in Node.status.daemonEndpoints.kubeletEndpoint.Port as kubelet's is).
 */
export function agentPort(registry: Registry, nodeName: string): number {
  const node = registry.store('', 'nodes').get('', nodeName) as KubeObject & { status?: { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } };
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!port) throw errors.internal(`node ${nodeName} does not report an agent port (is its node agent running?)`);
  return port;
}

/** strconv.ParseBool, as query parameters are decoded. */
export function parseBool(v: string | undefined, field: string): boolean {
  if (v === undefined || v === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw errors.badRequest(`${field}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function parseInt64(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`${field}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** PodLogOptions from the query, validated as ValidatePodLogOptions does; the agent's query. */
export function logQuery(q: Record<string, string | undefined>, podName: string): URLSearchParams {
  const follow = parseBool(q.follow, 'follow');
  const previous = parseBool(q.previous, 'previous');
  const timestamps = parseBool(q.timestamps, 'timestamps');
  const tailLines = parseInt64(q.tailLines, 'tailLines');
  const limitBytes = parseInt64(q.limitBytes, 'limitBytes');
  const sinceSeconds = parseInt64(q.sinceSeconds, 'sinceSeconds');
  let sinceTime: string | undefined;
  if (q.sinceTime) {
    const ms = Date.parse(q.sinceTime);
    if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\dT/.test(q.sinceTime)) throw errors.badRequest(`sinceTime: parsing time ${JSON.stringify(q.sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
    sinceTime = metaTime(ms);
  }
  const causes: { reason: string; message: string; field: string }[] = [];
  const invalid = (field: string, value: unknown, msg: string) => causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${msg}`, field });
  if (tailLines !== undefined && tailLines < 0) invalid('tailLines', tailLines, 'must be greater than or equal to 0');
  if (limitBytes !== undefined && limitBytes < 1) invalid('limitBytes', limitBytes, 'must be greater than 0');
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified', field: '' });
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) invalid('sinceSeconds', sinceSeconds, 'must be greater than 0');
  if (causes.length) throw errors.invalid('PodLogOptions', '', podName, causes);

  const out = new URLSearchParams();
  if (follow) out.set('follow', 'true');
  if (previous) out.set('previous', 'true');
  if (timestamps) out.set('timestamps', 'true');
  if (sinceSeconds !== undefined) out.set('sinceSeconds', String(sinceSeconds));
  if (sinceTime) out.set('sinceTime', sinceTime);
  if (tailLines !== undefined) out.set('tailLines', String(tailLines));
  if (limitBytes !== undefined) out.set('limitBytes', String(limitBytes));
  return out;
}

/** GenericHttpResponseChecker: the agent's refusal as the Status kube-apiserver would send. */
export function agentError(code: number, body: string, podName: string): ApiError {
  const text = body.trim();
  if (code === 400) return errors.badRequest(text);
  if (code === 500) return errors.internal(text);
  const generic: Record<number, [string, string]> = {
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', 'the server does not allow access to the requested resource'],
    404: ['NotFound', 'the server could not find the requested resource'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
  };
  const [reason, message] = generic[code] ?? ['', `the server responded with the status code ${code} but did not return more information`];
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${message} ( pods/log ${podName})`,
    reason,
    details: { name: podName, kind: 'pods/log' },
    code,
  });
}
