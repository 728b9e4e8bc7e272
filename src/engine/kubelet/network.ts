import type { ClusterContext } from '../context';
import type { Pod, Service } from '../api/types';
import type { ConnectResult, RequestHandler, RequestMeta } from '../world/process';

/** One pod's network namespace: its IP and the one port space all its containers share. */
export interface PodNetwork {
  readonly ip: string;
  readonly node: string;
  readonly namespace: string;
  readonly name: string;
  /** port → the container listening and its handler. */
  readonly ports: Map<number, { container: string; handler: RequestHandler }>;
}

/**
 * The cluster's pod network: every pod IP in use, across all nodes, so a process on one node can
 * reach a pod on another (as a CNI's routes do). Kept per cluster in a WeakMap keyed by the
 * ClusterContext, so the shared context needs no new field and two clusters never share IPs.
 */
export class PodNetworkRegistry {
  private readonly byIp = new Map<string, PodNetwork>();
  /** Round-robin position per Service, so load balancing is deterministic. */
  private readonly rr = new Map<string, number>();

  constructor(private readonly ctx: ClusterContext) {}

  get(ip: string): PodNetwork | undefined {
    return this.byIp.get(ip);
  }

  register(net: PodNetwork): void {
    this.byIp.set(net.ip, net);
  }

  unregister(ip: string): void {
    this.byIp.delete(ip);
  }

  /**
   * Connect from the pod `from` to `host:port` and send a request for `path`.
   * `localhost`/`127.0.0.1`/its own IP reach its own port space; another pod IP reaches that pod if
   * its node is powered on; a Service name (`web`, `web.ns`, `web.ns.svc.cluster.local`) or ClusterIP
   * is load-balanced round-robin over ready endpoints (kube-proxy's job, simplified). Why the data
   * plane ignores partitions: a partition cuts a node off the control plane, not from other nodes.
   */
  connect(from: PodNetwork, host: string, port: number, path: string, meta?: RequestMeta): ConnectResult {
    const local = host === 'localhost' || host === '127.0.0.1' || host === '::1';
    const m: RequestMeta = { ...meta, clientIp: meta?.clientIp ?? (local ? '127.0.0.1' : from.ip) };
    if (local || host === from.ip) return answer(from, port, path, m);
    const target = this.byIp.get(host);
    if (target) {
      if (this.ctx.faults.powerOf(target.node) !== 'On' || this.ctx.faults.powerOf(from.node) !== 'On') return { ok: false, error: 'timeout' };
      return answer(target, port, path, m);
    }
    const svc = this.resolveService(host, from.namespace);
    if (svc) return this.connectService(svc, port, path, m);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { ok: false, error: 'timeout' };
    return { ok: false, error: 'unresolved' };
  }

  private resolveService(host: string, namespace: string): Service | undefined {
    const store = this.ctx.store;
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
      for (const s of store.values('Service')) if (s.spec?.clusterIP === host) return s;
      return undefined;
    }
    const parts = host.replace(/\.$/, '').split('.');
    if (parts.length === 1) return store.get('Service', namespace, parts[0]);
    const tail = parts.slice(2).join('.');
    if (parts.length === 2 || tail === 'svc' || tail === 'svc.cluster.local') return store.get('Service', parts[1], parts[0]);
    return undefined;
  }

  private connectService(svc: Service, port: number, path: string, meta: RequestMeta): ConnectResult {
    const sp = svc.spec?.ports?.find((p) => p.port === port);
    const selector = svc.spec?.selector;
    if (!sp || !selector) return { ok: false, error: 'refused' };
    const ns = svc.metadata!.namespace!;
    const ready: { net: PodNetwork; pod: Pod }[] = [];
    for (const net of this.byIp.values()) {
      if (net.namespace !== ns) continue;
      const pod = this.ctx.store.get('Pod', ns, net.name);
      if (!pod || pod.metadata?.deletionTimestamp) continue;
      const labels = pod.metadata?.labels ?? {};
      if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
      if (!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      if (this.ctx.faults.powerOf(net.node) !== 'On') continue;
      ready.push({ net, pod });
    }
    // kube-proxy rejects connections to a Service without endpoints: "connection refused".
    if (!ready.length) return { ok: false, error: 'refused' };
    ready.sort((a, b) => (a.net.ip < b.net.ip ? -1 : 1));
    const key = `${ns}/${svc.metadata!.name}`;
    const i = (this.rr.get(key) ?? 0) % ready.length;
    this.rr.set(key, i + 1);
    const { net, pod } = ready[i];
    return answer(net, targetPort(pod, sp.targetPort ?? sp.port), path, meta);
  }
}

function targetPort(pod: Pod, tp: number | string): number {
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === tp) return p.containerPort;
  return -1;
}

function answer(net: PodNetwork, port: number, path: string, meta?: RequestMeta): ConnectResult {
  const l = net.ports.get(port);
  if (!l) return { ok: false, error: 'refused' };
  try {
    return { ok: true, response: l.handler(path, meta) };
  } catch {
    // A handler that throws is a server that dropped the connection.
    return { ok: false, error: 'refused' };
  }
}

const registries = new WeakMap<ClusterContext, PodNetworkRegistry>();

/** The pod network of the cluster `ctx` belongs to. */
export function podNetworkOf(ctx: ClusterContext): PodNetworkRegistry {
  let r = registries.get(ctx);
  if (!r) registries.set(ctx, (r = new PodNetworkRegistry(ctx)));
  return r;
}

/**
 * Host-local IPAM for one node's pod CIDR (`10.244.N.0/24`): addresses from .2 up, handed out in
 * turn after the last one (as the host-local plugin does), never one that is in use.
 */
export class IpAllocator {
  private readonly inUse = new Set<number>();
  private last = 1;
  private readonly prefix: string;

  constructor(podCIDR: string) {
    this.prefix = podCIDR.split('/')[0].split('.').slice(0, 3).join('.');
  }

  allocate(): string | undefined {
    for (let i = 0; i < 253; i++) {
      const n = ((this.last - 2 + 1 + i) % 253) + 2;
      if (!this.inUse.has(n)) {
        this.inUse.add(n);
        this.last = n;
        return `${this.prefix}.${n}`;
      }
    }
    return undefined;
  }

  release(ip: string): void {
    this.inUse.delete(Number(ip.split('.')[3]));
  }

  get used(): number {
    return this.inUse.size;
  }
}
