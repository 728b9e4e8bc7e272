/**
 * The EndpointSlice controller (pkg/controller/endpointslice, with its reconciler in
 * staging/src/k8s.io/endpointslice) and the API server's `kubernetes` Service
 * (pkg/controlplane/controller/kubernetesservice).
 */
import type { ClusterContext } from '../context';
import type { WatchEvent } from '../api/store';
import { ApiError } from '../api/errors';
import type { EndpointSlice, Node, Pod, Service } from '../api/types';
import type { Endpoint, EndpointConditions, EndpointPort } from 'kubernetes-types/discovery/v1';
import type { ServicePort } from 'kubernetes-types/core/v1';
import { Clock } from '../clock';
import { Rng } from '../rng';
import { WorkQueue, type Reconciler } from '../reconciler';
import { canonicalJson, isPodReady, newControllerRef, splitKey } from './controllerUtils';

/** discovery.LabelServiceName: the Service a slice belongs to. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** discovery.LabelManagedBy: which controller writes the slice. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** v1.IsHeadlessService: set on the slices of a Service without a cluster IP. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
/** The value of {@link LABEL_MANAGED_BY} on the slices this controller owns. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** v1.EndpointsLastChangeTriggerTime. */
export const ANNOTATION_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** kube-controller-manager `--max-endpoints-per-slice` default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** v1.LabelTopologyZone, copied to an endpoint's `zone`. */
const LABEL_ZONE = 'topology.kubernetes.io/zone';

/**
 * The conditions of a pod's endpoint (podToEndpoint): `serving` is the pod's Ready condition,
 * `terminating` is a deletionTimestamp, and `ready` is serving and not terminating, unless the
 * Service publishes not-ready addresses.
 *
 * @example endpointConditions(terminatingReadyPod, svc) // { ready: false, serving: true, terminating: true }
 */
export function endpointConditions(pod: Pod, svc: Service): Required<Pick<EndpointConditions, 'ready' | 'serving' | 'terminating'>> {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  return { ready, serving, terminating };
}

/**
 * ShouldPodBeInEndpoints(pod, includeTerminating=true): a pod is listed once it has an IP and until it
 * is terminal (Succeeded/Failed); a terminating pod stays, with `terminating: true`.
 */
export function shouldPodBeInEndpoints(pod: Pod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return !!pod.status?.podIP || !!pod.status?.podIPs?.length;
}

/**
 * FindPort: a numeric targetPort is used as is; a named one is looked up among the containers' ports
 * (and sidecars', i.e. init containers with restartPolicy Always) with the same name and protocol.
 * Undefined when the pod has no such port: the pod's endpoint then lacks that Service port.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  const protocol = sp.protocol ?? 'TCP';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** getEndpointPorts: the slice ports a pod gives, one per Service port it resolves. */
export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** podToEndpoint: addresses, conditions, nodeName, zone (from the node's label) and the pod as targetRef. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service): Endpoint {
  const ips = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip!) : [pod.status!.podIP!];
  const zone = node?.metadata?.labels?.[LABEL_ZONE];
  const m = pod.metadata!;
  const sub = pod.spec?.subdomain;
  return {
    addresses: ips.filter((ip) => !ip.includes(':')),
    conditions: endpointConditions(pod, svc),
    // ShouldSetHostname: a pod with a hostname whose subdomain names this Service (headless DNS records).
    ...(pod.spec?.hostname && sub === svc.metadata!.name && svc.metadata!.namespace === m.namespace ? { hostname: pod.spec.hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid },
    ...(zone ? { zone } : {}),
  };
}

/** The identity of an endpoint in a slice (EndpointSet's hash): its addresses, hostname and pod. */
function endpointKey(e: Endpoint): string {
  return `${e.addresses.join(',')}|${e.hostname ?? ''}|${e.targetRef?.namespace ?? ''}/${e.targetRef?.name ?? ''}`;
}

/** NewPortMapKey: slices are grouped by their exact set of ports. */
function portMapKey(ports: readonly EndpointPort[] | undefined): string {
  return canonicalJson([...(ports ?? [])].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : (a.port ?? 0) - (b.port ?? 0))));
}

const RESERVED_LABELS = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS]);

