/**
 * Engine invariants under random sequences of user actions and faults (fast-check):
 * - no node's allocatable cpu, memory or pod count is over-committed by the pods bound to it;
 * - no pod is bound to a node that does not exist;
 * - no uid is ever handed out twice;
 * - once faults stop, every ReplicaSet converges to spec.replicas active pods in bounded time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { milliCpu, bytes } from './api/quantity';
import type { Deployment, Pod } from './api/types';
import { Cluster } from './cluster';
import { nginxDeployment } from './testing/builders';

const NODES = ['node-1', 'node-2', 'node-3'];
const DEPLOYS = ['web', 'api'];

type Action =
  | { op: 'apply'; name: string; replicas: number; cpu: number }
  | { op: 'scale'; name: string; replicas: number }
  | { op: 'deleteDeploy'; name: string }
  | { op: 'deletePod'; index: number; force: boolean }
  | { op: 'kill' | 'start' | 'partition' | 'heal'; node: string }
  | { op: 'advance'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ op: fc.constant('apply' as const), name: fc.constantFrom(...DEPLOYS), replicas: fc.integer({ min: 0, max: 8 }), cpu: fc.constantFrom(100, 250, 500, 1500) }),
  fc.record({ op: fc.constant('scale' as const), name: fc.constantFrom(...DEPLOYS), replicas: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ op: fc.constant('deleteDeploy' as const), name: fc.constantFrom(...DEPLOYS) }),
  fc.record({ op: fc.constant('deletePod' as const), index: fc.nat(50), force: fc.boolean() }),
  fc.record({ op: fc.constantFrom('kill' as const, 'start' as const, 'partition' as const, 'heal' as const), node: fc.constantFrom(...NODES) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1_000, max: 400_000 }) }),
);

function deployment(name: string, replicas: number, cpu: number): Deployment {
  return nginxDeployment(name, replicas, { cpu: `${cpu}m`, memory: '256Mi' });
}

function apply(c: Cluster, a: Action): void {
  try {
    switch (a.op) {
      case 'apply': {
        const existing = c.store.get('Deployment', 'default', a.name);
        const d = deployment(a.name, a.replicas, a.cpu);
        if (existing) c.api.update('Deployment', { ...existing, spec: d.spec });
        else c.api.create('Deployment', d);
        break;
      }
      case 'scale': {
        const d = c.store.get('Deployment', 'default', a.name);
        if (d) c.api.update('Deployment', { ...d, spec: { ...d.spec!, replicas: a.replicas } });
        break;
      }
      case 'deleteDeploy':
        if (c.store.get('Deployment', 'default', a.name)) c.api.delete('Deployment', 'default', a.name);
        break;
      case 'deletePod': {
        const pods = c.store.list('Pod', 'default');
        if (pods.length) {
          const p = pods[a.index % pods.length];
          c.api.delete('Pod', 'default', p.metadata!.name!, a.force ? { force: true, gracePeriodSeconds: 0 } : {});
        }
        break;
      }
      case 'kill':
        c.faults.setPower(a.node, 'Off');
        break;
      case 'start':
        c.faults.setPower(a.node, 'On');
        break;
      case 'partition':
        c.faults.setPartitioned(a.node, true);
        break;
      case 'heal':
        c.faults.setPartitioned(a.node, false);
        break;
      case 'advance':
        c.advance(a.ms);
        return;
    }
    c.settle();
  } catch (e) {
    // API refusals (NotFound, Invalid…) are fine; anything else is a bug.
    if ((e as Error).name !== 'ApiError') throw e;
  }
}

function checkSafety(c: Cluster): void {
  for (const node of c.store.list('Node')) {
    const pods = c.store.podsOnNode(node.metadata!.name!).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    let cpu = 0;
    let mem = 0;
    for (const p of pods) for (const ct of p.spec!.containers) {
      cpu += milliCpu(ct.resources?.requests?.cpu);
      mem += bytes(ct.resources?.requests?.memory);
    }
    const alloc = node.status!.allocatable!;
    expect(cpu, `cpu requested on ${node.metadata!.name}`).toBeLessThanOrEqual(milliCpu(alloc.cpu));
    expect(mem, `memory requested on ${node.metadata!.name}`).toBeLessThanOrEqual(bytes(alloc.memory));
    expect(pods.length).toBeLessThanOrEqual(Number(alloc.pods));
  }
  for (const p of c.store.values('Pod') as IterableIterator<Pod>) {
    if (p.spec?.nodeName) expect(c.store.get('Node', undefined, p.spec.nodeName), `node of ${p.metadata!.name}`).toBeDefined();
  }
}

function activePods(c: Cluster, rsName: string): number {
  return c.store
    .list('Pod', 'default')
    .filter((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === rsName))
    .filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
}

describe('cluster invariants (fast-check)', () => {
  it('never over-commits a node, never binds to a missing node, never reuses a uid, and converges once faults stop', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), (actions, seed) => {
        const c = new Cluster({ seed });
        c.addNode('control-plane', { cpu: '2', memory: '4Gi', controlPlane: true });
        for (const n of NODES) c.addNode(n, { cpu: '2', memory: '4Gi' });
        const uids = new Set<string>();
        c.store.watch('*', (ev) => {
          if (ev.type !== 'ADDED') return;
          const uid = ev.object.metadata!.uid!;
          expect(uids.has(uid), `uid ${uid} reused`).toBe(false);
          uids.add(uid);
        });
        for (const a of actions) {
          apply(c, a);
          checkSafety(c);
        }
        // Faults stop: every node powered on and connected.
        for (const n of NODES) {
          c.faults.setPower(n, 'On');
          c.faults.setPartitioned(n, false);
        }
        c.advance(15 * 60_000);
        checkSafety(c);
        for (const rs of c.store.list('ReplicaSet', 'default')) {
          expect(activePods(c, rs.metadata!.name!), `active pods of ${rs.metadata!.name}`).toBe(rs.spec!.replicas ?? 1);
        }
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
