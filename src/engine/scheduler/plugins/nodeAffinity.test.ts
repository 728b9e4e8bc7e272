import { describe, expect, it } from 'vitest';
import type { NodeAffinity as NodeAffinitySpec, NodeSelectorRequirement, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import { Code } from '../framework/status';
import { filterWith, makeNode, makePod, nodeInfo, scoreWith } from '../testing';
import { ERR_REASON_POD, NodeAffinity } from './nodeAffinity';

const required = (...terms: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }[]): NodeAffinitySpec => ({
  requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
});
const expr = (key: string, operator: string, ...values: string[]): NodeSelectorRequirement => ({ key, operator, ...(values.length ? { values } : {}) });

interface Case {
  name: string;
  pod: Pod;
  labels?: Record<string, string>;
  nodeName?: string;
  fits: boolean;
}

// Mirrors TestNodeAffinity in pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go.
const cases: Case[] = [
  { name: 'missing labels', pod: makePod('p').nodeSelector({ foo: 'bar' }).build(), fits: false },
  { name: 'same labels', pod: makePod('p').nodeSelector({ foo: 'bar' }).build(), labels: { foo: 'bar' }, fits: true },
  { name: 'node labels are superset', pod: makePod('p').nodeSelector({ foo: 'bar' }).build(), labels: { foo: 'bar', baz: 'blah' }, fits: true },
  { name: 'node labels are subset', pod: makePod('p').nodeSelector({ foo: 'bar', baz: 'blah' }).build(), labels: { foo: 'bar' }, fits: false },
  { name: 'matchExpressions In matches', pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('foo', 'In', 'bar', 'value2')] })).build(), labels: { foo: 'bar' }, fits: true },
  { name: 'matchExpressions Gt matches', pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('kernel-version', 'Gt', '0204')] })).build(), labels: { 'kernel-version': '0206' }, fits: true },
  { name: 'matchExpressions NotIn matches', pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('mem-type', 'NotIn', 'DDR', 'DDR2')] })).build(), labels: { 'mem-type': 'DDR3' }, fits: true },
  { name: 'matchExpressions Exists matches', pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('GPU', 'Exists')] })).build(), labels: { GPU: 'NVIDIA-GRID-K1' }, fits: true },
  { name: "affinity that doesn't match the node's labels", pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('foo', 'In', 'value1', 'value2')] })).build(), labels: { foo: 'bar' }, fits: false },
  { name: 'empty matchExpressions match no objects', pod: makePod('p').nodeAffinity(required({ matchExpressions: [] })).build(), labels: { foo: 'bar' }, fits: false },
  { name: 'no affinity', pod: makePod('p').build(), labels: { foo: 'bar' }, fits: true },
  { name: 'affinity with a nil node selector', pod: makePod('p').nodeAffinity({}).build(), labels: { foo: 'bar' }, fits: true },
  {
    name: 'multiple matchExpressions ANDed that match',
    pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', 'AMD', 'INTER')] })).build(),
    labels: { GPU: 'NVIDIA-GRID-K1' },
    fits: true,
  },
  {
    name: "multiple matchExpressions ANDed that don't match",
    pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', 'AMD', 'INTER')] })).build(),
    labels: { GPU: 'NVIDIA-GRID-K1' },
    fits: false,
  },
  {
    name: 'multiple NodeSelectorTerms ORed',
    pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('foo', 'In', 'bar', 'value2')] }, { matchExpressions: [expr('diffkey', 'In', 'wrong', 'value2')] })).build(),
    labels: { foo: 'bar' },
    fits: true,
  },
  {
    name: 'affinity and nodeSelector both satisfied',
    pod: makePod('p').nodeSelector({ foo: 'bar' }).nodeAffinity(required({ matchExpressions: [expr('foo', 'Exists')] })).build(),
    labels: { foo: 'bar' },
    fits: true,
  },
  {
    name: 'affinity matches but nodeSelector does not',
    pod: makePod('p').nodeSelector({ foo: 'bar' }).nodeAffinity(required({ matchExpressions: [expr('foo', 'Exists')] })).build(),
    labels: { foo: 'barrrrrr' },
    fits: false,
  },
  {
    name: 'an invalid value in an affinity term',
    pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('foo', 'NotIn', 'invalid value: ___@#$%^')] })).build(),
    labels: { foo: 'bar' },
    fits: false,
  },
  { name: 'matchFields In matches', pod: makePod('p').nodeAffinity(required({ matchFields: [expr('metadata.name', 'In', 'node1')] })).build(), nodeName: 'node1', fits: true },
  { name: "matchFields In doesn't match", pod: makePod('p').nodeAffinity(required({ matchFields: [expr('metadata.name', 'In', 'node1')] })).build(), nodeName: 'node2', fits: false },
  {
    name: 'two terms: matchFields does not match, matchExpressions does',
    pod: makePod('p').nodeAffinity(required({ matchFields: [expr('metadata.name', 'In', 'node1')] }, { matchExpressions: [expr('foo', 'In', 'bar')] })).build(),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    fits: true,
  },
  {
    name: 'one term: matchFields does not match, matchExpressions does',
    pod: makePod('p').nodeAffinity(required({ matchFields: [expr('metadata.name', 'In', 'node1')], matchExpressions: [expr('foo', 'In', 'bar')] })).build(),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    fits: false,
  },
  {
    name: 'one term: both matchFields and matchExpressions match',
    pod: makePod('p').nodeAffinity(required({ matchFields: [expr('metadata.name', 'In', 'node1')], matchExpressions: [expr('foo', 'In', 'bar')] })).build(),
    nodeName: 'node1',
    labels: { foo: 'bar' },
    fits: true,
  },
  {
    name: 'two terms: neither matches',
    pod: makePod('p').nodeAffinity(required({ matchFields: [expr('metadata.name', 'In', 'node1')] }, { matchExpressions: [expr('foo', 'In', 'not-match-to-bar')] })).build(),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    fits: false,
  },
  { name: 'Lt on a non-integer label matches nothing', pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('gen', 'Lt', '5')] })).build(), labels: { gen: 'three' }, fits: false },
  { name: 'DoesNotExist', pod: makePod('p').nodeAffinity(required({ matchExpressions: [expr('spot', 'DoesNotExist')] })).build(), labels: { foo: 'bar' }, fits: true },
];

