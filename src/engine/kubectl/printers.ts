/**
 * The table printers of `kubectl get` (pkg/printers/internalversion/printers.go), as pure functions of
 * (objects, now). Each returns header + rows; {@link printTable} pads them as kubectl's tabwriter does.
 */
import { formatLabels } from '../api/labels';
import type {
  ConfigMap, DaemonSet, Deployment, EndpointSlice, Event, Job, Kind, KObject, LabelSelector, Lease, Namespace, Node, Pod,
  PodDisruptionBudget, ReplicaSet, Secret, Service,
} from '../api/types';
import type { Container } from '../api/types';
import { ageSince, humanDuration, toVirtualMs } from './duration';

/** Options that change which columns a printer emits. */
export interface PrintOptions {
  wide: boolean;
}

/** A printer: the header of a kind's table and one row per object. */
export interface TablePrinter<T> {
  header(opts: PrintOptions): string[];
  row(obj: T, now: number, opts: PrintOptions): string[];
}

/** NodeUnreachablePodReason (pkg/util/node): the node lifecycle controller marks pods on lost nodes. */
export const NODE_LOST_REASON = 'NodeLost';

function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** The STATUS, READY and RESTARTS cells of `kubectl get pods`, exactly as printPod computes them. */
export function podColumns(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = spec.containers?.length ?? 0;
  let ready = 0;
  let lastRestart = -Infinity;
  let lastSidecarRestart = -Infinity;
  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const inits = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isRestartableInit(c)) total++;
  }
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const lastTerm = c.lastState?.terminated?.finishedAt;
    if (lastTerm) lastRestart = Math.max(lastRestart, toVirtualMs(lastTerm));
    const sidecar = isRestartableInit(inits.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      if (lastTerm) lastSidecarRestart = Math.max(lastSidecarRestart, toVirtualMs(lastTerm));
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }
  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const lastTerm = c.lastState?.terminated?.finishedAt;
      if (lastTerm) lastRestart = Math.max(lastRestart, toVirtualMs(lastTerm));
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata?.deletionTimestamp && status.reason === NODE_LOST_REASON) reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart > -Infinity) restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

/**
 * The STATUS column of `kubectl get pods` for one pod at virtual time `now`, e.g. `Running`,
 * `Init:0/2`, `CrashLoopBackOff`, `Terminating`. The UI uses it to label pods.
 */
export function podStatusText(pod: Pod, now = 0): string {
  return podColumns(pod, now).status;
}

const none = (s: string | undefined): string => (s ? s : '<none>');

export const podPrinter: TablePrinter<Pod> = {
  header: (o) => ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(o.wide ? ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : [])],
  row(pod, now, o) {
    const c = podColumns(pod, now);
    const row = [pod.metadata!.name!, c.ready, c.status, c.restarts, ageSince(pod.metadata!.creationTimestamp, now)];
    if (o.wide) {
      let gates = '<none>';
      const rg = pod.spec?.readinessGates ?? [];
      if (rg.length) {
        let ok = 0;
        for (const g of rg) {
          const cond = pod.status?.conditions?.find((x) => x.type === g.conditionType);
          if (cond?.status === 'True') ok++;
        }
        gates = `${ok}/${rg.length}`;
      }
      row.push(none(pod.status?.podIPs?.[0]?.ip), none(pod.spec?.nodeName), none(pod.status?.nominatedNodeName), gates);
    }
    return row;
  },
};

/** The ROLES column: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`, sorted. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

/**
 * The STATUS column of `kubectl get nodes`. As in printNode, a Ready condition that is not True
 * (False or Unknown) prints `NotReady`; `Unknown` only when there is no Ready condition at all.
 */
