// Each describer against what the real kubectl printed for the same object (see testdata/README.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countPods, describeDeployment, describeReplicaSet, ownedReplicaSets, splitReplicaSets } from './apps.js';
import { describeConfigMap, describeNamespace, describeSecret, describeServiceAccount } from './config.js';
import { describeGeneric } from './generic.js';
import { describeNode } from './node.js';
import { describePod } from './pod.js';
import { describeEndpoints, describeService } from './service.js';

process.env.TZ = 'UTC';

const dir = new URL('./testdata/', import.meta.url);
const json = (name: string): any => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'));
const text = (name: string): string => readFileSync(new URL(`${name}.txt`, dir), 'utf8');
const NOW = Date.parse('2026-11-23T18:40:00Z');

describe('describers match kubectl 1.32 output', () => {
  it('Pod (running: init containers, probes, env, mounts, volumes, tolerations)', () => {
    expect(describePod(json('pod-running'), undefined, NOW)).toBe(text('pod-running'));
  });

  it('Pod (pending, no status)', () => {
    expect(describePod(json('pod-pending'), undefined, NOW)).toBe(text('pod-pending'));
  });

  it('Deployment with its new and old ReplicaSets', () => {
    const d = json('deployment');
    const { newRS, oldRSs } = splitReplicaSets(d, ownedReplicaSets(d, json('deployment.replicasets')));
    expect(describeDeployment(d, oldRSs, newRS ? [newRS] : [], undefined, NOW)).toBe(text('deployment'));
  });

  it('ReplicaSet with its pods counted by phase', () => {
    const rs = json('replicaset');
    const counts = countPods(json('replicaset.pods'), rs.metadata.uid);
    expect(describeReplicaSet(rs, undefined, counts, NOW)).toBe(text('replicaset'));
  });

  it('Service (NodePort, named ports; no EndpointSlices)', () => {
    expect(describeService(json('service-nodeport'), { slices: [] }, undefined, NOW)).toBe(text('service-nodeport'));
    expect(describeService(json('service-clusterip'), { slices: [] }, undefined, NOW)).toBe(text('service-clusterip'));
  });

  it('Endpoints', () => {
    expect(describeEndpoints(json('endpoints'), undefined, NOW)).toBe(text('endpoints'));
  });

  it('Node with lease, conditions, capacity and non-terminated pods', () => {
    const pods = json('node.pods');
    const now = Date.parse(pods[0].metadata.creationTimestamp) + 253_500;
    expect(describeNode(json('node'), { lease: { lease: json('node.lease') }, pods }, undefined, now)).toBe(text('node'));
  });

  it('Namespace on a server without ResourceQuotas and LimitRanges', () => {
    expect(describeNamespace(json('namespace'), undefined, undefined)).toBe(text('namespace'));
  });

  it('ConfigMap', () => {
    expect(describeConfigMap(json('configmap'), undefined, NOW)).toBe(text('configmap'));
  });

  it('Secret (sizes only, last-applied annotation hidden)', () => {
    expect(describeSecret(json('secret'))).toBe(text('secret'));
  });

  it('ServiceAccount with missing secrets', () => {
    const sa = json('serviceaccount');
    const secrets: { metadata: { name: string } }[] = json('serviceaccount.secrets');
    const existing = new Set(secrets.map((s) => s.metadata.name));
    const missing = new Set(['regcred', 'missing'].filter((n) => !existing.has(n)));
    expect(describeServiceAccount(sa, [], missing, undefined, NOW)).toBe(text('serviceaccount'));
  });

  it('Lease and Event through the generic describer', () => {
    expect(describeGeneric(json('lease'), undefined, NOW)).toBe(text('lease'));
    expect(describeGeneric(json('event'), undefined, NOW)).toBe(text('event'));
  });
});
