// Pod: the STATUS / READY / RESTARTS logic of printPod in kubernetes' printers.go, step for step,
// because users read these cells (CrashLoopBackOff, Init:0/1, Terminating...) to debug.
import { AGE, NAME, NONE, col, humanDuration, nameOf, ageOf, printer, timeOf, wide } from './helpers.js';
import type { TableRowCondition } from './helpers.js';
import { DOC } from './descriptions.js';
import type { Pod, ContainerStatus } from './shapes.js';

const columns = [
  NAME,
  col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'string', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  AGE,
  col('IP', 'string', DOC['PodStatus.podIP'], wide),
  col('Node', 'string', DOC['PodSpec.nodeName'], wide),
  col('Nominated Node', 'string', DOC['PodStatus.nominatedNodeName'], wide),
  col('Readiness Gates', 'string', DOC['PodSpec.readinessGates'], wide),
];

const SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** node.NodeUnreachablePodReason: set by the node lifecycle controller on pods of a lost node. */
const NODE_LOST = 'NodeLost';

/** A sidecar: an init container with restartPolicy Always (counts in READY, keeps running). */
function isRestartable(c: { restartPolicy?: string } | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS exactly as `kubectl get pods` shows them. */
export function podSummary(pod: Pod, now: number): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = spec.initContainers ?? [];
  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart = -Infinity;
  let lastSidecarRestart = -Infinity;

  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initByName = new Map(initSpecs.map((c) => [c.name, c]));
  for (const c of initSpecs) if (isRestartable(c)) totalContainers++;

  const lastTerminated = (c: ContainerStatus) => (c.lastState?.terminated ? timeOf(c.lastState.terminated.finishedAt) : -Infinity);

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const sidecar = isRestartable(initByName.get(c.name));
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, lastTerminated(c));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, lastTerminated(c));
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      // initialization failed
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    // Regular init containers are done: their restarts no longer count, sidecars' still do.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Backwards, so that the first container with a waiting/terminated reason wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, lastTerminated(c));
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod with one container completed and another still running is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  const deleting = !!pod.metadata?.deletionTimestamp;
  if (deleting && status.reason === NODE_LOST) {
    reason = 'Unknown';
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== -Infinity) restartsCell = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

export const podPrinter = printer<Pod>(columns, (pod, now) => {
  const { ready, status, restarts } = podSummary(pod, now);
  const s = pod.status ?? {};
  // The internal Pod always has podIPs (conversion fills it from podIP); accept either.
  const podIP = s.podIPs?.[0]?.ip || (s.podIPs?.length ? '' : s.podIP) || NONE;
  let gates = NONE;
  const readinessGates = pod.spec?.readinessGates ?? [];
  if (readinessGates.length > 0) {
    let trueConditions = 0;
    for (const g of readinessGates) {
      const cond = (s.conditions ?? []).find((c) => c.type === g.conditionType);
      if (cond?.status === 'True') trueConditions++;
    }
    gates = `${trueConditions}/${readinessGates.length}`;
  }
  const conditions = s.phase === 'Succeeded' ? SUCCEEDED : s.phase === 'Failed' ? FAILED : undefined;
  const cells = [nameOf(pod), ready, status, restarts, ageOf(pod, now), podIP, pod.spec?.nodeName || NONE, s.nominatedNodeName || NONE, gates];
  return conditions ? { cells, conditions } : { cells };
});
