// Services and cluster networking end to end (walkthroughs.md §4A, §4C steps 19 and 23-25) on a
// real 3-node cluster: ClusterIP from pods, cluster DNS, NodePort on 127.0.0.1 and on every node's
// address, LoadBalancer on the host, port-forward, expose, and the bad input the issue names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Env, MINIK, ROOT, until } from './harness.js';

const env = new Env('minik-e2e-net-');
const ex = (...p: string[]) => join(ROOT, 'examples', ...p);
const DEBUG_IMAGE = 'local/busybox:1.35';


/** GET from the host, as a user's browser or curl would. */
async function get(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: await r.text() };
}

/** `minik run -i --rm` of the debug image: what a user sees from inside the cluster. */
function inPod(name: string, command: string[]) {
  return env.minik(['run', '-i', '--rm', name, `--image=${DEBUG_IMAGE}`, '--restart=Never', '--', ...command], { timeoutMs: 90_000 });
}

const json = async <T>(args: string[]): Promise<T> => JSON.parse(await env.ok([...args, '-o', 'json'])) as T;

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  status: { podIP?: string; conditions?: { type: string; status: string }[] };
}

async function readyPods(selector: string, n: number): Promise<PodJson[]> {
  return until(`${n} ready pods ${selector}`, async () => {
    const { items } = await json<{ items: PodJson[] }>(['get', 'pods', '-l', selector]);
    const live = items.filter((p) => !p.metadata.deletionTimestamp);
    return live.length === n && live.every((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) && live;
  });
}

async function nodeIPs(): Promise<string[]> {
  const { items } = await json<{ items: { status: { addresses: { type: string; address: string }[] } }[] }>(['get', 'nodes']);
  return items.map((n) => n.status.addresses.find((a) => a.type === 'InternalIP')!.address);
}

/** A port nothing on the host listens on right now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A running `minik port-forward`, with the local ports it announced. */
class PortForward {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  constructor(args: string[]) {
    this.child = spawn(process.execPath, [MINIK, 'port-forward', ...args], { env: env.env });
    this.child.stdout.on('data', (d) => (this.stdout += d));
    this.child.stderr.on('data', (d) => (this.stderr += d));
  }
  /** Waits for `Forwarding from 127.0.0.1:L -> R` lines; the local ports by remote port. */
  async ports(n: number): Promise<Map<number, number>> {
    return until('port-forward to listen', async () => {
      const m = [...this.stdout.matchAll(/^Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)$/gm)];
      return m.length >= n && new Map(m.map((x) => [Number(x[2]), Number(x[1])]));
    }, 30_000);
  }
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGINT');
    return exited;
  }
}

beforeAll(async () => {
  execFileSync(ex('build-images'), ['--debug-image'], { stdio: 'ignore', env: process.env });
  await env.ok(['start', '--port', '0']);
  // Cluster DNS is a Deployment like CoreDNS: wait for it as a user would with rollout status.
  await until('coredns available', async () => {
    const d = await json<{ status: { availableReplicas?: number } }>(['get', 'deployment', 'coredns', '-n', 'kube-system']);
    return (d.status.availableReplicas ?? 0) >= 1;
  });
}, 180_000);
afterAll(() => env.cleanup());

