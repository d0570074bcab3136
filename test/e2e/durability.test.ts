// Nothing acknowledged is lost: kill -9 the apiserver in the middle of a write loop, restart
// it on the same data directory, and every write that got a 2xx must be there.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, ApiError } from '@minik/api';
import { MINIK } from './harness.js';
import { createServer } from 'node:net';

const dir = mkdtempSync(join(tmpdir(), 'minik-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

async function startApiserver(port: number): Promise<ChildProcess> {
  writeFileSync(join(dir, 'token'), 'durable\n');
  const child = spawn(process.execPath, [MINIK, 'apiserver', '--data-dir', join(dir, 'data'), '--port', String(port), '--token-file', join(dir, 'token')], { stdio: 'ignore' });
  const client = new ApiClient({ server: `http://127.0.0.1:${port}`, token: 'durable', timeoutMs: 1000 });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await client.request('GET', '/readyz', { text: true })) === 'ok') break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await client.close();
  return child;
}

describe('durability', () => {
  it('keeps every acknowledged write across SIGKILL', async () => {
    const port = await freePort();
    let child = await startApiserver(port);
    const client = new ApiClient({ server: `http://127.0.0.1:${port}`, token: 'durable', timeoutMs: 5000 });
    const cms = client.resource({ group: '', version: 'v1', resource: 'configmaps' });
    const acked = new Map<string, string>();
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: String(i) } });
          acked.set(name, String(i));
          // Updates too: the acknowledged value must be the one that survives.
          await cms.patch('default', name, { data: { v: `${i}-updated` } });
          acked.set(name, `${i}-updated`);
        } catch (e) {
          if (e instanceof ApiError) throw e; // a real API error would be a bug
          return; // connection dropped: the server is gone
        }
      }
    };
    const writers = Array.from({ length: 16 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await new Promise((r) => child.once('exit', r));
    expect(acked.size).toBeGreaterThan(50);

    child = await startApiserver(port);
    const list = await cms.list('default');
    const stored = new Map(list.items.map((c) => [c.metadata!.name!, (c.data as { v: string }).v]));
    const lost = [...acked].filter(([name, v]) => stored.get(name) !== v && stored.get(name) !== v + '-updated');
    expect(lost).toEqual([]);
    // and the store still takes writes
    await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-crash' } });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await client.close();
  });
});