/** setEndpointSliceLabels: the Service's labels plus the reserved ones; `changed` if the user labels differ. */
function sliceLabels(existing: EndpointSlice | undefined, svc: Service): { labels: Record<string, string>; changed: boolean } {
  const mine: Record<string, string> = {};
  for (const [k, v] of Object.entries(existing?.metadata?.labels ?? {})) if (!RESERVED_LABELS.has(k)) mine[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) if (!RESERVED_LABELS.has(k)) labels[k] = v;
  const changed = canonicalJson(mine) !== canonicalJson(labels);
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata!.name!;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

/** A slice being built in one sync: `name` is empty until it is created. */
interface Draft {
  name: string;
  existing?: EndpointSlice;
  labels: Record<string, string>;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

/** The changes one sync makes for one Service. */
interface Plan {
  create: Draft[];
  update: Draft[];
  remove: EndpointSlice[];
}

/**
 * The EndpointSlice controller: for every Service with a selector (not ExternalName), slices named
 * `<service>-<5 chars>` listing the selected pods that have an IP, with their conditions, node and
 * resolved ports, at most {@link MAX_ENDPOINTS_PER_SLICE} endpoints each; one slice per distinct set of
 * resolved ports; an empty placeholder slice when no pod matches. The slices name the Service as their
 * controller owner, so the garbage collector deletes them with it.
 *
 * Why it is simpler than the real one: our watches are synchronous, so there is no EndpointSlice
 * tracker guarding against a stale cache, and no sync batching (`--endpoint-updates-batch-period`
 * is 0 by default anyway). Topology hints and trafficDistribution are not modelled. New endpoints are
 * added in pod-name order where the real controller pops them from a set in no particular order.
 *
 * @example
 * cluster.api.create('Service', web); cluster.settle();
 * cluster.store.list('EndpointSlice', 'default') // [web-x2k4p: 10.244.1.2, 10.244.2.2 …]
 */
export class EndpointSliceController implements Reconciler {
  readonly name = 'endpointslice-controller';
  private readonly queue = new WorkQueue<string>();
  /** Selectors of the Services that get slices, by namespace then name: which Services a pod change touches. */
  private readonly selectors = new Map<string, Map<string, Record<string, string>>>();
  /** TriggerTimeTracker state per Service key: pod trigger times and the Service's, as last seen. */
  private readonly triggers = new Map<string, { pods: Map<string, number>; service: number }>();

  constructor(
    readonly ctx: ClusterContext,
    readonly maxEndpointsPerSlice = MAX_ENDPOINTS_PER_SLICE,
  ) {
    for (const svc of ctx.store.values('Service')) this.onService(undefined, svc);
    ctx.store.watch('Service', (ev) => this.onService(ev.type === 'ADDED' ? undefined : ev.old, ev.type === 'DELETED' ? undefined : ev.object));
    ctx.store.watch('Pod', (ev) => this.onPod(ev));
    ctx.store.watch('EndpointSlice', (ev) => {
      // A slice edited or deleted by someone else is put back as the Service wants it.
      const labels = ev.object.metadata?.labels;
      if (labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME && labels[LABEL_SERVICE_NAME]) this.queue.add(`${ev.object.metadata!.namespace}/${labels[LABEL_SERVICE_NAME]}`);
    });
  }

  hasWork(): boolean {
    return this.queue.size > 0;
  }

  runOnce(): void {
    for (const key of this.queue.drain()) this.sync(key);
  }

  private onService(old: Service | undefined, svc: Service | undefined): void {
    const obj = (svc ?? old)!;
    const ns = obj.metadata!.namespace!;
    const name = obj.metadata!.name!;
    let byName = this.selectors.get(ns);
    if (!byName) this.selectors.set(ns, (byName = new Map()));
    const selector = svc ? managedSelector(svc) : undefined;
    if (selector) byName.set(name, selector);
    else byName.delete(name);
    if (!svc) this.triggers.delete(`${ns}/${name}`);
    this.queue.add(`${ns}/${name}`);
  }

  private onPod(ev: WatchEvent<'Pod'>): void {
    const byName = this.selectors.get(ev.object.metadata!.namespace!);
    if (!byName?.size) return;
    const ns = ev.object.metadata!.namespace!;
    for (const [name, selector] of byName) {
      if (matches(selector, ev.object.metadata?.labels) || (ev.old && matches(selector, ev.old.metadata?.labels))) this.queue.add(`${ns}/${name}`);
    }
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = this.ctx.store.get('Service', ns, name);
    // A deleted Service's slices go with it through the garbage collector (ownerReferences).
    if (!svc) return;
    const selector = managedSelector(svc);
    // Services without a selector get slices written by their users; ExternalName ones get none.
    if (!selector) return;
    const pods: Pod[] = [];
    for (const p of this.ctx.store.values('Pod')) if (p.metadata!.namespace === ns && matches(selector, p.metadata?.labels)) pods.push(p);
    pods.sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
    const existing = this.ctx.store
      .list('EndpointSlice', ns)
      .filter((s) => s.metadata?.labels?.[LABEL_SERVICE_NAME] === name && s.metadata.labels[LABEL_MANAGED_BY] === CONTROLLER_NAME);
    const plan = this.reconcile(svc, pods, existing);
    this.finalize(svc, plan, this.triggerTime(key, svc, pods));
  }

  /** reconcileByAddressType for IPv4 (the simulation's only family). */
  private reconcile(svc: Service, pods: Pod[], existing: EndpointSlice[]): Plan {
    const plan: Plan = { create: [], update: [], remove: [] };
    const owned: EndpointSlice[] = [];
    for (const s of existing) {
      // A slice of an older Service with the same name (being garbage collected), or of another family.
      if (s.addressType !== 'IPv4' || !s.metadata?.ownerReferences?.some((r) => r.uid === svc.metadata!.uid && r.kind === 'Service')) plan.remove.push(s);
      else owned.push(s);
    }
    const desired = new Map<string, { ports: EndpointPort[]; endpoints: Map<string, Endpoint> }>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod)) continue;
      const nodeName = pod.spec?.nodeName;
      const node = nodeName ? this.ctx.store.get('Node', undefined, nodeName) : undefined;
      // A pod bound to a node that does not exist is left out (unless not-ready addresses are published).
      if (nodeName && !node && !svc.spec?.publishNotReadyAddresses) continue;
      const ports = endpointPorts(svc, pod);
      const pk = portMapKey(ports);
      let group = desired.get(pk);
      if (!group) desired.set(pk, (group = { ports, endpoints: new Map() }));
      const ep = podToEndpoint(pod, node, svc);
      if (ep.addresses.length) group.endpoints.set(endpointKey(ep), ep);
    }
    const existingByPorts = new Map<string, EndpointSlice[]>();
    for (const s of owned) {
      const pk = portMapKey(s.ports ?? []);
      existingByPorts.set(pk, [...(existingByPorts.get(pk) ?? []), s]);
    }
    for (const [pk, group] of desired) this.reconcileByPortMapping(svc, existingByPorts.get(pk) ?? [], group.ports, group.endpoints, plan);
    for (const [pk, slices] of existingByPorts) if (!desired.has(pk)) plan.remove.push(...slices);
    // When no slice would exist, a placeholder without ports or endpoints stands for the Service.
    if (existing.length === plan.remove.length && plan.create.length === 0) {
      const placeholder = newDraft(svc, []);
      const lone = plan.remove.length === 1 ? plan.remove[0] : undefined;
      if (lone && isPlaceholder(lone, placeholder)) plan.remove = [];
      else plan.create.push(placeholder);
    }
    return plan;
  }

  /** reconcileByPortMapping: keep, update or drop existing endpoints, fill slices, then create new ones. */
  private reconcileByPortMapping(svc: Service, slices: EndpointSlice[], ports: EndpointPort[], desired: Map<string, Endpoint>, plan: Plan): void {
    const max = this.maxEndpointsPerSlice;
    const toUpdate: Draft[] = [];
    const unchanged: EndpointSlice[] = [];
    for (const s of slices) {
      const kept: Endpoint[] = [];
      let updated = false;
      for (const e of s.endpoints ?? []) {
        const k = endpointKey(e);
        const want = desired.get(k);
        if (!want) continue;
        kept.push(want);
        if (canonicalJson(want) !== canonicalJson(e)) updated = true;
        desired.delete(k);
      }
      const { labels, changed } = sliceLabels(s, svc);
      if (updated || kept.length !== (s.endpoints ?? []).length) {
        if (kept.length === 0) plan.remove.push(s);
        else toUpdate.push({ name: s.metadata!.name!, existing: s, labels, ports: s.ports ?? [], endpoints: kept });
      } else if (changed) {
        toUpdate.push({ name: s.metadata!.name!, existing: s, labels, ports: s.ports ?? [], endpoints: kept });
      } else unchanged.push(s);
    }
    const remaining = [...desired.values()];
    // Fill the slices already being written, fullest first.
    for (const d of [...toUpdate].sort((a, b) => b.endpoints.length - a.endpoints.length)) {
      while (remaining.length && d.endpoints.length < max) d.endpoints.push(remaining.shift()!);
    }
    while (remaining.length) {
      let fill: Draft | undefined;
      if (remaining.length < max && unchanged.length) {
        // getSliceToFill: the unchanged slice that ends up closest to full.
        let best: EndpointSlice | undefined;
        let closest = max;
        for (const s of unchanged) {
          const diff = max - (remaining.length + (s.endpoints ?? []).length);
          if (diff >= 0 && diff < closest) {
            closest = diff;
            best = s;
          }
        }
        if (best) {
          unchanged.splice(unchanged.indexOf(best), 1);
          fill = { name: best.metadata!.name!, existing: best, labels: sliceLabels(best, svc).labels, ports: best.ports ?? [], endpoints: [...(best.endpoints ?? [])] };
        }
      }
      fill ??= newDraft(svc, ports);
      while (remaining.length && fill.endpoints.length < max) fill.endpoints.push(remaining.shift()!);
      if (fill.name) toUpdate.push(fill);
      else plan.create.push(fill);
    }
    plan.update.push(...toUpdate);
  }

  /** finalize: creates become updates of slices that would be deleted; then write everything. */
  private finalize(svc: Service, plan: Plan, triggerTime: string | undefined): void {
    const ns = svc.metadata!.namespace!;
    for (let i = 0; i < plan.remove.length && plan.create.length; ) {
      const victim = plan.remove[i];
      if (victim.addressType === 'IPv4' && victim.metadata?.ownerReferences?.some((r) => r.uid === svc.metadata!.uid)) {
        const draft = plan.create.pop()!;
        plan.update.push({ ...draft, name: victim.metadata!.name!, existing: victim });
        plan.remove.splice(i, 1);
      } else i++;
    }
    try {
      // No new slices for a Service being deleted: the garbage collector is removing them.
      if (!svc.metadata?.deletionTimestamp) {
        for (const d of plan.create) this.ctx.api.create('EndpointSlice', toSlice(svc, d, undefined, triggerTime));
      }
      for (const d of plan.update) this.ctx.api.update('EndpointSlice', toSlice(svc, d, d.existing, triggerTime));
      for (const s of plan.remove) {
        if (this.ctx.store.get('EndpointSlice', ns, s.metadata!.name!)) this.ctx.api.delete('EndpointSlice', ns, s.metadata!.name!);
      }
    } catch (e) {
      // A namespace being terminated refuses new content: drop the work, as the real controller does.
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /**
   * TriggerTimeTracker: the earliest change (a pod's Ready transition, the Service's creation) not yet
   * reflected in the slices; undefined when nothing new, which clears the annotation.
   */
  private triggerTime(key: string, svc: Service, pods: Pod[]): string | undefined {
    const state = this.triggers.get(key) ?? { pods: new Map<string, number>(), service: -1 };
    let min: { ms: number; text: string } | undefined;
    const consider = (text: string | undefined, last: number | undefined): number | undefined => {
      if (!text) return undefined;
      const ms = Clock.parseRfc3339(text);
      if (last === undefined || ms > last) if (!min || ms < min.ms) min = { ms, text };
      return ms;
    };
    const pods2 = new Map<string, number>();
    for (const pod of pods) {
      const t = consider(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, state.pods.get(pod.metadata!.name!));
      if (t !== undefined) pods2.set(pod.metadata!.name!, t);
    }
    const svcTime = consider(svc.metadata?.creationTimestamp, state.service) ?? state.service;
    this.triggers.set(key, { pods: pods2, service: svcTime });
    return (min as { text: string } | undefined)?.text;
  }
}

/** The selector of a Service this controller serves, or undefined (no selector, or ExternalName). */
function managedSelector(svc: Service): Record<string, string> | undefined {
  if (svc.spec?.type === 'ExternalName') return undefined;
  const sel = svc.spec?.selector;
  // Why an empty map counts as none: the API server stores `selector: {}` as no selector.
  return sel && Object.keys(sel).length ? sel : undefined;
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const k in selector) if (labels?.[k] !== selector[k]) return false;
  return true;
}

