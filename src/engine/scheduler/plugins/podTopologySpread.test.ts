import { describe, expect, it } from 'vitest';
import { ApiStore } from '../../api/store';
import { Clock } from '../../clock';
import type { Pod } from '../../api/types';
import { Rng } from '../../rng';
import { CycleState } from '../framework/interface';
import { SchedulerCache, type NodeInfo } from '../framework/nodeInfo';
import { Code } from '../framework/status';
import { makeNode, makePod, nodeInfo, scoreWith } from '../testing';
import { PodTopologySpread, topologyNormalizingWeight } from './podTopologySpread';

function labelled(name: string, labels: Record<string, string>): Pod {
  const p = makePod(name).noRequests().build();
  return { ...p, metadata: { ...p.metadata, labels } };
}
const foo = (name: string) => labelled(name, { foo: '' });

function plugin(nodes: NodeInfo[], store = new ApiStore(new Clock(), new Rng(1))) {
  return new PodTopologySpread({ store, allNodes: () => nodes });
}

const soft = (topologyKey: string, maxSkew = 1) => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable: 'ScheduleAnyway',
  labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
});
const incoming = (...constraints: ReturnType<typeof soft>[]): Pod => {
  const p = foo('p');
  return { ...p, spec: { ...p.spec!, topologySpreadConstraints: constraints } };
};

