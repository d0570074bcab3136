import type { Status, StatusCause } from './types.js';

/** An API error carrying a metav1.Status, thrown by the server's registry and by the client. */
export class ApiError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** Qualified resource as Kubernetes prints it in messages: `pods`, `deployments.apps`. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

function status(code: number, reason: string, message: string, details?: Status['details']): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });
}

export interface ResourceRef {
  group: string;
  resource: string;
}

export const errors = {
  notFound(r: ResourceRef, name: string): ApiError {
    return status(404, 'NotFound', `${qualifiedResource(r.resource, r.group)} "${name}" not found`, {
      name,
      group: r.group || undefined,
      kind: r.resource,
    });
  },
  alreadyExists(r: ResourceRef, name: string): ApiError {
    return status(409, 'AlreadyExists', `${qualifiedResource(r.resource, r.group)} "${name}" already exists`, {
      name,
      group: r.group || undefined,
      kind: r.resource,
    });
  },
  conflict(r: ResourceRef, name: string, why: string): ApiError {
    return status(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(r.resource, r.group)} "${name}": ${why}`,
      { name, group: r.group || undefined, kind: r.resource },
    );
  },
  /**
   * 422 with field causes. The message is apimachinery's NewInvalid:
   * `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be ...`;
   * kubectl rebuilds `The Deployment "web" is invalid: ...` from details.kind and causes.
   */
  invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : `${c.message}`));
    const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return status(422, 'Invalid', `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${body}`, {
      name,
      group: group || undefined,
      kind,
      causes,
    });
  },
  badRequest(message: string, causes?: StatusCause[]): ApiError {
    return status(400, 'BadRequest', message, causes ? { causes } : undefined);
  },
  forbidden(r: ResourceRef, name: string, why: string): ApiError {
    const what = name ? `${qualifiedResource(r.resource, r.group)} "${name}"` : qualifiedResource(r.resource, r.group);
    return status(403, 'Forbidden', `${what} is forbidden: ${why}`, {
      name: name || undefined,
      group: r.group || undefined,
      kind: r.resource,
    });
  },
  unauthorized(): ApiError {
    return status(401, 'Unauthorized', 'Unauthorized');
  },
  methodNotSupported(r: ResourceRef, action: string): ApiError {
    return status(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(r.resource, r.group)}"`, {
      group: r.group || undefined,
      kind: r.resource,
    });
  },
  gone(message: string): ApiError {
    return status(410, 'Expired', message);
  },
  tooLarge(message: string): ApiError {
    return status(413, 'RequestEntityTooLarge', message);
  },
  unsupportedMediaType(contentType: string): ApiError {
    return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json (got ${contentType})`);
  },
  notAcceptable(message: string): ApiError {
    return status(406, 'NotAcceptable', message);
  },
  internal(message: string): ApiError {
    return status(500, 'InternalError', `Internal error occurred: ${message}`);
  },
  serviceUnavailable(message: string): ApiError {
    return status(503, 'ServiceUnavailable', message);
  },
  timeout(message: string): ApiError {
    return status(504, 'Timeout', message);
  },
  pathNotFound(): ApiError {
    return status(404, 'NotFound', 'the server could not find the requested resource');
  },
};

/** Builds the `Status` body of a successful delete (what kubectl gets back for most kinds). */
export function successStatus(details: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

export function isStatus(v: unknown): v is Status {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'Status';
}
