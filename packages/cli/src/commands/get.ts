// `minik get`: server-side Tables for people, plain objects for -o json|yaml|name|jsonpath|
// custom-columns, and -w to follow changes — the requests and output of `kubectl get`.
import { ApiError, type KubeList, type KubeObject, type Status, type Table } from '@minik/api';
import type { Action } from '../main.js';
import type { Kube } from '../context.js';
import { readManifests } from '../manifest.js';
import { CliError, formatError, usageError } from '../errors.js';
import type { ApiResource } from '../discovery.js';
import { asArray, namespaceFor, parseTargets } from './common.js';
import { resourceFor } from './apply.js';
import { parseOutputFormat, printObjects, renderTables, TableWatchPrinter, type TableSection } from '../printers/index.js';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

interface Request {
  r: ApiResource;
  ns?: string;
  names: string[];
}

async function requestsFrom(kube: Kube, args: string[], opts: Record<string, unknown>): Promise<Request[]> {
  const files = asArray(opts.filename);
  if (files.length) {
    const out: Request[] = [];
    for (const m of readManifests(files, !!opts.recursive)) {
      const r = await resourceFor(kube, m);
      out.push({ r, ns: namespaceFor(kube, r, m.obj), names: [m.obj.metadata?.name ?? ''] });
    }
    return out;
  }
  if (!args.length) {
    throw usageError('You must specify the type of resource to get. Use "minik api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.');
  }
  return (await parseTargets(kube, args)).map((t) => ({
    r: t.resource,
    ns: t.resource.namespaced && !opts.allNamespaces ? kube.namespace : undefined,
    names: t.names,
  }));
}

function noResources(kube: Kube, reqs: Request[], opts: Record<string, unknown>): string {
  const namespaced = reqs.some((q) => q.r.namespaced);
  return namespaced && !opts.allNamespaces ? `No resources found in ${kube.namespace} namespace.` : 'No resources found';
}

export const get: Action = async (kube, args, opts) => {
  if (opts.raw) {
    const text = await kube.client.request<string>('GET', String(opts.raw), { text: true, accept: 'application/json, */*' });
    process.stdout.write(text.endsWith('\n') || !text ? text : text + '\n');
    return 0;
  }
  const spec = parseOutputFormat(opts.output as string | undefined, { noHeaders: opts.headers === false });
  const tableMode = spec.type === 'table';
  const wide = spec.type === 'table' && spec.wide;
  const reqs = await requestsFrom(kube, args, opts);
  const selectors = { labelSelector: opts.selector as string | undefined, fieldSelector: opts.fieldSelector as string | undefined };
  const errors: unknown[] = [];
  const sortBy = opts.sortBy as string | undefined;
  const includeObject = sortBy ? 'Object' : undefined;
  const watching = !!(opts.watch || opts.watchOnly);
  if (watching && reqs.length !== 1) throw usageError('you may only specify a single resource type');

  const sections: TableSection[] = [];
  const objects: KubeObject[] = [];
  let lists: KubeList[] = [];
  let listRV = '';
  if (!opts.watchOnly) {
    for (const q of reqs) {
      const path = kube.client.resource(q.r).path(q.ns);
      const section = (table: Table): TableSection => ({ table, kind: { kind: q.r.kind, group: q.r.group }, clusterScoped: !q.r.namespaced, resource: `${q.r.resource}.${q.r.group}` });
      if (q.names.length) {
        for (const name of q.names) {
          try {
            const itemPath = kube.client.resource(q.r).path(q.ns, name);
            if (tableMode) sections.push(section(await kube.client.request<Table>('GET', itemPath, { accept: TABLE_ACCEPT, query: { includeObject } })));
            else objects.push(await kube.client.request<KubeObject>('GET', itemPath));
          } catch (e) {
            if (e instanceof ApiError && e.code === 404 && opts.ignoreNotFound) continue;
            errors.push(e);
          }
        }
      } else {
        const query = { ...selectors, limit: opts.chunkSize !== undefined && opts.chunkSize !== '0' ? Number(opts.chunkSize) : undefined, includeObject };
        // Lists come in chunks of --chunk-size, following `continue` as kubectl does.
        let cont: string | undefined;
        do {
          if (tableMode) {
            const t = await kube.client.request<Table>('GET', path, { accept: TABLE_ACCEPT, query: { ...query, continue: cont } });
            sections.push(section(t));
            listRV = t.metadata?.resourceVersion ?? listRV;
            cont = t.metadata?.continue;
          } else {
            const l = await kube.client.request<KubeList>('GET', path, { query: { ...query, continue: cont } });
            lists.push(l);
            listRV = l.metadata?.resourceVersion ?? listRV;
            cont = l.metadata?.continue;
          }
        } while (cont);
      }
    }
  }

  let out = '';
  if (tableMode) {
    out = renderTables(sections, {
      wide,
      showLabels: !!opts.showLabels,
      labelColumns: asArray(opts.labelColumns).flatMap((l) => l.split(',')),
      noHeaders: opts.headers === false,
      withNamespace: !!opts.allNamespaces,
      sortBy,
    });
  } else if (!opts.watchOnly) {
    // `get TYPE` prints a List even for one item; `get TYPE NAME` prints the object itself.
    const named = reqs.every((q) => q.names.length);
    if (named) {
      if (objects.length) out = printObjects(objects.length === 1 && reqs.length === 1 && reqs[0].names.length === 1 ? objects[0] : objects, spec);
    } else {
      if (lists.length > 1 || objects.length) {
        const items = [...objects, ...lists.flatMap((l) => fill(l))];
        lists = [];
        out = items.length ? printObjects(items, spec) : '';
      } else if (lists.length === 1 && (lists[0].items.length || spec.type !== 'name')) {
        out = printObjects(lists[0], spec);
      }
    }
  }
  process.stdout.write(out);
  const nothing = tableMode ? sections.every((s) => !s.table.rows?.length) : !objects.length && lists.every((l) => !l.items.length);
  if (nothing && !errors.length && !opts.watchOnly && !reqs.every((q) => q.names.length)) {
    if (!watching || !tableMode) process.stderr.write(noResources(kube, reqs, opts) + '\n');
  }
  for (const e of errors) process.stderr.write(formatError(e) + '\n');
  if (errors.length) return 1;
  if (watching) await watch(kube, reqs[0], listRV, spec, opts, sections);
  return 0;
};

