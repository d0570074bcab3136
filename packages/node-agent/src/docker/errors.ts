/** An error answered by the Docker Engine: the HTTP status and Docker's own message. */
export class DockerError extends Error {
  override name = 'DockerError';
  constructor(
    readonly status: number,
    message: string,
    /** `METHOD /path` of the request, for logs; not part of the message users see. */
    readonly request?: string,
  ) {
    super(message);
  }
}

/** 404 "No such image" from container create: the image is not local (pull it first). */
export class NoSuchImageError extends DockerError {
  override name = 'NoSuchImageError';
}

/** A pull that failed, with Docker's message (registry unreachable, unknown manifest, ...). */
export class ImagePullError extends DockerError {
  override name = 'ImagePullError';
  constructor(
    readonly ref: string,
    message: string,
    status = 500,
  ) {
    super(status, message, `pull ${ref}`);
  }
}

/** Nothing answers on the Docker socket; the message says how to start Docker. */
export class DockerUnavailableError extends Error {
  override name = 'DockerUnavailableError';
  constructor(
    readonly host: string,
    cause?: unknown,
  ) {
    const code = (cause as { code?: string } | undefined)?.code;
    super(
      code === 'EACCES'
        ? `Got permission denied while trying to connect to the Docker daemon socket at ${host}. ` +
            'Add your user to the "docker" group (then log in again), or run with sudo.'
        : `Cannot connect to the Docker daemon at ${host}. Is the docker daemon running? ` +
            'Start Docker (Docker Desktop, or `sudo systemctl start docker`) and try again.',
      { cause },
    );
  }
}

/** Connection-level failures that mean "no daemon here" rather than a bad request. */
const UNAVAILABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'UND_ERR_CONNECT_TIMEOUT']);

export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code !== undefined && UNAVAILABLE.has(code);
}

/** Builds a DockerError from an error response body (`{"message": "..."}` or plain text). */
export function errorFromResponse(status: number, body: string, request?: string): DockerError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // Not JSON (proxies, old daemons): keep the text.
  }
  if (!message) message = `Docker answered HTTP ${status}`;
  if (status === 404 && /^No such image/i.test(message)) return new NoSuchImageError(status, message, request);
  return new DockerError(status, message, request);
}
