// --from-literal, --from-file and --from-env-file as kubectl reads them for configmaps and
// secrets (k8s.io/kubectl/pkg/util and cmd/util/env_file.go), with Go's error texts.
import fs from 'node:fs';
import path from 'node:path';
import { envVarNameErrors } from './parse.js';

/** `key=value`; the value may contain `=`. */
export function parseLiteralSource(source: string): [string, string] {
  const i = source.indexOf('=');
  if (i <= 0) throw new Error(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, i), source.slice(i + 1)];
}

/** `path` (key = its base name) or `key=path`. */
export function parseFileSource(source: string): [string, string] {
  const n = source.split('=').length - 1;
  if (n === 0) return [path.posix.basename(source.replaceAll('\\', '/')) || '/', source];
  if (n === 1 && source.startsWith('=')) throw new Error(`key name for file path ${source.slice(1)} missing`);
  if (n === 1 && source.endsWith('=')) throw new Error(`file path for key name ${source.slice(0, -1)} missing`);
  if (n > 1) throw new Error("key names or file paths cannot contain '='");
  const [key, file] = source.split('=');
  return [key, file];
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
};

/** Go's syscall error text for a Node error. */
function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err.code && ERRNO_TEXT[err.code]) || err.message;
}

function statOrFail(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    throw new Error(`error reading ${p}: ${errnoText(e)}`);
  }
}

function readOrFail(p: string): Buffer {
  try {
    return fs.readFileSync(p);
  } catch (e) {
    throw new Error(`open ${p}: ${errnoText(e)}`);
  }
}

/** Calls `add` for each --from-file source: a file, or every regular file in a directory. */
export function readFileSources(sources: string[], add: (key: string, data: Buffer) => void): void {
  for (const source of sources) {
    const [key, file] = parseFileSource(source);
    if (!statOrFail(file).isDirectory()) {
      add(key, readOrFail(file));
      continue;
    }
    if (source.includes('=')) throw new Error('cannot give a key name for a directory path');
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(file, { withFileTypes: true });
    } catch (e) {
      throw new Error(`error listing files in ${file}: open ${file}: ${errnoText(e)}`);
    }
    // os.ReadDir sorts by name; symlinks are not regular files there either.
    entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    for (const d of entries) if (d.isFile()) add(d.name, readOrFail(path.join(file, d.name)));
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function validUTF8(data: Buffer): string | undefined {
  try {
    return utf8.decode(data);
  } catch {
    return undefined;
  }
}

/** cmdutil.AddFromEnvFile: KEY=VALUE lines, `#` comments, a bare KEY takes the value from the environment. */
export function readEnvFiles(files: string[], dirError: string, add: (key: string, value: string) => void): void {
  for (const file of files) {
    if (statOrFail(file).isDirectory()) throw new Error(dirError);
    const data = readOrFail(file);
    const lines = data.toString('latin1').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((raw, n) => {
      let bytes = Buffer.from(raw.endsWith('\r') ? raw.slice(0, -1) : raw, 'latin1');
      const text = validUTF8(bytes);
      if (text === undefined) throw new Error(`env file ${file} contains invalid utf8 bytes at line ${n + 1}: [${[...bytes].join(' ')}]`);
      if (n === 0 && text.startsWith('\uFEFF')) bytes = bytes.subarray(3);
      const line = (validUTF8(bytes) ?? '').replace(/^\s+/u, '');
      if (!line || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      const errs = envVarNameErrors(key);
      if (errs.length) throw new Error(`${JSON.stringify(key)} is not a valid key name: ${errs.join(';')}`);
      add(key, eq < 0 ? (process.env[key] ?? '') : line.slice(eq + 1));
    });
  }
}
