// The preinstalled kubectl, pointed at minik by the kubeconfig `minik start` wrote, runs the
// everyday commands correctly (kubectl-api-surface.md), and agrees with minik's own output.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Env } from './harness.js';

const env = new Env();
const DEPLOY = (replicas: number, image = 'nginx:1.25') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: ${image}
          ports:
            - containerPort: 80
`;
const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
      nodePort: 30080
`;

beforeAll(async () => {
  await env.ok(['start', '--port', '0']);
});
afterAll(() => env.cleanup());

describe('kubectl against minik', () => {
  it('apply: created, unchanged, configured', async () => {
    env.write('deploy.yaml', DEPLOY(2));
    env.write('svc.yaml', SVC);
    expect((await env.kubectl(['apply', '-f', 'deploy.yaml'])).stdout).toBe('deployment.apps/web created\n');
    expect((await env.kubectl(['apply', '-f', 'svc.yaml'])).stdout).toBe('service/web created\n');
    expect((await env.kubectl(['apply', '-f', 'deploy.yaml'])).stdout).toBe('deployment.apps/web unchanged\n');
    env.write('deploy.yaml', DEPLOY(3, 'nginx:1.26'));
    const r = await env.kubectl(['apply', '-f', 'deploy.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/web configured\n');
    const d = JSON.parse(await env.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(d.metadata.generation).toBe(2);
  });

  it('get: tables, -o wide, --show-labels and -A print what minik prints', async () => {
    for (const args of [
      ['get', 'deployments'],
      ['get', 'deployments', '-o', 'wide'],
      ['get', 'svc', '-o', 'wide'],
      ['get', 'svc', '-A'],
      ['get', 'deploy', '--show-labels'],
      ['get', 'ns'],
      ['get', 'all'],
      ['get', 'svc,deploy', '-A', '-o', 'wide', '--show-labels'],
    ]) {
      // AGE cells tick each second; retry when the two runs straddle a second boundary.
      let mine, theirs;
      for (let i = 0; i < 3; i++) {
        mine = await env.minik(args);
        theirs = await env.kubectl(args);
        if (mine.stdout === theirs.stdout) break;
      }
      expect({ args, out: theirs!.stdout, err: theirs!.stderr }).toEqual({ args, out: mine!.stdout, err: mine!.stderr });
    }
    const svc = await env.kubectl(['get', 'svc', 'web']);
    expect(svc.stdout).toMatch(/^web\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080\/TCP\s+\d+s$/m);
  });

  it('label, scale, describe, api-resources', async () => {
    expect((await env.kubectl(['label', 'deployment', 'web', 'tier=frontend'])).stdout).toBe('deployment.apps/web labeled\n');
    expect((await env.kubectl(['scale', 'deployment', 'web', '--replicas=5'])).stdout).toBe('deployment.apps/web scaled\n');
    expect(await env.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.tier}'])).toBe('5 frontend');
    const desc = await env.kubectl(['describe', 'deployment', 'web']);
    expect(desc.code).toBe(0);
    expect(desc.stdout).toMatch(/^Name:\s+web$/m);
    expect(desc.stdout).toMatch(/^Replicas:\s+5 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m);
    expect(desc.stdout).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    const api = await env.kubectl(['api-resources']);
    expect(api.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(api.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    const mine = await env.minik(['api-resources']);
    expect(mine.stdout).toBe(api.stdout);
  });

  it('delete, and NotFound afterwards', async () => {
    const r = await env.kubectl(['delete', '-f', 'deploy.yaml', '-f', 'svc.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deployment\.apps "web" deleted/m);
    expect(r.stdout).toMatch(/^service "web" deleted/m);
    const again = await env.kubectl(['get', 'deployment', 'web']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Error from server (NotFound): deployments.apps "web" not found\n');
  });
});
