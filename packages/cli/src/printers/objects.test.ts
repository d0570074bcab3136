// -o json|yaml|name|jsonpath|custom-columns and format errors. Expected texts come from
// kubectl-outputs.md where it has them, otherwise from kubectl 1.32 on the same objects.
import type { KubeList, KubeObject } from '@minik/api';
import { describe, expect, it } from 'vitest';
import { cliErrorText, marshalYAML, operationMessage, parseOutputFormat, PrinterError, printObjects, resourceName, tabulate } from './index.js';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, managedFields: [{ manager: 'kubectl' }], annotations: { note: '<b>&' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } },
  },
  status: {},
});

const podList = (): KubeList => ({
  apiVersion: 'v1',
  kind: 'PodList',
  metadata: { resourceVersion: '157' },
  items: [
    { metadata: { name: 'a', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Running' } },
    { metadata: { name: 'b', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }, { name: 'd', image: 'redis' }] }, status: { phase: 'Pending' } },
  ],
});

const error = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return cliErrorText(e);
  }
  throw new Error('expected an error');
};

describe('-o json', () => {
  it('sorted keys, four-space indent, HTML-safe escapes, no managedFields', () => {
    expect(printObjects(deployment(), 'json')).toBe(
      '{\n    "apiVersion": "apps/v1",\n    "kind": "Deployment",\n    "metadata": {\n        "annotations": {\n            "note": "\\u003cb\\u003e\\u0026"\n        },\n        "labels": {\n            "app": "web"\n        },\n        "name": "web",\n        "namespace": "default"\n    },\n    "spec": {\n        "replicas": 2,\n        "selector": {\n            "matchLabels": {\n                "app": "web"\n            }\n        },\n        "template": {\n            "metadata": {\n                "labels": {\n                    "app": "web"\n                }\n            },\n            "spec": {\n                "containers": [\n                    {\n                        "image": "nginx:1.25",\n                        "name": "nginx",\n                        "ports": [\n                            {\n                                "containerPort": 80\n                            }\n                        ]\n                    }\n                ]\n            }\n        }\n    },\n    "status": {}\n}\n',
    );
    expect(printObjects(deployment(), 'json', { showManagedFields: true })).toContain('"managedFields": [');
  });

  it('a fetched list becomes a client-side List with an empty resourceVersion; items get their kind', () => {
    const out = JSON.parse(printObjects(podList(), 'json'));
    expect(Object.keys(out)).toEqual(['apiVersion', 'items', 'kind', 'metadata']);
    expect(out).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(out.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } });
    // Several named objects are a List too; one named object prints as itself.
    expect(JSON.parse(printObjects([deployment(), deployment()], 'JSON')).kind).toBe('List');
    expect(JSON.parse(printObjects([deployment()], 'json')).kind).toBe('Deployment');
  });
});

