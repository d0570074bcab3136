import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStorage } from './lmdb.js';
import { CompactedError, type StorageEvent } from './interface.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'minik-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LmdbStorage', () => {
  it('creates, updates with compare-and-swap, deletes, and numbers revisions', async () => {
    const s = new LmdbStorage({ path: tmp() });
    const a = await s.put('/registry/pods/default/a', { n: 1 }, { kind: 'absent' });
    expect(a.ok && a.revision).toBe(1);
    const dup = await s.put('/registry/pods/default/a', { n: 2 }, { kind: 'absent' });
    expect(dup.ok).toBe(false);
    const stale = await s.put('/registry/pods/default/a', { n: 2 }, { kind: 'revision', modRevision: 99 });
    expect(stale.ok).toBe(false);
    const b = await s.put('/registry/pods/default/a', { n: 2 }, { kind: 'revision', modRevision: 1 });
    expect(b.ok && b.kv).toEqual({ key: '/registry/pods/default/a', value: { n: 2 }, createRevision: 1, modRevision: 2 });
    await s.put('/registry/pods/kube-system/c', { n: 3 }, { kind: 'absent' });
    expect(s.range('/registry/pods/').kvs.map((k) => k.key)).toEqual(['/registry/pods/default/a', '/registry/pods/kube-system/c']);
    expect(s.range('/registry/pods/default/').kvs).toHaveLength(1);
    const d = await s.delete('/registry/pods/default/a', { kind: 'none' });
    expect(d.ok && d.revision).toBe(4);
    expect(s.get('/registry/pods/default/a')).toBeUndefined();
    expect((await s.delete('/registry/pods/default/a', { kind: 'none' })).ok).toBe(false);
    await s.close();
  });

  it('keeps everything across a reopen, and watch resumes from a revision', async () => {
    const path = tmp();
    let s = new LmdbStorage({ path });
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.put(`/registry/configmaps/default/c${i}`, { i }, { kind: 'absent' })));
    await s.close();
    s = new LmdbStorage({ path });
    expect(s.revision).toBe(50);
    expect(s.range('/registry/configmaps/').kvs).toHaveLength(50);
    const seen: StorageEvent[] = [];
    const stop = s.watch('/registry/configmaps/', 45, (e) => seen.push(e));
    await s.put('/registry/configmaps/default/c0', { i: 'x' }, { kind: 'none' });
    stop();
    expect(seen.map((e) => e.revision)).toEqual([46, 47, 48, 49, 50, 51]);
    expect(seen[5].prevValue).toEqual({ i: 0 });
    await s.close();
  });

  it('answers a watch older than its history with CompactedError', async () => {
    const s = new LmdbStorage({ path: tmp(), historySize: 10 });
    for (let i = 0; i < 30; i++) await s.put(`/registry/configmaps/default/x`, { i }, { kind: 'none' });
    expect(() => s.watch('/registry/', 1, () => {})).toThrow(CompactedError);
    expect(() => s.watch('/registry/', 25, () => {})()).not.toThrow();
    await s.close();
  });

  it('delivers concurrent writes to watchers in revision order', async () => {
    const s = new LmdbStorage({ path: tmp() });
    const revs: number[] = [];
    s.watch('/registry/', 0, (e) => revs.push(e.revision));
    await Promise.all(Array.from({ length: 200 }, (_, i) => s.put(`/registry/pods/default/p${i % 7}`, { i }, { kind: 'none' })));
    expect(revs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    await s.close();
  });
});
