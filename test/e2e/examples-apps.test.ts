// The sample apps under examples/apps (run directly with node on free loopback ports: fast, no
// Docker), then examples/build-images and one of the images it builds, run with Docker.
import { describe, it, expect, afterAll, beforeAll, vi } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './harness.js';

const APPS = join(ROOT, 'examples', 'apps');
const run = promisify(execFile);

interface App {
  url: string;
  child: ChildProcess;
  output: () => string;
}
const started: App[] = [];

/** Starts examples/apps/<name>/server.js on 127.0.0.1 with PORT=0 and waits for its "listening" line. */
function start(name: string, env: Record<string, string> = {}): Promise<App> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['server.js'], {
      cwd: join(APPS, name),
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && !started.some((a) => a.child === child)) {
        clearTimeout(timer);
        const app = { url: m[1], child, output: () => out };
        started.push(app);
        resolve(app);
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

afterAll(() => {
  for (const a of started) a.child.kill('SIGKILL');
});

describe('examples/apps/simple-restapi (rutush10/simple-restapi-server-py stand-in)', () => {
  it('answers the book health check with and without the trailing slash', async () => {
    const app = await start('simple-restapi');
    for (const path of ['/rest/v1/health/', '/rest/v1/health']) {
      const r = await fetch(app.url + path);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.headers.get('content-length')).toBe('15');
      expect(await r.text()).toBe('{"status":"ok"}');
    }
  });

  it('shows its version, describes itself on /, and answers JSON 404/405 otherwise', async () => {
    const app = await start('simple-restapi', { VERSION: 'v0.0.2' });
    const v = await fetch(`${app.url}/rest/v1/version/`);
    expect(await v.json()).toEqual({ version: 'v0.0.2' });
    expect(v.headers.get('x-app-version')).toBe('v0.0.2');
    const root = (await (await fetch(app.url + '/')).json()) as Record<string, unknown>;
    expect(root).toMatchObject({ name: 'simple-restapi-server', version: 'v0.0.2', pod: hostname() });
    const missing = await fetch(`${app.url}/users`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not Found' });
    const post = await fetch(`${app.url}/rest/v1/health/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('defaults to v0.0.1, logs each request on stdout and exits 0 promptly on SIGTERM', async () => {
    const app = await start('simple-restapi');
    expect(await (await fetch(`${app.url}/rest/v1/version`)).json()).toEqual({ version: 'v0.0.1' });
    await vi.waitFor(() => expect(app.output()).toMatch(/"GET \/rest\/v1\/version" 200 \d+ms\n/));
    app.child.kill('SIGTERM');
    expect(await exited(app.child)).toBe(0);
    expect(app.output()).toContain('SIGTERM received');
  });
});

describe('examples/apps backend and frontend (three laptops)', () => {
  let backend: App;
  beforeAll(async () => {
    backend = await start('backend');
  });

  it('backend: JSON message with the pod name on / and /api/message', async () => {
    for (const path of ['/', '/api/message']) {
      const r = await fetch(backend.url + path);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(await r.json()).toEqual({ message: 'hello from the backend', pod: hostname(), version: 'v0.0.1' });
    }
    expect((await fetch(`${backend.url}/nope`)).status).toBe(404);
  });

  it('frontend: fetches the backend on every request and shows its message and pod', async () => {
    const frontend = await start('frontend', { BACKEND_ENDPOINT: backend.url });
    const r = await fetch(frontend.url + '/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await r.text();
    expect(html).toContain('hello from the backend');
    expect(html).toContain(`backend pod <code>${hostname()}</code>`);
    const before = backend.output().split('/api/message').length;
    await fetch(frontend.url + '/');
    await vi.waitFor(() => expect(backend.output().split('/api/message').length).toBe(before + 1));
    const health = await fetch(`${frontend.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
  });

  it('frontend: answers 502 with a clear message when the backend is unreachable, and keeps running', async () => {
    const port = await closedPort();
    const frontend = await start('frontend', { BACKEND_ENDPOINT: `http://127.0.0.1:${port}` });
    for (let i = 0; i < 2; i++) {
      const r = await fetch(frontend.url + '/');
      expect(r.status).toBe(502);
      const html = await r.text();
      expect(html).toContain(`Could not reach the backend at <code>http://127.0.0.1:${port}/api/message</code>`);
      expect(html).toContain('ECONNREFUSED');
    }
    expect((await fetch(`${frontend.url}/healthz`)).status).toBe(200);
  });
});

describe('examples/apps/getting-started (nigelpoulton/getting-started-k8s stand-in)', () => {
  it('serves a web page showing its version and pod', async () => {
    const app = await start('getting-started', { VERSION: '2.0' });
    const r = await fetch(app.url + '/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await r.text();
    expect(html).toContain('App version <strong>2.0</strong>');
    expect(html).toContain(hostname());
  });
});

describe('examples/build-images', () => {
  const IMAGES = [
    'rutush10/simple-restapi-server-py:v0.0.1',
    'rutush10/simple-restapi-server-py:v0.0.2',
    'frontend:v0.0.1',
    'backend:v0.0.1',
    'nigelpoulton/getting-started-k8s:1.0',
    'nigelpoulton/getting-started-k8s:2.0',
    'adritasharma/getting-started-k8s:1.0',
  ];
  const script = join(ROOT, 'examples', 'build-images');

  it('builds every example image, and a second run keeps them', async () => {
    const first = await run(script, [], { timeout: 110_000 });
    for (const image of IMAGES) expect(first.stdout).toMatch(new RegExp(`^  (built|present) +${image.replace(/[.]/g, '\\.')}\\b`, 'm'));
    const inspect = await run('docker', ['image', 'inspect', '-f', '{{ index .Config.Labels "org.minik.examples.source" }}', ...IMAGES]);
    expect(inspect.stdout.trim().split('\n')).toHaveLength(IMAGES.length);
    const second = await run(script, [], { timeout: 60_000 });
    for (const image of IMAGES) expect(second.stdout).toContain(`  present  ${image}\n`);
    expect(second.stdout).toMatch(/build-images: 7 images ready in [\d.]+s\n$/);
  });

  it('the simple-restapi image answers the book health check from a container', async () => {
    const name = `minik-examples-test-${process.pid}`;
    await run('docker', ['run', '--rm', '-d', '--name', name, '-p', '127.0.0.1::8000', 'rutush10/simple-restapi-server-py:v0.0.2']);
    try {
      const port = (await run('docker', ['port', name, '8000/tcp'])).stdout.trim().split(':').pop();
      let body = '';
      // docker-proxy accepts before the app listens: retry until it answers (for up to 20 s).
      for (const deadline = Date.now() + 20_000; body === '' && Date.now() < deadline; ) {
        const signal = AbortSignal.timeout(2000);
        body = await fetch(`http://127.0.0.1:${port}/rest/v1/health/`, { signal }).then((r) => r.text(), () => '');
        if (body === '') await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toBe('{"status":"ok"}');
      const version = await fetch(`http://127.0.0.1:${port}/rest/v1/version/`, { signal: AbortSignal.timeout(5000) });
      expect(await version.json()).toEqual({ version: 'v0.0.2' });
    } finally {
      // docker stop sends SIGTERM: the app (PID 1) exits at once rather than after docker's 10 s.
      await run('docker', ['stop', name]).catch(() => undefined);
    }
  });
});
