/**
 * The pause program, as a static Linux ELF written byte by byte: no libc, no loader, no
 * dependency, ~270 bytes. Like Kubernetes' pause, it runs as PID 1 of every pod's sandbox
 * container (the one that holds the pod's network namespace) and:
 *  - exits 0 on SIGTERM / SIGINT, so `docker stop` returns at once (PID 1 ignores signals
 *    it has no handler for, which would make docker stop wait its timeout, then SIGKILL);
 *  - ignores SIGCHLD, so the kernel reaps any orphan reparented to it (no zombies);
 *  - otherwise sleeps in the kernel forever: ~0 CPU, one page of code mapped.
 * SIGKILL needs nothing from us: the kernel ends the process.
 *
 * Encodings were produced with `llvm-mc -show-encoding` from the assembly in the comments.
 */

export type PauseArch = 'amd64' | 'arm64';

/** Load address of the single segment: above mmap_min_addr, 64 KiB aligned (any page size). */
const BASE = 0x400000n;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const PHNUM = 2;
const CODE_OFFSET = EHDR_SIZE + PHDR_SIZE * PHNUM; // 176: code follows the headers

/*
 * x86_64. Syscall number in eax, arguments in rdi, rsi, rdx, r10; `syscall` clobbers rax,
 * rcx and r11 only, so rsi/rdx/r10 survive between the three rt_sigaction calls.
 * The kernel's struct sigaction (32 bytes) is built on the stack:
 *   { handler, flags, restorer, mask }.
 * x86_64 kernels refuse to deliver to a handler without SA_RESTORER (0x04000000); our
 * handler never returns, so the restorer just points at it too.
 */
const X86_64 = [
  // 0x00 lea rax, [rip+0x49]     rax = &on_term (0x50; rip is 0x07 after this instruction)
  0x48, 0x8d, 0x05, 0x49, 0x00, 0x00, 0x00,
  // 0x07 push 0                  sa_mask = 0 (block nothing while handling)
  0x6a, 0x00,
  // 0x09 push rax                sa_restorer = on_term (required, never used)
  0x50,
  // 0x0a push 0x04000000         sa_flags = SA_RESTORER
  0x68, 0x00, 0x00, 0x00, 0x04,
  // 0x0f push rax                sa_handler = on_term
  0x50,
  // 0x10 mov rsi, rsp            arg 2: act = the struct just pushed
  0x48, 0x89, 0xe6,
  // 0x13 xor edx, edx            arg 3: oldact = NULL
  0x31, 0xd2,
  // 0x15 mov r10d, 8             arg 4: sizeof(sigset_t) as the kernel wants it
  0x41, 0xba, 0x08, 0x00, 0x00, 0x00,
  // 0x1b mov edi, 15             arg 1: SIGTERM
  0xbf, 0x0f, 0x00, 0x00, 0x00,
  // 0x20 mov eax, 13             rt_sigaction
  0xb8, 0x0d, 0x00, 0x00, 0x00,
  // 0x25 syscall
  0x0f, 0x05,
  // 0x27 mov edi, 2              SIGINT, same handler
  0xbf, 0x02, 0x00, 0x00, 0x00,
  // 0x2c mov eax, 13             rt_sigaction (eax held the return value)
  0xb8, 0x0d, 0x00, 0x00, 0x00,
  // 0x31 syscall
  0x0f, 0x05,
  // 0x33 mov qword [rsp], 1      sa_handler = SIG_IGN
  0x48, 0xc7, 0x04, 0x24, 0x01, 0x00, 0x00, 0x00,
  // 0x3b mov edi, 17             SIGCHLD: ignored means children are reaped by the kernel
  0xbf, 0x11, 0x00, 0x00, 0x00,
  // 0x40 mov eax, 13             rt_sigaction
  0xb8, 0x0d, 0x00, 0x00, 0x00,
  // 0x45 syscall
  0x0f, 0x05,
  // 0x47 loop: mov eax, 34       pause(): sleep until a signal is caught
  0xb8, 0x22, 0x00, 0x00, 0x00,
  // 0x4c syscall
  0x0f, 0x05,
  // 0x4e jmp loop                (rel8 -9: back to 0x47) in case pause returns
  0xeb, 0xf7,
  // 0x50 on_term: xor edi, edi   status 0
  0x31, 0xff,
  // 0x52 mov eax, 231            exit_group(0)
  0xb8, 0xe7, 0x00, 0x00, 0x00,
  // 0x57 syscall
  0x0f, 0x05,
];

