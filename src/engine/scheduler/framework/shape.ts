import type { Container, Pod } from '../../api/types';

function containerShape(c: Container): unknown[] {
  return [c.resources?.requests ?? null, c.ports ?? null, c.restartPolicy ?? null];
}

/**
 * The parts of a pod that node-local plugins may read (their contract, see Plugin.nodeLocal):
 * container requests, ports and restart policy, overhead, nodeName, nodeSelector, affinity and
 * tolerations. Two pods with the same key get the same filter verdict and raw scores on an
 * unchanged node. Names, images, env and volumes (whose generated names differ per pod) are left
 * out, so the replicas of one ReplicaSet share a key.
 */
export function podShapeKey(pod: Pod): string {
  const s = pod.spec;
  if (!s) return '';
  return JSON.stringify([
    s.containers.map(containerShape),
    s.initContainers?.map(containerShape) ?? null,
    s.overhead ?? null,
    s.nodeName ?? null,
    s.nodeSelector ?? null,
    s.affinity?.nodeAffinity ?? null,
    s.tolerations ?? null,
  ]);
}
