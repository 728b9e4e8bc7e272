import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '../../api/types';
import { Code } from '../framework/status';
import { filterWith, makeNode, makePod, nodeInfo, scoreWith } from '../testing';
import { ERR_REASON_UNTOLERATED, TaintToleration } from './taintToleration';

const node = (name: string, taints: Taint[]) => {
  let b = makeNode(name);
  for (const t of taints) b = b.taint(t.key, t.value, t.effect);
  return nodeInfo(b.build());
};
const pod = (tolerations: Toleration[]) => makePod('pod1').tolerations(...tolerations).build();

// Mirrors TestTaintTolerationFilter in pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go.
describe('TaintToleration Filter', () => {
  const cases: { name: string; tolerations: Toleration[]; taints: Taint[]; fits: boolean }[] = [
    { name: 'a pod having no tolerations cannot be scheduled onto a node with nonempty taints', tolerations: [], taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], fits: false },
    {
      name: 'a pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
      tolerations: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      fits: true,
    },
    {
      name: "a pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      fits: false,
    },
    {
      name: 'a toleration with operator Exists tolerates the taint',
      tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      fits: true,
    },
    {
      name: 'multiple tolerations tolerate all of multiple taints',
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
      ],
      taints: [
        { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      ],
      fits: true,
    },
    {
      name: "key and value match but the (non-empty) effect doesn't",
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      fits: false,
    },
    {
      name: 'an empty toleration effect matches a NoSchedule taint',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      fits: true,
    },
    {
      name: "key and value don't match but the taint is only PreferNoSchedule",
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
      fits: true,
    },
    { name: 'no toleration, PreferNoSchedule taint', tolerations: [], taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }], fits: true },
    { name: 'an untolerated NoExecute taint keeps the pod off', tolerations: [], taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], fits: false },
    {
      name: 'an empty key with Exists tolerates everything',
      tolerations: [{ operator: 'Exists' }],
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      fits: true,
    },
  ];
  it.each(cases)('$name', ({ tolerations, taints, fits }) => {
    const s = filterWith(new TaintToleration(), pod(tolerations), node('nodeA', taints));
    if (fits) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(Code.UnschedulableAndUnresolvable);
      expect(s?.reasons).toEqual([ERR_REASON_UNTOLERATED]);
      expect(s?.plugin).toBe('TaintToleration');
    }
  });
});

// Mirrors TestTaintTolerationScore.
describe('TaintToleration Score', () => {
  const cases: { name: string; tolerations: Toleration[]; nodes: Taint[][]; want: number[] }[] = [
    {
      name: 'a node with tolerated taints scores higher than one with intolerable taints',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [[{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }], [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }]],
      want: [100, 0],
    },
    {
      name: 'nodes whose taints are all tolerated score the same, however many',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ],
      nodes: [
        [],
        [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }],
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
      want: [100, 100, 100],
    },
    {
      name: 'the more intolerable taints a node has, the lower its score',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [
        [],
        [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }],
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
      want: [100, 50, 0],
    },
    {
      name: 'only PreferNoSchedule taints and tolerations count',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ],
      nodes: [
        [],
        [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }],
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
      want: [100, 100, 0],
    },
    {
      name: 'default: no tolerations, the untainted node wins',
      tolerations: [],
      nodes: [[], [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]],
      want: [100, 0],
    },
  ];
  it.each(cases)('$name', ({ tolerations, nodes, want }) => {
    const infos = nodes.map((t, i) => node(`node${i}`, t));
    expect(scoreWith(new TaintToleration(), pod(tolerations), infos)).toEqual(want);
  });
});
