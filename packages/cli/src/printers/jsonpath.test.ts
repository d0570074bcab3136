// client-go jsonpath semantics. The first block is the table of
// https://kubernetes.io/docs/reference/kubectl/jsonpath/ with its documented results; where
// the page shows Go's %v notation (`[a b]`, `map[cpu:4]`) kubectl really prints space-joined
// values and JSON, checked with kubectl 1.32, and these tests expect what kubectl prints.
import { describe, expect, it } from 'vitest';
import { JSONPath, JSONPathExecError, JSONPathParseError, relaxedJSONPathExpression } from './index.js';

const DOC = {
  kind: 'List',
  items: [
    {
      kind: 'None',
      metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } },
      status: { capacity: { cpu: '4' }, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }] },
    },
    {
      kind: 'None',
      metadata: { name: '127.0.0.2' },
      status: {
        capacity: { cpu: '8' },
        addresses: [
          { type: 'LegacyHostIP', address: '127.0.0.2' },
          { type: 'another', address: '127.0.0.3' },
        ],
      },
    },
  ],
  users: [
    { name: 'myself', user: {} },
    { name: 'e2e', user: { username: 'admin', password: 'secret' } },
  ],
};

const run = (template: string, data: unknown = DOC, allowMissingKeys = true) => new JSONPath(template, { allowMissingKeys }).execute(data);

describe('kubernetes.io JSONPath examples', () => {
  it.each([
    ['kind is {.kind}', 'kind is List'],
    ['{.kind}', 'List'],
    ["{['kind']}", 'List'],
    ['{..name}', '127.0.0.1 127.0.0.2 myself e2e'],
    ['{.items[*].metadata.name}', '127.0.0.1 127.0.0.2'],
    ['{.users[0].name}', 'myself'],
    ["{.items[*]['metadata.name', 'status.capacity']}", '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'],
    ['{.users[?(@.name=="e2e")].user.password}', 'secret'],
    ['{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}', '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '],
    ["{range .items[*]}{.metadata.name}{'\\t'}{end}", '127.0.0.1\t127.0.0.2\t'],
    ['{.items[0].metadata.labels.kubernetes\\.io/hostname}', '127.0.0.1'],
  ])('%s', (template, expected) => {
    expect(run(template)).toBe(expected);
  });

  it('{@} is the input, printed as compact JSON with sorted keys', () => {
    expect(run('{@}')).toBe(
      '{"items":[{"kind":"None","metadata":{"labels":{"kubernetes.io/hostname":"127.0.0.1"},"name":"127.0.0.1"},"status":{"addresses":[{"address":"127.0.0.1","type":"LegacyHostIP"}],"capacity":{"cpu":"4"}}},{"kind":"None","metadata":{"name":"127.0.0.2"},"status":{"addresses":[{"address":"127.0.0.2","type":"LegacyHostIP"},{"address":"127.0.0.3","type":"another"}],"capacity":{"cpu":"8"}}}],"kind":"List","users":[{"name":"myself","user":{}},{"name":"e2e","user":{"password":"secret","username":"admin"}}]}',
    );
  });
});