// Follows TestPodTopologySpreadScore (pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go)
// and its formula: score = Σ count·ln(domains + 2) + (maxSkew − 1), then 100·(max + min − s)/max.
describe('PodTopologySpread Score', () => {
  it('one constraint on node, no existing pods: all nodes score 100', () => {
    const nodes = ['node-a', 'node-b'].map((n) => nodeInfo(makeNode(n).labels({ node: n }).build()));
    expect(scoreWith(plugin(nodes), incoming(soft('node')), nodes)).toEqual([100, 100]);
  });

  it('one constraint on node, all nodes have the same number of matching pods', () => {
    const nodes = ['node-a', 'node-b'].map((n) => nodeInfo(makeNode(n).labels({ node: n }).build(), foo(`${n}-1`)));
    expect(scoreWith(plugin(nodes), incoming(soft('node')), nodes)).toEqual([100, 100]);
  });

  it('one constraint on node, 4 candidates with 6/5/4/0 matching pods', () => {
    const counts = [6, 5, 4, 0];
    const nodes = counts.map((c, i) => {
      const n = `node-${'abcd'[i]}`;
      return nodeInfo(makeNode(n).labels({ node: n }).build(), ...Array.from({ length: c }, (_, j) => foo(`${n}-${j}`)));
    });
    // w = ln(6) ≈ 1.79: raw 11, 9, 7, 0 → 100·(11 − s)/11
    expect(Math.round(6 * topologyNormalizingWeight(4))).toBe(11);
    expect(scoreWith(plugin(nodes), incoming(soft('node')), nodes)).toEqual([0, 18, 36, 100]);
  });

  it('counts non-matching pods as nothing and ignores nodes without the key', () => {
    const nodes = [
      nodeInfo(makeNode('node-a').labels({ zone: 'z1' }).build(), foo('a1'), labelled('a2', { bar: '' })),
      nodeInfo(makeNode('node-b').labels({ zone: 'z2' }).build()),
      nodeInfo(makeNode('node-x').build(), foo('x1')),
    ];
    // Two zone domains: w = ln(4); z1 has 1 match → round(1.39) = 1; z2 has 0. node-x lacks the key: ignored → 0.
    expect(scoreWith(plugin(nodes), incoming(soft('zone')), nodes)).toEqual([0, 100, 0]);
  });

  it('zone counts include pods on nodes that were not candidates', () => {
    const all = [
      nodeInfo(makeNode('a1').labels({ zone: 'z1' }).build(), foo('p1'), foo('p2')),
      nodeInfo(makeNode('a2').labels({ zone: 'z1' }).build()),
      nodeInfo(makeNode('b1').labels({ zone: 'z2' }).build()),
    ];
    const candidates = [all[1], all[2]];
    // z1 holds 2 matching pods (on a1, not a candidate): a2 raw round(2·ln 4) = 3, b1 0.
    expect(scoreWith(plugin(all), incoming(soft('zone')), candidates)).toEqual([0, 100]);
  });

  it('skips a pod with no constraints that nothing selects', () => {
    const nodes = [nodeInfo(makeNode('n').build())];
    expect(scoreWith(plugin(nodes), foo('p'), nodes)).toBe('Skip');
  });

  it('applies the system defaults (hostname maxSkew 3, zone maxSkew 5) to pods a Service selects', () => {
    const store = new ApiStore(new Clock(), new Rng(1));
    store.create('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } });
    const web = (n: string) => labelled(n, { app: 'web' });
    const nodes = [
      nodeInfo(makeNode('n1').labels({ 'topology.kubernetes.io/zone': 'a' }).build(), web('w1'), web('w2')),
      nodeInfo(makeNode('n2').labels({ 'topology.kubernetes.io/zone': 'a' }).build()),
      nodeInfo(makeNode('n3').labels({ 'topology.kubernetes.io/zone': 'b' }).build()),
    ];
    // hostname: w = ln(5); zone: w = ln(4).
    // n1: 2·1.609 + 2 + 2·1.386 + 4 = 11.99 → 12; n2: 0 + 2 + 2.77 + 4 = 8.77 → 9; n3: 2 + 4 = 6.
    // Normalised: 100·(12 + 6 − s)/12 → 50, 75, 100.
    expect(scoreWith(plugin(nodes, store), web('incoming'), nodes)).toEqual([50, 75, 100]);
    expect(scoreWith(plugin(nodes, store), labelled('other', { app: 'db' }), nodes)).toBe('Skip');
  });

  it('recomputes the default selector when Services or ReplicaSets change between pods with equal labels', () => {
    const store = new ApiStore(new Clock(), new Rng(1));
    const nodes = [nodeInfo(makeNode('n1').labels({ 'topology.kubernetes.io/zone': 'a' }).build()), nodeInfo(makeNode('n2').build())];
    const p = plugin(nodes, store);
    // A fresh labels object each time: only their values are equal.
    const web = (n: string, namespace = 'default') => ({ ...labelled(n, { app: 'web' }), metadata: { name: n, namespace, labels: { app: 'web' } } });
    const skipped = (pod: Pod) => p.preScore(new CycleState(), pod, nodes)?.code === Code.Skip;
    expect(skipped(web('a'))).toBe(true);
    const svc = store.create('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } });
    expect(skipped(web('b'))).toBe(false);
    expect(skipped(web('c', 'other'))).toBe(true);
    expect(skipped(labelled('d', { app: 'web', tier: 'x' }))).toBe(false);
    expect(skipped(labelled('e', { app: 'db' }))).toBe(true);
    store.update('Service', { ...svc, spec: { selector: { app: 'db' } } });
    expect(skipped(web('f'))).toBe(true);
    expect(skipped(labelled('g', { app: 'db' }))).toBe(false);
    store.remove('Service', 'default', 'web');
    expect(skipped(labelled('h', { app: 'db' }))).toBe(true);
    store.create('ReplicaSet', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } }, template: {} } });
    expect(skipped(labelled('i', { app: 'db' }))).toBe(false);
  });
});

