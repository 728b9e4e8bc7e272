import type { Container, Pod } from '../../api/types';

const json = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v));

/** `requests|ports|restartPolicy;` per container; JSON only for the parts that are present. */
function containersShape(list: readonly Container[] | undefined): string {
  if (!list) return '-';
  let out = '';
  for (const c of list) out += `${json(c.resources?.requests)}|${json(c.ports)}|${c.restartPolicy ?? ''};`;
  return out;
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
  // Hand-built rather than one JSON.stringify of nested arrays: this runs once per scheduled pod.
  // Each part is JSON (or empty when absent) and the parts are separated by a tab, which JSON
  // never leaves unescaped inside a string, so distinct shapes give distinct keys.
  return `${containersShape(s.containers)}\t${containersShape(s.initContainers)}\t${json(s.overhead)}\t${json(s.nodeName)}\t${json(
    s.nodeSelector,
  )}\t${json(s.affinity?.nodeAffinity)}\t${json(s.tolerations)}`;
}
