import { describe, expect, it } from 'vitest';
import { intToIPv4, ipv4ToInt, joinHostPort, nthAddress, parseCIDR } from './net.js';

describe('net', () => {
  it('joins hosts and ports as net.JoinHostPort', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(joinHostPort('fd00::1', '8080')).toBe('[fd00::1]:8080');
  });

  it('converts IPv4 addresses and CIDRs to numbers and back', () => {
    expect(ipv4ToInt('10.96.0.1')).toBe(174063617);
    expect(intToIPv4(174063617)).toBe('10.96.0.1');
    expect(ipv4ToInt('10.96.0')).toBeNaN();
    expect(parseCIDR('10.112.3.7/24')).toEqual({ base: ipv4ToInt('10.112.3.0'), size: 256 });
    expect(parseCIDR('192.168.0.0/16').base).toBe(ipv4ToInt('192.168.0.0'));
    expect(nthAddress('10.96.0.0/12', 10)).toBe('10.96.0.10');
  });
});
