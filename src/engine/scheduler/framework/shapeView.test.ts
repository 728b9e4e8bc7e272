import { describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster';
import { makeNode, makePod } from '../testing';
import { SchedulerCache } from './nodeInfo';
import { DEFAULT_VIEW_CAPACITY, ShapeViews, VERDICT_FEASIBLE, VERDICT_UNKNOWN, type ShapeView } from './shapeView';
import { Code, Status } from './status';

const STRIDE = 2;

/** A cache with `n` nodes (zone-less: listed in order of arrival). */
function cacheWith(n: number): SchedulerCache {
  const cache = new SchedulerCache();
  for (let i = 0; i < n; i++) cache.setNode(makeNode(`node-${i}`).build());
  return cache;
}

/** Mark every entry of the view known: feasible, scored. */
function fill(view: ShapeView): void {
  for (let i = 0; i < view.list.length; i++) {
    view.verdict[i] = VERDICT_FEASIBLE;
    view.scored[i] = 1;
  }
}

function known(view: ShapeView): boolean[] {
  return view.list.map((_, i) => view.verdict[i] !== VERDICT_UNKNOWN && view.scored[i] === 1);
}

/** The change log's head: the change number the next change gets. */
function head(cache: SchedulerCache): number {
  const log = cache.changes();
  return log.base + log.entries.length;
}

function bind(cache: SchedulerCache, pod: string, node: string): void {
  cache.setPod(`default/${pod}`, makePod(pod).on(node).build());
}

describe('SchedulerCache node list and change log', () => {
  it('gives every listed node its index in the list, and the log object stays the same as it fills', () => {
    const cache = cacheWith(3);
    const list = cache.nodeList();
    expect(list.map((n) => n.listIndex)).toEqual([0, 1, 2]);
    const log = cache.changes();
    const from = head(cache);
    bind(cache, 'a', 'node-1');
    expect(cache.changes()).toBe(log);
    expect(log.entries.slice(from - log.base)).toEqual([list[1]]);
  });

  it('empties the log at its limit: older cursors fall off its start', () => {
    const cache = cacheWith(2);
    cache.changeLogLimit = 2;
    const old = head(cache);
    bind(cache, 'a', 'node-0');
    bind(cache, 'b', 'node-0');
    bind(cache, 'c', 'node-1');
    expect(cache.changes().base).toBeGreaterThan(old);
    expect(cache.changes().entries).toEqual([cache.nodes.get('node-1')]);
  });
});

describe('ShapeViews', () => {
  it('forgets only the nodes that changed since the view was last brought up to date', () => {
    const cache = cacheWith(4);
    const views = new ShapeViews(STRIDE);
    const list = cache.nodeList();
    const view = views.get(7, list, cache.changes());
    expect(known(view)).toEqual([false, false, false, false]);
    fill(view);
    bind(cache, 'a', 'node-2');
    bind(cache, 'b', 'node-2');
    expect(views.get(7, list, cache.changes())).toBe(view);
    expect(known(view)).toEqual([true, true, false, true]);
    expect(view.cursor).toBe(head(cache));
  });

  it('forgets everything when the node list is rebuilt (another array)', () => {
    const cache = cacheWith(3);
    const views = new ShapeViews(STRIDE);
    const view = views.get(1, cache.nodeList(), cache.changes());
    fill(view);
    cache.setNode(makeNode('node-9').build());
    const rebuilt = cache.nodeList();
    expect(views.get(1, rebuilt, cache.changes()).list).toBe(rebuilt);
    expect(known(view)).toEqual([false, false, false, false]);
  });

  it('forgets everything when the change log no longer reaches back to the view', () => {
    const cache = cacheWith(6);
    cache.changeLogLimit = 2;
    const views = new ShapeViews(STRIDE);
    const list = cache.nodeList();
    const view = views.get(1, list, cache.changes());
    fill(view);
    // Three changes (fewer than the six nodes) but the log kept only the last of them.
    bind(cache, 'a', 'node-0');
    bind(cache, 'b', 'node-1');
    bind(cache, 'c', 'node-2');
    expect(cache.changes().base).toBeGreaterThan(view.cursor);
    views.get(1, list, cache.changes());
    expect(known(view)).toEqual([false, false, false, false, false, false]);
  });

  it('ignores changes of nodes that are not in its list', () => {
    const cache = cacheWith(3);
    bind(cache, 'a', 'node-0');
    expect(cache.nodeList()[0].name).toBe('node-0');
    // The node is deleted while a pod still points at it: its NodeInfo stays, node-less, keeping
    // the pod's accounting, and the rebuilt list no longer holds it (its stale listIndex 0 is node-1's now).
    cache.removeNode('node-0');
    const list = cache.nodeList();
    expect(list.map((n) => n.name)).toEqual(['node-1', 'node-2']);
    const views = new ShapeViews(STRIDE);
    const view = views.get(1, list, cache.changes());
    fill(view);
    cache.setPod('default/a', undefined);
    expect(cache.changes().entries.at(-1)?.name).toBe('node-0');
    views.get(1, list, cache.changes());
    expect(known(view)).toEqual([true, true]);
  });

  it('keeps the most recently used shapes, recycling the least recently used view for a new one', () => {
    const cache = cacheWith(3);
    const views = new ShapeViews(STRIDE, 2);
    const list = cache.nodeList();
    const a = views.get(1, list, cache.changes());
    const b = views.get(2, list, cache.changes());
    fill(a);
    fill(b);
    expect(views.get(1, list, cache.changes())).toBe(a); // 2 is now the least recently used
    const c = views.get(3, list, cache.changes());
    expect(c).toBe(b);
    expect(c.shape).toBe(3);
    expect(known(c)).toEqual([false, false, false]);
    expect(views.size).toBe(2);
    expect(views.get(1, list, cache.changes())).toBe(a);
    expect(known(a)).toEqual([true, true, true]);
  });

  it('stays within a lowered capacity', () => {
    const cache = cacheWith(1);
    const views = new ShapeViews(STRIDE);
    for (let s = 0; s < DEFAULT_VIEW_CAPACITY + 4; s++) views.get(s, cache.nodeList(), cache.changes());
    expect(views.size).toBe(DEFAULT_VIEW_CAPACITY);
    views.capacity = 3;
    views.get(99, cache.nodeList(), cache.changes());
    expect(views.size).toBe(3);
  });

  it('keeps a real filter rejection with its verdict: the next pod of the shape is rejected without filtering again', () => {
    const c = new Cluster({ seed: 1, recordEvents: false });
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('big-a').requests({ cpu: '2' }).build());
    c.settle();
    const rejection = { plugin: 'NodeResourcesFit', code: Code.Unschedulable, reasons: ['Insufficient cpu'] };
    expect(c.scheduler.explain('default', 'big-a')?.nodes).toEqual([{ node: 'node-1', filter: rejection }]);
    // From now on NodeResourcesFit would say something else: a pod it filters shows it.
    const fit = c.scheduler.framework.filterPlugins.find((p) => p.name === 'NodeResourcesFit')!;
    fit.filter = () => new Status(Code.Unschedulable, ['filtered again']);
    c.api.create('Pod', makePod('big-b').requests({ cpu: '2' }).build());
    c.settle();
    expect(c.scheduler.explain('default', 'big-b')?.nodes).toEqual([{ node: 'node-1', filter: rejection }]);
    // Another shape is filtered afresh.
    c.api.create('Pod', makePod('big-c').requests({ cpu: '3' }).build());
    c.settle();
    expect(c.scheduler.explain('default', 'big-c')?.nodes).toEqual([{ node: 'node-1', filter: { ...rejection, reasons: ['filtered again'] } }]);
  });
});
