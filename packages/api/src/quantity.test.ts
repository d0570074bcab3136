import { describe, expect, it } from 'vitest';
import { decodeQuantity, ERR_FORMAT_WRONG, parseResourceList, Quantity, quantityString } from './quantity.js';

const canon = (s: string | number) => Quantity.fromJSON(s)?.toString();
// The scheduler's view: cpu in millicores, everything else in units, undefined when absent or malformed.
const milliValue = (q: string | number | undefined) => Quantity.fromJSON(q)?.milliValue();
const value = (q: string | number | undefined) => Quantity.fromJSON(q)?.value();
// The validation's view: a decoded number or the decoder's error.
const parseQuantity = (q: unknown) => {
  const d = decodeQuantity(q);
  return { value: d.quantity?.asApproximateFloat64(), error: d.error };
};

describe('milliValue and value (Quantity.MilliValue, Quantity.Value)', () => {
  it('reads cpu as millicores', () => {
    expect(milliValue('100m')).toBe(100);
    expect(milliValue('1')).toBe(1000);
    expect(milliValue('0.1')).toBe(100);
    expect(milliValue('1.5')).toBe(1500);
    expect(milliValue(2)).toBe(2000);
    expect(milliValue('250m')).toBe(250);
    expect(milliValue('1e3')).toBe(1_000_000);
    expect(milliValue('1k')).toBe(1_000_000);
  });

  it('rounds sub-milli values up, like MilliValue', () => {
    expect(milliValue('100u')).toBe(1);
    expect(milliValue('1n')).toBe(1);
  });

  it('reads memory with binary and decimal suffixes', () => {
    expect(value('128Mi')).toBe(128 * 2 ** 20);
    expect(value('1Gi')).toBe(2 ** 30);
    expect(value('1G')).toBe(1e9);
    expect(value('1e3')).toBe(1000);
    expect(value('1E3')).toBe(1000);
    expect(value('12E')).toBe(12e18);
    expect(value('0.5Gi')).toBe(2 ** 29);
    expect(value('64Mi')).toBe(67108864);
    expect(value('.5k')).toBe(500);
    expect(value('100m')).toBe(1);
    expect(value('1.5e2')).toBe(150);
  });

  it('rejects what is not a quantity', () => {
    expect(value('abc')).toBeUndefined();
    expect(value('1Mb')).toBeUndefined();
    expect(value('')).toBeUndefined();
    expect(value(undefined)).toBeUndefined();
  });

  it('rounds negative values away from zero, as Go does', () => {
    expect(milliValue('-1n')).toBe(-1);
    expect(value('-100m')).toBe(-1);
    expect(Quantity.fromJSON('1.0000001')!.scaledValue(-3)).toBe(1001n);
  });
});

describe('Quantity (resource.Quantity canonical form)', () => {
  it('prints decimal quantities with the largest exact SI suffix', () => {
    expect(canon('0.5')).toBe('500m');
    expect(canon('0.25')).toBe('250m');
    expect(canon('100m')).toBe('100m');
    expect(canon('1000m')).toBe('1');
    expect(canon('1000')).toBe('1k');
    expect(canon('1500')).toBe('1500');
    expect(canon('50000')).toBe('50k');
    expect(canon('129e6')).toBe('129e6');
    expect(canon('129M')).toBe('129M');
    expect(canon('56453061334')).toBe('56453061334');
    expect(canon(4)).toBe('4');
    expect(canon('0')).toBe('0');
    expect(canon('0.0000000001')).toBe('1n');
  });

  it('prints binary quantities in the largest exact power of 1024', () => {
    expect(canon('1024Mi')).toBe('1Gi');
    expect(canon('1.5Gi')).toBe('1536Mi');
    expect(canon('128Mi')).toBe('128Mi');
    expect(canon('8039920Ki')).toBe('8039920Ki');
    expect(canon('0.5Ki')).toBe('512');
    expect(canon('1000Ki')).toBe('1000Ki');
  });

  it('rejects malformed quantities', () => {
    expect(Quantity.fromJSON('abc')).toBeUndefined();
    expect(Quantity.fromJSON('1Qi')).toBeUndefined();
    expect(Quantity.fromJSON(undefined)).toBeUndefined();
  });

  it('adds, keeping the first non-zero format, and rounds values up', () => {
    const sum = Quantity.fromJSON('64Mi')!.add(Quantity.fromJSON('64Mi')!);
    expect(sum.toString()).toBe('128Mi');
    expect(Quantity.zero().add(Quantity.fromJSON('1Gi')!).toString()).toBe('1Gi');
    expect(Quantity.fromJSON('250m')!.add(Quantity.fromJSON('1')!).toString()).toBe('1250m');
    expect(Quantity.fromJSON('1500m')!.value()).toBe(2);
    expect(Quantity.fromJSON('1.5')!.milliValue()).toBe(1500);
    expect(Quantity.fromJSON('1n')!.milliValue()).toBe(1);
  });

  it('compares exactly', () => {
    expect(Quantity.fromJSON('0.1')!.cmp(Quantity.fromJSON('100m')!)).toBe(0);
    expect(Quantity.fromJSON('500m')!.cmp(Quantity.fromJSON('1')!)).toBe(-1);
    expect(Quantity.fromJSON('1k')!.cmp(Quantity.fromJSON('999.999999999')!)).toBe(1);
  });

  it('clamps absurd exponents instead of computing them', () => {
    expect(Quantity.fromJSON('1e999999999')!.cmp(Quantity.fromJSON('1e100')!)).toBe(1);
    expect(canon('1e-999999999')).toBe('1e-9');
  });
});

describe('decoding (Quantity.UnmarshalJSON, ParseQuantity)', () => {
  it('decodes JSON values with the decoder\'s errors', () => {
    expect(parseQuantity('128Mi').value).toBe(128 * 2 ** 20);
    expect(parseQuantity('500m').value).toBe(0.5);
    expect(parseQuantity('1e3').value).toBe(1000);
    expect(parseQuantity(2).value).toBe(2);
    expect(parseQuantity('').error).toMatch(/quantities must match/);
    expect(parseQuantity('1.2.3').error).toBe("unable to parse quantity's numeric part");
    expect(parseQuantity('5e').error).toBe("unable to parse quantity's suffix");
    expect(parseQuantity(true).error).toBe(ERR_FORMAT_WRONG);
  });

  it('trims JSON strings; ParseQuantity takes the text as it is', () => {
    expect(Quantity.fromJSON(' 1 ')?.toString()).toBe('1');
    expect(Quantity.parse(' 1 ')).toBeUndefined();
    expect(Quantity.parse('1.')?.toString()).toBe('1');
  });

  it('parses resource lists and prints canonical text', () => {
    expect([...parseResourceList({ cpu: '0.5', memory: 'x', pods: 110 })].map(([k, q]) => `${k}=${q}`)).toEqual(['cpu=500m', 'pods=110']);
    expect(quantityString('1024Mi')).toBe('1Gi');
    expect(quantityString('bad')).toBe('bad');
  });
});
