import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { Code } from '../framework/status';
import { filterWith, makeNode, makePod, nodeInfo, scoreWith } from '../testing';
import {
  ERR_REASON_INSUFFICIENT_CPU,
  ERR_REASON_INSUFFICIENT_MEMORY,
  ERR_REASON_TOO_MANY_PODS,
  leastRequestedScore,
  NodeResourcesFit,
} from './nodeResourcesFit';

/** A pod whose containers request (milliCPU, memory bytes), like the real test's newResourcePod(framework.Resource{...}). */
function resourcePod(...containers: [number, number][]): Pod {
  let b = makePod('p');
  for (const [cpu, mem] of containers) b = b.requests({ cpu: `${cpu}m`, memory: String(mem) });
  return b.build();
}
function withInit(pod: Pod, ...inits: [number, number][]): Pod {
  return {
    ...pod,
    spec: {
      ...pod.spec!,
      initContainers: inits.map(([cpu, mem], i) => ({ name: `init${i}`, image: 'busybox', resources: { requests: { cpu: `${cpu}m`, memory: String(mem) } } })),
    },
  };
}

// Node allocatable as in TestEnoughRequests (makeAllocatableResources(10, 20, 32, ...)): 10m cpu, 20 bytes, 32 pods.
const node = () => makeNode('machine1').capacity({ cpu: '10m', memory: '20', pods: 32 }).build();

// Mirrors TestEnoughRequests in pkg/scheduler/framework/plugins/noderesources/fit_test.go.
describe('NodeResourcesFit Filter', () => {
  const cases: { name: string; pod: Pod; existing: Pod; reasons: string[] }[] = [
    { name: 'no resources requested always fits', pod: makePod('p').build(), existing: resourcePod([10, 20]), reasons: [] },
    { name: 'too many resources fails', pod: resourcePod([1, 1]), existing: resourcePod([10, 20]), reasons: [ERR_REASON_INSUFFICIENT_CPU, ERR_REASON_INSUFFICIENT_MEMORY] },
    { name: 'too many resources fails due to init container cpu', pod: withInit(resourcePod([1, 1]), [3, 1]), existing: resourcePod([8, 19]), reasons: [ERR_REASON_INSUFFICIENT_CPU] },
    {
      name: 'too many resources fails due to highest init container cpu',
      pod: withInit(resourcePod([1, 1]), [3, 1], [2, 1]),
      existing: resourcePod([8, 19]),
      reasons: [ERR_REASON_INSUFFICIENT_CPU],
    },
    { name: 'too many resources fails due to init container memory', pod: withInit(resourcePod([1, 1]), [1, 3]), existing: resourcePod([9, 19]), reasons: [ERR_REASON_INSUFFICIENT_MEMORY] },
    {
      name: "init container fits because it's the max, not sum, of containers and init containers",
      pod: withInit(resourcePod([1, 1]), [1, 1]),
      existing: resourcePod([9, 19]),
      reasons: [],
    },
    { name: 'both resources fit', pod: resourcePod([1, 1]), existing: resourcePod([5, 5]), reasons: [] },
    { name: 'one resource memory fits', pod: resourcePod([2, 1]), existing: resourcePod([9, 5]), reasons: [ERR_REASON_INSUFFICIENT_CPU] },
    { name: 'one resource cpu fits', pod: resourcePod([1, 2]), existing: resourcePod([5, 19]), reasons: [ERR_REASON_INSUFFICIENT_MEMORY] },
    { name: 'equal edge case', pod: resourcePod([5, 1]), existing: resourcePod([5, 19]), reasons: [] },
    { name: 'equal edge case for init container', pod: withInit(resourcePod([4, 1]), [5, 1]), existing: resourcePod([5, 19]), reasons: [] },
  ];
  it.each(cases)('$name', ({ pod, existing, reasons }) => {
    const s = filterWith(new NodeResourcesFit(), pod, nodeInfo(node(), existing));
    if (reasons.length === 0) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(Code.Unschedulable);
      expect(s?.reasons).toEqual(reasons);
    }
  });

  // TestNotEnoughRequests: allocatable pods = 1, one pod already there.
  it('reports Too many pods before the other shortfalls', () => {
    const full = makeNode('machine1').capacity({ cpu: '10m', memory: '20', pods: 1 }).build();
    expect(filterWith(new NodeResourcesFit(), makePod('p').build(), nodeInfo(full, resourcePod([10, 20])))?.reasons).toEqual([ERR_REASON_TOO_MANY_PODS]);
    expect(filterWith(new NodeResourcesFit(), resourcePod([1, 1]), nodeInfo(full, resourcePod([10, 20])))?.reasons).toEqual([
      ERR_REASON_TOO_MANY_PODS,
      ERR_REASON_INSUFFICIENT_CPU,
      ERR_REASON_INSUFFICIENT_MEMORY,
    ]);
  });

  it('counts a sidecar for the whole life of the pod', () => {
    const pod: Pod = {
      ...resourcePod([4, 1]),
      spec: {
        ...resourcePod([4, 1]).spec!,
        initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '2m', memory: '1' } } }],
      },
    };
    // 4m + 2m sidecar = 6m > 10m - 5m free.
    expect(filterWith(new NodeResourcesFit(), pod, nodeInfo(node(), resourcePod([5, 5])))?.reasons).toEqual([ERR_REASON_INSUFFICIENT_CPU]);
  });
});

