import { Cluster } from '../../cluster';
import type { Container, Pod } from '../../api/types';
import type { Kubelet } from '../kubelet';
import { fakeRuntime } from './fakeRuntime';

/** A cluster with `nodes` workers whose kubelets use the fake runtime. */
export function makeCluster(nodes = 1, seed = 1): { cluster: Cluster; kubelet: (n?: string) => Kubelet; rt: ReturnType<typeof fakeRuntime> } {
  const cluster = new Cluster({ seed });
  const rt = fakeRuntime();
  for (let i = 1; i <= nodes; i++) {
    cluster.addNode(`node-${i}`);
    cluster.kubelets.get(`node-${i}`)!.runtime = rt;
  }
  return { cluster, kubelet: (n = 'node-1') => cluster.kubelets.get(n)!, rt };
}

/** A pod bound to `node` (we bind it ourselves, as the scheduler would). */
export function makePod(name: string, containers: Partial<Container>[], extra: Partial<Pod['spec']> = {}, node = 'node-1'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: node,
      containers: containers.map((c, i) => ({ name: c.name ?? (i === 0 ? 'app' : `c${i}`), image: 'app:1', ...c })),
      ...extra,
    },
  } as Pod;
}

export function getPod(cluster: Cluster, name: string): Pod {
  return cluster.store.get('Pod', 'default', name)!;
}

/** Event messages a component (default: the kubelet) recorded about an object (reason: message), oldest first. */
export function eventsOf(cluster: Cluster, name: string, component = 'kubelet'): string[] {
  return cluster.store
    .list('Event', 'default')
    .filter((e) => e.involvedObject.name === name && e.source?.component === component)
    .sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1))
    .map((e) => `${e.reason}: ${e.message}`);
}