function fill(l: KubeList): KubeObject[] {
  const kind = l.kind.endsWith('List') ? l.kind.slice(0, -4) : l.kind;
  return l.items.map((i) => ({ apiVersion: l.apiVersion, kind, ...i }));
}

/** -w / --watch-only: stream changes until interrupted, resuming after server timeouts. */
async function watch(kube: Kube, q: Request, fromRV: string, spec: ReturnType<typeof parseOutputFormat>, opts: Record<string, unknown>, listed: TableSection[]): Promise<void> {
  const tableMode = spec.type === 'table';
  const printer = new TableWatchPrinter({
    wide: spec.type === 'table' && spec.wide,
    showLabels: !!opts.showLabels,
    labelColumns: asArray(opts.labelColumns).flatMap((l) => l.split(',')),
    noHeaders: opts.headers === false,
    withNamespace: !!opts.allNamespaces,
    outputWatchEvents: !!opts.outputWatchEvents,
    kind: { kind: q.r.kind, group: q.r.group },
  });
  // The list already went out through renderTables; the watch printer must learn its widths.
  if (tableMode && listed.length) printer.printList(listed[0].table);
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  const fieldSelector = [opts.fieldSelector as string | undefined, q.names.length === 1 ? `metadata.name=${q.names[0]}` : undefined].filter(Boolean).join(',');
  let rv = fromRV;
  const path = kube.client.resource(q.r).path(q.ns);
  while (!ac.signal.aborted) {
    try {
      const events = kube.client.watch<KubeObject | Table | Status>(path, { resourceVersion: rv || undefined, labelSelector: opts.selector as string | undefined, fieldSelector: fieldSelector || undefined }, ac.signal, tableMode ? TABLE_ACCEPT : 'application/json');
      for await (const ev of events) {
        if (ev.type === 'ERROR') {
          const st = ev.object as Status;
          if (st.code === 410) {
            rv = '';
            break;
          }
          throw new ApiError(st);
        }
        if (ev.type === 'BOOKMARK') continue;
        rv = (ev.object as KubeObject).metadata?.resourceVersion ?? rv;
        if (tableMode) process.stdout.write(printer.printEvent(ev.type, ev.object as Table));
        else process.stdout.write(printObjects(ev.object as KubeObject, spec));
      }
    } catch (e) {
      if (ac.signal.aborted) return;
      throw e instanceof CliError ? e : e;
    }
  }
}
