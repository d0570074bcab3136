// Kubernetes' remotecommand protocol over WebSocket (exec, attach): every binary message starts
// with a channel byte. The final outcome is a metav1.Status JSON on the error channel, written
// as kubelet writes it (k8s.io/kubelet .../remotecommand/{exec,attach}.go) and decoded as
// client-go's errorDecoderV4 does.

/** v5 adds the CLOSE signal (half-close of one channel, e.g. stdin EOF). */
export const PROTOCOL_V5 = 'v5.channel.k8s.io';
/** v4: same channels, no way to signal stdin EOF. */
export const PROTOCOL_V4 = 'v4.channel.k8s.io';

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** remotecommand.TerminalSize as the resize channel carries it: `{"Width":80,"Height":24}`. */
export interface TerminalSize {
  width: number;
  height: number;
}

/** A message on one channel: the channel byte, then the data. */
export function channelMessage(channel: number, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(data.length + 1);
  out[0] = channel;
  out.set(data, 1);
  return out;
}

/** v5's CLOSE signal for one channel. */
export function closeMessage(channel: number): Buffer {
  return Buffer.from([Channel.close, channel]);
}

export function encodeResize(size: TerminalSize): Buffer {
  // json.Encoder's output: the object and a newline.
  return Buffer.from(`${JSON.stringify({ Width: size.width, Height: size.height })}\n`);
}

/** Sizes in a resize-channel message (one JSON object per line; bad ones skipped). */
export function decodeResize(data: Buffer): TerminalSize[] {
  const out: TerminalSize[] = [];
  for (const line of data.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as { Width?: unknown; Height?: unknown };
      const width = Number(v.Width);
      const height = Number(v.Height);
      if (Number.isInteger(width) && Number.isInteger(height) && width >= 0 && height >= 0) out.push({ width, height });
    } catch {
      /* not JSON: ignored, as kubelet's decoder stops on it */
    }
  }
  return out;
}

// Field order follows Go's json.Marshal of metav1.Status, so the bytes match kubelet's.

export function successStatusJson(): string {
  return '{"metadata":{},"status":"Success"}';
}

/**
 * The status of a command that exited non-zero. The message is kubelet's wrapping of the
 * runtime's CodeExitError (`error executing command [sh -c exit 3], exit code 3`).
 */
export function exitCodeStatusJson(code: number, command: string[]): string {
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

/** apierrors.NewInternalError: what kubelet reports when the runtime failed. */
export function internalErrorStatusJson(message: string): string {
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  });
}

/** A remote command's non-zero exit code (client-go's exec.CodeExitError). */
export class ExitCodeError extends Error {
  constructor(readonly exitCode: number) {
    super(`command terminated with exit code ${exitCode}`);
  }
}

/**
 * The outcome from the error channel's bytes: undefined for success (or nothing written),
 * ExitCodeError for NonZeroExitCode, an Error with the status message otherwise.
 */
export function decodeStreamStatus(bytes: Buffer): Error | undefined {
  if (!bytes.length) return undefined;
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return new Error(`error stream protocol error: ${(e as Error).message} in ${JSON.stringify(bytes.toString('utf8'))}`);
  }
  if (status.status === 'Success') return undefined;
  if (status.status !== 'Failure') return new Error('error stream protocol error: unknown error');
  if (status.reason === 'NonZeroExitCode') {
    if (!status.details) return new Error('error stream protocol error: details must be set');
    const cause = status.details.causes?.find((c) => c.reason === 'ExitCode');
    if (!cause) return new Error('error stream protocol error: no ExitCode cause given');
    const rc = Number(cause.message);
    if (!/^\d+$/.test(cause.message ?? '') || rc > 255) return new Error(`error stream protocol error: invalid exit code value ${JSON.stringify(cause.message)}`);
    return new ExitCodeError(rc);
  }
  return new Error(status.message ?? '');
}
