import { MAX_NODE_SCORE } from './interface';

/**
 * helper.DefaultNormalizeScore: scale scores so the highest becomes `maxPriority` (integer
 * division, as Go's int64 maths truncates); with `reverse`, lower raw scores win
 * (`maxPriority - scaled`). All zero: everything 0, or everything `maxPriority` when reversed.
 *
 * @example
 * const s = Int32Array.from([2, 4, 0]);
 * defaultNormalizeScore(100, false, s); // s = [50, 100, 0]
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Int32Array): void {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > maxCount) maxCount = scores[i];
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / maxCount);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}

export { MAX_NODE_SCORE };
