import { describe, expect, it } from 'vitest';
import { Code } from '../framework/status';
import { filterWith, makeNode, makePod, nodeInfo } from '../testing';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulable } from './nodeUnschedulable';

// Mirrors TestNodeUnschedulable in pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go.
describe('NodeUnschedulable Filter', () => {
  const cases = [
    { name: 'a schedulable node (unschedulable unset)', pod: makePod('p').build(), unschedulable: undefined, fits: true },
    { name: 'a cordoned node rejects a pod without the toleration', pod: makePod('p').build(), unschedulable: true, fits: false },
    { name: 'unschedulable: false', pod: makePod('p').build(), unschedulable: false, fits: true },
    {
      name: 'a cordoned node accepts a pod tolerating node.kubernetes.io/unschedulable:NoSchedule',
      pod: makePod('p').tolerations({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).build(),
      unschedulable: true,
      fits: true,
    },
  ];
  it.each(cases)('$name', ({ pod, unschedulable, fits }) => {
    const node = unschedulable === undefined ? makeNode('n').build() : makeNode('n').unschedulable(unschedulable).build();
    const s = filterWith(new NodeUnschedulable(), pod, nodeInfo(node));
    if (fits) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(Code.UnschedulableAndUnresolvable);
      expect(s?.reasons).toEqual([ERR_REASON_UNSCHEDULABLE]);
    }
  });
});
