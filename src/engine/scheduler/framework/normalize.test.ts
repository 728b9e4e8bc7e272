import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultNormalizeScore } from './normalize';

// Mirrors TestDefaultNormalizeScore in pkg/scheduler/framework/plugins/helper/normalize_score_test.go.
describe('defaultNormalizeScore', () => {
  it.each([
    { reverse: false, scores: [1, 2, 3, 4], want: [25, 50, 75, 100] },
    { reverse: true, scores: [1, 2, 3, 4], want: [75, 50, 25, 0] },
    { reverse: false, scores: [1000, 10, 20, 30], want: [100, 1, 2, 3] },
    { reverse: true, scores: [1000, 10, 20, 30], want: [0, 99, 98, 97] },
    { reverse: false, scores: [1, 1, 1, 1], want: [100, 100, 100, 100] },
    { reverse: false, scores: [1000, 1, 1, 1], want: [100, 0, 0, 0] },
    { reverse: true, scores: [1000, 1, 1, 1], want: [0, 100, 100, 100] },
    { reverse: false, scores: [0, 1, 0, 1], want: [0, 100, 0, 100] },
    { reverse: false, scores: [0, 0, 0, 0], want: [0, 0, 0, 0] },
    { reverse: true, scores: [0, 0, 0, 0], want: [100, 100, 100, 100] },
  ])('reverse=$reverse $scores → $want', ({ reverse, scores, want }) => {
    const s = Int32Array.from(scores);
    defaultNormalizeScore(100, reverse, s);
    expect([...s]).toEqual(want);
  });

  it('always lands in [0, 100], with the maximum at 100 (or 0 reversed)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 50 }), fc.boolean(), (scores, reverse) => {
        const s = Int32Array.from(scores);
        defaultNormalizeScore(100, reverse, s);
        for (const v of s) expect(v >= 0 && v <= 100).toBe(true);
        const max = Math.max(...scores);
        if (max > 0) expect(s[scores.indexOf(max)]).toBe(reverse ? 0 : 100);
      }),
    );
  });
});
