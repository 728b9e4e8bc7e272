import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import { threeWayMerge } from './strategicMerge';
import type { Pod } from './types';

const manifest = (image: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
});

describe('threeWayMerge (strategic)', () => {
  it('re-applying an unchanged pod manifest keeps what admission added, so the update is valid', () => {
    const cluster = new Cluster({ seed: 1 });
    const live = cluster.api.create('Pod', manifest('nginx:1.27'));
    const merged = threeWayMerge(live, manifest('nginx:1.27'), manifest('nginx:1.27')) as Pod;
    expect(merged).toEqual(live);
    const next = threeWayMerge(live, manifest('nginx:1.27'), manifest('nginx:1.28')) as Pod;
    const updated = cluster.api.update('Pod', next);
    expect(updated.spec!.containers[0].image).toBe('nginx:1.28');
    expect(updated.spec!.containers[0].volumeMounts).toEqual(live.spec!.containers[0].volumeMounts);
    expect(updated.spec!.tolerations).toEqual(live.spec!.tolerations);
  });

  it('merges keyed lists item by item and removes only what the last applied config had', () => {
    const live = { spec: { containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'SERVER', value: 's' }] }, { name: 'b', image: 'y' }] } };
    const last = { spec: { containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }, { name: 'b', image: 'y' }] } };
    const desired = { spec: { containers: [{ name: 'a', image: 'x2', env: [{ name: 'B', value: '2' }] }, { name: 'c', image: 'z' }] } };
    expect(threeWayMerge(live, last, desired)).toEqual({
      spec: { containers: [{ name: 'a', image: 'x2', env: [{ name: 'SERVER', value: 's' }, { name: 'B', value: '2' }] }, { name: 'c', image: 'z' }] },
    });
  });

  it('replaces lists without a merge key and deletes fields dropped from the configuration', () => {
    const live = { spec: { args: ['a', 'b'], replicas: 3, paused: true } };
    const last = { spec: { args: ['a', 'b'], paused: true } };
    expect(threeWayMerge(live, last, { spec: { args: ['c'] } })).toEqual({ spec: { args: ['c'], replicas: 3 } });
  });
});