describe('-o yaml', () => {
  it('O40: kubectl run --dry-run=client -o yaml', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { creationTimestamp: null, labels: { run: 'myapp' }, name: 'myapp', namespace: 'mynamespace' },
      spec: { containers: [{ image: 'nginx', name: 'myapp', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
      status: {},
    } as unknown as KubeObject; // creationTimestamp: null, as kubectl's client-side objects have
    expect(printObjects(pod, 'yaml')).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: myapp\n  name: myapp\n  namespace: mynamespace\nspec:\n  containers:\n  - image: nginx\n    name: myapp\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n',
    );
  });

  it('O53: nested sequences and mappings', () => {
    const ing = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'myingress' },
      spec: { rules: [{ host: 'www.example.com', http: { paths: [{ backend: { service: { name: 'webapp', port: { number: 8080 } } }, path: '/webapp', pathType: 'Prefix' }] } }] },
    };
    expect(marshalYAML(ing)).toBe(
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: myingress\nspec:\n  rules:\n  - host: www.example.com\n    http:\n      paths:\n      - backend:\n          service:\n            name: webapp\n            port:\n              number: 8080\n        path: /webapp\n        pathType: Prefix\n',
    );
  });

  it('quotes strings exactly where go-yaml v2 does', () => {
    const args = ['--x', '~', '0x1F', '1e3', '-', '@a', '`b', 'a#b', 'a #b', '[x]', '{y}', '%z', '!t', '&a', '|x', '>y', "'q'", '"dq"', '1_000', '0o17', '012', '.5', '+1', 'Yes', 'On', 'off', 'NO', 'y', 'n', 'NaN', '.inf', '2020-01-01', '12:30', 'é', 'tab\there', ' lead', 'trail ', 'a:b', 'a: b'];
    const obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { annotations: { a: '80', e: '', f: '1.5', false: 'null', m: 'a: b', multi: 'line1\nline2\n', star: '*x', t: 'yes' }, labels: { 'app.kubernetes.io/name': 'web', b: 'true', z: '1' }, name: 'x' },
      spec: { containers: [{ args, image: 'nginx', name: 'c', ports: [{ containerPort: 80 }] }] },
    };
    expect(marshalYAML(obj)).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: "80"\n    e: ""\n    f: "1.5"\n    "false": "null"\n    m: \'a: b\'\n    multi: |\n      line1\n      line2\n    star: \'*x\'\n    t: "yes"\n  labels:\n    app.kubernetes.io/name: web\n    b: "true"\n    z: "1"\n  name: x\nspec:\n  containers:\n  - args:\n    - --x\n    - "~"\n    - "0x1F"\n    - "1e3"\n    - \'-\'\n    - \'@a\'\n    - \'`b\'\n    - a#b\n    - \'a #b\'\n    - \'[x]\'\n    - \'{y}\'\n    - \'%z\'\n    - \'!t\'\n    - \'&a\'\n    - \'|x\'\n    - \'>y\'\n    - \'\'\'q\'\'\'\n    - \'"dq"\'\n    - "1_000"\n    - "0o17"\n    - "012"\n    - ".5"\n    - "+1"\n    - "Yes"\n    - "On"\n    - "off"\n    - "NO"\n    - "y"\n    - "n"\n    - NaN\n    - ".inf"\n    - "2020-01-01"\n    - "12:30"\n    - é\n    - "tab\\there"\n    - \' lead\'\n    - \'trail \'\n    - a:b\n    - \'a: b\'\n    image: nginx\n    name: c\n    ports:\n    - containerPort: 80\n',
    );
  });

  it('folds long lines at 80 columns, picks block chomping, orders keys naturally, formats numbers', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        annotations: {
          '9': '5', '10': '6', A: '3', _: '4', 'a-b': '7', a10: '1', a2: '2', ab: '8', ctrl: 'a\u0001b', emptyobj: '',
          json: '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"simple-pod","namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"nginx"}]}}\n',
          lead: ' x\ny', long: 'aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu',
          multi: 'a\nb', q: "it's a: test", tab: 'a\tb', trail: 'a\n\n', uni: 'héllo ✓', z: '1',
        },
        name: 'x',
      },
      spec: { big: 1234567.5, e: {}, ea: [], f2: 2, fl: 1e21, int: 100000000, n: null, neg: -3, nested: [[1, 2], [{ a: 1, b: [] }]], num: 1.5, small: 0.00001, t: true },
    };
    expect(marshalYAML(obj)).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    _: "4"\n    "9": "5"\n    "10": "6"\n    A: "3"\n    a-b: "7"\n    a2: "2"\n    a10: "1"\n    ab: "8"\n    ctrl: "a\\x01b"\n    emptyobj: ""\n    json: |\n      {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"simple-pod","namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"nginx"}]}}\n    lead: |2-\n       x\n      y\n    long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo\n      pppp qqqq rrrr ssss tttt uuuu\n    multi: |-\n      a\n      b\n    q: \'it\'\'s a: test\'\n    tab: "a\\tb"\n    trail: |+\n      a\n\n    uni: héllo ✓\n    z: "1"\n  name: x\nspec:\n  big: 1.2345675e+06\n  e: {}\n  ea: []\n  f2: 2\n  fl: 1e+21\n  int: 100000000\n  "n": null\n  neg: -3\n  nested:\n  - - 1\n    - 2\n  - - a: 1\n      b: []\n  num: 1.5\n  small: 1e-05\n  t: true\n',
    );
  });

  it('quotes timestamps, escapes emoji and uses ? for keys over 128 bytes', () => {
    const long = 'k'.repeat(130);
    expect(marshalYAML({ t: '2024-01-01T00:00:00Z', e: '😀', [long]: 'v' })).toBe(`e: "\\U0001F600"\n? ${long}\n: v\nt: "2024-01-01T00:00:00Z"\n`);
  });

  it('a list prints as kind: List; separate objects print as documents', () => {
    expect(printObjects(podList(), 'yaml')).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n[\s\S]*\nkind: List\nmetadata:\n  resourceVersion: ""\n$/);
    const docs = printObjects([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } }], 'yaml', { separate: true });
    expect(docs).toBe('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n');
  });
});

