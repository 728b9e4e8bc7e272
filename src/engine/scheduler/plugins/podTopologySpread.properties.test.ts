import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectorFromMap } from '../../api/labels';
import type { Pod } from '../../api/types';
import { SchedulerCache } from '../framework/nodeInfo';
import { makeNode, makePod } from '../testing';
import { countPodsMatchSelector } from './podTopologySpread';

type Op =
  | { op: 'bind'; pod: number; node: number; app: string; ns: string }
  | { op: 'delete'; pod: number }
  | { op: 'terminate'; pod: number }
  | { op: 'relabel'; pod: number; app: string }
  | { op: 'count'; node: number; sel: number };

const NODES = 2;
const PODS = 6;
const APPS = ['web', 'db'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('bind' as const), pod: fc.nat(PODS - 1), node: fc.nat(NODES - 1), app: fc.constantFrom(...APPS), ns: fc.constantFrom('default', 'default', 'other') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), pod: fc.nat(PODS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('terminate' as const), pod: fc.nat(PODS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('relabel' as const), pod: fc.nat(PODS - 1), app: fc.constantFrom(...APPS) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('count' as const), node: fc.nat(NODES - 1), sel: fc.nat(APPS.length - 1) }) },
);

const selectors = APPS.map((app) => selectorFromMap({ app }));

/** Pods on the node in `default`, not terminating, whose labels the selector matches, counted from scratch. */
function bruteForce(pods: Iterable<Pod>, node: string, sel: number): number {
  let n = 0;
  for (const p of pods) {
    const m = p.metadata!;
    if (p.spec?.nodeName !== node || m.namespace !== 'default' || m.deletionTimestamp) continue;
    if (selectors[sel].matches(m.labels)) n++;
  }
  return n;
}

describe('countPodsMatchSelector (fast-check)', () => {
  it('its per-node memo (with the one-added-pod shortcut) agrees with a recount after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const cache = new SchedulerCache();
        for (let i = 0; i < NODES; i++) cache.setNode(makeNode(`node-${i}`).build());
        const pods = new Map<number, Pod>();
        const keyOf = (p: Pod) => `${p.metadata!.namespace}/${p.metadata!.name}`;
        for (const o of ops) {
          if (o.op === 'count') {
            const info = cache.nodes.get(`node-${o.node}`)!;
            const key = `default\0${selectors[o.sel].toString()}`;
            expect(countPodsMatchSelector(info, selectors[o.sel], 'default', key)).toBe(bruteForce(pods.values(), info.name, o.sel));
            continue;
          }
          if (o.op === 'bind') {
            if (pods.has(o.pod)) continue;
            const built = makePod(`p${o.pod}`, o.ns).on(`node-${o.node}`).build();
            const p: Pod = { ...built, metadata: { ...built.metadata, labels: { app: o.app } } };
            pods.set(o.pod, p);
            cache.setPod(keyOf(p), p);
            continue;
          }
          const cur = pods.get(o.pod);
          if (!cur) continue;
          if (o.op === 'delete') {
            pods.delete(o.pod);
            cache.setPod(keyOf(cur), undefined);
            continue;
          }
          const next: Pod =
            o.op === 'terminate'
              ? { ...cur, metadata: { ...cur.metadata, deletionTimestamp: '2026-01-01T00:00:30Z' } }
              : { ...cur, metadata: { ...cur.metadata, labels: { app: o.app } } };
          pods.set(o.pod, next);
          cache.setPod(keyOf(next), next);
        }
      }),
      { numRuns: 300 },
    );
  });
});
