import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pauseArch, pauseElf } from './pause-elf.js';
import { tar } from './tar.js';
import { pauseImageTar } from './pause-image.js';

const dir = mkdtempSync(join(tmpdir(), 'minik-pause-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pause ELF', () => {
  it.each([
    ['amd64', 62],
    ['arm64', 183],
  ] as const)('%s: a static ELF64 executable of a few hundred bytes', (arch, machine) => {
    const elf = pauseElf(arch);
    expect(elf.length).toBeLessThan(300);
    expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(elf[4]).toBe(2); // 64-bit
    expect(elf.readUInt16LE(16)).toBe(2); // ET_EXEC
    expect(elf.readUInt16LE(18)).toBe(machine);
    expect(elf.readBigUInt64LE(24)).toBe(0x4000b0n); // entry: right after the headers
    expect(elf.readBigUInt64LE(64 + 32)).toBe(BigInt(elf.length)); // PT_LOAD covers the file
    expect(elf.readUInt32LE(64 + 56)).toBe(0x6474e551); // PT_GNU_STACK
  });

  it('maps Docker and Node architecture names', () => {
    expect(pauseArch('amd64')).toBe('amd64');
    expect(pauseArch('x64')).toBe('amd64');
    expect(pauseArch('aarch64')).toBe('arm64');
    expect(() => pauseArch('s390x')).toThrow(/no pause program/);
  });

  // Runs the program natively when the host can: it must sleep, exit 0 on SIGTERM, die on SIGKILL.
  const native = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');

  const run = async (signal: NodeJS.Signals) => {
    const file = join(dir, `pause-${signal}`);
    writeFileSync(file, pauseElf(pauseArch(process.arch)));
    chmodSync(file, 0o755);
    const child = spawn(file, { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 150));
    expect(child.exitCode).toBe(null); // still sleeping
    const done = new Promise<[number | null, string | null]>((r) => child.on('exit', (code, sig) => r([code, sig])));
    child.kill(signal);
    return done;
  };
  it.runIf(native)('sleeps until SIGTERM, then exits 0', async () => {
    expect(await run('SIGTERM')).toEqual([0, null]);
  });
  it.runIf(native)('exits 0 on SIGINT and dies on SIGKILL', async () => {
    expect(await run('SIGINT')).toEqual([0, null]);
    expect(await run('SIGKILL')).toEqual([null, 'SIGKILL']);
  });
});

describe('tar', () => {
  it('writes ustar headers with a valid checksum, padded to 512-byte blocks', () => {
    const t = tar([{ name: 'pause', data: Buffer.from('abc'), mode: 0o755 }]);
    expect(t.length).toBe(512 * 4); // header, data block, two zero blocks
    const h = t.subarray(0, 512);
    expect(h.subarray(0, 5).toString()).toBe('pause');
    expect(h.subarray(100, 107).toString()).toBe('0000755');
    expect(parseInt(h.subarray(124, 135).toString(), 8)).toBe(3);
    expect(h.subarray(257, 265).toString('latin1')).toBe('ustar\x0000');
    const stored = parseInt(h.subarray(148, 154).toString(), 8);
    const copy = Buffer.from(h);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((s, b) => s + b, 0));
    expect(t.subarray(512, 515).toString()).toBe('abc');
    expect(t.subarray(515).every((b) => b === 0)).toBe(true);
  });

  it('is readable by the system tar', async () => {
    const file = join(dir, 'image.tar');
    writeFileSync(file, pauseImageTar('amd64'));
    const child = spawn('tar', ['-tvf', file]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out).toMatch(/^-rwxr-xr-x root\/root\s+\d{3} 1970-01-01 00:00 pause$/m);
  });

  it('rejects names longer than ustar allows', () => {
    expect(() => tar([{ name: 'x'.repeat(101), data: Buffer.alloc(0) }])).toThrow(/1\.\.100/);
  });
});