describe('-o name and messages', () => {
  it('kind[.group]/name for each item', () => {
    expect(printObjects(podList(), 'name')).toBe('pod/a\npod/b\n');
    expect(printObjects(deployment(), 'name')).toBe('deployment.apps/web\n');
    expect(resourceName({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' } })).toBe('statefulset.apps/web');
    expect(operationMessage({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend-service' } }, 'created')).toBe('service/backend-service created');
  });
});

describe('-o jsonpath', () => {
  it('runs on the List for a fetched list, prints no trailing newline', () => {
    expect(printObjects(podList(), 'jsonpath={.items[*].metadata.name}')).toBe('a b');
    expect(printObjects(podList(), 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}')).toBe('a\tRunning\nb\tPending\n');
    expect(printObjects(deployment(), 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('nginx:1.25');
    expect(printObjects(podList(), 'jsonpath={.items[0].status.missing}')).toBe('');
  });

  it('jsonpath-as-json prints each result group as an indented array', () => {
    expect(printObjects(podList(), 'jsonpath-as-json={.items[*].metadata.name}')).toBe('[\n    "a",\n    "b"\n]\n');
  });

  it('jsonpath-file reads the template', () => {
    const readFile = (p: string) => (p === 't.txt' ? '{.items[1].spec.containers[*].image}' : '');
    expect(printObjects(podList(), 'jsonpath-file=t.txt', { readFile })).toBe('busybox redis');
  });

  it('reports parse and execution errors like kubectl', () => {
    expect(error(() => printObjects(podList(), 'jsonpath={.items[0'))).toBe('error: error parsing jsonpath {.items[0, unterminated array\n');
    expect(error(() => printObjects(podList(), 'jsonpath'))).toBe('error: template format specified but no template given\n');
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, n: [1, 2.5, null] };
    expect(error(() => printObjects(obj, 'jsonpath={.n[5]}'))).toBe(
      'error: error executing jsonpath "{.n[5]}": Error executing template: array index out of bounds: index 5, length 3. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.n[5]}\n' +
        '\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":map[string]interface {}{"name":"x"}, "n":[]interface {}{1, 2.5, interface {}(nil)}}\n\n\n',
    );
    expect(error(() => printObjects(obj, 'jsonpath={.nope}', { allowMissingTemplateKeys: false }))).toMatch(
      /^error: error executing jsonpath "\{\.nope\}": Error executing template: nope is not found\. /,
    );
  });
});

describe('-o custom-columns', () => {
  it('relaxed paths, <none> for missing values, commas between several values', () => {
    expect(printObjects(podList(), 'custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,APP:{.metadata.labels.app},L:metadata.labels')).toBe(
      'NAME   IMAGES          APP      L\na      nginx           web      map[app:web]\nb      busybox,redis   <none>   <none>\n',
    );
    expect(printObjects(podList(), 'custom-columns=N:.metadata.name', { noHeaders: true })).toBe('a\nb\n');
  });

  it('custom-columns-file: a header line and a path line', () => {
    const readFile = () => 'NAME   PHASE\n.metadata.name   .status.phase\n';
    expect(printObjects(podList(), 'custom-columns-file=cols.txt', { readFile, noHeaders: true })).toBe('NAME   PHASE\na      Running\nb      Pending\n');
  });

  it('spec errors', () => {
    expect(error(() => printObjects(podList(), 'custom-columns='))).toBe('error: custom-columns format specified but no custom columns given\n');
    expect(error(() => printObjects(podList(), 'custom-columns=A:.a,B'))).toBe('error: unexpected custom-columns spec: B, expected <header>:<json-path-expr>\n');
    expect(error(() => printObjects(podList(), 'custom-columns=A:{{.x}}'))).toBe(
      "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n",
    );
  });

  it('a row error still leaves the header kubectl printed', () => {
    try {
      printObjects(podList(), 'custom-columns=A:.spec.containers[5]');
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(PrinterError);
      expect((e as PrinterError).partialOutput).toBe('A\n');
      expect((e as Error).message).toBe('array index out of bounds: index 5, length 1');
    }
  });
});

describe('output formats', () => {
  it('unknown formats get kubectl’s error', () => {
    expect(error(() => parseOutputFormat('x'))).toBe(
      'error: unable to match a printer suitable for the output format "x", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n',
    );
  });

  it('human-readable formats are for renderTables', () => {
    expect(parseOutputFormat(undefined)).toEqual({ type: 'table', wide: false });
    expect(parseOutputFormat('wide')).toEqual({ type: 'table', wide: true });
    expect(parseOutputFormat('jsonpath', { template: '{.kind}' }).type).toBe('jsonpath');
  });

  it('go templates are a known gap', () => {
    expect(error(() => parseOutputFormat('go-template={{.kind}}'))).toMatch(/not supported by minik/);
    // --template without -o means a go-template in kubectl.
    expect(error(() => parseOutputFormat('', { template: '{{.kind}}' }))).toMatch(/"go-template" is not supported/);
  });
});

describe('tabulate', () => {
  it('O42: api-resources through the same tabwriter (empty SHORTNAMES cells)', () => {
    const book =
      'NAME                              SHORTNAMES   APIVERSION                             NAMESPACED   KIND\nbindings                                       v1                                     true         Binding\ncomponentstatuses                 cs           v1                                     false        ComponentStatus\nconfigmaps                        cm           v1                                     true         ConfigMap\nendpoints                         ep           v1                                     true         Endpoints\nevents                            ev           v1                                     true         Event\nlimitranges                       limits       v1                                     true         LimitRange\nnamespaces                        ns           v1                                     false        Namespace\nnodes                             no           v1                                     false        Node\npersistentvolumeclaims            pvc          v1                                     true         PersistentVolumeClaim\npersistentvolumes                 pv           v1                                     false        PersistentVolume\n';
    const core = [
      ['bindings', '', 'true', 'Binding'],
      ['componentstatuses', 'cs', 'false', 'ComponentStatus'],
      ['configmaps', 'cm', 'true', 'ConfigMap'],
      ['endpoints', 'ep', 'true', 'Endpoints'],
      ['events', 'ev', 'true', 'Event'],
      ['limitranges', 'limits', 'true', 'LimitRange'],
      ['namespaces', 'ns', 'false', 'Namespace'],
      ['nodes', 'no', 'false', 'Node'],
      ['persistentvolumeclaims', 'pvc', 'true', 'PersistentVolumeClaim'],
      ['persistentvolumes', 'pv', 'false', 'PersistentVolume'],
    ].map(([n, s, ns, k]) => [n, s, 'v1', ns, k]);
    // The rows the book elided ("...") decide two widths: the longest name and apiVersion.
    const elided = [
      ['validatingwebhookconfigurations', '', 'admissionregistration.k8s.io/v1', 'false', 'ValidatingWebhookConfiguration'],
      ['flowschemas', '', 'flowcontrol.apiserver.k8s.io/v1beta3', 'false', 'FlowSchema'],
    ];
    const out = tabulate([['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], ...core, ...elided]);
    expect(out.startsWith(book)).toBe(true);
  });
});

describe('errors', () => {
  it('cliErrorText adds the prefix and a newline once', () => {
    expect(cliErrorText(new Error('x'))).toBe('error: x\n');
    expect(cliErrorText(new Error('error: y\n'))).toBe('error: y\n');
  });
  it('objects without kind cannot be printed as json or name', () => {
    expect(error(() => printObjects({ metadata: { name: 'x' } }, 'json'))).toBe(
      'error: missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type\n',
    );
  });
});

describe('the List wrapper', () => {
  it('keeps server item order and drops managedFields from items', () => {
    const list = podList();
    list.items[0].metadata!.managedFields = [{ manager: 'x' }];
    const out = printObjects(list, 'yaml');
    expect(out).not.toContain('managedFields');
    expect(out.indexOf('name: a')).toBeLessThan(out.indexOf('name: b'));
  });
});
