// Endpoints and EndpointSlices end to end: a real cluster (`minik start --nodes 3`), BusyBox httpd
// pods behind Services, checked through the real kubectl: `describe service` (which reads
// EndpointSlices since kubectl 1.29), `get endpoints` (O34's shape) and `get endpointslices`,
// while pods are replaced and scaled away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { Env } from './harness.js';

const env = new Env('minik-e2e-ep-');
const cluster = `ep${process.pid}`;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function kubectl(...args: string[]): Promise<string> {
  const r = await env.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

interface PodJson {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { podIP?: string; conditions?: { type: string; status: string }[] };
}

const readyPods = async (): Promise<PodJson[]> => {
  const list = JSON.parse(await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')) as { items: PodJson[] };
  return list.items.filter((p) => p.status.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
};

/** Go's sort of strings (bytes), which is how Kubernetes orders endpoint addresses. */
const byteSort = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const endpointsLine = (describe: string) => describe.split('\n').filter((l) => l.startsWith('Endpoints:')).map((l) => l.slice('Endpoints:'.length).trim());

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: httpd
        image: local/busybox:1.35
        command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports:
        - name: http-alt
          containerPort: 8080
      terminationGracePeriodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web-named
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 8000
    targetPort: http-alt
`;

let pods: PodJson[] = [];

beforeAll(async () => {
  execFileSync('docker', ['image', 'inspect', 'local/busybox:1.35'], { stdio: 'ignore' });
  const r = await env.minik(['start', '--port', '0', '--nodes', '3', '--name', cluster], { timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  env.write('web.yaml', manifests);
  await kubectl('apply', '-f', env.path('web.yaml'));
  pods = await waitFor('3 ready web pods', async () => {
    const ps = await readyPods();
    return ps.length === 3 && ps;
  }, 90_000);
}, 240_000);

afterAll(async () => {
  await env.minik(['delete', '--name', cluster]);
  await env.cleanup();
});

describe('Service endpoints through kubectl', () => {
  it('describe service shows Endpoints: ip:8080,... from the EndpointSlices, as get endpoints does', async () => {
    const expected = byteSort(pods.map((p) => p.status.podIP!)).map((ip) => `${ip}:8080`).join(',');
    expect(expected).toMatch(/^10\.\d+\.\d+\.\d+:8080,10\.\d+\.\d+\.\d+:8080,10\.\d+\.\d+\.\d+:8080$/);
    const out = await waitFor('describe service with 3 endpoints', async () => {
      const d = await kubectl('describe', 'service', 'web');
      return endpointsLine(d)[0] === expected && d;
    });
    expect(out).toMatch(/^TargetPort:\s+8080\/TCP$/m);
    // get endpoints: NAME, ENDPOINTS, AGE (O34).
    const ep = (await kubectl('get', 'endpoints', 'web')).split('\n');
    expect(ep[0]).toMatch(/^NAME\s+ENDPOINTS\s+AGE$/);
    expect(ep[1]).toMatch(new RegExp(`^web\\s+${expected.replaceAll('.', '\\.')}\\s+\\d+s$`));
    // get endpointslices: one slice named web-xxxxx.
    const slices = (await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).split('\n');
    expect(slices[0]).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
    const ips = byteSort(pods.map((p) => p.status.podIP!)).join(',');
    expect(slices[1]).toMatch(new RegExp(`^web-[a-z0-9]{5}\\s+IPv4\\s+8080\\s+${ips.replaceAll('.', '\\.')}\\s+\\d+s$`));
    expect(slices.filter(Boolean)).toHaveLength(2);
  });

  it('resolves a named targetPort to the container port', async () => {
    const d = await waitFor('web-named endpoints', async () => {
      const out = await kubectl('describe', 'service', 'web-named');
      return endpointsLine(out)[0]?.split(',').length === 3 && out;
    });
    expect(d).toMatch(/^TargetPort:\s+http-alt\/TCP$/m);
    expect(endpointsLine(d)[0]).toBe(byteSort(pods.map((p) => p.status.podIP!)).map((ip) => `${ip}:8080`).join(','));
    const json = JSON.parse(await kubectl('get', 'endpoints', 'web-named', '-o', 'json')) as { subsets: { ports: unknown[] }[] };
    expect(json.subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('drops a terminating pod at once and lists its replacement once it is ready', async () => {
    const ips = byteSort(pods.map((p) => p.status.podIP!));
    const victim = pods.find((p) => p.status.podIP === ips[0])!.metadata.name;
    await kubectl('delete', 'pod', victim, '--wait=false');
    // Terminating: out of Endpoints at once; in the slice as terminating, not ready.
    const rest = ips.slice(1).map((ip) => `${ip}:8080`).join(',');
    await waitFor('the terminating pod out of get endpoints', async () => (await kubectl('get', 'endpoints', 'web')).split('\n')[1]?.split(/\s+/)[1] === rest, 10_000);
    const slice = JSON.parse(await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json')) as {
      items: { endpoints: { addresses: string[]; conditions: Record<string, boolean> }[] }[];
    };
    const gone = slice.items[0].endpoints.find((e) => e.addresses[0] === ips[0]);
    if (gone) expect(gone.conditions).toEqual({ ready: false, serving: true, terminating: true });
    // The ReplicaSet's replacement joins once Running and Ready.
    pods = await waitFor('3 ready web pods again', async () => {
      const ps = (await readyPods()).filter((p) => p.metadata.name !== victim);
      return ps.length === 3 && ps;
    });
    const all = byteSort(pods.map((p) => p.status.podIP!)).map((ip) => `${ip}:8080`).join(',');
    await waitFor('the replacement in describe service', async () => endpointsLine(await kubectl('describe', 'service', 'web'))[0] === all, 10_000);
  });

  it('scaling to zero leaves Endpoints without subsets and an empty slice; deleting the Service removes both', async () => {
    await kubectl('scale', 'deployment', 'web', '--replicas=0');
    await waitFor('no endpoints', async () => (await kubectl('get', 'endpoints', 'web')).split('\n')[1]?.match(/^web\s+<none>\s/), 10_000);
    // Terminating pods stay in the slice (not ready) until they are gone; then it is the placeholder.
    const slices = await waitFor('the empty placeholder slice', async () => {
      const lines = (await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).split('\n');
      return /^web-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>\s+\d+[sm]/.test(lines[1] ?? '') && lines;
    });
    expect(slices.filter(Boolean)).toHaveLength(2);
    expect(endpointsLine(await kubectl('describe', 'service', 'web'))).toEqual(['']);
    await kubectl('delete', 'service', 'web');
    await waitFor('endpoints and slices gone', async () => {
      const ep = await env.kubectl(['get', 'endpoints', 'web']);
      const sl = await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'name');
      return ep.code !== 0 && /NotFound|not found/.test(ep.stderr) && sl.trim() === '';
    });
  });
});
