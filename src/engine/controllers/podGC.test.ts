import { describe, expect, it } from 'vitest';
import { PodGCController } from './podGC';
import { TestSim } from './testing/sim';

describe('PodGCController', () => {
  it('force-deletes the pods of a node that has been gone for 40s, marking them Failed first', () => {
    const sim = new TestSim();
    sim.add(new PodGCController(sim));
    sim.addNode('node-1');
    sim.addNode('node-2');
    for (const [name, node] of [['a', 'node-1'], ['b', 'node-2']]) {
      sim.api.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] } });
    }
    const updates: string[] = [];
    sim.store.watch('Pod', (ev) => {
      if (ev.type === 'MODIFIED') updates.push(`${ev.object.status?.phase}/${ev.object.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason}`);
    });
    sim.store.remove('Node', undefined, 'node-2');
    sim.advance(20_000); // first look: node-2 missing, quarantine starts
    sim.advance(39_999);
    expect(sim.store.get('Pod', 'default', 'b')).toBeDefined();
    sim.advance(1); // t=60s: the look 40s after the node went missing
    expect(sim.store.get('Pod', 'default', 'b')).toBeUndefined();
    expect(updates).toEqual(['Failed/DeletionByPodGC']);
    expect(sim.store.get('Pod', 'default', 'a')).toBeDefined();
  });
});
