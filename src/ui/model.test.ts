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

describe('countdowns from object fields', () => {
  it('eviction = taint timeAdded + tolerationSeconds', () => {
    // 2026-01-01T00:01:00Z is t = 60 s on the simulation's clock.
    expect(podEvictionAt(taintedNode('2026-01-01T00:01:00Z'), tolerating(300))).toBe(360_000);
  });
  it('no eviction countdown for a pod already being deleted', () => {
    expect(podEvictionAt(taintedNode('2026-01-01T00:01:00Z'), tolerating(300, { metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:02:00Z' } }))).toBeUndefined();
  });
  it('NotReady in = lease renewTime + 50 s grace, only while the node is cut off and still Ready', () => {
    const ready: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(nodeCountdowns(ready, { power: 'Off', partitioned: false, leaseRenew: 20_000, notReadyAt: 75_000 }, [])).toEqual([{ label: 'NotReady in', at: 75_000 }]);
    expect(nodeCountdowns(ready, { power: 'On', partitioned: false, leaseRenew: 20_000 }, [])).toEqual([]);
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
