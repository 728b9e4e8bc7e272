import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import type { Pod } from '../api/types';
import { countsOnNode } from './framework/nodeInfo';
import { podHostPorts, podRequests } from './framework/resources';
import { makePod } from './testing';

type Op =
  | { op: 'pod'; cpu: number; mem: number; port: number }
  | { op: 'delete'; index: number }
  | { op: 'node'; cpu: number; mem: number; pods: number }
  | { op: 'cordon'; index: number }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('pod' as const), cpu: fc.integer({ min: 0, max: 2500 }), mem: fc.integer({ min: 0, max: 3000 }), port: fc.constantFrom(0, 0, 0, 80, 443) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('node' as const), cpu: fc.integer({ min: 1, max: 4 }), mem: fc.integer({ min: 1, max: 4 }), pods: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cordon' as const), index: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20_000 }) }) },
);

function checkInvariants(c: Cluster): void {
  const byNode = new Map<string, Pod[]>();
  for (const p of c.store.values('Pod')) {
    if (!countsOnNode(p)) continue;
    const list = byNode.get(p.spec!.nodeName!) ?? [];
    list.push(p);
    byNode.set(p.spec!.nodeName!, list);
  }
  for (const node of c.store.values('Node')) {
    const name = node.metadata!.name!;
    const pods = byNode.get(name) ?? [];
    const info = c.scheduler.cache.nodes.get(name)!;
    let cpu = 0;
    let mem = 0;
    const ports = new Set<string>();
    for (const p of pods) {
      const r = podRequests(p);
      cpu += r.milliCpu;
      mem += r.memory;
      for (const hp of podHostPorts(p)) {
        const k = `${hp.protocol}/${hp.port}`;
        expect(ports.has(k), `host port ${k} used twice on ${name}`).toBe(false);
        ports.add(k);
      }
    }
    // Never over-committed.
    expect(cpu).toBeLessThanOrEqual(info.allocatable.milliCpu);
    expect(mem).toBeLessThanOrEqual(info.allocatable.memory);
    expect(pods.length).toBeLessThanOrEqual(info.allowedPodNumber);
    // The incremental cache agrees with a full recount.
    expect(info.requested.milliCpu).toBe(cpu);
    expect(info.requested.memory).toBe(mem);
    expect(info.podCount).toBe(pods.length);
  }
}

describe('Scheduler invariants (fast-check)', () => {
  it('never over-commits a node’s allocatable cpu, memory or pods, and its cache matches a recount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(opArb, { minLength: 1, maxLength: 40 }), (seed, ops) => {
        const c = new Cluster({ seed, recordEvents: false });
        c.addNode('node-1', { cpu: '2', memory: '2Gi', maxPods: 4 });
        let serial = 0;
        let nodes = 1;
        for (const o of ops) {
          switch (o.op) {
            case 'pod': {
              let b = makePod(`p-${serial++}`).requests({ cpu: `${o.cpu}m`, memory: `${o.mem}Mi` });
              if (o.port) b = b.hostPort(o.port);
              c.api.create('Pod', b.build());
              break;
            }
            case 'delete': {
              const pods = c.store.list('Pod');
              if (pods.length) {
                const p = pods[o.index % pods.length];
                c.api.delete('Pod', 'default', p.metadata!.name!, { force: true, gracePeriodSeconds: 0 });
              }
              break;
            }
            case 'node':
              c.addNode(`node-${++nodes}`, { cpu: String(o.cpu), memory: `${o.mem}Gi`, maxPods: o.pods });
              break;
            case 'cordon': {
              const list = c.store.list('Node');
              const n = list[o.index % list.length];
              c.api.updateStatus('Node', { ...n, spec: { ...n.spec, unschedulable: !n.spec?.unschedulable } });
              break;
            }
            case 'advance':
              c.advance(o.ms);
              break;
          }
          c.settle();
          checkInvariants(c);
        }
      }),
      { numRuns: 60 },
    );
  });
});
