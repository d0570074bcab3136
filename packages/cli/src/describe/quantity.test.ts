import { describe, expect, it } from 'vitest';
import { Quantity } from './quantity.js';

const canon = (s: string | number) => Quantity.parse(s)?.toString();

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
    expect(Quantity.parse('abc')).toBeUndefined();
    expect(Quantity.parse('1Qi')).toBeUndefined();
    expect(Quantity.parse(undefined)).toBeUndefined();
  });

  it('adds, keeping the first non-zero format, and rounds values up', () => {
    const sum = Quantity.parse('64Mi')!.add(Quantity.parse('64Mi')!);
    expect(sum.toString()).toBe('128Mi');
    expect(Quantity.zero().add(Quantity.parse('1Gi')!).toString()).toBe('1Gi');
    expect(Quantity.parse('250m')!.add(Quantity.parse('1')!).toString()).toBe('1250m');
    expect(Quantity.parse('1500m')!.value()).toBe(2);
    expect(Quantity.parse('1.5')!.milliValue()).toBe(1500);
    expect(Quantity.parse('1n')!.milliValue()).toBe(1);
  });
});