describe('cluster DNS (step 19)', () => {
  it('kube-dns at the .10 address in kube-system; pods get the book\'s resolv.conf and resolve Service names', async () => {
    // The .10 of the service range: 10.96.0.10 as in the book, unless Docker or a route on this
    // machine already uses 10.96.0.0/11 (then the next free range).
    const apiIP = await env.ok(['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']);
    const dnsIP = apiIP.replace(/\.1$/, '.10');
    expect(dnsIP).toMatch(/^10\.\d+\.0\.10$/);
    const all = await env.ok(['get', 'all', '-n', 'kube-system']);
    expect(all).toMatch(new RegExp(`^service/kube-dns\\s+ClusterIP\\s+${dnsIP.replace(/\./g, '\\.')}\\s+<none>\\s+53/UDP,53/TCP,9153/TCP\\s`, 'm'));
    expect(all).toMatch(/^deployment\.apps\/coredns\s+2\/2\s+2\s+2\s/m);

    const resolv = await inPod('dns-resolv', ['cat', '/etc/resolv.conf']);
    expect(resolv.code, resolv.stderr).toBe(0);
    expect(resolv.stdout).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(resolv.stdout).toContain(`nameserver ${dnsIP}`);
    expect(resolv.stdout).toContain('options ndots:5');

    const lookup = await inPod('dns-lookup', ['nslookup', 'kube-dns.kube-system.svc.cluster.local']);
    expect(lookup.code, lookup.stderr).toBe(0);
    expect(lookup.stdout).toMatch(new RegExp(`Name:\\s+kube-dns\\.kube-system\\.svc\\.cluster\\.local\\s+Address: ${dnsIP.replace(/\./g, '\\.')}`));

    // Names outside the cluster fail fast offline. (BusyBox's nslookup ignores the search path,
    // so short names are checked with wget below, which resolves as applications do.)
    const missing = await inPod('dns-missing', ['sh', '-c', 't0=$(date +%s); nslookup no-such-name.invalid; echo "rc=$? took=$(( $(date +%s) - t0 ))"']);
    expect(missing.stdout).toContain("server can't find no-such-name.invalid: NXDOMAIN");
    const took = Number(/took=(\d+)/.exec(missing.stdout)?.[1]);
    expect(took).toBeLessThanOrEqual(2);
  });
});

describe('three laptops (§4A)', () => {
  const dir = ex('three-laptops');
  const files = ['frontend-deployment.yaml', 'backend-deployment.yaml', 'backend-service.yaml', 'frontend-service.yaml'];

  it('the frontend shows data from http://backend, every backend pod serves, and the host reaches it by NodePort and port-forward', async () => {
    const out = await env.ok(['apply', ...files.flatMap((f) => ['-f', join(dir, f)])]);
    expect(out).toBe('deployment.apps/frontend created\ndeployment.apps/backend created\nservice/backend created\nservice/frontend created\n');
    const backends = await readyPods('app=backend', 3);
    await readyPods('app=frontend', 3);

    // The host, through NodePort 30080: the page carries the backend's answer.
    const page = await until('the frontend page with backend data', async () => {
      const r = await get('http://127.0.0.1:30080/');
      return r.status === 200 && r.body.includes('The backend says') && r.body;
    });
    expect(page).toContain('hello from the backend');

    // The Service spreads requests: every backend pod answers some of them.
    const seen = new Set<string>();
    for (let i = 0; i < 60 && seen.size < 3; i++) {
      const m = /Answered by backend pod <code>([^<]+)<\/code>/.exec((await get('http://127.0.0.1:30080/')).body);
      if (m) seen.add(m[1]!);
    }
    expect([...seen].sort()).toEqual(backends.map((p) => p.metadata.name).sort());

    // From inside: `backend` (search path), `backend.default` and the full name all reach the
    // Service, and new connections spread over its pods.
    const names = ['backend', 'backend.default', 'backend.default.svc.cluster.local', ...Array(9).fill('backend')];
    const fromPod = await inPod('debug-spread', ['sh', '-c', names.map((n) => `wget -qO- http://${n}/api/message; echo`).join('; ')]);
    const answers = fromPod.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { pod: string });
    expect(answers, fromPod.stdout + fromPod.stderr).toHaveLength(names.length);
    expect(new Set(answers.map((a) => a.pod)).size).toBeGreaterThan(1);

    // The Service's proxy pod forwards in the kernel where the machine has iptables (Linux hosts).
    const proxy = (await env.ok(['get', 'pods', '-n', 'kube-system', '-l', 'minik.io/service-name=backend', '-o', 'name'])).trim();
    expect(await env.ok(['logs', '-n', 'kube-system', proxy])).toContain('forwarding TCP in the kernel (iptables');

    // Every node's INTERNAL-IP (get nodes -o wide) is local here: NodePort answers on each.
    const ips = await nodeIPs();
    expect(ips).toHaveLength(3);
    for (const ip of ips) {
      const r = await until(`NodePort on ${ip}`, async () => {
        const x = await get(`http://${ip}:30080/`);
        return x.status === 200 && x;
      }, 30_000);
      expect(r.body).toContain('The backend says');
    }

    // port-forward to the Service: a random local port to the frontend's port 80 (targetPort 3000).
    const pf = new PortForward(['svc/frontend', ':80']);
    try {
      const local = (await pf.ports(1)).get(3000)!;
      const r = await get(`http://127.0.0.1:${local}/`);
      expect(r.body).toContain('The backend says');
      expect(pf.stdout).toMatch(/^Handling connection for \d+$/m);
    } finally {
      expect(await pf.stop()).toBe(0);
    }

    await env.ok(['delete', ...files.flatMap((f) => ['-f', join(dir, f)])]);
  });
});

