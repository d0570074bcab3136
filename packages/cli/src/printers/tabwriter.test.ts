// The tabwriter rules kubectl's alignment comes from (liggitt/tabwriter with kubectl's settings).
import { describe, expect, it } from 'vitest';
import { TabWriter, tabulate } from './index.js';

describe('TabWriter', () => {
  it('pads each column to its widest cell + 3, at least 6; the last cell is never padded', () => {
    expect(tabulate([['a', 'bb', 'c'], ['dddddd', 'e', 'f']])).toBe('a        bb    c\ndddddd   e     f\n');
  });

  it('counts characters, not bytes', () => {
    expect(tabulate([['héllo', 'x'], ['ab', 'y']])).toBe('héllo   x\nab      y\n');
  });

  it('a line without tabs ends the column blocks above it', () => {
    expect(tabulate([['a', 'x'], ['blank line follows'], ['much-longer', 'y']])).toBe('a     x\nblank line follows\nmuch-longer   y\n');
  });

  it('remembers widths across flushes until told to forget', () => {
    const w = new TabWriter();
    w.write('long-name\tx\n');
    expect(w.flush()).toBe('long-name   x\n');
    w.write('a\tb\n');
    expect(w.flush()).toBe('a           b\n');
    w.resetRememberedWidths();
    w.write('a\tb\n');
    expect(w.flush()).toBe('a     b\n');
  });
});