function newDraft(svc: Service, ports: EndpointPort[]): Draft {
  return { name: '', labels: sliceLabels(undefined, svc).labels, ports, endpoints: [] };
}

/** placeholderSliceCompare: same namespace, labels, owner and (empty) contents. */
function isPlaceholder(s: EndpointSlice, p: Draft): boolean {
  return !(s.endpoints ?? []).length && !(s.ports ?? []).length && canonicalJson(s.metadata?.labels ?? {}) === canonicalJson(p.labels);
}

/** The slice object for a draft: a new one (generateName `<svc>-`) or the next version of `existing`. */
function toSlice(svc: Service, d: Draft, existing: EndpointSlice | undefined, triggerTime: string | undefined): EndpointSlice {
  const annotations = { ...(existing?.metadata?.annotations ?? {}) };
  if (triggerTime) annotations[ANNOTATION_TRIGGER_TIME] = triggerTime;
  else delete annotations[ANNOTATION_TRIGGER_TIME];
  const name = svc.metadata!.name!;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: existing
      ? // `annotations: undefined` rather than no key: the API server's update merges metadata.
        { ...existing.metadata, labels: d.labels, annotations: Object.keys(annotations).length ? annotations : undefined }
      : {
          // getEndpointSlicePrefix: `<svc>-` unless that is too long for a name.
          generateName: name.length + 1 <= 253 ? `${name}-` : name,
          namespace: svc.metadata!.namespace,
          labels: d.labels,
          ...(Object.keys(annotations).length ? { annotations } : {}),
          ownerReferences: [newControllerRef(svc)],
        },
    addressType: 'IPv4',
    // Why null: the API server stores an empty list as none, so `kubectl get -o yaml` shows
    // `endpoints: null` and `ports: null` on a placeholder slice.
    endpoints: (d.endpoints.length ? d.endpoints : null) as Endpoint[],
    ports: (d.ports.length ? d.ports : null) as EndpointPort[],
  };
}

