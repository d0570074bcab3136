// Bad input: each case gets kubectl's message on stderr, a non-zero exit, and writes nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Env, type RunResult } from './harness.js';

const env = new Env();
beforeAll(async () => {
  await env.ok(['start', '--port', '0']);
});
afterAll(() => env.cleanup());

const DEPLOY = (extra = '', replicas = '2', labels = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        ${labels}
    spec:
      containers:
        - name: web
          image: nginx:1.25${extra}
`;

async function applyFile(name: string, content: string): Promise<RunResult> {
  env.write(name, content);
  return env.minik(['apply', '-f', name], { cwd: env.home });
}

async function nothingWritten(): Promise<void> {
  const r = await env.minik(['get', 'deployments,pods,services,configmaps', '-o', 'name']);
  expect(r.stdout).toBe('service/kubernetes\n');
}

describe('bad input is rejected with a clear message and changes nothing', () => {
  it('malformed YAML names the file and line', async () => {
    const r = await applyFile('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: [a\nspec: {}\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: error parsing bad\.yaml: error converting YAML to JSON: yaml: line \d+: .+\n$/);
    await nothingWritten();
  });

  it('a document without kind or apiVersion', async () => {
    let r = await applyFile('nokind.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: error validating "nokind.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n');
    r = await applyFile('noboth.yaml', 'metadata:\n  name: x\n');
    expect(r.stderr).toBe('error: error validating "noboth.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false\n');
  });

  it('an unknown kind', async () => {
    const r = await applyFile('unknown.yaml', 'apiVersion: v1\nkind: Frobnicator\nmetadata:\n  name: x\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: resource mapping not found for name: "x" namespace: "" from "unknown.yaml": no matches for kind "Frobnicator" in version "v1"\nensure CRDs are installed first\n');
  });

  it('a field of the wrong type', async () => {
    const r = await applyFile('type.yaml', DEPLOY('', '"two"'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (BadRequest): error when creating "type.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n');
    await nothingWritten();
  });

  it('an unknown field (strict validation, as kubectl asks by default)', async () => {
    const r = await applyFile('field.yaml', DEPLOY('\n          imagee: typo'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (BadRequest): error when creating "field.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagee"\n');
    await nothingWritten();
    const warn = await env.minik(['apply', '--validate=warn', '--dry-run=server', '-f', 'field.yaml'], { cwd: env.home });
    expect(warn.code).toBe(0);
    expect(warn.stderr).toBe('Warning: unknown field "spec.template.spec.containers[0].imagee"\n');
    expect(warn.stdout).toBe('deployment.apps/web created (server dry run)\n');
    await nothingWritten();
  });

  it('a name that is not DNS-1123', async () => {
    const r = await applyFile('name.yaml', DEPLOY().replace('name: web', 'name: Web_App'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `The Deployment "Web_App" is invalid: metadata.name: Invalid value: "Web_App": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
    );
    await nothingWritten();
  });

  it('a selector that does not match the template labels', async () => {
    const r = await applyFile('sel.yaml', DEPLOY('', '2', 'app: other'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n');
    await nothingWritten();
  });

  it('a negative replica count', async () => {
    const r = await applyFile('neg.yaml', DEPLOY('', '-1'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
    await nothingWritten();
  });

  it('a body over the 3 MiB limit', async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'x'.repeat(3 * 1024 * 1024 + 10)}"\n`;
    const r = await applyFile('big.yaml', big);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (RequestEntityTooLarge): error when creating "big.yaml": Request entity too large: limit is 3145728\n');
    expect((await env.minik(['get', 'configmap', 'big'])).code).toBe(1);
  });

  it('a stale resourceVersion is a 409 Conflict', async () => {
    await applyFile('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rv\ndata:\n  a: "1"\n');
    const rv = (await env.ok(['get', 'cm', 'rv', '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();
    await env.ok(['label', 'cm', 'rv', 'x=1']);
    const r = await env.minik(['label', 'cm', 'rv', 'y=2', `--resource-version=${rv}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (Conflict): Operation cannot be fulfilled on configmaps "rv": the object has been modified; please apply your changes to the latest version and try again\n');
    expect(await env.ok(['get', 'cm', 'rv', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"x":"1"}');
  });

  it('a missing file', async () => {
    const r = await env.minik(['apply', '-f', 'nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: the path "nope.yaml" does not exist\n');
  });

  it('an unknown resource type', async () => {
    const r = await env.minik(['get', 'frobs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: the server doesn\'t have a resource type "frobs"\n');
  });

  it('a name that does not exist', async () => {
    const r = await env.minik(['get', 'deployment', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('an unreachable apiserver', async () => {
    const r = await env.minik(['get', 'pods', '--server', 'https://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n');
  });
});
