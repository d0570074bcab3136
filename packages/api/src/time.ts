// metav1.Time on the wire: RFC 3339 in UTC with whole seconds (Kubernetes drops the fraction).

/** `2024-05-01T10:00:00Z` for a time in ms since the epoch (now by default), truncated to the second. */
export function metaTime(ms: number = Date.now()): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
