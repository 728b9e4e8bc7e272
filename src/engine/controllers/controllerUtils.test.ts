import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Clock } from '../clock';
import type { Pod } from '../api/types';
import {
  computeHash,
  podDeletesBefore,
  rankPodsForDeletion,
  scaledValueFromIntOrPercent,
  slowStartBatch,
  slowStartBatchSizes,
  matchingTolerations,
  POD_DELETION_COST_ANNOTATION,
} from './controllerUtils';

// Mirrors TestSortingActivePodsWithRanks in pkg/controller/controller_utils_test.go.
describe('ActivePodsWithRanks (controller_utils_test.go)', () => {
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  const now = 40 * DAY;
  const ts = (ms: number | undefined) => (ms === undefined ? undefined : Clock.rfc3339(ms));
  const then1Month = now - 30 * DAY;
  const then2Hours = now - 2 * HOUR;
  const then5Hours = now - 5 * HOUR;
  const then8Hours = now - 8 * HOUR;
  const zero = undefined;
  const pod = (
    name: string,
    nodeName: string,
    phase: string,
    ready: boolean,
    restarts: number,
    readySince: number | undefined,
    created: number | undefined,
    annotations?: Record<string, string>,
  ): Pod => ({
    metadata: { name, namespace: 'default', creationTimestamp: ts(created), annotations },
    spec: { nodeName: nodeName || undefined, containers: [{ name: 'c' }] },
    status: {
      phase,
      conditions: ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: ts(readySince) }] : [],
      containerStatuses: [{ name: 'c', restartCount: restarts, image: '', imageID: '', ready }],
    },
  });
  const unscheduledPod = pod('unscheduled', '', 'Pending', false, 0, zero, zero);
  const scheduledPendingPod = pod('pending', 'node', 'Pending', false, 0, zero, zero);
  const unknownPhasePod = pod('unknown-phase', 'node', 'Unknown', false, 0, zero, zero);
  const runningNotReadyPod = pod('not-ready', 'node', 'Running', false, 0, zero, zero);
  const runningReadyNoLastTransitionTimePod = pod('ready-no-last-transition-time', 'node', 'Running', true, 0, zero, zero);
  const runningReadyNow = pod('ready-now', 'node', 'Running', true, 0, now, now);
  const runningReadyThen = pod('ready-then', 'node', 'Running', true, 0, then1Month, then1Month);
  const runningReadyNowHighRestarts = pod('ready-high-restarts', 'node', 'Running', true, 9001, now, now);
  const runningReadyNowCreatedThen = pod('ready-now-created-then', 'node', 'Running', true, 0, now, then1Month);
  const lowPodDeletionCost = pod('low-deletion-cost', 'node', 'Running', true, 0, now, then1Month, { [POD_DELETION_COST_ANNOTATION]: '10' });
  const highPodDeletionCost = pod('high-deletion-cost', 'node', 'Running', true, 0, now, then1Month, { [POD_DELETION_COST_ANNOTATION]: '100' });
  const unscheduled5Hours = pod('unscheduled-5-hours', '', 'Pending', false, 0, then5Hours, then5Hours);
  const unscheduled8Hours = pod('unscheduled-10-hours', '', 'Pending', false, 0, then8Hours, then8Hours);
  const ready2Hours = pod('ready-2-hours', '', 'Running', true, 0, then2Hours, then1Month);
  const ready5Hours = pod('ready-5-hours', '', 'Running', true, 0, then5Hours, then1Month);
  const ready10Hours = pod('ready-10-hours', '', 'Running', true, 0, then8Hours, then1Month);

  const equality: [Pod, Pod?][] = [
    [unscheduledPod],
    [scheduledPendingPod],
    [unknownPhasePod],
    [runningNotReadyPod],
    [runningReadyNowCreatedThen],
    [runningReadyNow],
    [runningReadyThen],
    [runningReadyNowHighRestarts],
    [runningReadyNowCreatedThen],
    [unscheduled5Hours, unscheduled8Hours],
    [ready5Hours, ready10Hours],
  ];
  it.each(equality.map(([a, b]) => ({ a, b: b ?? a, name: `${a.metadata!.name} = ${(b ?? a).metadata!.name}` })))('$name', ({ a, b }) => {
    expect(podDeletesBefore(a, 1, b, 1, now)).toBe(false);
    expect(podDeletesBefore(b, 1, a, 1, now)).toBe(false);
  });

  const inequality: [Pod, number, Pod, number][] = [
    [unscheduledPod, 1, scheduledPendingPod, 2],
    [unscheduledPod, 2, scheduledPendingPod, 1],
    [scheduledPendingPod, 1, unknownPhasePod, 2],
    [unknownPhasePod, 1, runningNotReadyPod, 2],
    [runningNotReadyPod, 1, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNoLastTransitionTimePod, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNow, 1, runningReadyThen, 1],
    [runningReadyNow, 2, runningReadyThen, 1],
    [runningReadyNowHighRestarts, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNowHighRestarts, 1],
    [runningReadyNow, 1, runningReadyNowCreatedThen, 1],
    [runningReadyNowCreatedThen, 2, runningReadyNow, 1],
    [lowPodDeletionCost, 2, highPodDeletionCost, 1],
    [ready2Hours, 1, ready5Hours, 1],
  ];
  it.each(inequality.map(([a, ra, b, rb]) => ({ a, ra, b, rb, name: `${a.metadata!.name}(${ra}) < ${b.metadata!.name}(${rb})` })))('$name', ({ a, ra, b, rb }) => {
    expect(podDeletesBefore(a, ra, b, rb, now)).toBe(true);
    expect(podDeletesBefore(b, rb, a, ra, now)).toBe(false);
  });

  it('ranks by related pods on the same node', () => {
    const a = pod('a', 'n1', 'Running', true, 0, then1Month, then1Month);
    const b = pod('b', 'n2', 'Running', true, 0, then1Month, then1Month);
    const sibling = pod('sib', 'n2', 'Running', true, 0, then1Month, then1Month);
    expect(rankPodsForDeletion([a, b], [a, b, sibling], now).map((p) => p.metadata!.name)).toEqual(['b', 'a']);
  });
});

