/**
 * The Service network as a process inside a pod sees it: cluster DNS (CoreDNS's `kubernetes` plugin
 * with the pod's resolv.conf search path) and kube-proxy's rules for cluster IPs, in iptables mode.
 *
 * Modelled: names `web`, `web.ns`, `web.ns.svc`, `web.ns.svc.cluster.local` (and a trailing dot for an
 * absolute name), pod records `10-244-1-5.ns.pod.cluster.local`, ClusterIP and headless Services,
 * ExternalName (its target does not resolve: the simulation has no outside world), sessionAffinity
 * ClientIP, internalTrafficPolicy Local, and kube-proxy's fallback to serving-but-terminating
 * endpoints when none is ready (KEP-1669).
 *
 * Simplifications, knowingly: DNS works although no CoreDNS pod runs (the Service `kube-dns` is not
 * simulated), and kube-proxy applies changes at once where the real one lags by up to a second
 * (`--iptables-min-sync-period`). Only TCP exists.
 */
import type { ClusterContext } from '../context';
import type { EndpointSlice, Service } from '../api/types';

/** The cluster domain (kubelet `--cluster-domain`, kind's default). */
export const CLUSTER_DOMAIN = 'cluster.local';
/** resolv.conf `options ndots:5`, as the kubelet writes it for ClusterFirst pods. */
const NDOTS = 5;
/** Default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
const DEFAULT_AFFINITY_SECONDS = 10_800;

/** Where a connection ends up: a backend address (after kube-proxy's DNAT), or how it fails. */
export type ServiceRoute =
  | { ok: true; ip: string; port: number }
  | { ok: false; error: 'refused' | 'timeout' | 'unresolved' };

/** The client side of a connection: its pod's namespace (for the DNS search path), node and IP. */
export interface ServiceClient {
  namespace: string;
  /** The client's node, for internalTrafficPolicy Local. */
  node?: string;
  /** The client's IP, for sessionAffinity ClientIP. */
  ip?: string;
}

/** What a DNS lookup gives: a Service, or a plain address (a pod record). */
type Answer = { service: Service } | { ip: string };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * One cluster's Service data plane. Stateless but for ClientIP affinity, so it reads the API objects
 * (Services and EndpointSlices, as kube-proxy and CoreDNS watch them) on each connection.
 */
export class ServiceNetwork {
  /** ClientIP affinity: `ns/svc:port|clientIP` → the chosen backend and when it expires (virtual ms). */
  private readonly affinity = new Map<string, { ip: string; port: number; until: number }>();

  constructor(private readonly ctx: ClusterContext) {}

  /**
   * Resolve `host` as the client's resolver would and apply kube-proxy's rules for `port`.
   * Not for pod IPs: the caller delivers those itself. Failures: an unknown name → `unresolved`;
   * a cluster IP without ready (or serving) endpoints → `refused` (iptables REJECT); a cluster IP on a
   * port the Service does not have, an address nothing owns, or `internalTrafficPolicy: Local` without
   * a local endpoint → `timeout` (the packets are dropped).
   *
   * @example route({ namespace: 'default' }, 'web', 80) // { ok: true, ip: '10.244.1.2', port: 80 }
   */
  route(client: ServiceClient, host: string, port: number): ServiceRoute {
    if (IPV4.test(host)) {
      const svc = this.serviceByClusterIP(host);
      return svc ? this.proxy(svc, port, client) : { ok: false, error: 'timeout' };
    }
    const answer = this.resolve(host, client.namespace);
    if (!answer) return { ok: false, error: 'unresolved' };
    if ('ip' in answer) return { ok: true, ip: answer.ip, port };
    const svc = answer.service;
    if (svc.spec?.type === 'ExternalName') return { ok: false, error: 'unresolved' };
    if (!hasClusterIP(svc)) {
      // A headless Service: DNS answers with the ready pods' IPs (CoreDNS's loadbalance plugin
      // shuffles them); the client connects to the pod itself, on the port it asked for.
      const ips = [...new Set(this.endpoints(svc, undefined, client).map((b) => b.ip))].sort(compareIPs);
      if (!ips.length) return { ok: false, error: 'unresolved' };
      return { ok: true, ip: this.pick(ips), port };
    }
    return this.proxy(svc, port, client);
  }

