import type { Container, Pod, PodSpec } from '../../api/types';

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

/**
 * Whether two specs have the same {@link podShapeKey} without building either key: the parts that
 * key reads are compared by value, objects key by key in order, so a true answer means the two
 * JSON texts, and so the two keys, are equal (a false one may be wrong only towards "different",
 * which costs a memo miss, never a wrong reuse). Keep it in step with podShapeKey.
 */
export function sameShape(a: PodSpec | undefined, b: PodSpec | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    sameContainers(a.containers, b.containers) &&
    sameContainers(a.initContainers, b.initContainers) &&
    sameJsonValue(a.overhead, b.overhead) &&
    a.nodeName === b.nodeName &&
    sameJsonValue(a.nodeSelector, b.nodeSelector) &&
    sameJsonValue(a.affinity?.nodeAffinity, b.affinity?.nodeAffinity) &&
    sameJsonValue(a.tolerations, b.tolerations)
  );
}

function sameContainers(a: readonly Container[] | undefined, b: readonly Container[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!sameJsonValue(x.resources?.requests, y.resources?.requests) || !sameJsonValue(x.ports, y.ports) || (x.restartPolicy ?? '') !== (y.restartPolicy ?? '')) return false;
  }
  return true;
}

/** Values that JSON.stringify writes identically: equal primitives, or arrays and plain objects with the same keys in the same order. */
function sameJsonValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJsonValue(x[i], y[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (k !== kb[i] || !sameJsonValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
