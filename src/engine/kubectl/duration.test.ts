import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { humanDuration } from './duration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

// apimachinery/pkg/util/duration/duration_test.go: TestHumanDuration and TestHumanDurationBoundaries.
const CASES: [number, string][] = [
  [S, '1s'], [70 * S, '70s'], [190 * S, '3m10s'], [70 * M, '70m'], [47 * H, '47h'], [49 * H, '2d1h'],
  [(8 * 24 + 2) * H, '8d'], [367 * D, '367d'], [(365 * 2 * 24 + 25) * H, '2y1d'], [(365 * 8 * 24 + 2) * H, '8y'],
  [-2 * S, '<invalid>'], [-2 * S + 1, '0s'], [0, '0s'], [S - 1, '0s'], [2 * M - 1, '119s'], [2 * M, '2m'],
  [2 * M + S, '2m1s'], [10 * M - 1, '9m59s'], [10 * M, '10m'], [10 * M + S, '10m'], [3 * H - 1, '179m'], [3 * H, '3h'],
  [3 * H + M, '3h1m'], [8 * H - 1, '7h59m'], [8 * H, '8h'], [8 * H + 59 * M, '8h'], [2 * D - 1, '47h'], [2 * D, '2d'],
  [2 * D + H, '2d1h'], [8 * D - 1, '7d23h'], [8 * D, '8d'], [8 * D + 23 * H, '8d'], [2 * Y - 1, '729d'], [2 * Y, '2y'],
  [2 * Y + 23 * H, '2y'], [2 * Y + 23 * H + 59 * M, '2y'], [2 * Y + D - 1, '2y'], [2 * Y + D, '2y1d'], [3 * Y, '3y'],
  [4 * Y, '4y'], [5 * Y, '5y'], [6 * Y, '6y'], [7 * Y, '7y'], [8 * Y - 1, '7y364d'], [8 * Y, '8y'], [8 * Y + 364 * D, '8y'],
  [9 * Y, '9y'],
];

describe('humanDuration (HumanDuration)', () => {
  it.each(CASES)('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it('always prints one of the shapes kubectl prints, with at most two units', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 20 * Y }), (ms) => {
      expect(humanDuration(ms)).toMatch(/^(\d+s|\d+m(\d+s)?|\d+h(\d+m)?|\d+d(\d+h)?|\d+y(\d+d)?)$/);
    }));
  });

  it('never shows a longer time for a shorter duration within a unit family (truncates, never rounds up)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 * H - 1 }), (ms) => {
      // Below 3h the output is seconds, m+s or whole minutes: its value never exceeds the real duration.
      const text = humanDuration(ms);
      const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(text)!;
      const shown = Number(m[1] ?? 0) * M + Number(m[2] ?? 0) * S;
      expect(shown).toBeLessThanOrEqual(ms);
      expect(ms - shown).toBeLessThan(M);
    }));
  });
});
