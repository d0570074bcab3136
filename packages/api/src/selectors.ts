// Label and field selectors, with the grammar of k8s.io/apimachinery/pkg/labels and /fields.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

export type LabelOperator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}

export type Labels = Record<string, string> | undefined | null;

export class SelectorParseError extends Error {}

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function validateLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (!QUALIFIED_NAME.test(key) || name.length > 63 || (slash >= 0 && slash > 253)) {
    return `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;
  }
  return undefined;
}

export function validateLabelValue(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;
  }
  return undefined;
}

/** A parsed label selector. An empty selector matches everything. */
export class LabelSelectorExpr {
  constructor(readonly requirements: LabelRequirement[]) {}

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    const l = labels ?? {};
    return this.requirements.every((r) => matchRequirement(r, l));
  }

  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

/** A selector that matches nothing (a nil LabelSelector in Kubernetes' Go code). */
export const NOTHING = new (class extends LabelSelectorExpr {
  override matches(): boolean {
    return false;
  }
})([]);

function matchRequirement(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v);
    case 'notin':
      return !has || !r.values.includes(v);
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(v);
      const m = Number(r.values[0]);
      if (!Number.isInteger(n)) return false;
      return r.op === 'gt' ? n > m : n < m;
    }
  }
}

function requirementToString(r: LabelRequirement): string {
  switch (r.op) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case '=':
      return `${r.key}=${r.values[0]}`;
    case '!=':
      return `${r.key}!=${r.values[0]}`;
    case 'in':
      return `${r.key} in (${[...r.values].sort().join(',')})`;
    case 'notin':
      return `${r.key} notin (${[...r.values].sort().join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
  }
}

// ---- parser -------------------------------------------------------------------------------

type Tok =
  | { t: 'id'; v: string }
  | { t: 'op'; v: string } // = == != ! , ( ) > <
  | { t: 'end' };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '!' && s[i + 1] === '=') {
      out.push({ t: 'op', v: '!=' });
      i += 2;
    } else if (c === '=' && s[i + 1] === '=') {
      out.push({ t: 'op', v: '==' });
      i += 2;
    } else if ('=!,()<>'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
    } else {
      let j = i;
      while (j < s.length && !' \t=!,()<>'.includes(s[j])) j++;
      out.push({ t: 'id', v: s.slice(i, j) });
      i = j;
    }
  }
  out.push({ t: 'end' });
  return out;
}

