import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Clock } from '../clock';
import { BinaryHeap } from '../heap';
import { makePod } from './testing';
import { ActiveQueue, before, POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION, SchedulingQueue } from './queue';

describe('SchedulingQueue', () => {
  // Mirrors TestBackOffFlow / calculateBackoffDuration: 1s initial, doubling, 10s cap.
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10000],
    [6, 10000],
    [20, 10000],
  ])('attempt %i backs off %i ms', (attempts, ms) => {
    expect(new SchedulingQueue(new Clock()).backoffDuration(attempts)).toBe(ms);
  });

  it('pops by priority, then by age (PrioritySort)', () => {
    const clock = new Clock();
    const q = new SchedulingQueue(clock);
    q.add('default/low-old', makePod('low-old').build());
    clock.advanceTo(10);
    q.add('default/high', makePod('high').priority(100).build());
    q.add('default/low-new', makePod('low-new').build());
    expect([q.pop()?.key, q.pop()?.key, q.pop()?.key, q.pop()]).toEqual(['default/high', 'default/low-old', 'default/low-new', undefined]);
  });

  it('re-sorts the active queue when a pod added again comes with another priority', () => {
    const q = new SchedulingQueue(new Clock());
    q.add('default/a', makePod('a').build());
    q.add('default/b', makePod('b').build());
    q.add('default/b', makePod('b').priority(100).build());
    expect(q.get('default/b')?.priority).toBe(100);
    expect([q.pop()?.key, q.pop()?.key]).toEqual(['default/b', 'default/a']);
  });

  it('keeps an unschedulable pod until an event that concerns its rejecting plugin, then backs it off', () => {
    const clock = new Clock();
    const q = new SchedulingQueue(clock);
    q.add('default/p', makePod('p').build());
    const p = q.pop()!;
    q.addUnschedulable(p, ['NodeResourcesFit']);
    expect(q.sizes().unschedulable).toBe(1);
    expect(q.moveAllToActiveOrBackoff({ label: 'NodeTaintChange', plugins: new Set(['TaintToleration']) })).toBe(0);
    clock.advanceTo(300);
    expect(q.moveAllToActiveOrBackoff({ label: 'AssignedPodDelete', plugins: new Set(['NodeResourcesFit']) })).toBe(1);
    expect(q.sizes().backoff).toBe(1);
    clock.advanceTo(999);
    expect(q.hasActive()).toBe(false);
    clock.advanceTo(1000);
    expect(q.hasActive()).toBe(true);
    expect(q.pop()?.attempts).toBe(2);
  });

  it('moves a pod whose backoff already ended straight to the active queue', () => {
    const clock = new Clock();
    const q = new SchedulingQueue(clock);
    q.add('default/p', makePod('p').build());
    q.addUnschedulable(q.pop()!, ['TaintToleration']);
    clock.advanceTo(5000);
    q.moveAllToActiveOrBackoff({ label: 'NodeAdd', plugins: '*' });
    expect(q.sizes().active).toBe(1);
  });

  it('flushes pods left unschedulable for more than 5 minutes on the 30s flush tick', () => {
    const clock = new Clock();
    const q = new SchedulingQueue(clock);
    clock.advanceTo(1000);
    q.add('default/p', makePod('p').build());
    q.addUnschedulable(q.pop()!, ['NodeAffinity']);
    clock.advanceTo(1000 + POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION);
    expect(q.hasActive()).toBe(false);
    clock.advanceTo(329_999);
    expect(q.hasActive()).toBe(false);
    clock.advanceTo(330_000);
    expect(q.hasActive()).toBe(true);
  });

  it('sends errors to the backoff queue directly', () => {
    const clock = new Clock();
    const q = new SchedulingQueue(clock);
    q.add('default/p', makePod('p').build());
    q.addUnschedulable(q.pop()!, [], true);
    expect(q.sizes().backoff).toBe(1);
    clock.advanceTo(1000);
    expect(q.sizes().active).toBe(1);
  });

  it('forgets deleted pods, wherever they wait', () => {
    const clock = new Clock();
    const q = new SchedulingQueue(clock);
    q.add('default/a', makePod('a').build());
    q.add('default/b', makePod('b').build());
    q.addUnschedulable(q.pop()!, [], true);
    q.delete('default/a');
    q.delete('default/b');
    clock.advanceTo(20_000);
    expect(q.sizes()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });
});

describe('ActiveQueue (fast-check)', () => {
  type Item = { priority: number; timestamp: number; seq: number };
  type Step = { op: 'push'; priority: number; dt: number } | { op: 'pop' } | { op: 'remove'; at: number } | { op: 'bump'; at: number; priority: number };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('push' as const), priority: fc.constantFrom(0, 0, 0, 1, -1), dt: fc.integer({ min: -2, max: 3 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('pop' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('bump' as const), at: fc.nat(), priority: fc.integer({ min: -1, max: 2 }) }) },
  );

  it('pops in the same order as one binary heap, through removals and key changes', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        const q = new ActiveQueue<Item>(before);
        const ref = new BinaryHeap<Item>(before);
        const live: Item[] = [];
        let t = 0;
        let seq = 0;
        for (const s of steps) {
          if (s.op === 'push') {
            t = Math.max(0, t + s.dt);
            const item = { priority: s.priority, timestamp: t, seq: seq++ };
            q.push(item);
            ref.push(item);
            live.push(item);
          } else if (s.op === 'pop') {
            const a = q.pop();
            expect(a).toBe(ref.pop());
            if (a) live.splice(live.indexOf(a), 1);
          } else if (live.length) {
            const item = live[s.at % live.length];
            if (s.op === 'remove') {
              expect(q.remove(item)).toBe(ref.remove(item));
              live.splice(live.indexOf(item), 1);
            } else {
              item.priority = s.priority;
              q.reorder();
              ref.reorder();
            }
          }
          expect(q.size).toBe(ref.size);
        }
        for (let a = q.pop(); a; a = q.pop()) expect(a).toBe(ref.pop());
        expect(ref.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