describe('kubectl-verified behaviour', () => {
  const data = {
    flags: [
      { n: 'a', on: true, w: 1.5, c: 3 },
      { n: 'b', on: false, w: 2, c: 10 },
      { n: 'c', w: 2.5, c: -1, tags: ['x', 'y'] },
    ],
    labels: { 'app.kubernetes.io/name': 'web', 'a.b': { c: 'deep' } },
    nums: [1, 2.5, -3, 1e21, 0.00001, 1234567.5, true, null, 'x<y&z'],
    str: 'héllo',
    conditions: [
      { type: 'Available', status: 'True' },
      { type: 'Progressing', status: 'False' },
    ],
  };

  it.each([
    ['{.conditions[?(@.type=="Available")].status}', 'True'],
    ['{.labels.app\\.kubernetes\\.io/name}', 'web'],
    // ['a.b'] is the path a.b, and an escaped dot makes it the key "a.b".
    ["{.labels['app.kubernetes.io/name']}", ''],
    ["{.labels['a\\.b'].c}", 'deep'],
    ['{.flags[?(@.on==true)].n}', 'a'],
    ['{.flags[?(@.on)].n}', 'a b'],
    ['{.flags[?(@.tags)].n}', 'c'],
    ['{.flags[?(@.c>2)].n}', 'a b'],
    ['{.flags[?(@.n>="b")].n}', 'b c'],
    ['{.flags[0:2].n}', 'a b'],
    ['{.flags[0:3:2].n}', 'a c'],
    ['{.flags[-1].n}', 'c'],
    ['{.flags[-2:].n}', 'b c'],
    ['{.flags[:1].n}', 'a'],
    ['{.flags[1:1].n}', ''],
    ['{.flags[0,2].n}', 'a c'],
    ['{.flags[*].tags[*]}', 'x y'],
    ['{.nums}', '[1,2.5,-3,1e+21,0.00001,1234567.5,true,null,"x\\u003cy\\u0026z"]'],
    ['{.nums[*]}', '1 2.5 -3 1e+21 1e-05 1.2345675e+06 true null x<y&z'],
    ['{1}{2.5}{3.0}{true}{"q"}', '12.53trueq'],
    ['{range .flags[*]}{.n}:{range .tags[*]}[{@}]{end};{end}', 'a:;b:;c:[x][y];'],
    ['{.missing}', ''],
    ['{  .flags[0].n  }', 'a'],
  ])('%s', (template, expected) => {
    expect(run(template, data)).toBe(expected);
  });

  it('comparisons keep Go’s types: int with float is an error', () => {
    expect(() => run('{.flags[?(@.w>2)].n}', data)).toThrow(new JSONPathExecError('incompatible types for comparison'));
    // w is 2 in one item, an int in JSON and thus for kubectl too.
    expect(() => run('{.flags[?(@.w>2.0)].n}', data)).toThrow('incompatible types for comparison');
    expect(run('{.f[?(@.w>2.0)].n}', { f: [{ n: 'x', w: 1.5 }, { n: 'y', w: 2.5 }] })).toBe('y');
    expect(() => run('{.flags[?(@.c==3.0)].n}', data)).toThrow('incompatible types for comparison');
  });

  it('allowMissingKeys=false reports the first missing key', () => {
    expect(() => run('{.flags[*].nope}', data, false)).toThrow('nope is not found');
    // exists filters ignore the lookup error
    expect(run('{.flags[?(@.tags)].n}', data, false)).toBe('c');
  });

  it('array errors', () => {
    expect(() => run('{.flags[3].n}', data)).toThrow('array index out of bounds: index 3, length 3');
    expect(() => run('{.flags[2:1].n}', data)).toThrow('starting index 2 is greater than ending index 1');
    expect(() => run('{.flags[::0].n}', data)).toThrow('step must be > 0');
    expect(() => run('{.labels[0]}', data)).toThrow('map[string]interface {} is not array or slice');
    expect(() => run('{.str[0]}', data)).toThrow('string is not array or slice');
    expect(() => run('{end}', data)).toThrow('not in range, nothing to end');
    expect(() => run('{nope}', data)).toThrow('unrecognized identifier nope');
  });

  it('as-json prints each group as an indented array', () => {
    expect(new JSONPath('{.flags[*].n}x', { outputJSON: true }).execute(data)).toBe('[\n    "a",\n    "b",\n    "c"\n]\n[\n    "x"\n]\n');
  });
});

describe('parse errors', () => {
  it.each([
    ['{.a[0', 'unterminated array'],
    ['{.a', 'unclosed action'],
    ['{.a[?(@.x=="a")}', 'unclosed array expect ]'],
    ['{.a[x]}', 'invalid array index x'],
    ['{.a[-]}', 'array index - is not a number'],
    ['{#}', "unrecognized character in action: U+0023 '#'"],
    ['{"a\\qb"}', 'unquote string "a\\qb" error invalid syntax'],
    ['{....a}', 'invalid multiple recursive descent'],
  ])('%s', (template, message) => {
    expect(() => new JSONPath(template)).toThrow(new JSONPathParseError(message));
  });
});

describe('relaxed paths', () => {
  it.each([
    ['.metadata.name', '{.metadata.name}'],
    ['metadata.name', '{.metadata.name}'],
    ['{metadata.name}', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
  ])('%s', (input, expected) => expect(relaxedJSONPathExpression(input)).toBe(expected));
});