/*
 * aarch64. Syscall number in x8, arguments in x0..x5, `svc #0` traps; only x0 (the result)
 * is clobbered. Instructions are 32-bit little-endian words. arm64 has no pause syscall:
 * ppoll(NULL, 0, NULL, NULL) with no timeout sleeps until a signal, which is the same.
 * The stack pointer must stay 16-byte aligned, hence two 16-byte pushes for the struct.
 * arm64 needs no SA_RESTORER (the kernel returns through the vDSO; we never return anyway).
 */
const AARCH64 = [
  // 0x00 adr x9, on_term         x9 = &on_term (pc + 0x58)
  0xc9, 0x02, 0x00, 0x10,
  // 0x04 stp xzr, xzr, [sp, #-16]!   push sa_restorer = 0, sa_mask = 0
  0xff, 0x7f, 0xbf, 0xa9,
  // 0x08 stp x9, xzr, [sp, #-16]!    push sa_handler = on_term, sa_flags = 0
  0xe9, 0x7f, 0xbf, 0xa9,
  // 0x0c mov x1, sp              arg 2: act
  0xe1, 0x03, 0x00, 0x91,
  // 0x10 mov x2, #0              arg 3: oldact = NULL
  0x02, 0x00, 0x80, 0xd2,
  // 0x14 mov x3, #8              arg 4: sizeof(sigset_t)
  0x03, 0x01, 0x80, 0xd2,
  // 0x18 mov x8, #134            rt_sigaction
  0xc8, 0x10, 0x80, 0xd2,
  // 0x1c mov x0, #15             arg 1: SIGTERM
  0xe0, 0x01, 0x80, 0xd2,
  // 0x20 svc #0
  0x01, 0x00, 0x00, 0xd4,
  // 0x24 mov x0, #2              SIGINT, same handler (x1..x3, x8 are unchanged)
  0x40, 0x00, 0x80, 0xd2,
  // 0x28 svc #0
  0x01, 0x00, 0x00, 0xd4,
  // 0x2c mov x9, #1
  0x29, 0x00, 0x80, 0xd2,
  // 0x30 str x9, [sp]            sa_handler = SIG_IGN
  0xe9, 0x03, 0x00, 0xf9,
  // 0x34 mov x0, #17             SIGCHLD: ignored means children are reaped by the kernel
  0x20, 0x02, 0x80, 0xd2,
  // 0x38 svc #0
  0x01, 0x00, 0x00, 0xd4,
  // 0x3c mov x1, #0              ppoll arg 2: nfds = 0
  0x01, 0x00, 0x80, 0xd2,
  // 0x40 mov x2, #0              arg 3: timeout = NULL (forever)
  0x02, 0x00, 0x80, 0xd2,
  // 0x44 mov x3, #0              arg 4: sigmask = NULL (keep the current one)
  0x03, 0x00, 0x80, 0xd2,
  // 0x48 mov x8, #73             ppoll
  0x28, 0x09, 0x80, 0xd2,
  // 0x4c loop: mov x0, #0        arg 1: fds = NULL (again: x0 holds the last result)
  0x00, 0x00, 0x80, 0xd2,
  // 0x50 svc #0
  0x01, 0x00, 0x00, 0xd4,
  // 0x54 b loop                  (imm26 -2 words: back to 0x4c)
  0xfe, 0xff, 0xff, 0x17,
  // 0x58 on_term: mov x0, #0     status 0
  0x00, 0x00, 0x80, 0xd2,
  // 0x5c mov x8, #94             exit_group(0)
  0xc8, 0x0b, 0x80, 0xd2,
  // 0x60 svc #0
  0x01, 0x00, 0x00, 0xd4,
];

