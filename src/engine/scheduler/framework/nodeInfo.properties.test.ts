import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { makeNode, makePod } from '../testing';
import { countsOnNode, makePodEntry, NodeInfo, SchedulerCache } from './nodeInfo';
import { podHostPorts, podRequests } from './resources';

type Op =
  | { op: 'bind'; pod: number; node: number; cpu: number; mem: number; port: number; init: boolean }
  | { op: 'delete'; pod: number }
  | { op: 'finish'; pod: number }
  | { op: 'relabel'; pod: number };

const NODES = 3;
const PODS = 8;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('bind' as const),
      pod: fc.nat(PODS - 1),
      node: fc.nat(NODES - 1),
      cpu: fc.integer({ min: 0, max: 2000 }),
      mem: fc.integer({ min: 0, max: 512 }),
      port: fc.constantFrom(0, 0, 80, 443),
      init: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pod: fc.nat(PODS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('finish' as const), pod: fc.nat(PODS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('relabel' as const), pod: fc.nat(PODS - 1) }) },
);

function podFor(o: Extract<Op, { op: 'bind' }>): Pod {
  let b = makePod(`p${o.pod}`).on(`node-${o.node}`);
  b = o.cpu || o.mem ? b.requests({ ...(o.cpu ? { cpu: `${o.cpu}m` } : {}), ...(o.mem ? { memory: `${o.mem}Mi` } : {}) }) : b.noRequests();
  if (o.port) b = b.hostPort(o.port);
  if (o.init) b = b.initContainer({ name: 'init', image: 'busybox', resources: { requests: { cpu: '3', memory: '64Mi' } } });
  return b.build();
}

/** A NodeInfo built from scratch from the pods that count on the node. */
function recomputed(node: NodeInfo, pods: Iterable<Pod>): NodeInfo {
  const fresh = new NodeInfo(node.name);
  if (node.node) fresh.setNode(node.node);
  for (const p of pods) if (countsOnNode(p) && p.spec!.nodeName === node.name) fresh.addPod(makePodEntry(`default/${p.metadata!.name}`, p));
  return fresh;
}

function summary(n: NodeInfo) {
  const ports: Record<string, Record<string, number>> = {};
  for (const [k, ips] of n.usedPorts) ports[k] = Object.fromEntries(ips);
  return {
    requested: { ...n.requested },
    nonZero: [n.nonZeroMilliCpu, n.nonZeroMemory],
    podCount: n.podCount,
    pods: [...n.pods.keys()].sort(),
    ports,
  };
}

describe('NodeInfo (fast-check)', () => {
  it('incremental accounting across random bind/delete/finish/relabel sequences equals a from-scratch recount', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const cache = new SchedulerCache();
        for (let i = 0; i < NODES; i++) cache.setNode(makeNode(`node-${i}`).build());
        const pods = new Map<number, Pod>();
        for (const o of ops) {
          const key = `default/p${o.pod}`;
          const cur = pods.get(o.pod);
          if (o.op === 'bind') {
            const p = podFor(o);
            pods.set(o.pod, p);
            cache.setPod(key, p);
          } else if (!cur) {
            continue;
          } else if (o.op === 'delete') {
            pods.delete(o.pod);
            cache.setPod(key, undefined);
          } else if (o.op === 'finish') {
            const p = { ...cur, status: { ...cur.status, phase: 'Succeeded' as const } };
            pods.set(o.pod, p);
            cache.setPod(key, p);
          } else {
            const p = { ...cur, metadata: { ...cur.metadata, labels: { v: String(ops.indexOf(o)) } } };
            pods.set(o.pod, p);
            cache.setPod(key, p);
          }
          for (const info of cache.nodes.values()) expect(summary(info)).toEqual(summary(recomputed(info, pods.values())));
        }
        // The cached requests agree with the request sums of each counted pod.
        for (const p of pods.values()) {
          if (!countsOnNode(p)) continue;
          const e = cache.nodes.get(p.spec!.nodeName!)!.pods.get(`default/${p.metadata!.name}`)!;
          expect(e.requested).toEqual(podRequests(p));
          expect(e.ports).toEqual(podHostPorts(p));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('podRequests answers the same for a shared containers array whatever the init containers and overhead', () => {
    const base = makePod('a').requests({ cpu: '250m', memory: '64Mi' }).build();
    const withInit = { ...base, spec: { ...base.spec!, initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '2' } } }] } };
    const withOverhead = { ...base, spec: { ...base.spec!, overhead: { cpu: '100m' } } };
    expect(podRequests(base).milliCpu).toBe(250);
    expect(podRequests(withInit).milliCpu).toBe(2000);
    expect(podRequests(withOverhead).milliCpu).toBe(350);
    expect(podRequests(base).milliCpu).toBe(250);
    expect(podRequests(base, true).memory).toBe(64 * 2 ** 20);
  });
});