describe('NodeAffinity Filter', () => {
  it.each(cases)('$name', ({ pod, labels, nodeName, fits }) => {
    const node = nodeInfo(makeNode(nodeName ?? 'node1').labels(labels ?? {}).build());
    const s = filterWith(new NodeAffinity(), pod, node);
    if (fits) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(Code.UnschedulableAndUnresolvable);
      expect(s?.reasons).toEqual([ERR_REASON_POD]);
    }
  });
});

const preferred = (...terms: PreferredSchedulingTerm[]): NodeAffinitySpec => ({ preferredDuringSchedulingIgnoredDuringExecution: terms });
const affinity1 = preferred({ weight: 2, preference: { matchExpressions: [expr('foo', 'In', 'bar')] } });
const affinity2 = preferred(
  { weight: 2, preference: { matchExpressions: [expr('foo', 'In', 'bar')] } },
  { weight: 4, preference: { matchExpressions: [expr('key', 'In', 'value')] } },
  { weight: 5, preference: { matchExpressions: [expr('foo', 'In', 'bar'), expr('key', 'In', 'value'), expr('az', 'In', 'az1')] } },
);
const labels1 = { foo: 'bar' };
const labels2 = { key: 'value' };
const labels3 = { az: 'az1' };
const labels5 = { foo: 'bar', key: 'value', az: 'az1' };

// Mirrors TestNodeAffinityPriority.
describe('NodeAffinity Score', () => {
  const scoreCases: { name: string; affinity?: NodeAffinitySpec; nodes: Record<string, string>[]; want: number[] | 'Skip' }[] = [
    { name: 'no NodeAffinity: skipped, every node scores the same', nodes: [labels1, labels2, labels3], want: 'Skip' },
    { name: 'no node matches the preferred terms', affinity: affinity1, nodes: [labels2, labels3, labels2], want: [0, 0, 0] },
    { name: 'only node1 matches', affinity: affinity1, nodes: [labels1, labels2, labels3], want: [100, 0, 0] },
    { name: 'all nodes match with different weights', affinity: affinity2, nodes: [labels1, labels5, labels2], want: [18, 100, 36] },
  ];
  it.each(scoreCases)('$name', ({ affinity, nodes, want }) => {
    const pod = affinity ? makePod('p').nodeAffinity(affinity).build() : makePod('p').build();
    const infos = nodes.map((l, i) => nodeInfo(makeNode(`node${i + 1}`).labels(l).build()));
    expect(scoreWith(new NodeAffinity(), pod, infos)).toEqual(want);
  });
});