describe('slowStartBatch', () => {
  it.each([
    [1, [1]],
    [3, [1, 2]],
    [10, [1, 2, 4, 3]],
    [500, [1, 2, 4, 8, 16, 32, 64, 128, 245]],
  ])('%i calls in batches %j', (n, sizes) => {
    expect(slowStartBatchSizes(n)).toEqual(sizes);
    let calls = 0;
    expect(slowStartBatch(n, 1, () => (calls++, true))).toBe(n);
    expect(calls).toBe(n);
  });

  it('stops after the first batch with a failure', () => {
    let calls = 0;
    // Successes for the first 5 calls: batches 1, 2, then 4 (two succeed, two fail) -> stop.
    const ok = slowStartBatch(20, 1, () => ++calls <= 5);
    expect(ok).toBe(5);
    expect(calls).toBe(7);
  });
});

// intstr.GetScaledValueFromIntOrPercent, as used for maxSurge (round up) and maxUnavailable (down).
describe('scaledValueFromIntOrPercent', () => {
  it.each([
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['25%', 1, true, 1],
    ['25%', 1, false, 0],
    ['25%', 4, false, 1],
    ['100%', 7, true, 7],
    ['0%', 7, true, 0],
    ['33%', 3, false, 0],
    ['33%', 3, true, 1],
    [2, 10, true, 2],
    ['5', 10, true, 5],
  ] as const)('%s of %i (roundUp %s) = %i', (v, total, up, want) => {
    expect(scaledValueFromIntOrPercent(v, total, up)).toBe(want);
  });
  it('rejects malformed values', () => {
    expect(() => scaledValueFromIntOrPercent('25 %', 10, true)).toThrow(/invalid value/);
  });
});

describe('computeHash', () => {
  it('looks like a pod-template-hash and is deterministic', () => {
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
    const h = computeHash(t);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(computeHash(JSON.parse(JSON.stringify(t)))).toBe(h);
    expect(computeHash(t, 1)).not.toBe(h);
  });
  it('is deterministic and well-formed for any template (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.string()), (image, labels) => {
        const t = { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } };
        const h = computeHash(t);
        return /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/.test(h) && computeHash(structuredClone(t)) === h;
      }),
      { numRuns: 100 },
    );
  });
  it('differs for different images', () => {
    const hashes = new Set(['nginx:1.26', 'nginx:1.27', 'nginx:1.28', 'httpd:2'].map((image) => computeHash({ spec: { containers: [{ name: 'c', image }] } })));
    expect(hashes.size).toBe(4);
  });
});

describe('matchingTolerations', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  it.each([
    [[], [], true],
    [[unreachable], [], false],
    [[unreachable], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], true],
    [[unreachable], [{ operator: 'Exists' }], true],
    [[unreachable], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], false],
    [[{ key: 'k', value: 'v', effect: 'NoExecute' }], [{ key: 'k', value: 'v' }], true],
    [[{ key: 'k', value: 'v', effect: 'NoExecute' }], [{ key: 'k', value: 'w' }], false],
  ])('%j tolerated by %j: %s', (taints, tolerations, want) => {
    expect(matchingTolerations(taints, tolerations).all).toBe(want);
  });
});
