// Shared helpers for minik's benchmarks: percentiles, a closed-loop load generator, tables.
import { performance } from 'node:perf_hooks';

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

/**
 * Runs `op(clientIndex, iteration)` from `concurrency` loops for `durationMs` (after a short
 * warm-up) and reports latency percentiles (ms) and throughput (req/s).
 */
export async function load({ concurrency, durationMs, warmupMs = 300, op }) {
  const lat = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const loops = Array.from({ length: concurrency }, async (_, c) => {
    for (let i = 0; !stop; i++) {
      const t0 = performance.now();
      try {
        await op(c, i);
        if (measuring) lat.push(performance.now() - t0);
      } catch (e) {
        errors++;
        if (errors < 3) console.error(`  error: ${e.message}`);
      }
    }
  });
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  const elapsed = performance.now() - t0;
  stop = true;
  await Promise.all(loops);
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: percentile(lat, 50), p99: percentile(lat, 99), rps: (lat.length / elapsed) * 1000, errors };
}

export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('   ').trimEnd()).join('\n');
}

export const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');

/** Open loop: `clients` each fire `op` every `intervalMs` regardless of answers; latency percentiles. */
export async function paced(clients, intervalMs, durationMs, op) {
  const lat = [];
  let errors = 0;
  const inflight = [];
  const t0 = performance.now();
  const timers = Array.from({ length: clients }, (_, c) => {
    let i = 0;
    const fire = () => {
      const s = performance.now();
      inflight.push(
        op(c, i++).then(
          () => lat.push(performance.now() - s),
          () => errors++,
        ),
      );
    };
    // Spread the clients' phases across the interval.
    const start = setTimeout(() => {
      fire();
      timers[c] = setInterval(fire, intervalMs);
    }, (c * intervalMs) / clients);
    return start;
  });
  await new Promise((r) => setTimeout(r, durationMs));
  for (const t of timers) {
    clearTimeout(t);
    clearInterval(t);
  }
  await Promise.all(inflight);
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: percentile(lat, 50), p99: percentile(lat, 99), rps: (lat.length / (performance.now() - t0)) * 1000, errors };
}
