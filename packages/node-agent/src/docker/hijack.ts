import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { errorFromResponse } from './errors.js';

/**
 * Docker's "hijacked" connections (exec start, attach): the client sends `Connection: Upgrade`
 * / `Upgrade: tcp`, Docker answers `101 UPGRADED` and the HTTP socket becomes a raw duplex
 * stream (stdin one way, stdout/stderr the other; multiplexed frames unless there is a TTY).
 *
 * undici's own `upgrade()` works for the 101 but reports any other answer as a bare
 * "bad upgrade" socket error, losing Docker's message (404 no such exec, 409 not running);
 * this handler keeps the status and body of a refused upgrade and turns them into a DockerError.
 *
 * The returned socket no longer belongs to the pool: the caller ends it. end() half-closes,
 * and Docker then closes the process's stdin, as `docker exec -i` does on EOF.
 */
export function hijack(
  dispatcher: Dispatcher,
  request: { path: string; body?: unknown; signal?: AbortSignal },
): Promise<Duplex> {
  const { signal } = request;
  return new Promise<Duplex>((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    let onAbort: (() => void) | undefined;
    const settle = (fn: () => void) => {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        if (!signal) return;
        onAbort = () => controller.abort(signal.reason as Error);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      },
      onRequestUpgrade(_controller, _statusCode, _headers, socket) {
        settle(() => resolve(socket));
      },
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        // Docker answered with a plain response instead of upgrading: an error.
        const body = Buffer.concat(chunks).toString('utf8');
        settle(() => reject(errorFromResponse(status, body, `POST ${request.path}`)));
      },
      onResponseError(_controller, err) {
        settle(() => reject(err));
      },
    };
    dispatcher.dispatch(
      {
        path: request.path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request.body ?? {}),
        upgrade: 'tcp',
      },
      handler,
    );
  });
}
