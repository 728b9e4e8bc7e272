import type { Node, Pod } from '../api/types';
import { bytes, milliCpu } from '../api/quantity';
import { isSidecar } from './phase';

/** cpu in millicores, memory in bytes. */
export interface PodRequests {
  cpu: number;
  memory: number;
}

/** A pod's effective requests (resourcehelper.PodRequests, simplified): max(apps + sidecars, largest regular init + sidecars). */
export function podRequests(pod: Pod): PodRequests {
  let cpu = 0;
  let memory = 0;
  let sideCpu = 0;
  let sideMem = 0;
  let initCpu = 0;
  let initMem = 0;
  const req = (c: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }, r: string) =>
    c.resources?.requests?.[r] ?? c.resources?.limits?.[r];
  for (const c of pod.spec?.containers ?? []) {
    cpu += milliCpu(req(c, 'cpu'));
    memory += bytes(req(c, 'memory'));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    if (isSidecar(c)) {
      sideCpu += milliCpu(req(c, 'cpu'));
      sideMem += bytes(req(c, 'memory'));
    } else {
      initCpu = Math.max(initCpu, milliCpu(req(c, 'cpu')));
      initMem = Math.max(initMem, bytes(req(c, 'memory')));
    }
  }
  return { cpu: Math.max(cpu + sideCpu, initCpu + sideCpu), memory: Math.max(memory + sideMem, initMem + sideMem) };
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
