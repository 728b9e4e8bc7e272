import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../engine/api/types';
import { nodeCountdowns, podEvictionAt, podTone } from './model';

const taintedNode = (timeAdded: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-2' },
  spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded }, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] },
  status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
});
const tolerating = (seconds: number, extra: Partial<Pod> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }] },
  ...extra,
});

describe('countdowns from the engine', () => {
  const world = { power: 'Off' as const, partitioned: false, evictions: [{ pod: 'default/p', at: 360_000 }, { pod: 'default/q', at: 400_000 }] };
  it('eviction: the time the taint-eviction controller scheduled for this pod', () => {
    expect(podEvictionAt(tolerating(300), world)).toBe(360_000);
    expect(podEvictionAt(tolerating(300, { metadata: { name: 'other', namespace: 'default' } }), world)).toBeUndefined();
    expect(podEvictionAt(tolerating(300), undefined)).toBeUndefined();
  });
  it("a node counts down to its soonest pod's eviction", () => {
    expect(nodeCountdowns(taintedNode('2026-01-01T00:01:00Z'), world)).toEqual([{ label: 'eviction in', at: 360_000 }]);
  });
  it('NotReady in = lease renewTime + 50 s grace, only while the node is cut off and still Ready', () => {
    const ready: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(nodeCountdowns(ready, { power: 'Off', partitioned: false, leaseRenew: 20_000, notReadyAt: 75_000 })).toEqual([{ label: 'NotReady in', at: 75_000 }]);
    expect(nodeCountdowns(ready, { power: 'On', partitioned: false, leaseRenew: 20_000 })).toEqual([]);
  });
});

describe('pod tone (Lens/Headlamp colours)', () => {
  const base: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } };
  it.each<[string, Pod, string]>([
    ['running and ready', { ...base, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', image: '', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] } }, 'ok'],
    ['pending', { ...base, status: { phase: 'Pending' } }, 'warn'],
    ['crash loop', { ...base, status: { phase: 'Running', containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, 'bad'],
    ['terminating', { ...base, metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:00:30Z' }, status: { phase: 'Running' } }, 'gone'],
    ['succeeded', { ...base, status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }, 'done'],
  ])('%s', (_name, pod, tone) => expect(podTone(pod)).toBe(tone));
});