export function nodeStatusText(node: Node): string {
  const parts: string[] = [];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else parts.push('Unknown');
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: TablePrinter<Node> = {
  header: (o) => ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(o.wide ? ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] : [])],
  row(node, now, o) {
    const info = node.status?.nodeInfo;
    const row = [node.metadata!.name!, nodeStatusText(node), nodeRoles(node), ageSince(node.metadata!.creationTimestamp, now), info?.kubeletVersion ?? ''];
    if (o.wide) {
      row.push(
        nodeAddress(node, 'InternalIP'),
        nodeAddress(node, 'ExternalIP'),
        info?.osImage || '<unknown>',
        info?.kernelVersion || '<unknown>',
        info?.containerRuntimeVersion || '<unknown>',
      );
    }
    return row;
  },
};

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`; `<none>` for an empty selector. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${values.join(',')})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${values.join(',')})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
    }
  }
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}

function containerCells(containers: Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

export const replicaSetPrinter: TablePrinter<ReplicaSet> = {
  header: (o) => ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', ...(o.wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
  row(rs, now, o) {
    const row = [rs.metadata!.name!, String(rs.spec?.replicas ?? 1), String(rs.status?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), ageSince(rs.metadata!.creationTimestamp, now)];
    if (o.wide) row.push(...containerCells(rs.spec?.template?.spec?.containers), formatLabelSelector(rs.spec?.selector));
    return row;
  },
};

export const deploymentPrinter: TablePrinter<Deployment> = {
  header: (o) => ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', ...(o.wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
  row(d, now, o) {
    const s = d.status ?? {};
    const row = [
      d.metadata!.name!,
      `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      String(s.updatedReplicas ?? 0),
      String(s.availableReplicas ?? 0),
      ageSince(d.metadata!.creationTimestamp, now),
    ];
    if (o.wide) row.push(...containerCells(d.spec?.template?.spec?.containers), formatLabelSelector(d.spec?.selector));
    return row;
  },
};

export const daemonSetPrinter: TablePrinter<DaemonSet> = {
  header: (o) => ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', ...(o.wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
  row(ds, now, o) {
    const s = ds.status;
    const row = [
      ds.metadata!.name!,
      String(s?.desiredNumberScheduled ?? 0),
      String(s?.currentNumberScheduled ?? 0),
      String(s?.numberReady ?? 0),
      String(s?.updatedNumberScheduled ?? 0),
      String(s?.numberAvailable ?? 0),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageSince(ds.metadata!.creationTimestamp, now),
    ];
    if (o.wide) row.push(...containerCells(ds.spec?.template?.spec?.containers), formatLabelSelector(ds.spec?.selector));
    return row;
  },
};

function jobCondition(job: Job, type: string): boolean {
  const c = job.status?.conditions?.find((x) => x.type === type);
  return c?.status === 'True';
}

export const jobPrinter: TablePrinter<Job> = {
  header: (o) => ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', ...(o.wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
  row(job, now, o) {
    const s = job.status ?? {};
    let completions: string;
    if (job.spec?.completions !== undefined && job.spec.completions !== null) completions = `${s.succeeded ?? 0}/${job.spec.completions}`;
    else {
      const par = job.spec?.parallelism ?? 0;
      completions = par > 1 ? `${s.succeeded ?? 0}/1 of ${par}` : `${s.succeeded ?? 0}/1`;
    }
    let duration = '';
    if (s.startTime) {
      const start = toVirtualMs(s.startTime);
      duration = humanDuration((s.completionTime ? toVirtualMs(s.completionTime) : now) - start);
    }
    let status = 'Running';
    if (jobCondition(job, 'Complete')) status = 'Complete';
    else if (jobCondition(job, 'Failed')) status = 'Failed';
    else if (job.metadata?.deletionTimestamp) status = 'Terminating';
    else if (jobCondition(job, 'Suspended')) status = 'Suspended';
    else if (jobCondition(job, 'FailureTarget')) status = 'FailureTarget';
    const row = [job.metadata!.name!, status, completions, duration, ageSince(job.metadata!.creationTimestamp, now)];
    if (o.wide) row.push(...containerCells(job.spec?.template?.spec?.containers), formatLabelSelector(job.spec?.selector));
    return row;
  },
};

export const namespacePrinter: TablePrinter<Namespace> = {
  header: () => ['NAME', 'STATUS', 'AGE'],
  row: (ns, now) => [ns.metadata!.name!, ns.status?.phase ?? '', ageSince(ns.metadata!.creationTimestamp, now)],
};

export const configMapPrinter: TablePrinter<ConfigMap> = {
  header: () => ['NAME', 'DATA', 'AGE'],
  row: (cm, now) => [cm.metadata!.name!, String(Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length), ageSince(cm.metadata!.creationTimestamp, now)],
};

export const secretPrinter: TablePrinter<Secret> = {
  header: () => ['NAME', 'TYPE', 'DATA', 'AGE'],
  row: (s, now) => [s.metadata!.name!, s.type ?? 'Opaque', String(Object.keys(s.data ?? {}).length + Object.keys(s.stringData ?? {}).length), ageSince(s.metadata!.creationTimestamp, now)],
};

