import { describe, expect, it } from 'vitest';
import { milliValue, value } from './quantity.js';

describe('quantity', () => {
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
});
