import { bytes as parseBytes, milliCpu as parseMilliCpu } from '../../api/quantity';
import type { Container, Pod } from '../../api/types';

/** Requests the scheduler counts, in integer millicores and bytes. */
export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
}

/** pkg/scheduler/util: DefaultMilliCPURequest (100m), for scoring only. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** pkg/scheduler/util: DefaultMemoryRequest (200Mi), for scoring only. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

// Why memoised: every new pod's requests are parsed once (PreFilter), and a Deployment's pods all
// repeat the same few strings ("100m", "128Mi"); a parse is a regular expression match.
const cpuCache = new Map<string, number>();
const bytesCache = new Map<string, number>();
const QUANTITY_CACHE_LIMIT = 1000;

function cached(cache: Map<string, number>, parse: (q: string | number | undefined) => number, q: string | number | undefined): number {
  if (typeof q !== 'string') return parse(q);
  let v = cache.get(q);
  if (v === undefined) {
    if (cache.size >= QUANTITY_CACHE_LIMIT) cache.clear();
    cache.set(q, (v = parse(q)));
  }
  return v;
}

const milliCpu = (q: string | number | undefined): number => cached(cpuCache, parseMilliCpu, q);
const bytes = (q: string | number | undefined): number => cached(bytesCache, parseBytes, q);

function containerRequests(c: Container, nonZero: boolean): Resources {
  const req = c.resources?.requests;
  const cpu = req?.cpu;
  const mem = req?.memory;
  return {
    // GetNonzeroRequestForResource: only a *missing* request gets the default; an explicit 0 stays 0.
    milliCpu: cpu === undefined ? (nonZero ? DEFAULT_MILLI_CPU_REQUEST : 0) : milliCpu(cpu),
    memory: mem === undefined ? (nonZero ? DEFAULT_MEMORY_REQUEST : 0) : bytes(mem),
    ephemeralStorage: bytes(req?.['ephemeral-storage']),
  };
}

/**
 * A pod's effective requests (component-helpers resource.PodRequests): the sum of regular
 * containers and sidecars, or the largest init container plus the sidecars started before it,
 * whichever is larger, plus pod overhead. With `nonZero`, each container missing a cpu/memory
 * request counts 100m / 200Mi (NonMissingContainerRequests), which scoring uses so that many
 * best-effort pods do not pile onto one node.
 *
 * Why simplified: pod-level resources (spec.resources) and in-place resize status are not modelled.
 */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  const containers = spec?.containers;
  if (!containers) return computePodRequests(pod, nonZero);
  // Stored objects are immutable, so the same containers array (with the same init containers and
  // overhead) always sums to the same requests: the replicas' spec copies share it through binding.
  // A scheduling cycle asks about one pod several times (PreFilter, PreScore of two plugins, the
  // cache entry at bind), and a ReplicaSet's pods share one array: a few recent arrays are kept.
  // Why not a WeakMap: an entry for every pod (most pods have an array of their own) made the
  // garbage collector's weak-map work a measurable part of scheduling.
  let c: CachedRequests | undefined;
  for (let i = 0; i < RECENT; i++) {
    if (recentContainers[i] === containers) {
      c = recentRequests[i];
      break;
    }
  }
  if (!c || c.init !== spec.initContainers || c.overhead !== spec.overhead) {
    c = { init: spec.initContainers, overhead: spec.overhead, plain: undefined, nonZero: undefined };
    let i = recentContainers.indexOf(containers);
    if (i < 0) {
      i = recentNext;
      recentNext = (recentNext + 1) % RECENT;
    }
    recentContainers[i] = containers;
    recentRequests[i] = c;
  }
  if (nonZero) return (c.nonZero ??= Object.freeze(computePodRequests(pod, true)));
  return (c.plain ??= Object.freeze(computePodRequests(pod, false)));
}

interface CachedRequests {
  init: unknown;
  overhead: unknown;
  plain: Resources | undefined;
  nonZero: Resources | undefined;
}

/** How many containers arrays podRequests remembers (the most recent, replaced round-robin). */
const RECENT = 8;
const recentContainers: (object | undefined)[] = new Array<object | undefined>(RECENT).fill(undefined);
const recentRequests: (CachedRequests | undefined)[] = new Array<CachedRequests | undefined>(RECENT).fill(undefined);
let recentNext = 0;

function computePodRequests(pod: Pod, nonZero: boolean): Resources {
  // The same sums as adding and taking the maximum of per-container Resources, component by
  // component, without an object per container and per step.
  const spec = pod.spec;
  let cpu = 0;
  let mem = 0;
  let eph = 0;
  const containers = spec?.containers;
  if (containers) {
    for (let i = 0; i < containers.length; i++) {
      const r = containerRequests(containers[i], nonZero);
      cpu += r.milliCpu;
      mem += r.memory;
      eph += r.ephemeralStorage;
    }
  }
  let sideCpu = 0;
  let sideMem = 0;
  let sideEph = 0;
  let initCpu = 0;
  let initMem = 0;
  let initEph = 0;
  const inits = spec?.initContainers;
  if (inits) {
    for (let i = 0; i < inits.length; i++) {
      const c = inits[i];
      const r = containerRequests(c, nonZero);
      if (c.restartPolicy === 'Always') {
        sideCpu += r.milliCpu;
        sideMem += r.memory;
        sideEph += r.ephemeralStorage;
        initCpu = Math.max(initCpu, sideCpu);
        initMem = Math.max(initMem, sideMem);
        initEph = Math.max(initEph, sideEph);
      } else {
        initCpu = Math.max(initCpu, r.milliCpu + sideCpu);
        initMem = Math.max(initMem, r.memory + sideMem);
        initEph = Math.max(initEph, r.ephemeralStorage + sideEph);
      }
    }
  }
  const total: Resources = {
    milliCpu: Math.max(cpu + sideCpu, initCpu),
    memory: Math.max(mem + sideMem, initMem),
    ephemeralStorage: Math.max(eph + sideEph, initEph),
  };
  const overhead = spec?.overhead;
  if (overhead) {
    total.milliCpu += milliCpu(overhead.cpu);
    total.memory += bytes(overhead.memory);
    total.ephemeralStorage += bytes(overhead['ephemeral-storage']);
  }
  return total;
}

/** A host port a pod asks for (schedutil.GetHostPorts). */
export interface HostPort {
  protocol: string;
  hostIP: string;
  port: number;
}

const NO_PORTS: HostPort[] = Object.freeze([]) as unknown as HostPort[];

function hasHostPort(list: readonly Container[] | undefined): boolean {
  if (!list) return false;
  for (let i = 0; i < list.length; i++) {
    const ports = list[i].ports;
    if (ports) for (let j = 0; j < ports.length; j++) if (ports[j].hostPort && ports[j].hostPort! > 0) return true;
  }
  return false;
}

/** Host ports of the regular containers and the sidecars (init containers with restartPolicy Always). */
export function podHostPorts(pod: Pod): HostPort[] {
  // Most pods ask for no host port: answer without allocating.
  if (!hasHostPort(pod.spec?.containers) && !hasHostPort(pod.spec?.initContainers)) return NO_PORTS;
  const out: HostPort[] = [];
  const collect = (c: Container) => {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  };
  for (const c of pod.spec?.containers ?? []) collect(c);
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') collect(c);
  return out;
}
