import { describe, expect, it } from 'vitest';
import { selectorFromMap } from '../../api/labels';
import { countPodsMatchSelector } from '../plugins/podTopologySpread';
import { makeNode, makePod } from '../testing';
import { SchedulerCache } from './nodeInfo';

describe('SchedulerCache', () => {
  it('a pod turning terminating or relabelled changes what selectors count on its node', () => {
    const cache = new SchedulerCache();
    cache.setNode(makeNode('node-1').build());
    const built = makePod('web-1').on('node-1').build();
    const pod = { ...built, metadata: { ...built.metadata, labels: { app: 'web' } } };
    cache.setPod('default/web-1', pod);
    const node = cache.nodes.get('node-1')!;
    const web = selectorFromMap({ app: 'web' });
    expect(countPodsMatchSelector(node, web, 'default')).toBe(1);

    const log = cache.changes();
    const cursor = log.base + log.entries.length;
    const terminating = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:01:00Z' } };
    cache.setPod('default/web-1', terminating);
    expect(countPodsMatchSelector(node, web, 'default')).toBe(0);
    expect(log.entries.slice(cursor - log.base)).toEqual([node]);

    cache.setPod('default/web-1', { ...pod, metadata: { ...pod.metadata, labels: { app: 'api' } } });
    expect(countPodsMatchSelector(node, web, 'default')).toBe(0);
    expect(countPodsMatchSelector(node, selectorFromMap({ app: 'api' }), 'default')).toBe(1);
  });
});
