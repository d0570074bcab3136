import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pod } from './fixtures.js';
import { SchedulingQueue } from './queue.js';
import type { Pod } from './types.js';

const at = (name: string, created: string, priority?: number): Pod => {
  const p = pod(name, { spec: priority === undefined ? {} : { priority } });
  p.metadata.creationTimestamp = created;
  return p;
};

describe('SchedulingQueue', () => {
  let q: SchedulingQueue;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-01-01T00:00:10Z'));
    q = new SchedulingQueue();
  });
  afterEach(() => {
    q.close();
    vi.useRealTimers();
  });

  it('pops by priority, then creation time (FIFO)', async () => {
    q.add(at('late', '2024-01-01T00:00:05Z'));
    q.add(at('early', '2024-01-01T00:00:01Z'));
    q.add(at('urgent', '2024-01-01T00:00:09Z', 100));
    q.add(at('same-second', '2024-01-01T00:00:05Z'));
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await q.pop())!.pod.metadata.name);
    expect(names).toEqual(['urgent', 'early', 'late', 'same-second']);
  });

  it('backs off 1s, 2s, 4s … up to 10s', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => q.backoffDuration(n))).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('parks unschedulable pods until a move request, honouring the backoff', async () => {
    const p = at('p', '2024-01-01T00:00:00Z');
    q.add(p);
    const qp = (await q.pop())!;
    q.requeue(qp, true);
    expect(q.where(p)).toBe('unschedulable');
    vi.advanceTimersByTime(20_000);
    expect(q.where(p)).toBe('unschedulable');
    q.moveAllToActiveOrBackoff();
    expect(q.where(p)).toBe('active');
  });

  it('moves to backoff when the change comes within the backoff, then to active', async () => {
    const p = at('p', '2024-01-01T00:00:00Z');
    q.add(p);
    q.requeue((await q.pop())!, true);
    q.moveAllToActiveOrBackoff();
    expect(q.where(p)).toBe('backoff');
    vi.advanceTimersByTime(1000);
    expect(q.where(p)).toBe('active');
  });

  it('retries at once after backoff when the cluster changed during the attempt', async () => {
    const p = at('p', '2024-01-01T00:00:00Z');
    q.add(p);
    const qp = (await q.pop())!;
    q.moveAllToActiveOrBackoff(); // e.g. a node appeared while we were deciding
    q.requeue(qp, true);
    expect(q.where(p)).toBe('backoff');
  });

  it('sends errors to backoff, not to the unschedulable pods', async () => {
    const p = at('p', '2024-01-01T00:00:00Z');
    q.add(p);
    q.requeue((await q.pop())!, false);
    expect(q.where(p)).toBe('backoff');
  });

  it('retries a parked pod whose spec changed, not one whose status did', async () => {
    const p = at('p', '2024-01-01T00:00:00Z');
    q.add(p);
    q.requeue((await q.pop())!, true);
    q.update({ ...p, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } });
    expect(q.where(p)).toBe('unschedulable');
    vi.advanceTimersByTime(5000);
    q.update({ ...p, spec: { ...p.spec, nodeSelector: { a: 'b' } } });
    expect(q.where(p)).toBe('active');
  });

  it('flushes pods parked for 5 minutes', async () => {
    const p = at('p', '2024-01-01T00:00:00Z');
    q.add(p);
    q.requeue((await q.pop())!, true);
    vi.advanceTimersByTime(5 * 60_000 + 30_000);
    expect(q.where(p)).toBe('active');
  });

  it('forgets deleted pods, even in flight', async () => {
    const p = at('p', '2024-01-01T00:00:00Z');
    q.add(p);
    const qp = (await q.pop())!;
    q.delete(p);
    q.requeue(qp, true);
    expect(q.where(p)).toBeUndefined();
  });

  it('wakes a waiting pop and ends it on close', async () => {
    const waiting = q.pop();
    q.add(at('p', '2024-01-01T00:00:00Z'));
    expect((await waiting)?.pod.metadata.name).toBe('p');
    const idle = q.pop();
    q.close();
    expect(await idle).toBeUndefined();
  });
});
