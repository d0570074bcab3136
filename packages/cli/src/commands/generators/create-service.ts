// `minik create service clusterip|nodeport|loadbalancer|externalname NAME [--tcp=port:targetPort]`
import type { KubeObject } from '@minik/api';
import { CliError } from '../../errors.js';
import { fieldValidation } from '../apply.js';
import { parseDryRun } from '../common.js';
import type { GenAction } from './cli.js';
import { atoi, isDNS1123Subdomain, parsePort, portNameErrors, portNumErrors, splitCSV } from './parse.js';
import { printerFor } from './print.js';
import { RESOURCES, submit } from './submit.js';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServiceParams {
  name: string;
  type: ServiceType;
  tcp: string[];
  clusterIP?: string;
  nodePort?: number;
  externalName?: string;
  namespace?: string;
}

/** `8080:7001`, `8080:http` or `8080` (target = port), checked as kubectl's parsePorts does. */
export function parseTcp(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(':');
  const port = parsePort(parts[0]);
  if (parts.length === 1) return { port, targetPort: port };
  let target: number;
  try {
    target = atoi(parts[1]);
  } catch {
    const errs = portNameErrors(parts[1]);
    if (errs.length) throw new Error(errs.join(','));
    return { port, targetPort: parts[1] };
  }
  const errs = portNumErrors(target);
  if (errs.length) throw new Error(errs.join(','));
  return { port, targetPort: target };
}

/** kubectl's Validate(), before anything is built. */
export function validateService(p: ServiceParams): void {
  if (p.clusterIP === 'None' && p.type !== 'ClusterIP') throw new Error('ClusterIP=None can only be used with ClusterIP service type');
  if (p.clusterIP !== 'None' && !p.tcp.length && p.type !== 'ExternalName') throw new Error('at least one tcp port specifier must be provided');
  if (p.type === 'ExternalName' && !isDNS1123Subdomain(p.externalName ?? '')) throw new Error(`invalid service external name ${p.externalName ?? ''}`);
}

export function buildService(p: ServiceParams): KubeObject {
  const ports = p.tcp.map((spec) => {
    const { port, targetPort } = parseTcp(spec);
    return { name: spec.replaceAll(':', '-'), protocol: 'TCP', port, targetPort, nodePort: p.nodePort ?? 0 };
  });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: p.name, labels: { app: p.name }, ...(p.namespace ? { namespace: p.namespace } : {}) },
    spec: {
      ports,
      selector: { app: p.name },
      type: p.type,
      externalName: p.externalName ?? '',
      ...(p.clusterIP ? { clusterIP: p.clusterIP } : {}),
    },
  };
}

export function createService(type: ServiceType): GenAction {
  return async (ctx, args, opts) => {
    const nodePort = type === 'NodePort' ? ctx.intFlag(opts, 'nodePort', '--node-port', 0, 64) : undefined;
    if (type === 'ExternalName') ctx.requireFlags(opts, 'external-name');
    const name = ctx.nameFromArgs(args);
    const dryRun = parseDryRun(opts.dryRun);
    const printer = await printerFor(opts, 'created', dryRun);
    const validation = fieldValidation(opts.validate);
    const params: ServiceParams = {
      name,
      type,
      tcp: splitCSV(opts.tcp),
      clusterIP: opts.clusterip as string | undefined,
      nodePort,
      externalName: opts.externalName as string | undefined,
      namespace: ctx.explicitNamespace ? ctx.namespace : undefined,
    };
    let obj: KubeObject;
    try {
      validateService(params);
      obj = buildService(params);
    } catch (e) {
      throw new CliError(`error: ${(e as Error).message}`);
    }
    // kubectl's service generators never set --save-config's annotation (they do not read the flag).
    const out = await submit(ctx, {
      obj,
      gvr: RESOURCES.services,
      namespace: ctx.namespace,
      dryRun,
      fieldManager: String(opts.fieldManager ?? 'kubectl-create'),
      fieldValidation: validation,
      errorPrefix: `failed to create ${type} service: `,
    });
    await printer.write(out);
  };
}