/** (cpu, memory) quantities as the real test writes them: "4000" cpu is 4000 cores. */
function cores(...containers: [string, string][]): Pod {
  let b = makePod('p');
  for (const [cpu, memory] of containers) b = b.requests({ cpu, memory });
  return b.build();
}
const sized = (name: string, cpu: string, memory: string) => makeNode(name).capacity({ cpu, memory, pods: 110 }).build();
const on = (pod: Pod, node: string): Pod => ({ ...pod, spec: { ...pod.spec!, nodeName: node } });

// Mirrors TestLeastAllocatedScoringStrategy in least_allocated_test.go (default resources cpu/memory, weight 1).
describe('NodeResourcesFit Score (LeastAllocated)', () => {
  const cases: { name: string; pod: Pod; nodes: [string, string][]; existing: Pod[][]; want: number[] }[] = [
    { name: 'nothing scheduled, nothing requested', pod: makePod('p').build(), nodes: [['4000', '10000'], ['4000', '10000']], existing: [[], []], want: [100, 100] },
    {
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: cores(['1000', '2000'], ['2000', '3000']),
      nodes: [['4000', '10000'], ['6000', '10000']],
      existing: [[], []],
      want: [37, 50],
    },
    {
      name: 'no resources requested, pods scheduled',
      pod: makePod('p').build(),
      nodes: [['4000', '10000'], ['4000', '10000']],
      existing: [[makePod('a').build(), makePod('b').build()], [makePod('c').build(), makePod('d').build()]],
      want: [100, 100],
    },
    {
      name: 'no resources requested, pods scheduled with resources',
      pod: makePod('p').build(),
      nodes: [['10000', '20000'], ['10000', '20000']],
      existing: [[cores(['3000', '0']), cores(['3000', '0'])], [cores(['3000', '0']), cores(['3000', '5000'])]],
      want: [70, 57],
    },
    {
      name: 'resources requested, pods scheduled with resources',
      pod: cores(['1000', '2000'], ['2000', '3000']),
      nodes: [['10000', '20000'], ['10000', '20000']],
      existing: [[cores(['3000', '0'])], [cores(['3000', '5000'])]],
      want: [57, 45],
    },
    {
      name: 'resources requested, pods scheduled with resources, differently sized nodes',
      pod: cores(['1000', '2000'], ['2000', '3000']),
      nodes: [['10000', '20000'], ['10000', '50000']],
      existing: [[cores(['3000', '0'])], [cores(['3000', '5000'])]],
      want: [57, 60],
    },
    {
      name: 'requested resources exceed node capacity',
      pod: cores(['3000', '0']),
      nodes: [['4000', '10000'], ['4000', '10000']],
      existing: [[cores(['3000', '0'])], [cores(['3000', '5000'])]],
      want: [50, 25],
    },
  ];
  it.each(cases)('$name', ({ pod, nodes, existing, want }) => {
    const infos = nodes.map(([cpu, mem], i) => nodeInfo(sized(`node${i + 1}`, cpu, mem), ...existing[i].map((p, j) => on({ ...p, metadata: { ...p.metadata, name: `e${j}` } }, `node${i + 1}`))));
    expect(scoreWith(new NodeResourcesFit(), pod, infos)).toEqual(want);
  });

  it('zero node resources score 0', () => {
    const bare = makeNode('node1').build();
    const zero = { ...bare, status: { allocatable: {} } };
    expect(scoreWith(new NodeResourcesFit(), makePod('p').build(), [nodeInfo(zero)])).toEqual([0]);
  });

  it('counts 100m / 200Mi for containers without requests (scoring only)', () => {
    // 1 CPU, 1000Mi node; a best-effort pod counts as 100m/200Mi: cpu 90, memory 80 → 85.
    const infos = [nodeInfo(sized('n', '1', '1000Mi'))];
    expect(scoreWith(new NodeResourcesFit(), makePod('p').noRequests().build(), infos)).toEqual([85]);
    // ... but it fits anywhere as far as the filter is concerned.
    const tiny = nodeInfo(sized('n', '50m', '10Mi'));
    expect(filterWith(new NodeResourcesFit(), makePod('p').noRequests().build(), tiny)).toBeNull();
  });

  it.each([
    [0, 100, 100],
    [25, 100, 75],
    [100, 100, 0],
    [150, 100, 0],
    [1, 3, 66],
    [5, 0, 0],
  ])('leastRequestedScore(%i, %i) = %i', (req, cap, want) => {
    expect(leastRequestedScore(req, cap)).toBe(want);
  });
});
