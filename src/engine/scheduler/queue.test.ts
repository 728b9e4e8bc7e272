import { describe, expect, it } from 'vitest';
import { Clock } from '../clock';
import { makePod } from './testing';
import { POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION, SchedulingQueue } from './queue';

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