/** The PORT(S) cell: `80/TCP`, `80:30080/TCP`, joined by commas; `<none>` without ports. */
export function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function serviceExternalIP(svc: Service): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const ext = svc.spec?.externalIPs ?? [];
  if (type === 'ClusterIP' || type === 'NodePort') return ext.length ? ext.join(',') : '<none>';
  if (type === 'LoadBalancer') {
    const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort().join(',');
    if (ext.length) return [...(lb ? lb.split(',') : []), ...ext].join(',');
    return lb || '<pending>';
  }
  if (type === 'ExternalName') return svc.spec?.externalName ?? '';
  return '<unknown>';
}

export const servicePrinter: TablePrinter<Service> = {
  header: (o) => ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', ...(o.wide ? ['SELECTOR'] : [])],
  row(svc, now, o) {
    const type = svc.spec?.type ?? 'ClusterIP';
    const clusterIP = svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP ?? '<none>';
    const row = [svc.metadata!.name!, type, clusterIP || '<none>', serviceExternalIP(svc), servicePorts(svc), ageSince(svc.metadata!.creationTimestamp, now)];
    if (o.wide) row.push(formatLabels(svc.spec?.selector));
    return row;
  },
};

export const leasePrinter: TablePrinter<Lease> = {
  header: () => ['NAME', 'HOLDER', 'AGE'],
  row: (l, now) => [l.metadata!.name!, l.spec?.holderIdentity ?? '', ageSince(l.metadata!.creationTimestamp, now)],
};

function formatList(list: string[], count: number, max: number): string {
  if (!list.length) return '<unset>';
  const s = list.join(',');
  return count > max ? `${s} + ${count - max} more...` : s;
}

export const endpointSlicePrinter: TablePrinter<EndpointSlice> = {
  header: () => ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  row(es, now) {
    const addrs: string[] = [];
    let count = 0;
    for (const e of es.endpoints ?? []) for (const a of e.addresses) {
      if (addrs.length < 3) addrs.push(a);
      count++;
    }
    const ports = (es.ports ?? []).map((p) => (p.port === undefined || p.port === null ? '<unset>' : String(p.port)));
    return [es.metadata!.name!, es.addressType, formatList(ports.slice(0, 3), ports.length, 3), formatList(addrs, count, 3), ageSince(es.metadata!.creationTimestamp, now)];
  },
};

/** printPodDisruptionBudget: the budget that is not set prints `N/A`; no extra `-o wide` columns. */
export const podDisruptionBudgetPrinter: TablePrinter<PodDisruptionBudget> = {
  header: () => ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
  row: (pdb, now) => [
    pdb.metadata!.name!,
    pdb.spec?.minAvailable !== undefined ? String(pdb.spec.minAvailable) : 'N/A',
    pdb.spec?.maxUnavailable !== undefined ? String(pdb.spec.maxUnavailable) : 'N/A',
    String(pdb.status?.disruptionsAllowed ?? 0),
    ageSince(pdb.metadata!.creationTimestamp, now),
  ],
};

export const eventPrinter: TablePrinter<Event> = {
  header: (o) => (o.wide
    ? ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']
    : ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']),
  row(e, now, o) {
    const first = ageSince(e.firstTimestamp ?? e.eventTime, now);
    const last = e.lastTimestamp ? ageSince(e.lastTimestamp, now) : first;
    const io = e.involvedObject;
    const target = io.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io.kind ?? '').toLowerCase();
    const message = (e.message ?? '').trim();
    if (!o.wide) return [last, e.type ?? '', e.reason ?? '', target, message];
    const src = e.source?.component ? (e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component) : (e.reportingComponent ?? '');
    return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', src, message, first, String(e.count || 1), e.metadata!.name!];
  },
};

/** The printer for each kind the simulation stores. */
export const PRINTERS: { [K in Kind]: TablePrinter<never> } = {
  Pod: podPrinter, Node: nodePrinter, ReplicaSet: replicaSetPrinter, Deployment: deploymentPrinter, DaemonSet: daemonSetPrinter,
  Job: jobPrinter, Namespace: namespacePrinter, ConfigMap: configMapPrinter, Secret: secretPrinter, Service: servicePrinter,
  Lease: leasePrinter, EndpointSlice: endpointSlicePrinter, Event: eventPrinter, PodDisruptionBudget: podDisruptionBudgetPrinter,
} as { [K in Kind]: TablePrinter<never> };

/** One table row for any object, with the options `kubectl get` adds (namespace column, name prefix, labels). */
export function printerFor(kind: Kind): TablePrinter<KObject> {
  return PRINTERS[kind] as unknown as TablePrinter<KObject>;
}