// ---- the `kubernetes` Service ----

/** The API server's Service: `kubernetes` in `default`, first address of the Service CIDR. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** kube-apiserver's secure port, the `kubernetes` Service's target. */
export const APISERVER_PORT = 6443;
/** The kubernetes Service controller's resync interval (DefaultEndpointReconcilerInterval is 10s). */
const KUBERNETES_SERVICE_INTERVAL_MS = 10_000;

/**
 * What kube-apiserver itself keeps in the API (pkg/controlplane/controller/kubernetesservice and the
 * lease endpoint reconciler): the `kubernetes` Service (10.96.0.1:443 → 6443) and its EndpointSlice
 * `kubernetes` listing the API server's address, the InternalIP of each control-plane node. Both are
 * put back within 10s if deleted.
 *
 * Why the uids come from a private PRNG: these objects exist in every cluster, and drawing from the
 * cluster's PRNG would shift every random name (pods, IPs) of every scenario against earlier runs.
 */
export class KubernetesServiceController implements Reconciler {
  readonly name = 'kubernetes-service-controller';
  private dirty = true;
  private readonly uids = new Rng(0x6b756265);

  constructor(readonly ctx: ClusterContext) {
    const later = () => ctx.clock.after(KUBERNETES_SERVICE_INTERVAL_MS, () => (this.dirty = true));
    ctx.store.watch('Service', (ev) => {
      if (ev.type === 'DELETED' && ev.object.metadata?.namespace === 'default' && ev.object.metadata.name === 'kubernetes') later();
    });
    ctx.store.watch('EndpointSlice', (ev) => {
      if (ev.object.metadata?.namespace === 'default' && ev.object.metadata.name === 'kubernetes') {
        if (ev.type === 'DELETED') later();
        else if (ev.type === 'MODIFIED') this.dirty = true;
      }
    });
    ctx.store.watch('Node', (ev) => {
      if (isControlPlane(ev.object) || (ev.old && isControlPlane(ev.old))) this.dirty = true;
    });
  }

