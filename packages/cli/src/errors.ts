// kubectl's error reporting (cmdutil.CheckErr): the exact lines users and scripts expect.
import { ApiError, ConnectionError, KubeconfigError } from '@minik/api';

/** An error already phrased for the user; printed as is. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** `error: ...` usage-style failures. */
export function usageError(msg: string): CliError {
  return new CliError(`error: ${msg}`);
}

/**
 * Prefixes a server error with what was being done to which file, as kubectl's resource
 * builder does: `error when creating "pod.yaml": pods "x" already exists`.
 */
export class ContextualError extends Error {
  constructor(
    readonly context: string,
    readonly inner: unknown,
  ) {
    super(`${context}: ${(inner as Error).message}`);
  }
}

export function formatError(e: unknown): string {
  let prefix = '';
  let err = e;
  if (err instanceof ContextualError) {
    prefix = `${err.context}: `;
    err = err.inner;
  }
  if (err instanceof CliError) return err.message;
  if (err instanceof ConnectionError || err instanceof KubeconfigError) return err.message;
  if (err instanceof ApiError) {
    const s = err.status;
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? 'Unauthorized'})`;
    if (s.reason === 'Invalid' && s.details && (s.details.kind || s.details.name)) {
      const head = `The ${s.details.kind ?? ''} "${s.details.name ?? ''}" is invalid`;
      const causes = (s.details.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message}` : `${c.message}`));
      if (causes.length === 1) return `${head}: ${causes[0]}`;
      if (causes.length > 1) return `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
      return `${head}: ${s.message}`;
    }
    if (s.reason) return `Error from server (${s.reason}): ${prefix}${s.message}`;
    return `Error from server: ${prefix}${s.message}`;
  }
  const msg = (err as Error)?.message ?? String(err);
  return msg.startsWith('error:') ? msg : `error: ${prefix}${msg}`;
}
