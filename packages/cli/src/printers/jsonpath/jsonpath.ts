// client-go's jsonpath evaluator (util/jsonpath/jsonpath.go) over decoded JSON. Results come
// in groups, one per template action; within a group values are joined by spaces, maps and
// arrays print as compact JSON, scalars as Go's fmt prints them. Map iteration (wildcards,
// `..`) is in sorted key order where Go's is random.
import { GoFloat, goSprint, goTypeName, isPlainObject, sortedKeys } from '../go-format.js';
import { marshalIndentJSON, marshalJSON } from '../go-json.js';
import { compare } from './compare.js';
import type { ListNode, Node } from './nodes.js';
import { parseJSONPath } from './parser.js';

export class JSONPathExecError extends Error {
  /** What client-go's walk returns alongside the error; an `exists` filter still uses it. */
  constructor(
    message: string,
    readonly partial: unknown[] = [],
  ) {
    super(message);
  }
}

/** Go's reflect "nil interface" is JSON null; undefined stands for an invalid reflect.Value. */
type Value = unknown;

function children(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(Buffer.from(v, 'utf8')); // Go indexes strings by byte
  if (isPlainObject(v)) return sortedKeys(v).map((k) => v[k]);
  return [];
}

export interface JSONPathOptions {
  allowMissingKeys?: boolean;
  /** jsonpath-as-json: each result group printed as an indented JSON array. */
  outputJSON?: boolean;
}

export class JSONPath {
  readonly root: ListNode;
  private allowMissingKeys: boolean;
  private outputJSON: boolean;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: Node | undefined;

  /** Parses the template; throws JSONPathParseError. */
  constructor(
    readonly template: string,
    opts: JSONPathOptions = {},
  ) {
    this.root = parseJSONPath(template);
    this.allowMissingKeys = opts.allowMissingKeys ?? false;
    this.outputJSON = opts.outputJSON ?? false;
  }

  /** The text the template renders for data; throws JSONPathExecError. */
  execute(data: unknown): string {
    return this.findResults(data)
      .map((group) => this.printResults(group))
      .join('');
  }

  findResults(data: unknown): Value[][] {
    this.beginRange = this.inRange = this.endRange = 0;
    this.lastEndNode = undefined;
    return this.find(this.root.nodes, data);
  }

  /** FindResults' range/end handling: a range re-runs the following nodes once per item. */
  private find(nodes: Node[], data: Value): Value[][] {
    const cur: Value[] = [data];
    const full: Value[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const results = this.walk(cur, nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = nodes[i];
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        const rest = nodes.slice(i + 1);
        if (results.length > 0) for (const v of results) full.push(...this.find(rest, v));
        else this.find(rest, null); // still advances to the matching end
        this.inRange--;
        const end = nodes.indexOf(this.lastEndNode as Node, i + 1);
        if (end >= 0) i = end;
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return input.map(() => node.value);
      case 'float':
        return input.map(() => (Number.isInteger(node.value) ? new GoFloat(node.value) : node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap((v) => (v === null ? [] : children(v)));
      case 'recursive':
        return this.evalRecursive(input);
      case 'union':
        return this.evalUnion(input, node.nodes);
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: Value[], list: ListNode): Value[] {
    let cur = input;
    for (const n of list.nodes) cur = this.walk(cur, n);
    return cur;
  }

  private evalUnion(input: Value[], lists: ListNode[]): Value[] {
    const result: Value[] = [];
    for (const list of lists) {
      try {
        result.push(...this.evalList(input, list));
      } catch (e) {
        throw new JSONPathExecError((e as Error).message, input);
      }
    }
    return result;
  }

  private evalIdentifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++;
        return [];
      }
      throw new JSONPathExecError('not in range, nothing to end');
    }
    throw new JSONPathExecError(`unrecognized identifier ${name}`, input);
  }

  private evalField(input: Value[], name: string): Value[] {
    if (input.length === 0) return [];
    const results: Value[] = [];
    for (const v of input) {
      if (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, name)) results.push(v[name]);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JSONPathExecError(`${name} is not found`);
    return results;
  }

  private evalArray(input: Value[], node: Extract<Node, { type: 'array' }>): Value[] {
    const result: Value[] = [];
    for (const value of input) {
      if (value === null) continue;
      const fail = (msg: string) => new JSONPathExecError(msg, input);
      if (!Array.isArray(value)) throw fail(`${goTypeName(value)} is not array or slice`);
      const [p0, p1, p2] = node.params.map((p) => ({ ...p }));
      const len = value.length;
      if (!p0.known) p0.value = 0;
      if (p0.value < 0) p0.value += len;
      if (!p1.known) p1.value = len;
      if (p1.value < 0 || (p1.value === 0 && p1.derived)) p1.value += len;
      if (p1.value === p0.value) return result; // asking for zero elements is allowed
      if (p0.value >= len || p0.value < 0) throw fail(`array index out of bounds: index ${p0.value}, length ${len}`);
      if (p1.value > len || p1.value < 0) throw fail(`array index out of bounds: index ${p1.value - 1}, length ${len}`);
      if (p0.value > p1.value) throw fail(`starting index ${p0.value} is greater than ending index ${p1.value}`);
      let step = 1;
      if (p2.known) {
        if (p2.value <= 0) throw fail('step must be > 0');
        step = p2.value;
      }
      const slice = value.slice(p0.value, p1.value);
      for (let i = 0; i < slice.length; i += step) result.push(slice[i]);
    }
    return result;
  }

  private evalRecursive(input: Value[]): Value[] {
    const result: Value[] = [];
    for (const value of input) {
      if (value === null) continue;
      const kids = children(value);
      if (kids.length > 0) result.push(value, ...this.evalRecursive(kids));
    }
    return result;
  }

  private evalFilter(input: Value[], node: Extract<Node, { type: 'filter' }>): Value[] {
    const results: Value[] = [];
    for (const value of input) {
      if (!Array.isArray(value)) {
        const shown = value === undefined ? '<invalid reflect.Value>' : goSprint(value);
        throw new JSONPathExecError(`${shown} is not array or slice and cannot be filtered`, input);
      }
      for (const item of value) {
        if (node.operator === 'exists') {
          // client-go ignores the lookup error here and tests whatever the walk returned.
          let lefts: Value[];
          try {
            lefts = this.evalList([item], node.left);
          } catch (e) {
            lefts = e instanceof JSONPathExecError ? e.partial : [];
          }
          if (lefts.length > 0) results.push(item);
          continue;
        }
        const lefts = this.evalList([item], node.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JSONPathExecError('can only compare one element at a time', input);
        const rights = this.evalList([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JSONPathExecError('can only compare one element at a time', input);
        try {
          if (compare(node.operator, lefts[0], rights[0])) results.push(item);
        } catch (e) {
          throw new JSONPathExecError((e as Error).message, results);
        }
      }
    }
    return results;
  }

  /** PrintResults: one group of results as text. */
  printResults(results: Value[]): string {
    if (this.outputJSON) return marshalIndentJSON(results.map((r) => (r === undefined ? null : r))) + '\n';
    return results
      .map((r) => {
        if (Array.isArray(r) || isPlainObject(r)) return marshalJSON(r);
        if (r === undefined) return '<no value>';
        if (r === null) return 'null';
        return goSprint(r);
      })
      .join(' ');
  }
}
