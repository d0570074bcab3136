/**
 * A minimal ustar (POSIX.1-1988) writer: regular files only, names up to 100 bytes, enough
 * for `docker import` of a one-file root filesystem. Each file is a 512-byte header then its
 * data padded to 512 bytes; the archive ends with two zero blocks.
 */

export interface TarFile {
  /** Path inside the archive, without a leading slash: 'pause'. */
  name: string;
  data: Buffer;
  /** Permission bits, default 0o644. */
  mode?: number;
  /** Seconds since the epoch; default 0 so the same files give the same bytes (and image id). */
  mtime?: number;
}

const BLOCK = 512;

export function tar(files: TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(header(file), file.data);
    const pad = (BLOCK - (file.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function header(file: TarFile): Buffer {
  const name = Buffer.from(file.name, 'utf8');
  if (name.length === 0 || name.length > 100) throw new Error(`tar: name must be 1..100 bytes: ${file.name}`);
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0); //                                   name[100]
  octal(h, 100, 8, file.mode ?? 0o644); //              mode[8]
  octal(h, 108, 8, 0); //                               uid[8]: root
  octal(h, 116, 8, 0); //                               gid[8]: root
  octal(h, 124, 12, file.data.length); //               size[12] (up to 8 GiB)
  octal(h, 136, 12, file.mtime ?? 0); //                mtime[12]
  h.fill(0x20, 148, 156); //                            chksum[8]: spaces while summing
  h.write('0', 156, 'latin1'); //                       typeflag: regular file
  h.write('ustar\x0000', 257, 'latin1'); //             magic "ustar\0" + version "00"
  h.write('root', 265, 'latin1'); //                    uname[32]
  h.write('root', 297, 'latin1'); //                    gname[32]
  let sum = 0;
  for (const byte of h) sum += byte;
  // Checksum: six octal digits, NUL, space (the historical layout every reader accepts).
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** Zero-padded octal digits filling width - 1 bytes, then NUL. */
function octal(h: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, '0');
  if (digits.length > width - 1) throw new Error(`tar: ${value} does not fit in ${width} bytes`);
  h.write(`${digits}\0`, offset, 'latin1');
}
