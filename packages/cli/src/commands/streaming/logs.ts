// `minik logs` (kubectl's cmd/logs + polymorphichelpers.LogsForObject): one container's log, a
// workload's first pod, every pod of a selector, --all-containers; --prefix, -f with several
// streams in parallel (whole lines, never interleaved mid-line), kubectl's checks and messages.
import type { Pod } from './pod-types.js';
import { ApiError, metaTime } from '@minik/api';
import type { Action } from '../../command-kit.js';
import type { Kube } from '../../context.js';
import { CliError } from '../../errors.js';
import { parseGoDuration } from '../generators/parse.js';
import { DEFAULT_CONTAINER_ANNOTATION, allContainerNames, byLogging, findContainer, getObject, podsForSelector, selectorForObject, splitArg, PODS } from './pods.js';
import { podRunningTimeout } from './exec.js';

const USAGE = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]";
const SELECTOR_TAIL = 10;

export interface LogSource {
  pod: Pod;
  container: string;
  fieldPath: string;
}

export interface LogParams {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
  insecureSkipTLSVerifyBackend: boolean;
}

const usage = (msg: string) => new CliError(`error: ${msg}\nSee 'minik logs -h' for help and examples`);

/** pflag's int64 flags. */
function int64Flag(opts: Record<string, unknown>, key: string, flag: string): number | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  const s = String(v);
  if (!/^[+-]?\d+$/.test(s)) throw new CliError(`Error: invalid argument "${s}" for "${flag}" flag: strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax\nSee 'minik logs --help' for usage.`);
  return Number(s);
}

/** time.RFC3339's layout, element by element, as Go's time.Parse walks it (for its messages). */
const RFC3339: [string, RegExp][] = [
  ['2006', /^\d{4}/],
  ['-', /^-/],
  ['01', /^\d\d/],
  ['-', /^-/],
  ['02', /^\d\d/],
  ['T', /^T/],
  ['15', /^\d\d/],
  [':', /^:/],
  ['04', /^\d\d/],
  [':', /^:/],
  ['05', /^\d\d(\.\d+)?/],
  ['Z07:00', /^(Z|[+-]\d\d:\d\d)/],
];

/** util.ParseRFC3339, failing with Go's ParseError text; sent as metav1.Time marshals (seconds, UTC). */
export function parseSinceTime(s: string): string {
  const layout = '2006-01-02T15:04:05Z07:00';
  let rest = s;
  for (const [elem, re] of RFC3339) {
    const m = re.exec(rest);
    if (!m) throw new CliError(`error: parsing time ${JSON.stringify(s)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`);
    rest = rest.slice(m[0].length);
  }
  if (rest) throw new CliError(`error: parsing time ${JSON.stringify(s)}: extra text: ${JSON.stringify(rest)}`);
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new CliError(`error: parsing time ${JSON.stringify(s)}: day out of range`);
  return metaTime(ms);
}

