// What varies per kind in the generic registry store, as Kubernetes' RESTCreateStrategy /
// RESTUpdateStrategy / RESTDeleteStrategy do: defaults, validation, status handling.
import type { KubeObject } from '@minik/api';
import type { FieldError } from './validation/field-errors.js';

/** Context handed to strategies: which resource and the request's namespace. */
export interface StrategyContext {
  namespace: string;
}

export interface Strategy<T extends KubeObject = KubeObject> {
  /** Kubernetes' SetDefaults_* for the kind (applied on create and on every update). */
  defaults?(obj: T): void;
  /** Reset what a client may not set on create (for most kinds: status). */
  prepareForCreate?(obj: T): void;
  /** On a main-resource update: carry over what the client may not change (usually status). */
  prepareForUpdate?(obj: T, old: T): void;
  validate?(obj: T, ctx: StrategyContext): FieldError[];
  validateUpdate?(obj: T, old: T, ctx: StrategyContext): FieldError[];
  /** The `/status` subresource: keep everything but status from the stored object. */
  prepareForStatusUpdate?(obj: T, old: T): void;
  validateStatusUpdate?(obj: T, old: T): FieldError[];
  /** Field-selector values this kind supports beyond metadata.name/metadata.namespace. */
  selectableFields?(obj: T): Record<string, string | undefined>;
  /** Names must be a DNS-1123 subdomain (default), a DNS-1123 label, a DNS-1035 label (Services), or a path segment. */
  nameValidation?: 'subdomain' | 'label' | 'dns1035-label' | 'path-segment';
  /** PUT on a missing object creates it (Endpoints, Leases, Events do this in Kubernetes). */
  allowCreateOnUpdate?: boolean;
  /**
   * Graceful deletion: seconds to wait (pods), or undefined to delete at once.
   * `requested` is DeleteOptions.gracePeriodSeconds.
   */
  gracePeriodSeconds?(obj: T, requested: number | undefined): number | undefined;
  /**
   * Called when a delete must wait (finalizers or grace period) to mark the object, e.g. a
   * Namespace turns `status.phase: Terminating`.
   */
  prepareForDelete?(obj: T): void;
  /** Finalizers kept outside metadata.finalizers that also hold a delete (Namespace spec.finalizers). */
  pendingFinalizers?(obj: T): string[];
  /** The `/finalize` subresource (Namespaces): only spec.finalizers may change. */
  finalize?: { prepare(obj: T, old: T): void; validate(obj: T, old: T): FieldError[] };
  /** Whether `metadata.generation` tracks spec changes (default: true when the kind has a spec). */
  tracksGeneration?: boolean;
}
