import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printTable, tabwrite } from './tabwriter';

describe('tabwrite (Go text/tabwriter)', () => {
  it('pads columns to the widest cell plus padding, minimum width 6 for get tables', () => {
    expect(printTable([['NAME', 'READY', 'STATUS'], ['web', '1/1', 'Running']])).toBe('NAME   READY   STATUS\nweb    1/1     Running\n');
  });

  it('does not pad the last cell of a line', () => {
    expect(tabwrite('a\tb\nlonger\tc\n', 0, 2)).toBe('a       b\nlonger  c\n');
  });

  it('aligns a column only over consecutive lines that have it (a line without a tab ends the block)', () => {
    const text = 'Name:\tweb\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/x\n';
    expect(tabwrite(text, 0, 2)).toBe(
      'Name:             web\nService Account:  default\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/x\n',
    );
  });

  it('handles empty cells (describe node puts a blank column after Name)', () => {
    expect(tabwrite('  a\tb\t\tc\n  xx\tyyyy\t\tz\n', 0, 2)).toBe('  a   b       c\n  xx  yyyy    z\n');
  });

  it('keeps every row of a get table aligned: each column starts at the same offset on every line', () => {
    const cell = fc.stringMatching(/^[a-z0-9/-]{1,12}$/);
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }).chain((cols) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 })), (rows) => {
      const lines = printTable(rows).split('\n').slice(0, -1);
      for (let c = 1; c < rows[0].length; c++) {
        // The start of column c is the sum of the widths before it, the same on every line.
        const widths = rows[0].slice(0, c).map((_, k) => Math.max(6, ...rows.map((r) => r[k].length + 3)));
        const start = widths.reduce((a, b) => a + b, 0);
        for (const [i, l] of lines.entries()) expect(l.slice(start, start + rows[i][c].length)).toBe(rows[i][c]);
      }
    }));
  });
});
