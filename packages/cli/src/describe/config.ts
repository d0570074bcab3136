// Namespaces, ConfigMaps, Secrets and ServiceAccounts (describe.go's describers of the same names).
import { ApiError, quantityString } from '@minik/api';
import { CORE, listAll, type DescribeContext } from './context.js';
import { describeEvents, eventsFor, refFor, searchEvents } from './events.js';
import { goStringLess, printAnnotationsMultiline, printLabelsMultiline, rfc1123z, sortedKeys, type Obj } from './format.js';
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './writer.js';

const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** DescribeResourceQuotas: every quota's used/hard table. */
function describeResourceQuotas(quotas: Obj[], w: PrefixWriter): void {
  if (!quotas.length) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of [...quotas].sort((a, b) => goStringLess(a?.metadata?.name ?? '', b?.metadata?.name ?? ''))) {
    w.write(LEVEL_1, `Name:\t${q?.metadata?.name ?? ''}\n`);
    const scopes = [...(q?.spec?.scopes ?? [])].sort(goStringLess);
    if (scopes.length) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_1, `* ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = q?.status?.hard ?? {};
    const used = q?.status?.used ?? {};
    for (const r of sortedKeys(hard)) w.write(LEVEL_1, `${r}\t${used[r] === undefined ? '0' : quantityString(used[r])}\t${quantityString(hard[r])}\n`);
  }
}

/** DescribeLimitRanges (kubectl iterates a map here; minik sorts the resource names). */
function describeLimitRanges(ranges: Obj[], w: PrefixWriter): void {
  if (!ranges.length) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of ranges) {
    for (const item of lr?.spec?.limits ?? []) {
      const fields = [item?.min, item?.max, item?.defaultRequest, item?.default, item?.maxLimitRequestRatio];
      const names = [...new Set(fields.flatMap((f) => Object.keys(f ?? {})))].sort(goStringLess);
      for (const k of names) {
        const cells = fields.map((f) => (f && k in f ? quantityString(f[k]) : '-'));
        w.write(LEVEL_0, ` ${item?.type ?? ''}\t${k}\t${cells.join('\t')}\n`);
      }
    }
  }
}

export function describeNamespace(ns: Obj, quotas: Obj[] | undefined, limitRanges: Obj[] | undefined): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ns?.metadata?.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ns?.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ns?.metadata?.annotations);
    w.write(LEVEL_0, `Status:\t${ns?.status?.phase ?? ''}\n`);
    const conditions: Obj[] = ns?.status?.conditions ?? [];
    if (conditions.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of conditions) w.write(LEVEL_1, `${c?.type ?? ''}\t${c?.status ?? ''}\t${rfc1123z(c?.lastTransitionTime)}\t${c?.reason ?? ''}\t${c?.message ?? ''}\n`);
    }
    if (quotas) {
      w.write(LEVEL_0, '\n');
      describeResourceQuotas(quotas, w);
    }
    if (limitRanges) {
      w.write(LEVEL_0, '\n');
      describeLimitRanges(limitRanges, w);
    }
  });
}

/** A list the server may not serve at all (404): kubectl then leaves its section out. */
async function optionalList(ctx: DescribeContext, resource: string, namespace: string): Promise<Obj[] | undefined> {
  try {
    return await listAll(ctx, CORE(resource), namespace);
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) return undefined;
    throw e;
  }
}

export async function fetchNamespace(ctx: DescribeContext, _namespace: string, name: string): Promise<string> {
  const ns: Obj = await ctx.client.resource(CORE('namespaces')).get(undefined, name);
  const quotas = await optionalList(ctx, 'resourcequotas', name);
  const limitRanges = await optionalList(ctx, 'limitranges', name);
  return describeNamespace(ns, quotas, limitRanges);
}

export function describeConfigMap(cm: Obj, events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${cm?.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${cm?.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', cm?.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', cm?.metadata?.annotations);
    // kubectl ranges over Go maps here (random order); minik sorts the keys.
    w.write(LEVEL_0, '\nData\n====\n');
    for (const k of sortedKeys(cm?.data)) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${cm.data[k]}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    for (const k of sortedKeys(cm?.binaryData)) w.write(LEVEL_0, `${k}: ${Buffer.from(String(cm.binaryData[k]), 'base64').length} bytes\n`);
    w.write(LEVEL_0, '\n');
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchConfigMap(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const cm: Obj = await ctx.client.resource(CORE('configmaps')).get(namespace, name);
  // Unlike the other describers, kubectl's ConfigMap describer fails when events cannot be listed.
  const events = ctx.settings.showEvents ? await searchEvents(ctx, refFor(cm, 'ConfigMap')) : undefined;
  return describeConfigMap(cm, events, ctx.now);
}

export function describeSecret(secret: Obj): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${secret?.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${secret?.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', secret?.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', secret?.metadata?.annotations);
    w.write(LEVEL_0, `\nType:\t${secret?.type ?? ''}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const k of sortedKeys(secret?.data)) {
      const bytes = Buffer.from(String(secret.data[k]), 'base64');
      // A service account token is shown; every other value only by its size.
      if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${bytes.toString('utf8')}\n`);
      else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`);
    }
  });
}

export async function fetchSecret(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  return describeSecret(await ctx.client.resource(CORE('secrets')).get(namespace, name));
}

export function describeServiceAccount(sa: Obj, tokens: string[], missing: Set<string>, events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${sa?.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${sa?.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', sa?.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', sa?.metadata?.annotations);
    const names = (list: Obj[] | undefined) => (list ?? []).map((s) => s?.name ?? '');
    // Sorted by header text, as kubectl iterates them.
    const sections: [string, string[]][] = [
      ['Image pull secrets:', names(sa?.imagePullSecrets)],
      ['Mountable secrets: ', names(sa?.secrets)],
      ['Tokens:            ', tokens],
    ];
    for (const [header, list] of sections) {
      if (!list.length) {
        w.write(LEVEL_0, `${header}\t<none>\n`);
        continue;
      }
      let prefix = header;
      for (const name of list) {
        w.write(LEVEL_0, `${prefix}\t${name}${missing.has(name) ? ' (not found)' : ''}\n`);
        prefix = '                   ';
      }
    }
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchServiceAccount(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const sa: Obj = await ctx.client.resource(CORE('serviceaccounts')).get(namespace, name);
  const tokens: string[] = [];
  const missing = new Set<string>();
  try {
    const secrets = await listAll(ctx, CORE('secrets'), namespace);
    const existing = new Set(secrets.map((s) => s.metadata?.name ?? ''));
    for (const s of secrets as Obj[]) {
      const a = s?.metadata?.annotations ?? {};
      if (s?.type === 'kubernetes.io/service-account-token' && a['kubernetes.io/service-account.name'] === sa?.metadata?.name && a['kubernetes.io/service-account.uid'] === sa?.metadata?.uid) {
        tokens.push(s.metadata.name);
      }
    }
    for (const s of [...(sa?.secrets ?? []), ...(sa?.imagePullSecrets ?? [])]) if (!existing.has(s?.name)) missing.add(s?.name);
  } catch {
    // kubectl describes the account with the secrets it references even if they cannot be listed
  }
  const events = await eventsFor(ctx, refFor(sa, 'ServiceAccount'));
  return describeServiceAccount(sa, tokens, missing, events, ctx.now);
}
