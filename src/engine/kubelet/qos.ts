import type { Pod } from '../api/types';
import { parseQuantity } from '../api/quantity';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

/**
 * The pod's QoS class (pkg/apis/core/v1/helper/qos GetPodQOS): BestEffort without any cpu/memory
 * request or limit; Guaranteed when every container (init ones included) limits both cpu and memory
 * and the pod's summed requests equal its summed limits; Burstable otherwise.
 *
 * Why the fallback: the API server defaults a missing request to its limit; we apply that here so
 * the answer is right whether or not the object went through defaulting.
 *
 * @example qosClass({spec: {containers: [{name: 'a', resources: {limits: {cpu: '1', memory: '1Gi'}}}]}}) // 'Guaranteed'
 */
export function qosClass(pod: Pod): QOSClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of all) {
    const lim = c.resources?.limits ?? {};
    const req = { ...lim, ...(c.resources?.requests ?? {}) };
    for (const name of QOS_RESOURCES) {
      const q = parseQuantity(req[name]);
      if (q !== undefined && q > 0) requests.set(name, (requests.get(name) ?? 0) + q);
    }
    const found = new Set<string>();
    for (const name of QOS_RESOURCES) {
      const q = parseQuantity(lim[name]);
      if (q !== undefined && q > 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0) + q);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim === undefined || Math.abs(lim - req) > 1e-9) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