// Mirrors TestSingleConstraint / TestMultipleConstraints (filtering_test.go), one zone key.
describe('PodTopologySpread Filter (DoNotSchedule)', () => {
  const hard = (topologyKey: string, maxSkew = 1) => ({ ...soft(topologyKey, maxSkew), whenUnsatisfiable: 'DoNotSchedule' });
  const zoned = (name: string, zone: string | undefined, pods: number) =>
    nodeInfo(
      makeNode(name).labels(zone ? { zone, node: name } : { node: name }).build(),
      ...Array.from({ length: pods }, (_, j) => foo(`${name}-${j}`)),
    );
  function verdicts(pod: Pod, nodes: NodeInfo[]) {
    const p = plugin(nodes);
    const state = new CycleState();
    const pre = p.preFilter(state, pod);
    if (pre?.code === Code.Skip) return 'Skip';
    return nodes.map((n) => p.filter(state, pod, n)?.reasons[0] ?? 'fits');
  }

  it('no existing pods: every node fits', () => {
    const nodes = [zoned('node-a', 'zone1', 0), zoned('node-b', 'zone1', 0), zoned('node-x', 'zone2', 0), zoned('node-y', 'zone2', 0)];
    expect(verdicts(incoming(hard('zone')), nodes)).toEqual(['fits', 'fits', 'fits', 'fits']);
  });

  it('existing pods in a different namespace do not count', () => {
    const other = { ...foo('o1'), metadata: { ...foo('o1').metadata, namespace: 'ns2' } };
    const nodes = [nodeInfo(makeNode('node-a').labels({ zone: 'zone1' }).build(), other), zoned('node-x', 'zone2', 0)];
    expect(verdicts(incoming(hard('zone')), nodes)).toEqual(['fits', 'fits']);
  });

  it('pods spread as 3/1 across zones: only the emptier zone fits with maxSkew 1', () => {
    const nodes = [zoned('node-a', 'zone1', 2), zoned('node-b', 'zone1', 1), zoned('node-x', 'zone2', 1), zoned('node-y', 'zone2', 0)];
    expect(verdicts(incoming(hard('zone')), nodes)).toEqual([
      "node(s) didn't match pod topology spread constraints",
      "node(s) didn't match pod topology spread constraints",
      'fits',
      'fits',
    ]);
  });

  it('maxSkew 3 tolerates the 3/1 spread', () => {
    const nodes = [zoned('node-a', 'zone1', 2), zoned('node-b', 'zone1', 1), zoned('node-x', 'zone2', 1)];
    expect(verdicts(incoming(hard('zone', 3)), nodes)).toEqual(['fits', 'fits', 'fits']);
  });

  it('a node without the topology key is rejected as unresolvable', () => {
    const nodes = [zoned('node-a', 'zone1', 0), zoned('node-z', undefined, 0)];
    expect(verdicts(incoming(hard('zone')), nodes)).toEqual(['fits', "node(s) didn't match pod topology spread constraints (missing required label)"]);
  });

  it('a pod that does not match its own selector adds nothing to the skew', () => {
    const nodes = [zoned('node-a', 'zone1', 1), zoned('node-x', 'zone2', 0)];
    const pod = { ...incoming(hard('zone')), metadata: { name: 'p', namespace: 'default', labels: { bar: '' } } };
    expect(verdicts(pod, nodes)).toEqual(['fits', 'fits']);
  });

  it('skips pods without hard constraints', () => {
    expect(verdicts(incoming(soft('zone')), [zoned('node-a', 'zone1', 0)])).toBe('Skip');
  });
});

describe('PodTopologySpread scoreNodes with node-list tables', () => {
  it('scores as score() does node by node, after node labels and pods change', () => {
    const cache = new SchedulerCache();
    for (const [n, rack] of [
      ['node-a', 'r1'],
      ['node-b', 'r1'],
      ['node-c', 'r2'],
    ]) {
      cache.setNode(makeNode(n).labels({ rack }).build());
    }
    const p = new PodTopologySpread({ store: new ApiStore(new Clock(), new Rng(1)), allNodes: () => cache.nodeList(), changes: () => cache.changes() });
    // A rack constraint reads each node's value from a column; a hostname one, each node's count from a table.
    const pod = incoming(soft('rack'), soft('kubernetes.io/hostname'));
    const scores = (): number[] => {
      const list = cache.nodeList();
      const state = new CycleState();
      p.preScore(state, pod, list);
      const out = new Int32Array(list.length);
      p.scoreNodes(state, pod, list, out, list, Int32Array.from(list, (_, i) => i));
      expect([...out]).toEqual(list.map((n) => p.score(state, pod, n)));
      return [...out];
    };
    const bind = (name: string, node: string) => cache.setPod(`default/${name}`, { ...foo(name), spec: { ...foo(name).spec!, nodeName: node } });
    const list = cache.nodeList();
    expect(scores()).toEqual([0, 0, 0]);
    bind('a1', 'node-a');
    bind('a2', 'node-a');
    // rack r1 holds 2 (weight ln 4), node-a holds 2 (weight ln 5): 2·1.39 + 2·1.61 ≈ 6; node-b 2.8; node-c 0.
    expect(scores()).toEqual([6, 3, 0]);
    // A rack change keeps the node list (only a zone change rebuilds it): node-c's column entry must be forgotten.
    cache.setNode(makeNode('node-c').labels({ rack: 'r1' }).build());
    expect(cache.nodeList()).toBe(list);
    // One rack left (weight ln 3 ≈ 1.10), holding 2 on every node.
    expect(scores()).toEqual([5, 2, 2]);
  });
});
