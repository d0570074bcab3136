// `minik edit`: kubectl's edit loop (k8s.io/kubectl/pkg/cmd/util/editor): the objects go to a
// temp file in YAML or JSON under kubectl's header, $KUBE_EDITOR/$EDITOR/vi edits it, and each
// changed object is sent as a strategic merge patch (merge patch for unknown kinds). Invalid
// changes reopen the editor with the server's reasons at the top; a copy of the file is kept
// whenever the edit fails.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, createTwoWayMergePatch, groupVersion, createTwoWayStrategicMergePatch, isStrategicMergeKind, type KubeObject } from '@minik/api';
import type { Action } from '../main.js';
import type { Kube } from '../context.js';
import { kindPrefix, qualifiedResource, type ApiResource } from '../discovery.js';
import { CliError, usageError } from '../errors.js';
import { asArray } from './common.js';
import { parseManifests, readManifests } from '../manifest.js';
import { marshalIndentJSON, marshalJSON, marshalYAML } from '../printers/index.js';
import { goSyntax } from '../printers/go-format.js';

interface Original {
  r: ApiResource;
  obj: KubeObject;
}

interface Reason {
  head: string;
  other: string[];
}

const BIN = 'minik';
const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

/** hashOnLineBreak: continuation lines of a reason stay comments. */
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?=[^#])/g, '\n# ');
}

