// Detached daemon processes (apiserver, node agents) with pid files and log files, so that
// `minik start` can return while the cluster keeps running.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync, existsSync, rmSync, mkdirSync, closeSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUpward } from '@minik/api';
import { clusterDir } from './paths.js';

/** The `minik` entry script, to re-run ourselves as a daemon. */
export function minikScript(): string {
  return process.env.MINIK_BIN ?? findUpward(import.meta.url, 'bin/minik') ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'bin', 'minik');
}

export function pidFile(cluster: string, daemon: string): string {
  return join(clusterDir(cluster), 'run', `${daemon}.pid`);
}

export function logFile(cluster: string, daemon: string): string {
  return join(clusterDir(cluster), 'logs', `${daemon}.log`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Guards against pid reuse: the process must still run the command line we started. The pid
 * file holds the pid and the daemon's arguments.
 */
function isOurs(pid: number, args: string[]): boolean {
  if (!existsSync('/proc/self/cmdline')) return true; // no procfs (macOS): trust the pid file
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return args.every((a) => cmdline.includes(a));
  } catch {
    return false;
  }
}

export function readPid(cluster: string, daemon: string): number | undefined {
  const p = pidFile(cluster, daemon);
  if (!existsSync(p)) return undefined;
  let rec: { pid: number; args: string[] };
  try {
    rec = JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
  const pid = rec.pid;
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && isOurs(pid, rec.args ?? []) ? pid : undefined;
}

export function spawnDaemon(cluster: string, daemon: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const log = logFile(cluster, daemon);
  mkdirSync(dirname(log), { recursive: true });
  mkdirSync(dirname(pidFile(cluster, daemon)), { recursive: true });
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [minikScript(), ...args], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
  });
  closeSync(fd);
  child.unref();
  writeFileSync(pidFile(cluster, daemon), JSON.stringify({ pid: child.pid, args }) + '\n');
  return child.pid!;
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
export async function stopDaemon(cluster: string, daemon: string, graceMs = 10_000): Promise<boolean> {
  const pid = readPid(cluster, daemon);
  rmSync(pidFile(cluster, daemon), { force: true });
  if (!pid) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export function tailLog(cluster: string, daemon: string, lines = 20): string {
  const p = logFile(cluster, daemon);
  if (!existsSync(p)) return '';
  return readFileSync(p, 'utf8').split('\n').slice(-lines - 1).join('\n');
}