/** Parses `app=web,tier!=db,env in (a,b),!canary,version` as kubectl's `-l` takes it. */
export function parseLabelSelector(input: string | undefined | null): LabelSelectorExpr {
  const s = (input ?? '').trim();
  if (!s) return new LabelSelectorExpr([]);
  const toks = tokenize(s);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const fail = (msg: string): never => {
    throw new SelectorParseError(`unable to parse requirement: ${msg}`);
  };
  const reqs: LabelRequirement[] = [];
  for (;;) {
    let tok = next();
    let negate = false;
    if (tok.t === 'op' && tok.v === '!') {
      negate = true;
      tok = next();
    }
    if (tok.t !== 'id') fail(`found '${tok.t === 'op' ? tok.v : ''}', expected: identifier`);
    const key = (tok as { v: string }).v;
    const keyErr = validateLabelKey(key);
    if (keyErr) fail(`<nil>: Invalid value: "${key}": ${keyErr}`);
    const after = peek();
    if (negate) {
      reqs.push({ key, op: '!', values: [] });
    } else if (after.t === 'end' || (after.t === 'op' && after.v === ',')) {
      reqs.push({ key, op: 'exists', values: [] });
    } else if (after.t === 'op' && ['=', '==', '!='].includes(after.v)) {
      next();
      const vt = peek();
      let value = '';
      if (vt.t === 'id') {
        value = vt.v;
        next();
      } else if (!(vt.t === 'end' || (vt.t === 'op' && vt.v === ','))) {
        fail(`found '${(vt as { v: string }).v}', expected: identifier`);
      }
      const verr = validateLabelValue(value);
      if (verr) fail(`values[0][${key}]: Invalid value: "${value}": ${verr}`);
      reqs.push({ key, op: after.v === '!=' ? '!=' : '=', values: [value] });
    } else if (after.t === 'op' && (after.v === '>' || after.v === '<')) {
      next();
      const vt = next();
      if (vt.t !== 'id' || !/^-?\d+$/.test(vt.v)) fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
      reqs.push({ key, op: after.v === '>' ? 'gt' : 'lt', values: [(vt as { v: string }).v] });
    } else if (after.t === 'id' && (after.v === 'in' || after.v === 'notin')) {
      next();
      const open = next();
      if (!(open.t === 'op' && open.v === '(')) fail(`found '${(open as { v?: string }).v ?? ''}', expected: '('`);
      const values: string[] = [];
      for (;;) {
        const vt = next();
        if (vt.t === 'id') {
          const verr = validateLabelValue(vt.v);
          if (verr) fail(`values[${values.length}][${key}]: Invalid value: "${vt.v}": ${verr}`);
          values.push(vt.v);
          const sep = next();
          if (sep.t === 'op' && sep.v === ')') break;
          if (!(sep.t === 'op' && sep.v === ',')) fail(`found '${(sep as { v?: string }).v ?? ''}', expected: ',' or ')'`);
        } else if (vt.t === 'op' && vt.v === ')') {
          break;
        } else if (vt.t === 'op' && vt.v === ',') {
          values.push('');
        } else {
          fail(`found '', expected: ',', ')' or identifier`);
        }
      }
      if (values.length === 0) fail(`for 'in', 'notin' operators, values set can't be empty`);
      reqs.push({ key, op: after.v as 'in' | 'notin', values });
    } else {
      fail(`found '${(after as { v?: string }).v ?? ''}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const sep = next();
    if (sep.t === 'end') break;
    if (!(sep.t === 'op' && sep.v === ',')) fail(`found '${(sep as { v?: string }).v ?? ''}', expected: ','`);
  }
  return new LabelSelectorExpr(reqs);
}

/**
 * Converts a metav1.LabelSelector (matchLabels + matchExpressions) to a selector.
 * As in Kubernetes, a null selector matches nothing and an empty one matches everything.
 */
export function fromLabelSelector(sel: LabelSelector | undefined | null): LabelSelectorExpr {
  if (!sel) return NOTHING;
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [String(v)] });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In') reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (op === 'NotIn') reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (op === 'Exists') reqs.push({ key: e.key, op: 'exists', values: [] });
    else if (op === 'DoesNotExist') reqs.push({ key: e.key, op: '!', values: [] });
    else throw new SelectorParseError(`"${op}" is not a valid label selector operator`);
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new LabelSelectorExpr(reqs);
}

/** `app=web,tier=db` for a matchLabels-only selector, as kubectl prints SELECTOR columns. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return '<none>';
  const s = fromLabelSelector(sel).toString();
  return s || '<none>';
}

export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

// ---- field selectors ------------------------------------------------------------------------

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export class FieldSelectorExpr {
  constructor(readonly requirements: FieldRequirement[]) {}
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  /** `get(field)` returns the object's value for a field name such as `spec.nodeName`. */
  matches(get: (field: string) => string | undefined): boolean {
    return this.requirements.every((r) => {
      const v = get(r.field) ?? '';
      return r.op === '=' ? v === r.value : v !== r.value;
    });
  }
  /** The value a requirement pins a field to, if any (`metadata.name=x` → `x`). */
  exact(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.op === '=')?.value;
  }
}

/** Splits on unescaped `sep`, honouring the `\` escapes fields.ParseSelector accepts. */
function splitEscaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      parts.push(cur);
      cur = '';
    } else cur += s[i];
  }
  parts.push(cur);
  return parts;
}

const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

export function parseFieldSelector(input: string | undefined | null): FieldSelectorExpr {
  const s = (input ?? '').trim();
  if (!s) return new FieldSelectorExpr([]);
  const reqs: FieldRequirement[] = [];
  for (const part of splitEscaped(s, ',')) {
    if (!part) continue;
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(part);
    if (!m) throw new SelectorParseError(`invalid selector: '${s}'; can't understand '${part}'`);
    const field = unescape(m[1].trim());
    if (!field) throw new SelectorParseError(`invalid selector: '${s}'; can't understand '${part}'`);
    reqs.push({ field, op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3].trim()) });
  }
  return new FieldSelectorExpr(reqs);
}

/** Reads a dotted field path (`involvedObject.name`) from an object as a string. */
export function fieldValue(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return undefined;
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}