const MACHINE: Record<PauseArch, { eMachine: number; code: number[] }> = {
  amd64: { eMachine: 62, code: X86_64 }, // EM_X86_64
  arm64: { eMachine: 183, code: AARCH64 }, // EM_AARCH64
};

/** Docker's `version().Arch` (Go names) or Node's process.arch to a supported pause arch. */
export function pauseArch(arch: string): PauseArch {
  if (arch === 'amd64' || arch === 'x86_64' || arch === 'x64') return 'amd64';
  if (arch === 'arm64' || arch === 'aarch64') return 'arm64';
  throw new Error(`no pause program for architecture ${arch} (minik supports amd64 and arm64)`);
}

/** The complete ELF executable for arch. */
export function pauseElf(arch: PauseArch): Buffer {
  const { eMachine, code } = MACHINE[arch];
  const size = CODE_OFFSET + code.length;
  const elf = Buffer.alloc(size);

  // ELF header (Elf64_Ehdr).
  elf.write('\x7fELF', 0, 'latin1'); // magic
  elf[4] = 2; // EI_CLASS: 64-bit
  elf[5] = 1; // EI_DATA: little-endian
  elf[6] = 1; // EI_VERSION: current
  // EI_OSABI 0 (System V) and padding: already zero.
  elf.writeUInt16LE(2, 16); // e_type: ET_EXEC, loaded at its fixed address
  elf.writeUInt16LE(eMachine, 18); // e_machine
  elf.writeUInt32LE(1, 20); // e_version
  elf.writeBigUInt64LE(BASE + BigInt(CODE_OFFSET), 24); // e_entry: first instruction
  elf.writeBigUInt64LE(BigInt(EHDR_SIZE), 32); // e_phoff: program headers right after
  elf.writeBigUInt64LE(0n, 40); // e_shoff: no section headers (the kernel needs none)
  elf.writeUInt32LE(0, 48); // e_flags
  elf.writeUInt16LE(EHDR_SIZE, 52); // e_ehsize
  elf.writeUInt16LE(PHDR_SIZE, 54); // e_phentsize
  elf.writeUInt16LE(PHNUM, 56); // e_phnum
  // e_shentsize, e_shnum, e_shstrndx: 0.

  // Program header 1, PT_LOAD: map the whole file (headers included) read + execute at BASE.
  let ph = EHDR_SIZE;
  elf.writeUInt32LE(1, ph); // p_type: PT_LOAD
  elf.writeUInt32LE(0x5, ph + 4); // p_flags: PF_R | PF_X
  elf.writeBigUInt64LE(0n, ph + 8); // p_offset
  elf.writeBigUInt64LE(BASE, ph + 16); // p_vaddr
  elf.writeBigUInt64LE(BASE, ph + 24); // p_paddr
  elf.writeBigUInt64LE(BigInt(size), ph + 32); // p_filesz
  elf.writeBigUInt64LE(BigInt(size), ph + 40); // p_memsz
  elf.writeBigUInt64LE(0x10000n, ph + 48); // p_align: 64 KiB, fine for 4/16/64 KiB pages

  // Program header 2, PT_GNU_STACK: a non-executable stack (without it the kernel makes it executable).
  ph += PHDR_SIZE;
  elf.writeUInt32LE(0x6474e551, ph); // p_type: PT_GNU_STACK
  elf.writeUInt32LE(0x6, ph + 4); // p_flags: PF_R | PF_W
  // Offsets, addresses and sizes: 0.

  Buffer.from(code).copy(elf, CODE_OFFSET);
  return elf;
}
