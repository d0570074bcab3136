// Options of kubectl's human-readable printer (cli-runtime printers.PrintOptions).

/** A kind and its API group: `{ kind: 'Deployment', group: 'apps' }`. */
export interface GroupKind {
  kind: string;
  group?: string;
}

export interface TablePrintOptions {
  /** -o wide: also show columns with priority > 0. */
  wide?: boolean;
  /** --show-labels: a LABELS column from each row's object metadata. */
  showLabels?: boolean;
  /** -L key: one column per label key, headed by the key's last path segment. */
  labelColumns?: string[];
  /** --no-headers (also drops the blank line between kinds). */
  noHeaders?: boolean;
  /** -A: NAMESPACE first, for namespaced resources only. */
  withNamespace?: boolean;
  /**
   * Prefix names with `kind[.group]/`. renderTables decides like kubectl when this is left
   * undefined: on as soon as the sections hold more than one kind (`get all`, `get po,svc`).
   */
  withKind?: boolean;
  /** --sort-by: a relaxed jsonpath evaluated on each row's full object (`includeObject=Object`). */
  sortBy?: string;
}

/** `Deployment.apps` → `deployment.apps`, the prefix kubectl puts before names. */
export function kindPrefix(kind: GroupKind | string): string {
  if (typeof kind === 'string') return kind.toLowerCase();
  return (kind.group ? `${kind.kind}.${kind.group}` : kind.kind).toLowerCase();
}