describe('Services from the book (steps 23-25)', () => {
  const dir = ex('simple-service');

  it('step 23: ClusterIP backend-service answers run -it --rm debug; get svc and endpoints show it', async () => {
    await env.ok(['apply', '-f', join(dir, 'deployment.yaml')]);
    expect(await env.ok(['apply', '-f', join(dir, 'service.yaml')])).toBe('service/backend-service created\n');
    const pods = await readyPods('app=simple-deployment', 3);

    const svc = await env.ok(['get', 'svc', 'backend-service']);
    expect(svc).toMatch(/^backend-service\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+8000\/TCP\s+\d+s$/m);
    const endpoints = await until('3 endpoints', async () => {
      const e = await env.ok(['get', 'endpoints', 'backend-service']);
      return (e.match(/\d+\.\d+\.\d+\.\d+:8000/g) ?? []).length === 3 && e;
    }, 10_000);
    for (const p of pods) expect(endpoints).toContain(`${p.status.podIP}:8000`);

    const r = await inPod('debug', ['wget', '-qO-', 'http://backend-service:8000/rest/v1/health/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('{"status":"ok"}');
    expect(r.stdout).toContain('pod "debug" deleted');

    // A headless Service resolves to its pods' addresses.
    await env.ok(['apply', '-f', env.write('headless.yaml', `apiVersion: v1
kind: Service
metadata:
  name: headless
spec:
  clusterIP: None
  selector:
    app: simple-deployment
  ports:
  - port: 8000
`)]);
    const lookup = await until('headless records', async () => {
      const x = await inPod('debug-headless', ['nslookup', 'headless.default.svc.cluster.local']);
      return (x.stdout.match(/^Address: \d+\.\d+\.\d+\.\d+$/gm) ?? []).length === 3 && x.stdout;
    }, 20_000);
    for (const p of pods) expect(lookup).toContain(`Address: ${p.status.podIP}\n`);
    await env.ok(['delete', 'svc', 'headless']);
  });

  it('step 24: NodePort 30001 from the host and from every node address', async () => {
    expect(await env.ok(['apply', '-f', join(dir, 'service-nodeport.yaml')])).toBe('service/backend-service configured\n');
    expect(await env.ok(['get', 'svc', 'backend-service'])).toMatch(/^backend-service\s+NodePort\s+10\.\S+\s+<none>\s+8000:30001\/TCP\s/m);
    for (const host of ['127.0.0.1', ...(await nodeIPs())]) {
      const r = await until(`NodePort 30001 on ${host}`, async () => {
        const x = await get(`http://${host}:30001/rest/v1/health/`);
        return x.status === 200 && x;
      }, 30_000);
      expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    }
  });

  it('step 25: targetPort by the container port\'s name', async () => {
    const out = await env.ok(['apply', '-f', join(dir, 'deployment-service-portnames.yaml')]);
    expect(out).toBe('deployment.apps/simple-deployment configured\nservice/backend-service configured\n');
    const svc = await json<{ spec: { ports: { name: string; targetPort: string }[] } }>(['get', 'svc', 'backend-service']);
    expect(svc.spec.ports[0]).toMatchObject({ name: 'backend-http', targetPort: 'apiserver-http' });
    await until('rollout with named ports', async () => {
      const d = await json<{ metadata: { generation: number }; status: { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number } }>(['get', 'deploy', 'simple-deployment']);
      return d.status.observedGeneration === d.metadata.generation && d.status.updatedReplicas === 3 && d.status.availableReplicas === 3 && d.status.replicas === 3;
    }, 90_000);
    const pods = await readyPods('app=simple-deployment', 3);
    const ep = await until('endpoints of the new pods', async () => {
      const e = await env.ok(['get', 'endpoints', 'backend-service']);
      return pods.every((p) => e.includes(`${p.status.podIP}:8000`)) && e;
    }, 10_000);
    expect(ep).toMatch(/^backend-service\s+\S+:8000,\S+:8000,\S+:8000\s/m);
    const r = await get('http://127.0.0.1:30001/rest/v1/health/');
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
  });
});

describe('LoadBalancer and expose', () => {
  const lb = (name: string, port: number) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: LoadBalancer
  selector:
    app: simple-deployment
  ports:
  - port: ${port}
    targetPort: 8000
`;
  it('a LoadBalancer gets EXTERNAL-IP 127.0.0.1 and its port on the host; a taken port stays <pending> with an event until freed', async () => {
    const port = await freePort();
    expect(await env.ok(['apply', '-f', env.write('lb-one.yaml', lb('lb-one', port))])).toBe('service/lb-one created\n');
    const row = await until('lb-one EXTERNAL-IP', async () => {
      const s = await env.ok(['get', 'svc', 'lb-one']);
      return /\s127\.0\.0\.1\s/.test(s) && s;
    });
    expect(row).toMatch(new RegExp(`^lb-one\\s+LoadBalancer\\s+10\\.\\S+\\s+127\\.0\\.0\\.1\\s+${port}:3\\d{4}/TCP\\s`, 'm'));
    const r = await until('the LoadBalancer port', async () => {
      const x = await get(`http://127.0.0.1:${port}/rest/v1/health/`);
      return x.status === 200 && x;
    }, 30_000);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });

    // A second one on the same port cannot have it.
    await env.ok(['apply', '-f', env.write('lb-two.yaml', lb('lb-two', port))]);
    const event = await until('SyncLoadBalancerFailed', async () => {
      const e = await env.ok(['get', 'events', '--field-selector', 'involvedObject.name=lb-two']);
      return e.includes('SyncLoadBalancerFailed') && e;
    }, 30_000);
    expect(event).toContain(`Error syncing load balancer: failed to ensure load balancer: port(s) ${port} on 127.0.0.1 already in use`);
    expect(await env.ok(['get', 'svc', 'lb-two'])).toMatch(/^lb-two\s+LoadBalancer\s+\S+\s+<pending>\s/m);

    // The port freed: lb-two takes it over without being touched.
    await env.ok(['delete', 'svc', 'lb-one']);
    await until('lb-two gets 127.0.0.1', async () => /^lb-two\s+LoadBalancer\s+\S+\s+127\.0\.0\.1\s/m.test(await env.ok(['get', 'svc', 'lb-two'])), 30_000);
    const again = await until('lb-two serving', async () => {
      const x = await get(`http://127.0.0.1:${port}/rest/v1/health/`);
      return x.status === 200 && x;
    }, 30_000);
    expect(JSON.parse(again.body)).toEqual({ status: 'ok' });
    await env.ok(['delete', 'svc', 'lb-two']);
  });

  it('expose deploy makes a reachable NodePort Service', async () => {
    expect(await env.ok(['expose', 'deploy', 'simple-deployment', '--port', '8080', '--target-port', '8000', '--type', 'NodePort', '--name', 'exposed'])).toBe('service/exposed exposed\n');
    const svc = await json<{ spec: { selector: Record<string, string>; ports: { port: number; targetPort: number; nodePort: number }[] } }>(['get', 'svc', 'exposed']);
    expect(svc.spec.selector).toEqual({ app: 'simple-deployment' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 8000 });
    const nodePort = svc.spec.ports[0]!.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const r = await until('the exposed nodePort', async () => {
      const x = await get(`http://127.0.0.1:${nodePort}/rest/v1/health/`);
      return x.status === 200 && x;
    }, 30_000);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    // And by name from a pod, on the Service port.
    const inside = await inPod('debug-exposed', ['wget', '-qO-', 'http://exposed:8080/rest/v1/health/']);
    expect(inside.stdout).toContain('{"status":"ok"}');
    await env.ok(['delete', 'svc', 'exposed']);
  });
});

