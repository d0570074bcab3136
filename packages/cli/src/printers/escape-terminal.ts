// cli-runtime's printers.EscapeTerminal: object text must not drive the terminal.

/** ESC shows as `^[` and a carriage return as `\r`. */
export function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}
