// kubectl wait's --for forms and how each decides an object is done.
import { describe, expect, it } from 'vitest';
import { conditionMet, parseWaitFor } from './wait.js';

const deploy = (conditions: { type: string; status: string; observedGeneration?: number }[], extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'web', generation: 2 },
  status: { conditions, readyReplicas: 3, ...extra },
});

describe('parseWaitFor', () => {
  it('reads delete, create, condition=NAME[=VALUE] and jsonpath={...}[=VALUE]', () => {
    expect(parseWaitFor('delete')).toEqual({ kind: 'delete' });
    expect(parseWaitFor('create')).toEqual({ kind: 'create' });
    expect(parseWaitFor('condition=Available')).toEqual({ kind: 'condition', type: 'Available', value: 'true' });
    expect(parseWaitFor('condition=Ready=false')).toEqual({ kind: 'condition', type: 'Ready', value: 'false' });
    const jp = parseWaitFor('jsonpath={.status.phase}=Running');
    expect(jp).toMatchObject({ kind: 'jsonpath', value: 'Running' });
    expect(parseWaitFor("jsonpath={.status.conditions[?(@.type=='Ready')].status}=True")).toMatchObject({ kind: 'jsonpath', value: 'True' });
    expect(parseWaitFor('jsonpath={.status.loadBalancer.ingress}')).not.toHaveProperty('value');
  });

  it('refuses what kubectl refuses', () => {
    expect(() => parseWaitFor(undefined)).toThrow(/--for must be set/);
    expect(() => parseWaitFor('ready')).toThrow('unrecognized condition: "ready"');
    expect(() => parseWaitFor('jsonpath={.status.phase}=')).toThrow('jsonpath wait has to have a value after equal sign');
    expect(() => parseWaitFor('jsonpath={.status.phase')).toThrow(/unclosed/);
  });
});

describe('conditionMet', () => {
  it('matches a condition by type and status, case-insensitively, at the current generation', () => {
    expect(conditionMet(deploy([{ type: 'Available', status: 'True' }]), parseWaitFor('condition=available'))).toBe(true);
    expect(conditionMet(deploy([{ type: 'Available', status: 'False' }]), parseWaitFor('condition=Available'))).toBe(false);
    expect(conditionMet(deploy([{ type: 'Available', status: 'False' }]), parseWaitFor('condition=Available=false'))).toBe(true);
    expect(conditionMet(deploy([{ type: 'Ready', status: 'True', observedGeneration: 1 }]), parseWaitFor('condition=Ready'))).toBe(false);
    expect(conditionMet(deploy([]), parseWaitFor('condition=Available'))).toBe(false);
  });

  it('compares a jsonpath result as text, or only its presence without a value', () => {
    expect(conditionMet(deploy([]), parseWaitFor('jsonpath={.status.readyReplicas}=3'))).toBe(true);
    expect(conditionMet(deploy([]), parseWaitFor('jsonpath={.status.readyReplicas}=2'))).toBe(false);
    expect(conditionMet(deploy([]), parseWaitFor('jsonpath={.status.missing}=2'))).toBe(false);
    expect(conditionMet(deploy([], { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } }), parseWaitFor('jsonpath={.status.loadBalancer.ingress}'))).toBe(true);
    expect(conditionMet(deploy([], { loadBalancer: {} }), parseWaitFor('jsonpath={.status.loadBalancer.ingress}'))).toBe(false);
    expect(() => conditionMet(deploy([], { loadBalancer: { ingress: [{ ip: 'x' }] } }), parseWaitFor('jsonpath={.status.loadBalancer}=x'))).toThrow('jsonpath leads to a nested object or list which is not supported');
  });
});
