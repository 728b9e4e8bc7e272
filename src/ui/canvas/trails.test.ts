import { describe, expect, it } from 'vitest';
import { MAX_MOVING_EDGES, motionFor } from './MotionEdges';
import { FEW_TRAILS, MAX_TRAILS, trailEdges } from './trails';

const trails = (n: number) => Array.from({ length: n }, (_, i) => ({ from: `default/old-${i}`, to: `default/new-${i}`, at: i }));

describe('trail edges', () => {
  it('a few replacements: one labelled, animated arrow each, from the old pod to the new', () => {
    const edges = trailEdges(trails(2));
    expect(edges).toEqual([
      expect.objectContaining({ source: 'pod:default/old-0', target: 'pod:default/new-0', type: 'trail', data: { moving: true, label: 'replaced by' } }),
      expect.objectContaining({ source: 'pod:default/old-1', target: 'pod:default/new-1', type: 'trail', data: { moving: true, label: 'replaced by' } }),
    ]);
  });

  it.each([FEW_TRAILS, FEW_TRAILS + 1, MAX_TRAILS, MAX_TRAILS + 1, 100])('%i trails: at most MAX_TRAILS drawn, the newest; labels and animation only for a few', (n) => {
    const edges = trailEdges(trails(n));
    expect(edges).toHaveLength(Math.min(n, MAX_TRAILS));
    expect(edges.at(-1)?.target).toBe(`pod:default/new-${n - 1}`);
    for (const e of edges) {
      expect(e.data?.moving).toBe(n <= FEW_TRAILS);
      expect(e.data?.label).toBe(n <= FEW_TRAILS ? 'replaced by' : undefined);
    }
  });
});

describe('moving edges', () => {
  it.each([[0, true], [MAX_MOVING_EDGES, true], [MAX_MOVING_EDGES + 1, false], [1000, false]])('%i Service endpoint lines: dots move = %s', (n, moving) => {
    expect(motionFor(n)).toBe(moving);
  });
});
