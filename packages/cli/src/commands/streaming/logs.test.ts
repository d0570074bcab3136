// logs' pieces without a cluster: flags to PodLogOptions (kubectl's checks), --since-time
// parsing with Go's messages, container defaulting and its stderr notes, whole-line prefixing,
// and the pod orderings used to pick one pod of a workload.
import { describe, expect, it } from 'vitest';
import { LineWriter, logParams, parseSinceTime, podSources, prefixFor } from './logs.js';
import { activeFirst, byLogging, findOrDefaultContainer, selectorForObject } from './pods.js';
import type { Pod } from './pod-types.js';

describe('logParams', () => {
  it('maps flags as ToLogOptions does', () => {
    expect(logParams({ follow: true, tail: '5', since: '90m', timestamps: true }, false)).toEqual({
      follow: true,
      previous: false,
      timestamps: true,
      insecureSkipTLSVerifyBackend: false,
      tailLines: 5,
      sinceSeconds: 5400,
    });
    expect(logParams({ since: '1.5s' }, false).sinceSeconds).toBe(2);
    // A selector shows the last 10 lines unless --tail says otherwise.
    expect(logParams({}, true).tailLines).toBe(10);
    expect(logParams({ tail: '-1' }, true).tailLines).toBeUndefined();
    expect(logParams({ limitBytes: '100', sinceTime: '2024-08-30T06:00:00+02:00' }, false)).toMatchObject({ limitBytes: 100, sinceTime: '2024-08-30T04:00:00Z' });
  });

  it('rejects what kubectl rejects', () => {
    expect(() => logParams({ since: '1h', sinceTime: '2024-08-30T06:00:00Z' }, false)).toThrow('at most one of `sinceTime` or `sinceSeconds` may be specified');
    expect(() => logParams({ limitBytes: '-1' }, false)).toThrow('--limit-bytes must be greater than 0');
    expect(() => logParams({ tail: '-2' }, false)).toThrow('--tail must be greater than or equal to -1');
    expect(() => logParams({ tail: 'x' }, false)).toThrow('Error: invalid argument "x" for "--tail" flag: strconv.ParseInt: parsing "x": invalid syntax');
    expect(() => logParams({ since: '1x' }, false)).toThrow('Error: invalid argument "1x" for "--since" flag: time: unknown unit "x" in duration "1x"');
  });

  it('parses --since-time as Go’s time.Parse(RFC3339), with its messages', () => {
    expect(parseSinceTime('2024-08-30T06:00:00.999Z')).toBe('2024-08-30T06:00:00Z');
    expect(() => parseSinceTime('2020')).toThrow('error: parsing time "2020" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "-"');
    expect(() => parseSinceTime('x')).toThrow('cannot parse "x" as "2006"');
    expect(() => parseSinceTime('2020-01-01T00:00:00Zjunk')).toThrow('error: parsing time "2020-01-01T00:00:00Zjunk": extra text: "junk"');
  });
});

const pod = (containers: string[], p: Partial<Pod> = {}, inits: string[] = []): Pod => ({
  metadata: { name: 'p', namespace: 'default', ...(p.metadata ?? {}) },
  spec: { containers: containers.map((name) => ({ name })), initContainers: inits.map((name) => ({ name })), ...(p.spec ?? {}) },
  status: p.status,
});

describe('podSources', () => {
  it('defaults to the first container and says so when there are others', () => {
    const notes: string[] = [];
    expect(podSources(pod(['a', 'b'], {}, ['i']), undefined, false, false, (m) => notes.push(m))).toEqual([{ pod: expect.anything(), container: 'a', fieldPath: 'spec.containers{a}' }]);
    expect(notes).toEqual(['Defaulted container "a" out of: a, b, i (init)\n']);
    expect(podSources(pod(['a']), undefined, false, false, (m) => notes.push(m))[0]!.container).toBe('a');
    expect(notes).toHaveLength(1);
  });

  it('honours the default-container annotation, and lists all with --all-containers', () => {
    const annotated = pod(['a', 'b'], { metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/default-container': 'b' } } });
    expect(podSources(annotated, undefined, false, false, () => {})[0]!.container).toBe('b');
    expect(podSources(pod(['a', 'b'], {}, ['i']), undefined, true, false, () => {}).map((s) => s.fieldPath)).toEqual(['spec.initContainers{i}', 'spec.containers{a}', 'spec.containers{b}']);
    expect(() => podSources(pod(['a']), 'zz', false, false, () => {})).toThrow('error: container zz is not valid for pod p');
  });

  it('names each source for --prefix', () => {
    expect(prefixFor({ pod: pod(['a']), container: 'a', fieldPath: '' })).toBe('[pod/p/a] ');
  });
});

describe('LineWriter', () => {
  it('writes whole lines with the prefix, the partial last line at the end', () => {
    const out: string[] = [];
    const w = new LineWriter('[x] ', (b) => out.push(b.toString()));
    w.push(Buffer.from('one\ntw'));
    w.push(Buffer.from('o\nthr'));
    expect(out).toEqual(['[x] one\n', '[x] two\n']);
    w.end();
    expect(out).toEqual(['[x] one\n', '[x] two\n', '[x] thr']);
  });
});

describe('pod choice', () => {
  const mk = (name: string, phase: string, ready: boolean, restarts: number, created: string, nodeName = 'n'): Pod => ({
    metadata: { name, creationTimestamp: created },
    spec: { nodeName, containers: [{ name: 'c' }] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: created }], containerStatuses: [{ restartCount: restarts }] },
  });
  const pods = [mk('pending', 'Pending', false, 0, '2024-01-01T00:00:00Z'), mk('young', 'Running', true, 0, '2024-01-03T00:00:00Z'), mk('old', 'Running', true, 0, '2024-01-02T00:00:00Z'), mk('crashy', 'Running', false, 5, '2024-01-01T00:00:00Z'), mk('unassigned', 'Pending', false, 0, '2024-01-01T00:00:00Z', '')];

  it('ByLogging: running and ready longest first, unassigned last', () => {
    expect(pods.slice().sort(byLogging).map((p) => p.metadata!.name)).toEqual(['old', 'young', 'crashy', 'pending', 'unassigned']);
  });

  it('ActivePods reversed: running, ready, fewer restarts, older first', () => {
    expect(pods.slice().sort(activeFirst).map((p) => p.metadata!.name)).toEqual(['old', 'young', 'crashy', 'pending', 'unassigned']);
  });

  it('selectors of workloads and services', () => {
    expect(selectorForObject({ kind: 'Deployment', spec: { selector: { matchLabels: { app: 'web' } } } })).toBe('app=web');
    expect(selectorForObject({ kind: 'Service', spec: { selector: { b: '2', a: '1' } } })).toBe('a=1,b=2');
  });

  it('exec and attach default a container as podcmd does', () => {
    const notes: string[] = [];
    expect(findOrDefaultContainer(pod(['a', 'b']), undefined, false, (m) => notes.push(m)).name).toBe('a');
    expect(notes).toEqual(['Defaulted container "a" out of: a, b\n']);
    expect(findOrDefaultContainer(pod(['a', 'b']), undefined, true, (m) => notes.push(m)).name).toBe('a');
    expect(notes).toHaveLength(1);
    expect(() => findOrDefaultContainer(pod(['a']), 'z', false, () => {})).toThrow('container z not found in pod p');
  });
});
