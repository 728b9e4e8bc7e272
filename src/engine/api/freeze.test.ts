import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import { nginxDeployment } from '../testing/builders';
import { deepFreeze } from './freeze';
import { ApiStore } from './store';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays; writes then throw', () => {
    const v = deepFreeze({ a: { b: [{ c: 1 }] } });
    expect(Object.isFrozen(v.a.b[0])).toBe(true);
    expect(() => {
      (v.a.b[0] as { c: number }).c = 2;
    }).toThrow(TypeError);
  });
});

describe('stored objects under test', () => {
  it('are frozen all the way down, and pods of one ReplicaSet share its template parts', () => {
    expect(ApiStore.freezeStoredObjects).toBe(true);
    const c = new Cluster({ seed: 1 });
    c.addNode('node-1');
    c.api.create('Deployment', nginxDeployment('web', 2, { cpu: '100m', memory: '64Mi' }));
    c.settle();
    c.advance(10_000);
    const pods = c.store.list('Pod');
    expect(pods).toHaveLength(2);
    const [a, b] = pods;
    expect(Object.isFrozen(a.status!.conditions![0])).toBe(true);
    expect(() => {
      (a.metadata!.labels as Record<string, string>).app = 'other';
    }).toThrow(TypeError);
    // Admission's defaults are one shared, frozen copy.
    expect(a.spec!.tolerations).toBe(b.spec!.tolerations);
  });
});
