// Flag values and names, with the messages of pflag, strconv and apimachinery's validation.
import { describe, expect, it } from 'vitest';
import {
  atoi,
  configMapKeyErrors,
  envVarNameErrors,
  isDNS1123Subdomain,
  isImageReference,
  parseGoDuration,
  parseGoInt,
  parseLabelSpec,
  parsePort,
  portNameErrors,
  splitCSV,
} from './parse.js';

describe('flag values', () => {
  it('splits string slices as CSV records', () => {
    expect(splitCSV(['a,b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(splitCSV(['"x,y",z'])).toEqual(['x,y', 'z']);
    expect(splitCSV(undefined)).toEqual([]);
  });

  it('parses ints as strconv.ParseInt(s, 0, 32)', () => {
    expect(parseGoInt('42')).toBe(42);
    expect(parseGoInt('0x50')).toBe(80);
    expect(parseGoInt('-010')).toBe(-8);
    expect(parseGoInt('1_000')).toBe(1000);
    expect(() => parseGoInt('abc')).toThrow('strconv.ParseInt: parsing "abc": invalid syntax');
    expect(() => parseGoInt('2147483648')).toThrow('strconv.ParseInt: parsing "2147483648": value out of range');
  });

  it('parses Atoi and ports', () => {
    expect(atoi('+5')).toBe(5);
    expect(() => atoi('5x')).toThrow('strconv.Atoi: parsing "5x": invalid syntax');
    expect(parsePort('0')).toBe(0);
    expect(() => parsePort('70000')).toThrow('strconv.ParseUint: parsing "70000": value out of range');
    expect(() => parsePort('-1')).toThrow('strconv.ParseUint: parsing "-1": invalid syntax');
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1m0s')).toBe(60_000);
    expect(parseGoDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('abc')).toThrow('time: invalid duration "abc"');
    expect(() => parseGoDuration('5')).toThrow('time: missing unit in duration "5"');
  });

  it('reads label specs as the generators do', () => {
    expect(parseLabelSpec('app=web,tier=fe')).toEqual({ app: 'web', tier: 'fe' });
    expect(() => parseLabelSpec('a')).toThrow('unexpected label spec: a');
    expect(() => parseLabelSpec('=a')).toThrow('unexpected empty label key');
    expect(() => parseLabelSpec('')).toThrow('no label spec passed');
  });
});

describe('validation', () => {
  it('checks DNS subdomains, keys and env names', () => {
    expect(isDNS1123Subdomain('example.com')).toBe(true);
    expect(isDNS1123Subdomain('Foo_bar')).toBe(false);
    expect(configMapKeyErrors('a.b-C_1')).toEqual([]);
    expect(configMapKeyErrors('..a')).toEqual(["must not start with '..'"]);
    expect(configMapKeyErrors('a/b')[0]).toMatch(/^a valid config key must consist of alphanumeric characters/);
    expect(envVarNameErrors('MY_VAR')).toEqual([]);
    expect(envVarNameErrors('1A')).toHaveLength(1);
  });

  it('checks port names as IsValidPortName', () => {
    expect(portNameErrors('http')).toEqual([]);
    expect(portNameErrors('80')).toEqual(['must contain at least one letter (a-z)']);
    expect(portNameErrors('a--b-')).toEqual(['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
    expect(portNameErrors('abc_d')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  });

  it('accepts image references as distribution/reference does', () => {
    for (const ok of ['nginx', 'nginx:1.25', 'library/nginx', 'localhost:5000/my/img:1.0', 'registry.k8s.io/pause@sha256:' + 'a'.repeat(64), '[::1]:5000/x']) {
      expect(isImageReference(ok), ok).toBe(true);
    }
    for (const bad of ['Nginx', 'nginx:bad:x', 'nginx@sha256:short', '', 'a//b']) expect(isImageReference(bad), bad).toBe(false);
  });
});