/** LogsOptions.ToLogOptions + Validate. */
export function logParams(opts: Record<string, unknown>, withSelector: boolean): LogParams {
  const tail = int64Flag(opts, 'tail', '--tail') ?? -1;
  const limitBytes = int64Flag(opts, 'limitBytes', '--limit-bytes') ?? 0;
  let sinceMs = 0;
  if (opts.since !== undefined) {
    try {
      sinceMs = parseGoDuration(String(opts.since));
    } catch (e) {
      throw new CliError(`Error: invalid argument "${String(opts.since)}" for "--since" flag: ${(e as Error).message}\nSee 'minik logs --help' for usage.`);
    }
  }
  const sinceTimeArg = opts.sinceTime === undefined ? '' : String(opts.sinceTime);
  const p: LogParams = { follow: !!opts.follow, previous: !!opts.previous, timestamps: !!opts.timestamps, insecureSkipTLSVerifyBackend: !!opts.insecureSkipTlsVerifyBackend };
  if (sinceTimeArg) p.sinceTime = parseSinceTime(sinceTimeArg);
  if (limitBytes !== 0) p.limitBytes = limitBytes;
  // time.Duration.Round(time.Second): halves away from zero.
  if (sinceMs !== 0) p.sinceSeconds = Math.sign(sinceMs) * Math.round(Math.abs(sinceMs) / 1000);
  if (withSelector && tail === -1 && opts.tail === undefined) p.tailLines = SELECTOR_TAIL;
  else if (tail !== -1) p.tailLines = tail;

  if (sinceTimeArg && sinceMs !== 0) throw new CliError('error: at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (limitBytes < 0) throw new CliError('error: --limit-bytes must be greater than 0');
  if (p.sinceSeconds !== undefined && p.sinceSeconds < 0) throw new CliError('error: --since must be greater than 0');
  if (p.tailLines !== undefined && p.tailLines < -1) throw new CliError('error: --tail must be greater than or equal to -1');
  return p;
}

/** The containers whose logs one pod gives (LogsForObject's Pod case). */
export function podSources(pod: Pod, container: string | undefined, allContainers: boolean, quietDefault: boolean, warn: (m: string) => void): LogSource[] {
  const name = pod.metadata?.name ?? '';
  if (allContainers) {
    const s = pod.spec;
    const names = [...(s?.initContainers ?? []), ...(s?.containers ?? []), ...(s?.ephemeralContainers ?? [])].map((c) => c.name);
    return names.map((c) => podSources(pod, c, false, true, warn)[0]!);
  }
  let c = container ?? '';
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (!c && annotated) {
    if (!findContainer(pod, annotated)) warn(`Default container name ${JSON.stringify(annotated)} not found in pod ${name}\n`);
    else c = annotated;
  }
  if (!c) {
    // Default to the first container name (aligning behavior with `kubectl exec`).
    c = pod.spec?.containers?.[0]?.name ?? '';
    const s = pod.spec;
    if (!quietDefault && ((s?.containers?.length ?? 0) > 1 || s?.initContainers?.length || s?.ephemeralContainers?.length)) {
      warn(`Defaulted container ${JSON.stringify(c)} out of: ${allContainerNames(pod)}\n`);
    }
  }
  const found = findContainer(pod, c);
  if (!found) throw new CliError(`error: container ${c} is not valid for pod ${name}`);
  return [{ pod, container: c, fieldPath: found.fieldPath }];
}

/** Writes whole lines, each with a prefix (kubectl's prefixingWriter over line reads). */
export class LineWriter {
  private partial: Buffer[] = [];

  constructor(
    private readonly prefix: string,
    private readonly write: (b: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.emit(Buffer.concat([...this.partial, chunk.subarray(start, nl + 1)]));
      this.partial = [];
      start = nl + 1;
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  end(): void {
    if (this.partial.length) this.emit(Buffer.concat(this.partial));
    this.partial = [];
  }

  private emit(line: Buffer): void {
    this.write(this.prefix ? Buffer.concat([Buffer.from(this.prefix), line]) : line);
  }
}

export function prefixFor(src: LogSource): string {
  return `[pod/${src.pod.metadata?.name}/${src.container}] `;
}

async function consume(kube: Kube, src: LogSource, p: LogParams, onChunk: (b: Buffer) => void, signal?: AbortSignal): Promise<void> {
  const ns = src.pod.metadata?.namespace ?? kube.namespace;
  const path = kube.client.resource(PODS).path(ns, src.pod.metadata?.name ?? '', 'log');
  const query = {
    container: src.container,
    follow: p.follow || undefined,
    previous: p.previous || undefined,
    timestamps: p.timestamps || undefined,
    sinceSeconds: p.sinceSeconds,
    sinceTime: p.sinceTime,
    tailLines: p.tailLines,
    limitBytes: p.limitBytes,
    insecureSkipTLSVerifyBackend: p.insecureSkipTLSVerifyBackend || undefined,
  };
  const body = await kube.client.stream(path, { query, signal, accept: 'application/json, */*' });
  try {
    for await (const chunk of body) onChunk(chunk);
  } catch (e) {
    if (signal?.aborted) return;
    throw e;
  }
}

const errMessage = (e: unknown) => (e instanceof ApiError ? e.status.message ?? e.message : (e as Error).message);

export const logs: Action = async (kube, args, opts) => {
  const selector = opts.selector as string | undefined;
  let container = opts.container as string | undefined;
  let resource = '';
  if (args.length === 0) {
    if (!selector) throw usage(`expected '${USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`);
  } else if (args.length === 1) {
    resource = args[0]!;
    if (selector) throw usage('only a selector (-l) or a POD name is allowed');
  } else if (args.length === 2) {
    resource = args[0]!;
    if (container !== undefined) throw new CliError('error: only one of -c or an inline [CONTAINER] arg is allowed');
    container = args[1];
  } else {
    throw usage(`expected '${USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`);
  }
  const allPods = !!opts.allPods;
  const prefix = !!opts.prefix || allPods;
  const timeoutMs = podRunningTimeout(opts, 'logs', '20s');
  const params = logParams(opts, !!selector);
  const allContainers = !!opts.allContainers;
  if (allContainers && container) throw new CliError(`error: --all-containers=true should not be specified with container name ${container}`);
  const maxRequests = int64Flag(opts, 'maxLogRequests', '--max-log-requests') ?? 5;
  const warn = (m: string) => void process.stderr.write(m);

  // The object(s) named, as kubectl's builder finds them.
  let pods: Pod[];
  if (selector) {
    const list = await kube.client.resource(PODS).list(kube.namespace, { labelSelector: selector });
    pods = list.items as Pod[];
    if (!pods.length) warn(`No resources found in ${kube.namespace} namespace.\n`);
  } else {
    const { type, name } = splitArg(resource);
    let obj;
    try {
      obj = await getObject(kube, type, name);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) throw new CliError(`error: error from server (NotFound): ${e.message} in namespace ${JSON.stringify(kube.namespace)}`);
      throw e;
    }
    if (obj.kind === 'Pod') pods = [obj as Pod];
    else {
      const found = await podsForSelector(kube, obj.metadata?.namespace ?? kube.namespace, selectorForObject(obj), timeoutMs, byLogging);
      pods = allPods ? found : [found[0]!];
      if (found.length > 1 && !allPods) warn(`Found ${found.length} pods, using pod/${found[0]!.metadata?.name}\n`);
    }
  }
  const sources = pods.flatMap((pod) => podSources(pod, container, allContainers, allPods, warn));

  if (params.follow && sources.length > 1 && sources.length > maxRequests) {
    throw new CliError(`error: you are attempting to follow ${sources.length} log streams, but maximum allowed concurrency is ${maxRequests}, use --max-log-requests to increase the limit`);
  }
  const out = (b: Buffer) => void process.stdout.write(b);
  const ignoreErrors = !!opts.ignoreErrors;

  if (params.follow && sources.length > 1) {
    // Every stream at once; lines kept whole so that they never interleave mid-line.
    const abort = new AbortController();
    const failures: unknown[] = [];
    await Promise.all(
      sources.map(async (src) => {
        const lw = new LineWriter(prefix ? prefixFor(src) : '', out);
        try {
          await consume(kube, src, params, (b) => lw.push(b), abort.signal);
          lw.end();
        } catch (e) {
          lw.end();
          if (ignoreErrors) return out(Buffer.from(`error: ${errMessage(e)}\n`));
          failures.push(e);
          abort.abort();
        }
      }),
    );
    if (failures.length) throw failures[0];
    return;
  }
  for (const src of sources) {
    const lw = prefix ? new LineWriter(prefixFor(src), out) : undefined;
    try {
      await consume(kube, src, params, lw ? (b) => lw.push(b) : out);
      lw?.end();
    } catch (e) {
      lw?.end();
      if (!ignoreErrors) throw e;
      out(Buffer.from(`error: ${errMessage(e)}\n`));
    }
  }
};