  hasWork(): boolean {
    return this.dirty;
  }

  runOnce(): void {
    this.dirty = false;
    const store = this.ctx.store;
    if (!store.get('Namespace', undefined, 'default')) return;
    if (!store.get('Service', 'default', 'kubernetes')) {
      store.create('Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: {
          clusterIP: KUBERNETES_SERVICE_IP,
          clusterIPs: [KUBERNETES_SERVICE_IP],
          internalTrafficPolicy: 'Cluster',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT }],
          sessionAffinity: 'None',
          type: 'ClusterIP',
        },
        status: { loadBalancer: {} },
      }, this.uid());
    }
    const addresses = [...store.values('Node')]
      .filter(isControlPlane)
      .map((n) => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address)
      .filter((a): a is string => !!a)
      .sort();
    const old = store.get('EndpointSlice', 'default', 'kubernetes');
    // Why nothing without a control-plane node: the API server's address is its node's; a cluster
    // built without one (unit tests) has no address to publish.
    if (!addresses.length) return;
    const want: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { [LABEL_SERVICE_NAME]: 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })),
      ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
    };
    if (!old) store.create('EndpointSlice', want, this.uid());
    else if (canonicalJson([old.endpoints, old.ports, old.metadata?.labels]) !== canonicalJson([want.endpoints, want.ports, want.metadata!.labels])) {
      store.update('EndpointSlice', { ...old, endpoints: want.endpoints, ports: want.ports, metadata: { ...old.metadata, labels: want.metadata!.labels } });
    }
  }

  private uid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => this.uids.int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.uids.int(4)]}${hex(3)}-${hex(12)}`;
  }
}

function isControlPlane(node: Node): boolean {
  return node.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined;
}
