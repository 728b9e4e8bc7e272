/**
 * Property: whatever users and faults do, once the faults stop every ReplicaSet converges to
 * spec.replicas active pods and every Deployment finishes its rollout, in bounded time; and no
 * uid is ever handed out twice.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Deployment, ReplicaSet } from '../api/types';
import { DeploymentController } from './deployment';
import { GarbageCollector } from './garbageCollector';
import { NodeLifecycleController } from './nodeLifecycle';
import { ReplicaSetController } from './replicaset';
import { TaintEvictionController } from './taintEviction';
import { FakeKubelets, FakeScheduler, TestSim, template } from './testing/sim';
import { controllerRef, isPodActive } from './controllerUtils';
import { selectorFromLabelSelector } from '../api/labels';

const NODES = ['node-1', 'node-2', 'node-3', 'node-4'];
const NAMES = ['web', 'api'];

type Cmd =
  | { op: 'apply'; name: string; replicas: number; image: string }
  | { op: 'scale'; name: string; replicas: number }
  | { op: 'delete'; name: string; cascade: 'Background' | 'Foreground' | 'Orphan' }
  | { op: 'rs'; replicas: number }
  | { op: 'kill' | 'start' | 'partition' | 'heal'; node: string }
  | { op: 'advance'; ms: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant('apply' as const), name: fc.constantFrom(...NAMES), replicas: fc.integer({ min: 0, max: 5 }), image: fc.constantFrom('nginx:1.26', 'nginx:1.27', 'nginx:1.28') }),
  fc.record({ op: fc.constant('scale' as const), name: fc.constantFrom(...NAMES), replicas: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...NAMES), cascade: fc.constantFrom('Background' as const, 'Foreground' as const, 'Orphan' as const) }),
  fc.record({ op: fc.constant('rs' as const), replicas: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constantFrom('kill' as const, 'start' as const, 'partition' as const, 'heal' as const), node: fc.constantFrom(...NODES) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
);

function run(cmds: Cmd[], seed: number) {
  const sim = new TestSim(seed);
  sim.add(new ReplicaSetController(sim));
  sim.add(new DeploymentController(sim));
  sim.add(new GarbageCollector(sim));
  sim.add(new NodeLifecycleController(sim));
  sim.add(new TaintEvictionController(sim));
  sim.add(new FakeScheduler(sim));
  sim.add(new FakeKubelets(sim));
  const uids = new Set<string>();
  let reused = 0;
  sim.store.watch('*', (ev) => {
    if (ev.type !== 'ADDED') return;
    if (uids.has(ev.object.metadata!.uid!)) reused++;
    uids.add(ev.object.metadata!.uid!);
  });
  for (const n of NODES) sim.addNode(n);
  sim.settle();
  for (const c of cmds) {
    const d = 'name' in c ? sim.store.get('Deployment', 'default', c.name) : undefined;
    switch (c.op) {
      case 'apply': {
        const t = template(c.name, c.image);
        const body: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: c.name, namespace: 'default' }, spec: { replicas: c.replicas, selector: { matchLabels: { app: c.name } }, template: t } };
        if (!d) sim.api.create('Deployment', body);
        else if (!d.metadata!.deletionTimestamp) sim.api.update('Deployment', { ...d, spec: { ...d.spec!, replicas: c.replicas, template: { ...d.spec!.template!, spec: t.spec } } });
        break;
      }
      case 'scale':
        if (d && !d.metadata!.deletionTimestamp) sim.api.update('Deployment', { ...d, spec: { ...d.spec!, replicas: c.replicas } });
        break;
      case 'delete':
        if (d) sim.api.delete('Deployment', 'default', c.name, { propagationPolicy: c.cascade });
        break;
      case 'rs': {
        const rs = sim.store.get('ReplicaSet', 'default', 'bare');
        const body: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'bare', namespace: 'default' }, spec: { replicas: c.replicas, selector: { matchLabels: { app: 'bare' } }, template: template('bare') } };
        if (!rs) sim.api.create('ReplicaSet', body);
        else if (!rs.metadata!.deletionTimestamp) sim.api.update('ReplicaSet', { ...rs, spec: { ...rs.spec!, replicas: c.replicas } });
        break;
      }
      case 'kill':
        sim.faults.setPower(c.node, 'Off');
        break;
      case 'start':
        sim.faults.setPower(c.node, 'On');
        break;
      case 'partition':
        sim.faults.setPartitioned(c.node, true);
        break;
      case 'heal':
        sim.faults.setPartitioned(c.node, false);
        break;
      case 'advance':
        sim.advance(c.ms);
        break;
    }
    sim.settle();
  }
  // The faults stop.
  for (const n of NODES) {
    sim.faults.setPower(n, 'On');
    sim.faults.setPartitioned(n, false);
  }
  sim.advance(10 * 60_000);
  return { sim, reused };
}

describe('convergence (fast-check)', () => {
  it('every ReplicaSet converges to spec.replicas active pods once faults stop; uids are never reused', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), (cmds, seed) => {
        const { sim, reused } = run(cmds, seed);
        expect(reused).toBe(0);
        const pods = sim.pods();
        for (const rs of sim.store.list('ReplicaSet', 'default')) {
          if (rs.metadata!.deletionTimestamp) continue;
          const sel = selectorFromLabelSelector(rs.spec!.selector);
          const mine = pods.filter((p) => controllerRef(p)?.uid === rs.metadata!.uid && isPodActive(p) && sel.matches(p.metadata!.labels));
          expect(mine.length, `ReplicaSet ${rs.metadata!.name}`).toBe(rs.spec!.replicas);
          expect(rs.status?.replicas).toBe(rs.spec!.replicas);
        }
        for (const d of sim.store.list('Deployment', 'default')) {
          if (d.metadata!.deletionTimestamp) continue;
          expect(d.status).toMatchObject({ replicas: d.spec!.replicas, updatedReplicas: d.spec!.replicas, availableReplicas: d.spec!.replicas });
        }
        // Nothing is left Terminating once every kubelet is back, and no node keeps a taint.
        expect(pods.filter((p) => p.metadata!.deletionTimestamp)).toEqual([]);
        for (const n of NODES) expect(sim.node(n).spec?.taints ?? []).toEqual([]);
      }),
      { numRuns: 25, seed: 20260101 },
    );
  });
});
