import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from './heap';

describe('BinaryHeap', () => {
  it('pops in order, whatever the pushes and removals (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.array(fc.nat()), (xs, removals) => {
        const items = xs.map((v, i) => ({ v, i }));
        const h = new BinaryHeap<{ v: number; i: number }>((a, b) => a.v < b.v || (a.v === b.v && a.i < b.i));
        for (const it of items) h.push(it);
        const removed = new Set<number>();
        for (const r of removals) {
          if (!items.length) break;
          const victim = items[r % items.length];
          if (h.remove(victim)) removed.add(victim.i);
        }
        const out: number[] = [];
        while (h.size) out.push(h.pop()!.i);
        const expected = items.filter((x) => !removed.has(x.i)).sort((a, b) => a.v - b.v || a.i - b.i).map((x) => x.i);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('reorders after keys change in place', () => {
    const a = { k: 1 };
    const b = { k: 2 };
    const h = new BinaryHeap<{ k: number }>((x, y) => x.k < y.k);
    h.push(a);
    h.push(b);
    a.k = 3;
    h.reorder();
    expect(h.pop()).toBe(b);
    expect(h.peek()).toBe(a);
    expect(h.pop()).toBe(a);
    expect(h.pop()).toBeUndefined();
  });
});
