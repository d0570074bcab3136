/**
 * Newline-delimited JSON, as Docker streams events and pull/import progress.
 * Objects may be split across chunks (and UTF-8 characters across bytes), or several may
 * share one chunk; blank lines are skipped.
 */
export async function* jsonLines<T = unknown>(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of source) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (!rest.includes('\n')) continue;
    const lines = rest.split('\n');
    rest = lines.pop()!; // the unterminated tail waits for the next chunk
    for (const line of lines) if (line.trim()) yield JSON.parse(line) as T;
  }
  rest += decoder.decode();
  // Docker ends every object with a newline, but a last unterminated one is still an object.
  if (rest.trim()) yield JSON.parse(rest) as T;
}
