import type { Node, Pod } from '../api/types';
import { bytes, milliCpu } from '../api/quantity';
import { podRequests as effectiveRequests } from '../scheduler/framework/resources';

/** cpu in millicores, memory in bytes. */
export interface PodRequests {
  cpu: number;
  memory: number;
}

/**
 * A pod's effective requests as the kubelet admits it: component-helpers' PodRequests (apps plus
 * sidecars, or the largest init container plus the sidecars started before it, plus overhead), the
 * one implementation the scheduler uses too.
 */
export function podRequests(pod: Pod): PodRequests {
  const r = effectiveRequests(pod);
  return { cpu: r.milliCpu, memory: r.memory };
}

/** Why a pod was rejected: status.reason (`OutOfcpu`) and the event message. */
export interface Rejection {
  reason: string;
  message: string;
}

/**
 * The kubelet's admission check (lifecycle.PredicateAdmitHandler, resource fit only): the pod count
 * and cpu/memory requests of the pods already admitted must leave room for this one.
 * Message as the kubelet writes it: `Node didn't have enough resource: cpu, requested: 500, used: 3800, capacity: 4000`.
 */
export function admitPod(node: Node | undefined, want: PodRequests, admitted: readonly PodRequests[]): Rejection | undefined {
  const alloc = node?.status?.allocatable ?? {};
  const maxPods = Number(alloc.pods ?? '110');
  const reject = (res: string, requested: number, used: number, capacity: number): Rejection => ({
    reason: `OutOf${res}`,
    message: `Node didn't have enough resource: ${res}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  });
  if (admitted.length + 1 > maxPods) return reject('pods', 1, admitted.length, maxPods);
  let cpu = 0;
  let memory = 0;
  for (const r of admitted) {
    cpu += r.cpu;
    memory += r.memory;
  }
  const capCpu = milliCpu(alloc.cpu);
  const capMem = bytes(alloc.memory);
  if (want.cpu > 0 && alloc.cpu !== undefined && cpu + want.cpu > capCpu) return reject('cpu', want.cpu, cpu, capCpu);
  if (want.memory > 0 && alloc.memory !== undefined && memory + want.memory > capMem) return reject('memory', want.memory, memory, capMem);
  return undefined;
}