describe('bad input', () => {
  it('a Service that selects nothing: empty endpoints, connections refused at once', async () => {
    await env.ok(['create', 'service', 'clusterip', 'nobody', '--tcp=80:8080']);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await env.ok(['get', 'endpoints', 'nobody'])).toMatch(/^nobody\s+<none>\s/m);
    const r = await inPod('debug-nobody', ['sh', '-c', 't0=$(date +%s); wget -qO- http://nobody/; echo "rc=$? took=$(( $(date +%s) - t0 ))"']);
    expect(r.stdout + r.stderr).toContain('Connection refused');
    expect(r.stdout).toMatch(/rc=1 took=[01]\b/);
    await env.ok(['delete', 'svc', 'nobody']);
  });

  it('a nodePort out of range or already taken is refused with Kubernetes\' messages and nothing is created', async () => {
    const manifest = (name: string, nodePort: number) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  selector:
    app: simple-deployment
  ports:
  - port: 80
    targetPort: 8000
    nodePort: ${nodePort}
`;
    const out = await env.minik(['apply', '-f', env.write('range.yaml', manifest('out-of-range', 35010))]);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe('The Service "out-of-range" is invalid: spec.ports[0].nodePort: Invalid value: 35010: provided port is not in the valid range. The range of valid ports is 30000-32767\n');
    const taken = await env.minik(['apply', '-f', env.write('taken.yaml', manifest('taken', 30001))]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('The Service "taken" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated\n');
    for (const name of ['out-of-range', 'taken']) {
      const g = await env.minik(['get', 'svc', name]);
      expect(g.code).toBe(1);
      expect(g.stderr).toBe(`Error from server (NotFound): services "${name}" not found\n`);
    }
  });

  it('a targetPort name no container defines: no endpoints, refused', async () => {
    await env.ok(['apply', '-f', env.write('noname.yaml', `apiVersion: v1
kind: Service
metadata:
  name: noname
spec:
  selector:
    app: simple-deployment
  ports:
  - port: 80
    targetPort: no-such-port
`)]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await env.ok(['get', 'endpoints', 'noname'])).toMatch(/^noname\s+<none>\s/m);
    const r = await inPod('debug-noname', ['wget', '-qO-', 'http://noname/']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('Connection refused');
    await env.ok(['delete', 'svc', 'noname']);
  });

  it('port-forward to a port nothing listens on: an error for that connection, the forwarder keeps running', async () => {
    const [pod] = await readyPods('app=simple-deployment', 3);
    const pf = new PortForward([`pod/${pod!.metadata.name}`, ':9999', ':8000']);
    try {
      const ports = await pf.ports(2);
      await expect(get(`http://127.0.0.1:${ports.get(9999)}/`)).rejects.toThrow();
      await until('the error line', async () => pf.stderr.includes('an error occurred forwarding'), 10_000);
      expect(pf.stderr).toMatch(/error forwarding port 9999 to pod [0-9a-f]+, uid : dial tcp4 [\d.]+:9999: connect: connection refused/);
      // Still forwarding, on both pairs.
      expect(pf.child.exitCode).toBeNull();
      expect(JSON.parse((await get(`http://127.0.0.1:${ports.get(8000)}/rest/v1/health/`)).body)).toEqual({ status: 'ok' });
      await expect(get(`http://127.0.0.1:${ports.get(9999)}/`)).rejects.toThrow();
    } finally {
      expect(await pf.stop()).toBe(0);
    }
  });
});

