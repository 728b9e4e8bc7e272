import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { makeNode, makePod, nodeInfo, scoreWith } from '../testing';
import { BalancedAllocation, balancedScore } from './balancedAllocation';

function cores(...containers: [string, string][]): Pod {
  let b = makePod('p');
  for (const [cpu, memory] of containers) b = b.requests({ cpu, memory });
  return b.build();
}
const sized = (name: string, cpu: string, memory: string) => makeNode(name).capacity({ cpu, memory, pods: 110 }).build();
const on = (pod: Pod, node: string, name: string): Pod => ({ ...pod, metadata: { ...pod.metadata, name }, spec: { ...pod.spec!, nodeName: node } });

// Mirrors TestNodeResourcesBalancedAllocation in balanced_allocation_test.go.
describe('NodeResourcesBalancedAllocation Score', () => {
  const cases: { name: string; pod: Pod; nodes: [string, string][]; existing: Pod[][]; want: number[] | 'Skip' }[] = [
    {
      // Best-effort pods are skipped since v1.32 (kubernetes#129138).
      name: 'nothing scheduled, nothing requested: skipped',
      pod: makePod('p').noRequests().build(),
      nodes: [['4000', '10000'], ['4000', '10000']],
      existing: [[], []],
      want: 'Skip',
    },
    {
      // node1: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → (1 - 0.125) * 100 = 87
      // node2: cpu 3000/6000 = 0.5, memory 0.5 → 100
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: cores(['1000', '2000'], ['2000', '3000']),
      nodes: [['4000', '10000'], ['6000', '10000']],
      existing: [[], []],
      want: [87, 100],
    },
    {
      // node1: cpu 6000/10000 = 0.6, memory 5000/20000 = 0.25 → 82
      // node2: cpu 0.6, memory 10000/20000 = 0.5 → 95
      name: 'resources requested, pods scheduled with resources',
      pod: cores(['1000', '2000'], ['2000', '3000']),
      nodes: [['10000', '20000'], ['10000', '20000']],
      existing: [[cores(['3000', '0'])], [cores(['3000', '5000'])]],
      want: [82, 95],
    },
    {
      // node2 memory 10000/50000 = 0.2 → (1 - 0.2) * 100 = 80
      name: 'resources requested, pods scheduled with resources, differently sized nodes',
      pod: cores(['1000', '2000'], ['2000', '3000']),
      nodes: [['10000', '20000'], ['10000', '50000']],
      existing: [[cores(['3000', '0'])], [cores(['3000', '5000'])]],
      want: [82, 80],
    },
    {
      // Fractions are capped at 1: cpu 6000/4000 → 1, memory 0 → 0.5 → 50; node2 memory 0.5 → 75.
      name: 'requested resources exceed node capacity',
      pod: cores(['3000', '0']),
      nodes: [['4000', '10000'], ['4000', '10000']],
      existing: [[cores(['3000', '0'])], [cores(['3000', '5000'])]],
      want: [50, 75],
    },
  ];
  it.each(cases)('$name', ({ pod, nodes, existing, want }) => {
    const infos = nodes.map(([cpu, mem], i) => nodeInfo(sized(`node${i + 1}`, cpu, mem), ...existing[i].map((p, j) => on(p, `node${i + 1}`, `e${j}`))));
    expect(scoreWith(new BalancedAllocation(), pod, infos)).toEqual(want);
  });

  it.each([
    [[1, 1], [2, 2], 100],
    [[3, 1], [4, 2], 87],
    [[0, 1], [1, 1], 50],
    [[5, 0], [0, 10], 100],
    [[1, 2, 3], [4, 4, 4], 79],
  ])('balancedScore(%j, %j) = %i', (req, alloc, want) => {
    expect(balancedScore(req, alloc)).toBe(want);
  });
});