function header(reasons: Reason[]): string {
  let out = HEADER;
  for (const r of reasons) {
    out += `# ${hashOnLineBreak(r.head)}${r.other.length ? ':' : ''}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

/** cmdutil.ManualStrip: drops comment lines (but not `#!`). */
function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((l) => !(l.trim().startsWith('#') && !l.trim().startsWith('#!')))
    .join('\n');
}

/** cmdutil.StripComments: the documents as JSON when they parse, else the text without comments. */
function stripComments(text: string): string {
  try {
    return JSON.stringify(parseManifests(text, 'edited-file').map((m) => sortDeep(m.obj)));
  } catch {
    return manualStrip(text);
  }
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * kubectl's client-side check of the saved file (validation.ParamVerifyingSchema with the
 * default --validate=strict): it must parse and be objects with apiVersion and kind. Returns
 * the problem, or undefined.
 */
function validateEdited(text: string): string | undefined {
  let docs;
  try {
    docs = parseManifests(manualStrip(text), 'edited-file');
  } catch (e) {
    return (e as Error).message.replace(/^error: error parsing edited-file: error converting YAML to JSON: /, '');
  }
  if (!docs.length) return 'invalid object to validate';
  for (const { obj } of docs) {
    const missing = [...(obj.apiVersion ? [] : ['apiVersion not set']), ...(obj.kind ? [] : ['kind not set'])];
    if (missing.length) return missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
  }
  return undefined;
}

/** hasLines: any line that is neither blank nor a comment. */
function hasLines(text: string): boolean {
  return text.split('\n').some((l) => l.trim().length > 0 && !l.trim().startsWith('#'));
}

/** The editor command as kubectl builds it: bare, split on spaces, or through the shell when quoted. */
export function editorArgs(env: NodeJS.ProcessEnv = process.env): { args: string[]; shell: boolean } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  const shell = env.SHELL || (existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh');
  return { args: [shell, '-c', editor], shell: true };
}

/** Writes `content` to a new temp file, runs the editor on it, and returns what was saved. */
function launchTempFile(ext: string, content: string): { edited: string; file: string } {
  const file = join(tmpdir(), `${BIN}-edit-${randomBytes(4).readUInt32BE(0)}${ext}`);
  writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  const { args, shell } = editorArgs();
  const argv = shell ? [...args.slice(0, -1), `${args[args.length - 1]} ${JSON.stringify(file)}`] : [...args, file];
  const res = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
  const label = args.join(' ');
  // exec.ErrNotFound comes only from the PATH lookup of a bare name; anything else is "a problem".
  const notFound = (res.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' && !argv[0].includes('/');
  if (notFound) throw new CliError(`error: unable to launch the editor "${label}"`);
  if (res.error || res.status !== 0) throw new CliError(`error: there was a problem with the editor "${label}"`);
  return { edited: readFileSync(file, 'utf8'), file };
}

/** preservedFile: tells the user where their changes are before failing. */
function preserved(err: unknown, file: string | undefined): unknown {
  if (file && existsSync(file)) process.stderr.write(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
  return err;
}

/** The objects to edit, fetched fresh from the server (kubectl's builder with Latest()). */
async function loadOriginals(kube: Kube, args: string[], opts: Record<string, unknown>): Promise<Original[]> {
  const refs: { r: ApiResource; namespace?: string; name?: string }[] = [];
  const files = asArray(opts.filename);
  if (files.length) {
    for (const m of readManifests(files, !!opts.recursive)) {
      const r = await kube.discovery.forKind(String(m.obj.apiVersion ?? ''), String(m.obj.kind ?? ''));
      if (!r) throw usageError(`no matches for kind "${m.obj.kind}" in version "${m.obj.apiVersion}"`);
      refs.push({ r, namespace: m.obj.metadata?.namespace, name: m.obj.metadata?.name ?? '' });
    }
  } else if (!args.length) {
    throw usageError('You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
  } else if (args.some((a) => a.includes('/'))) {
    for (const a of args) {
      const i = a.indexOf('/');
      if (i < 0) throw usageError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'minik get resource/<resource_name>' instead of 'minik get resource resource/<resource_name>'");
      refs.push({ r: await kube.discovery.resolve(a.slice(0, i)), name: a.slice(i + 1) });
    }
  } else {
    const [types, ...names] = args;
    for (const t of types.split(',').filter(Boolean)) {
      const r = await kube.discovery.resolve(t);
      if (names.length) for (const name of names) refs.push({ r, name });
      else refs.push({ r });
    }
  }
  const out: Original[] = [];
  for (const ref of refs) {
    const ns = ref.r.namespaced ? ref.namespace || kube.namespace : undefined;
    const rc = kube.client.resource(ref.r);
    if (ref.name !== undefined) out.push({ r: ref.r, obj: await rc.get(ns, ref.name) });
    else for (const obj of (await rc.list(ns)).items) out.push({ r: ref.r, obj: { apiVersion: groupVersion(ref.r), kind: ref.r.kind, ...obj } });
  }
  return out;
}


/** The edit buffer: one object, or a v1 List of them; managedFields are left out as kubectl does. */
function render(originals: Original[], format: 'yaml' | 'json'): string {
  const strip = (o: KubeObject) => {
    const c = structuredClone(o);
    if (c.metadata) delete c.metadata.managedFields;
    return c;
  };
  const doc = originals.length === 1 ? strip(originals[0].obj) : { apiVersion: 'v1', items: originals.map((o) => strip(o.obj)), kind: 'List', metadata: {} };
  return format === 'json' ? `${marshalIndentJSON(doc)}\n` : marshalYAML(doc);
}

interface Results {
  reasons: Reason[];
  invalid: number;
  retryable: number;
  notFound: number;
}

/** editResults.addError: what the user sees, and whether the edit can be retried in the editor. */
function addError(res: Results, err: unknown, r: ApiResource, name: string): string {
  const what = `${qualifiedResource(r)} ${JSON.stringify(name)}`;
  if (err instanceof ApiError && err.reason === 'Invalid') {
    res.invalid++;
    res.reasons.push({ head: `${what} was not valid`, other: (err.status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`) });
    return `error: ${what} is invalid`;
  }
  if (err instanceof ApiError && err.code === 404) {
    res.notFound++;
    return `error: ${what} could not be found on the server`;
  }
  res.retryable++;
  return `error: ${what} could not be patched: ${(err as Error).message}`;
}

/** The patch kubectl sends for one edited object, or undefined when it did not change. */
function computePatch(original: KubeObject, edited: KubeObject): { patch: object; type: 'strategic' | 'merge' } | undefined {
  const clean = (o: KubeObject) => {
    const c = structuredClone(o);
    if (c.metadata) delete c.metadata.managedFields;
    return c;
  };
  const [a, b] = [clean(original), clean(edited)];
  if (JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(b))) return undefined;
  if (a.apiVersion !== b.apiVersion || a.kind !== b.kind || a.metadata?.name !== b.metadata?.name) {
    throw new CliError('error: At least one of apiVersion, kind and name was changed');
  }
  const kind = String(a.kind ?? '');
  return isStrategicMergeKind(kind) ? { patch: createTwoWayStrategicMergePatch(a, b, kind), type: 'strategic' } : { patch: createTwoWayMergePatch(a, b), type: 'merge' };
}

export const edit: Action = async (kube, args, opts) => {
  const format = String(opts.output ?? 'yaml');
  if (format !== 'yaml' && format !== 'json') throw usageError(`unable to match a printer suitable for the output format "${format}", allowed formats are: json,yaml`);
  const crlf = !!opts.windowsLineEndings;
  // --validate=false/ignore skips the client-side check (not registered for edit yet; honoured if it is).
  const skipValidation = ['false', 'ignore'].includes(String(opts.validate));
  const originals = await loadOriginals(kube, args, opts);
  if (!originals.length) throw usageError('edit cancelled, no objects found');

  const ext = format === 'json' ? '.json' : '.yaml';
  const withHeader = format === 'yaml';
  let original = '';
  let edited = '';
  let file: string | undefined;
  let containsError = false;
  let reasons: Reason[] = [];
  for (;;) {
    let buf = (withHeader ? header(reasons) : '') + (containsError ? manualStrip(edited) : render(originals, format));
    if (crlf) buf = buf.replace(/\r?\n/g, '\r\n');
    if (!containsError) original = buf;

    const previous = edited;
    let launched: { edited: string; file: string };
    try {
      launched = launchTempFile(ext, buf);
    } catch (e) {
      throw preserved(e, file);
    }
    edited = launched.edited;
    if (containsError && stripComments(previous) === stripComments(edited)) {
      throw preserved(new CliError('error: Edit cancelled, no valid changes were saved.'), launched.file);
    }
    if (file) rmSync(file, { force: true });
    file = launched.file;

    const invalid = skipValidation ? undefined : validateEdited(edited);
    if (invalid !== undefined) {
      const first = originals[0];
      const what = `${qualifiedResource(first.r)} ${JSON.stringify(first.obj.metadata?.name ?? '')}`;
      process.stderr.write(`error: ${what} is invalid\n`);
      reasons = [{ head: `${what} was not valid`, other: [`<nil>: Invalid value: "The edited file failed validation": ${invalid}`] }];
      containsError = true;
      continue;
    }

    if (stripComments(original) === stripComments(edited)) {
      rmSync(file, { force: true });
      process.stderr.write('Edit cancelled, no changes made.\n');
      return 0;
    }
    if (!hasLines(edited)) {
      rmSync(file, { force: true });
      process.stderr.write('Edit cancelled, saved file was empty.\n');
      return 0;
    }

    let updated: KubeObject[];
    try {
      updated = parseManifests(edited, 'edited-file').map((m) => m.obj);
      for (const u of updated) {
        if (!u.kind) throw new Error(`Object 'Kind' is missing in '${marshalJSON(u)}'`);
      }
    } catch (e) {
      containsError = true;
      reasons = [{ head: `The edited file had a syntax error: ${(e as Error).message.replace(/^error: /, '')}`, other: [] }];
      continue;
    }
    containsError = false;

    const results: Results = { reasons: [], invalid: 0, retryable: 0, notFound: 0 };
    try {
      for (const u of updated) {
        const orig = originals.find((o) => o.obj.metadata?.uid === u.metadata?.uid);
        if (!orig) throw new CliError(`error: no original object found for &unstructured.Unstructured{Object:${goSyntax(u)}}`);
        // resource.RequireNamespace: an edited object may not move to another namespace.
        const ns = orig.r.namespaced ? u.metadata?.namespace || kube.namespace : undefined;
        if (ns && ns !== kube.namespace) {
          throw usageError(`the namespace from the provided object "${ns}" does not match the namespace "${kube.namespace}". You must pass '--namespace=${ns}' to perform this operation.`);
        }
        const name = `${kindPrefix(orig.r)}/${u.metadata?.name ?? ''}`;
        const patch = computePatch(orig.obj, u);
        if (!patch) {
          process.stdout.write(`${name} skipped\n`);
          continue;
        }
        if (opts.outputPatch) process.stdout.write(`Patch: ${marshalJSON(patch.patch)}\n`);
        try {
          const rc = kube.client.resource(orig.r);
          const patched = await rc.patch(ns, u.metadata?.name ?? '', patch.patch, patch.type, { fieldManager: 'kubectl-edit', fieldValidation: 'Strict' });
          // With -o json kubectl prints the edited object; -o yaml cannot be told from the default here.
          process.stdout.write(format === 'json' ? `${marshalIndentJSON(patched)}\n` : `${name} edited\n`);
        } catch (e) {
          process.stderr.write(`${addError(results, e, orig.r, u.metadata?.name ?? '')}\n`);
        }
      }
    } catch (e) {
      throw preserved(e, file);
    }
    if (results.retryable > 0) {
      process.stderr.write(`You can run \`${BIN} replace -f ${file}\` to try this update again.\n`);
      return 1;
    }
    if (results.notFound > 0) {
      process.stderr.write(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`);
      return 1;
    }
    if (results.invalid === 0) {
      rmSync(file, { force: true });
      return 0;
    }
    reasons = results.reasons;
    containsError = true;
  }
};