describe('after minik stop and start', () => {
  it('DNS, ClusterIP and NodePort work again, their pods listed in kube-system', async () => {
    await env.ok(['stop']);
    await env.ok(['start', '--port', '0']);
    await until('coredns available again', async () => {
      const d = await json<{ status: { availableReplicas?: number } }>(['get', 'deployment', 'coredns', '-n', 'kube-system']);
      return (d.status.availableReplicas ?? 0) >= 1;
    });
    await readyPods('app=simple-deployment', 3);
    const r = await until('backend-service from a pod', async () => {
      const x = await inPod('debug-restart', ['wget', '-qO-', 'http://backend-service:8000/rest/v1/health/']);
      return x.code === 0 && x;
    });
    expect(r.stdout, r.stderr).toContain('{"status":"ok"}');
    const np = await until('NodePort 30001', async () => {
      const x = await get('http://127.0.0.1:30001/rest/v1/health/');
      return x.status === 200 && x;
    }, 30_000);
    expect(JSON.parse(np.body)).toEqual({ status: 'ok' });
    const system = await until('kube-system pods running', async () => {
      const x = await env.ok(['get', 'pods', '-n', 'kube-system']);
      return !/ContainerCreating|Pending|Terminating/.test(x) && x;
    }, 30_000);
    expect(system).toMatch(/^coredns-\S+\s+1\/1\s+Running\s/m);
    expect(system, system).toMatch(/^kube-proxy-backend-service-\S+\s+1\/1\s+Running\s/m);
    expect(system).toMatch(/^kube-proxy-worker1-\S+\s+1\/1\s+Running\s/m);
  });
});
