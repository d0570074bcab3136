// Object shapes shared by every package. Concrete kinds come from `kubernetes-types`
// (generated from Kubernetes' OpenAPI); these generic ones are what the machinery needs.
import type { ObjectMeta as K8sObjectMeta, ListMeta as K8sListMeta, OwnerReference as K8sOwnerReference } from 'kubernetes-types/meta/v1.js';

/** kubernetes-types marks fields readonly; servers and controllers write them. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type OwnerReference = Mutable<K8sOwnerReference>;
export type ListMeta = Mutable<K8sListMeta>;
export type ObjectMeta = Mutable<Omit<K8sObjectMeta, 'labels' | 'annotations' | 'finalizers' | 'ownerReferences'>> & {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
};

/** Any Kubernetes object as JSON: apiVersion/kind/metadata plus kind-specific fields. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** metav1.Status: the body of every API error. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

/** meta.k8s.io/v1 Table: server-side printing, as kubectl asks for with `as=Table`. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** Identifies a REST resource: what discovery tells and what paths are built from. */
export interface GroupVersionResource {
  group: string; // '' for the core group
  version: string;
  resource: string; // plural, lower case
}

export function groupVersion(gvr: { group: string; version: string }): string {
  return gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
