// The local terminal during exec/attach, as kubectl's StreamOptions.SetupTTY and term.TTY:
// raw mode only when stdin is wanted, a TTY is asked for and stdin is a terminal; the remote
// terminal follows the local size (SIGWINCH, seen as the output stream's 'resize').
import type { TerminalSize } from '@minik/api';

/** What is used of process.stdin (a tty.ReadStream when it is a terminal). */
export interface TtyInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** What is used of process.stdout (a tty.WriteStream when it is a terminal). */
export interface TtyOutput {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface TtyRequest {
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
}

export interface Terminal {
  /** Whether stdin is forwarded. */
  stdin: boolean;
  /** Raw mode: the remote side gets a TTY (and stderr comes merged into stdout). */
  raw: boolean;
  /** Enters raw mode (when raw), as term.TTY.Safe does around the session. */
  enter(): void;
  /** Puts the terminal back as it was (idempotent). */
  restore(): void;
}

/**
 * SetupTTY: decides whether the session gets a raw terminal (messages go to `warn` as kubectl
 * prints them); enter() then switches to raw mode, once the last messages are out.
 */
export function setupTerminal(req: TtyRequest, input: TtyInput, warn: (msg: string) => void): Terminal {
  const none = { stdin: req.stdin, raw: false, enter: () => {}, restore: () => {} };
  if (!req.stdin || !req.tty) return none;
  if (!input.isTTY || !input.setRawMode) {
    if (!req.quiet) warn('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    return none;
  }
  let state: 'cooked' | 'raw' | 'restored' = 'cooked';
  const restore = () => {
    if (state === 'raw') input.setRawMode?.(false);
    state = 'restored';
    process.off('exit', restore);
  };
  const enter = () => {
    if (state !== 'cooked') return;
    input.setRawMode?.(true);
    state = 'raw';
    // A crash or an exit() elsewhere must not leave the user's shell in raw mode.
    process.on('exit', restore);
  };
  return { stdin: true, raw: true, enter, restore };
}

/** term.TTY.GetSize: the output's size, when it is a terminal. */
export function terminalSize(output: TtyOutput): TerminalSize | undefined {
  if (!output.isTTY || !output.columns || !output.rows) return undefined;
  return { width: output.columns, height: output.rows };
}

/**
 * term.TTY.MonitorSize: sends `initial` sizes first (attach sends size+1 then the size, so a
 * re-attached program redraws), then every change. Returns the subscription the remote-command
 * client takes.
 */
export function monitorSize(output: TtyOutput, initial: TerminalSize[]): (send: (size: TerminalSize) => void) => () => void {
  return (send) => {
    let last: TerminalSize | undefined;
    for (const s of initial) {
      send(s);
      last = s;
    }
    const onResize = () => {
      const s = terminalSize(output);
      if (!s || (last && s.width === last.width && s.height === last.height)) return;
      last = s;
      send(s);
    };
    output.on('resize', onResize);
    return () => output.off('resize', onResize);
  };
}