  /**
   * What `nslookup`/`getent hosts` would print: the fully qualified name that answered and its
   * addresses (the cluster IP; a headless Service's ready pod IPs; a pod record's IP), or undefined
   * for NXDOMAIN. An ExternalName Service answers with its target name and no address here.
   *
   * @example lookup('default', 'web') // { name: 'web.default.svc.cluster.local', addresses: ['10.96.209.213'] }
   */
  lookup(namespace: string, host: string): { name: string; addresses: string[]; cname?: string } | undefined {
    for (const fqdn of ServiceNetwork.candidates(host, namespace)) {
      const answer = this.answer(fqdn);
      if (!answer) continue;
      if ('ip' in answer) return { name: fqdn, addresses: [answer.ip] };
      const svc = answer.service;
      if (svc.spec?.type === 'ExternalName') return { name: fqdn, addresses: [], cname: svc.spec.externalName };
      if (hasClusterIP(svc)) return { name: fqdn, addresses: [...(svc.spec?.clusterIPs ?? [svc.spec!.clusterIP!])] };
      const ips = [...new Set(this.endpoints(svc, undefined, { namespace }).map((b) => b.ip))].sort(compareIPs);
      if (ips.length) return { name: fqdn, addresses: ips };
    }
    return undefined;
  }

  /**
   * The DNS names a search path gives for `name` from `namespace`, in the order the resolver tries
   * them (ndots 5: a name with fewer dots tries the search domains first).
   */
  static candidates(name: string, namespace: string): string[] {
    const n = name.toLowerCase();
    if (n.endsWith('.')) return [n.slice(0, -1)];
    const search = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN].map((d) => `${n}.${d}`);
    const dots = n.split('.').length - 1;
    return dots >= NDOTS ? [n, ...search] : [...search, n];
  }

  /** The first name of the search path that CoreDNS answers, or undefined (NXDOMAIN). */
  private resolve(name: string, namespace: string): Answer | undefined {
    for (const fqdn of ServiceNetwork.candidates(name, namespace)) {
      const answer = this.answer(fqdn);
      if (answer) return answer;
    }
    return undefined;
  }

  /** CoreDNS's `kubernetes` plugin for one fully qualified name. */
  private answer(fqdn: string): Answer | undefined {
    const suffix = `.${CLUSTER_DOMAIN}`;
    // Why every other name fails: the simulated cluster has no upstream resolver.
    if (!fqdn.endsWith(suffix)) return undefined;
    const labels = fqdn.slice(0, -suffix.length).split('.');
    if (labels.length === 3 && labels[2] === 'svc') {
      const svc = this.ctx.store.get('Service', labels[1], labels[0]);
      if (svc) return { service: svc };
    } else if (labels.length === 3 && labels[2] === 'pod') {
      // `pods insecure`: a dashed IP answers with that IP.
      const ip = labels[0].replace(/-/g, '.');
      if (IPV4.test(ip) && this.ctx.store.get('Namespace', undefined, labels[1])) return { ip };
    }
    return undefined;
  }

  private serviceByClusterIP(ip: string): Service | undefined {
    for (const s of this.ctx.store.values('Service')) if (s.spec?.clusterIP === ip || s.spec?.clusterIPs?.includes(ip)) return s;
    return undefined;
  }

  /** kube-proxy's chain for one Service port: affinity, then a uniformly random endpoint. */
  private proxy(svc: Service, port: number, client: ServiceClient): ServiceRoute {
    const sp = svc.spec?.ports?.find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
    if (!sp) return { ok: false, error: 'timeout' };
    const all = this.endpoints(svc, sp.name ?? '', client);
    if (!all.length) {
      // iptables REJECT for a Service without endpoints; DROP when only other nodes have them.
      return { ok: false, error: svc.spec?.internalTrafficPolicy === 'Local' && this.endpoints(svc, sp.name ?? '', { namespace: client.namespace }).length ? 'timeout' : 'refused' };
    }
    const key = `${svc.metadata!.namespace}/${svc.metadata!.name}:${port}|${client.ip ?? ''}`;
    const now = this.ctx.clock.now();
    const sticky = svc.spec?.sessionAffinity === 'ClientIP' && client.ip;
    if (sticky) {
      const prev = this.affinity.get(key);
      if (prev && prev.until > now && all.some((b) => b.ip === prev.ip && b.port === prev.port)) {
        prev.until = now + affinitySeconds(svc) * 1000;
        return { ok: true, ip: prev.ip, port: prev.port };
      }
    }
    const chosen = this.pick(all);
    if (sticky) this.affinity.set(key, { ...chosen, until: now + affinitySeconds(svc) * 1000 });
    return { ok: true, ip: chosen.ip, port: chosen.port };
  }

  /**
   * The endpoints kube-proxy programs for a Service port (`portName`; undefined = any port, for
   * headless DNS): ready ones, or if there are none the serving-and-terminating ones; only the
   * client's node's with internalTrafficPolicy Local. Sorted, so a seeded choice is reproducible.
   */
  private endpoints(svc: Service, portName: string | undefined, client: ServiceClient): { ip: string; port: number }[] {
    const ns = svc.metadata!.namespace!;
    const local = svc.spec?.internalTrafficPolicy === 'Local' && client.node;
    const ready: { ip: string; port: number }[] = [];
    const terminating: { ip: string; port: number }[] = [];
    for (const slice of this.slicesOf(ns, svc.metadata!.name!)) {
      if (slice.addressType !== 'IPv4') continue;
      const sp = portName === undefined ? { port: 0 } : (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === 'TCP');
      if (!sp || sp.port === undefined || sp.port === null) continue;
      for (const e of slice.endpoints ?? []) {
        if (local && e.nodeName !== client.node) continue;
        const c = e.conditions ?? {};
        // The API says an unset condition means ready / serving.
        const isReady = c.ready !== false;
        const isServingTerminating = c.serving !== false && c.terminating === true;
        const list = isReady ? ready : isServingTerminating ? terminating : undefined;
        if (list) for (const ip of e.addresses) list.push({ ip, port: sp.port });
      }
    }
    const out = ready.length ? ready : terminating;
    return out.sort((a, b) => (a.ip === b.ip ? a.port - b.port : compareIPs(a.ip, b.ip)));
  }

  private *slicesOf(ns: string, name: string): Iterable<EndpointSlice> {
    for (const s of this.ctx.store.values('EndpointSlice')) {
      if (s.metadata?.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === name) yield s;
    }
  }

  /**
   * iptables mode: `-m statistic --mode random` rules give each of n endpoints probability 1/n, drawn
   * from the cluster's seeded PRNG. A single endpoint has no statistic rule, so it draws nothing.
   */
  private pick<T>(items: T[]): T {
    return items.length === 1 ? items[0] : items[this.ctx.rng.int(items.length)];
  }
}

function hasClusterIP(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

function affinitySeconds(svc: Service): number {
  return svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS;
}

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const networks = new WeakMap<ClusterContext, ServiceNetwork>();

/** The Service network of the cluster `ctx` belongs to (one per cluster, created on first use). */
export function serviceNetworkOf(ctx: ClusterContext): ServiceNetwork {
  let n = networks.get(ctx);
  if (!n) networks.set(ctx, (n = new ServiceNetwork(ctx)));
  return n;
}

/**
 * The one entry point for the kubelet's `connect`: where a connection from a pod to `host:port` goes
 * when `host` is not a pod IP (a Service name, a DNS name, a cluster IP, or an unknown address).
 *
 * @example
 * routeToService(ctx, { namespace: 'default', node: 'node-1', ip: '10.244.1.7' }, 'web.default.svc', 80)
 * // → { ok: true, ip: '10.244.2.3', port: 8080 } or { ok: false, error: 'refused' }
 */
export function routeToService(ctx: ClusterContext, client: ServiceClient, host: string, port: number): ServiceRoute {
  return serviceNetworkOf(ctx).route(client, host, port);
}
