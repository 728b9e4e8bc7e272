import type { ClusterContext } from '../context';
import { routeToService } from '../world/serviceNetwork';
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
   * goes where cluster DNS and kube-proxy send it ({@link routeToService}). Why the data
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
    // Service names, DNS names and cluster IPs: cluster DNS and kube-proxy (world/serviceNetwork.ts).
    const route = routeToService(this.ctx, { namespace: from.namespace, node: from.node, ip: from.ip }, host, port);
    if (!route.ok) return route;
    const backend = route.ip === from.ip ? from : this.byIp.get(route.ip);
    if (!backend || this.ctx.faults.powerOf(backend.node) !== 'On' || this.ctx.faults.powerOf(from.node) !== 'On') return { ok: false, error: 'timeout' };
    return answer(backend, route.port, path, m);
  }
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
