// kubectl's RelaxedJSONPathExpression (get/customcolumn.go): custom-columns and --sort-by
// accept `.a.b`, `a.b`, `{a.b}` or `{.a.b}` and all mean the template `{.a.b}`.

export class RelaxedPathError extends Error {}

export function relaxedJSONPathExpression(path: string): string {
  if (path.length === 0) return path;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(path);
  if (!m) {
    throw new RelaxedPathError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  }
  return `{.${m[1] || m[2]}}`;
}
