/**
 * `kubectl describe` (staging/src/k8s.io/kubectl/pkg/describe/describe.go) as pure functions of
 * (object, related objects, now). Lines are written tab-separated at an indent level and padded by a
 * tabwriter with minwidth 0 and padding 2, exactly as kubectl's PrefixWriter does.
 */
import { bytes, formatBytes, formatMilliCpu, milliCpu } from '../api/quantity';
import type {
  Container, ContainerStatus, DaemonSet, Deployment, EndpointSlice, Event, Job, KObject, Lease, Node, Pod, PodDisruptionBudget, Probe,
  ReplicaSet, Service, Toleration, Volume,
} from '../api/types';
import type { PodTemplateSpec, ResourceRequirements, Taint } from '../api/types';
import { ageSince, humanDuration, toVirtualMs } from './duration';
import { formatLabelSelector, nodeRoles } from './printers';
import { tabwrite } from './tabwriter';

/** describe's PrefixWriter: LEVEL_n indents by 2n spaces. */
class PrefixWriter {
  private buf = '';
  write(level: number, text: string): void {
    this.buf += '  '.repeat(level) + text;
  }
  /** The text, padded as Go's tabwriter (0, 8, 2, ' ', 0) would. */
  toString(): string {
    return tabwrite(this.buf, 0, 2);
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z layout in UTC: `Thu, 01 Jan 2026 00:00:05 +0000`. */
export function rfc1123z(timestamp: string | undefined): string {
  if (!timestamp) return '<unset>';
  const d = new Date(Date.parse(timestamp));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const sortedKeys = (m: Record<string, string> | undefined): string[] => Object.keys(m ?? {}).sort();

/** Annotations describe never shows (kubectl's skip set). */
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function printMultiline(w: PrefixWriter, indent: string, title: string, entries: string[]): void {
  w.write(0, `${indent}${title}:\t`);
  if (!entries.length) {
    w.write(0, '<none>\n');
    return;
  }
  entries.forEach((e, i) => w.write(0, `${i ? `${indent}\t` : ''}${e}\n`));
}

function printLabels(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, indent = ''): void {
  printMultiline(w, indent, title, sortedKeys(labels).map((k) => `${k}=${labels![k]}`));
}

function printAnnotations(w: PrefixWriter, title: string, ann: Record<string, string> | undefined, indent = ''): void {
  const entries: string[] = [];
  for (const k of sortedKeys(ann)) {
    if (SKIP_ANNOTATIONS.has(k)) continue;
    const v = ann![k];
    entries.push(v.length > MAX_ANNOTATION_LEN ? `${k}: ${v.slice(0, MAX_ANNOTATION_LEN)}...` : `${k}: ${v}`);
  }
  printMultiline(w, indent, title, entries);
}

/** One toleration as describe prints it: `node.kubernetes.io/not-ready:NoExecute op=Exists for 300s`. */
export function formatToleration(t: Toleration): string {
  let s = t.key ?? '';
  if (t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
  return s;
}

function printTolerations(w: PrefixWriter, tolerations: Toleration[] | undefined, indent = ''): void {
  const sorted = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  printMultiline(w, indent, 'Tolerations', sorted.map(formatToleration));
}

function formatTaint(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** describe's probe line: `http-get http://:8080/healthz delay=3s timeout=1s period=3s #success=1 #failure=3`. */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
    const port = String(p.httpGet.port ?? '');
    const host = p.httpGet.host ?? '';
    const hostPort = port ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host;
    return `http-get ${scheme}://${hostPort}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(w: PrefixWriter, name: string, state: ContainerStatus['state']): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if (t.signal && t.signal > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
  }
}

const RESOURCE_ORDER = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function describeResources(w: PrefixWriter, r: ResourceRequirements | undefined): void {
  for (const [title, list] of [['Limits', r?.limits], ['Requests', r?.requests]] as const) {
    const keys = Object.keys(list ?? {}).sort(RESOURCE_ORDER);
    if (!keys.length) continue;
    w.write(2, `${title}:\n`);
    for (const k of keys) w.write(3, `${k}:\t${String(list![k])}\n`);
  }
}

/**
 * The value describe shows for an env var from a fieldRef (fieldpath.ExtractFieldPathAsString): only
 * metadata fields resolve; others (e.g. spec.nodeName) print empty, as in kubectl.
 */
function resolveFieldRef(pod: Pod | undefined, path: string): string {
  const m = pod?.metadata;
  if (!m) return '';
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return m[sub[1] as 'labels' | 'annotations']?.[sub[2]] ?? '';
  switch (path) {
    case 'metadata.name': return m.name ?? '';
    case 'metadata.namespace': return m.namespace ?? '';
    case 'metadata.uid': return m.uid ?? '';
    case 'metadata.labels': return Object.keys(m.labels ?? {}).sort().map((k) => `${k}="${m.labels![k]}"`).join('\n');
    case 'metadata.annotations': return Object.keys(m.annotations ?? {}).sort().map((k) => `${k}="${m.annotations![k]}"`).join('\n');
    default: return '';
  }
}

function describeContainers(w: PrefixWriter, label: string, containers: Container[], statuses: ContainerStatus[] | undefined, space: string, pod?: Pod): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:${containers.length ? '' : ' <none>'}\n`);
  for (const c of containers) {
    const st = statuses ? byName.get(c.name) : undefined;
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.restartPolicy) w.write(2, `Restart Policy:\t${c.restartPolicy}\n`);
    for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const) {
      if (!list?.length) continue;
      w.write(2, `${title}:\n`);
      for (const part of list) for (const line of part.split('\n')) w.write(3, `${line}\n`);
    }
    if (st) {
      describeState(w, 'State', st.state);
      if (st.lastState?.terminated) describeState(w, 'Last State', st.lastState);
      w.write(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    describeResources(w, c.resources);
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if (c.envFrom?.length) {
      w.write(2, 'Environment Variables from:\n');
      for (const e of c.envFrom) {
        const [name, from, optional] = e.configMapRef
          ? [e.configMapRef.name, 'ConfigMap', e.configMapRef.optional]
          : [e.secretRef?.name, 'Secret', e.secretRef?.optional];
        w.write(3, `${name}\t${from}${e.prefix ? ` with prefix '${e.prefix}'` : ''}\tOptional: ${optional === true}\n`);
      }
    }
    w.write(2, `Environment:${c.env?.length ? '' : '\t<none>'}\n`);
    for (const e of c.env ?? []) {
      if (!e.valueFrom) {
        (e.value ?? '').split('\n').forEach((line, i) => w.write(3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`));
      } else if (e.valueFrom.fieldRef) {
        w.write(3, `${e.name}:\t${resolveFieldRef(pod, e.valueFrom.fieldRef.fieldPath)} (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`);
      } else if (e.valueFrom.resourceFieldRef) {
        const resource = e.valueFrom.resourceFieldRef.resource;
        const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
        let value = String(c.resources?.[kind]?.[name] ?? '0');
        if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
        w.write(3, `${e.name}:\t${value} (${resource})\n`);
      } else if (e.valueFrom.secretKeyRef) {
        w.write(3, `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${e.valueFrom.secretKeyRef.optional === true}\n`);
      } else if (e.valueFrom.configMapKeyRef) {
        w.write(3, `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${e.valueFrom.configMapKeyRef.optional === true}\n`);
      }
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => RESOURCE_ORDER(a.mountPath, b.mountPath));
    w.write(2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])];
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

function describeVolumes(w: PrefixWriter, volumes: Volume[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath) {
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`);
    } else if (v.emptyDir) {
      const size = v.emptyDir.sizeLimit !== undefined && String(v.emptyDir.sizeLimit) !== '0' ? String(v.emptyDir.sizeLimit) : '<unset>';
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${size}\n`);
    } else if (v.configMap) {
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`);
    } else if (v.secret) {
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`);
    } else if (v.persistentVolumeClaim) {
      w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
    } else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`);
        else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    Optional:\t${s.configMap.optional === true}\n`);
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (s.secret) w.write(2, `SecretName:\t${s.secret.name ?? ''}\n    Optional:\t${s.secret.optional === true}\n`);
      }
    } else {
      w.write(1, '<unknown>\n');
    }
  }
}

/**
 * The Events section: sorted by last timestamp, `Events: <none>` when empty, repeats as
 * `2m (x4 over 5m)`.
 */
function describeEvents(w: PrefixWriter, events: Event[], now: number): void {
  if (!events.length) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  const sorted = [...events].sort((a, b) => toVirtualMs(a.lastTimestamp ?? a.firstTimestamp ?? '') - toVirtualMs(b.lastTimestamp ?? b.firstTimestamp ?? ''));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = ageSince(e.firstTimestamp ?? e.eventTime, now);
    const interval = (e.count ?? 1) > 1 ? `${ageSince(e.lastTimestamp, now)} (x${e.count} over ${first})` : first;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}

/** The pod's QoS class (pkg/apis/core/helper/qos): status.qosClass when set, else computed. */
export function qosClass(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const cs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && String(req[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function controllerOf(obj: KObject): string {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** `kubectl describe pod`. */
export function describePod(pod: Pod, events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = pod.metadata!;
  const spec = pod.spec ?? { containers: [] };
  const st = pod.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  if (spec.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${st.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  if (m.deletionTimestamp && st.phase !== 'Failed' && st.phase !== 'Succeeded') {
    // kubectl prints the time since the deletion timestamp, which lies in the future during the grace
    // period: a pod being deleted gracefully shows `(lasts <invalid>)`, as real kubectl does.
    w.write(0, `Status:\tTerminating (lasts ${humanDuration(now - toVirtualMs(m.deletionTimestamp))})\n`);
    w.write(0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds ?? 0}s\n`);
  } else {
    w.write(0, `Status:\t${st.phase ?? ''}\n`);
  }
  if (st.reason) w.write(0, `Reason:\t${st.reason}\n`);
  if (st.message) w.write(0, `Message:\t${st.message}\n`);
  w.write(0, `IP:\t${st.podIP ?? ''}\n`);
  if (!st.podIPs?.length) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of st.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const ctl = controllerOf(pod);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (st.nominatedNodeName) w.write(0, `NominatedNodeName:\t${st.nominatedNodeName}\n`);
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, st.initContainerStatuses ?? [], '', pod);
  describeContainers(w, 'Containers', spec.containers ?? [], st.containerStatuses ?? [], '', pod);
  if (spec.readinessGates?.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = st.conditions?.find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c?.status ?? '<none>'} \n`);
    }
  }
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${qosClass(pod)}\n`);
  printLabels(w, 'Node-Selectors', spec.nodeSelector);
  printTolerations(w, spec.tolerations);
  describeEvents(w, events, now);
  return w.toString();
}

function podRequestsAndLimits(pod: Pod): { cpuReq: number; cpuLim: number; memReq: number; memLim: number; esReq: number; esLim: number } {
  const sum = (cs: Container[], pick: (r: ResourceRequirements | undefined) => Record<string, unknown> | undefined, res: string, f: (q: string) => number) =>
    cs.reduce((acc, c) => acc + f(String(pick(c.resources)?.[res] ?? '0')), 0);
  const regular = pod.spec?.containers ?? [];
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const inits = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy !== 'Always');
  const total = (pick: (r: ResourceRequirements | undefined) => Record<string, unknown> | undefined, res: string, f: (q: string) => number) => {
    let v = sum([...regular, ...sidecars], pick, res, f);
    for (const c of inits) v = Math.max(v, sum([c], pick, res, f));
    return v;
  };
  const req = (r: ResourceRequirements | undefined) => r?.requests as Record<string, unknown> | undefined;
  const lim = (r: ResourceRequirements | undefined) => r?.limits as Record<string, unknown> | undefined;
  return {
    cpuReq: total(req, 'cpu', milliCpu), cpuLim: total(lim, 'cpu', milliCpu),
    memReq: total(req, 'memory', bytes), memLim: total(lim, 'memory', bytes),
    esReq: total(req, 'ephemeral-storage', bytes), esLim: total(lim, 'ephemeral-storage', bytes),
  };
}

const pct = (v: number, of: number): number => (of ? Math.trunc((v / of) * 100) : 0);

/** `kubectl describe node`: `pods` are the pods bound to it, `lease` its kube-node-lease Lease. */
export function describeNode(node: Node, pods: Pod[], lease: Lease | undefined, events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = node.metadata!;
  const st = node.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Roles:\t${nodeRoles(node)}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  printMultiline(w, '', 'Taints', (node.spec?.taints ?? []).map(formatTaint));
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);
  w.write(0, 'Lease:\n');
  w.write(1, `HolderIdentity:\t${lease?.spec?.holderIdentity ?? '<unset>'}\n`);
  w.write(1, `AcquireTime:\t${lease?.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
  w.write(1, `RenewTime:\t${lease?.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', st.capacity], ['Allocatable', st.allocatable]] as const) {
    const keys = Object.keys(list ?? {}).sort(RESOURCE_ORDER);
    if (!keys.length) continue;
    w.write(0, `${title}:\n`);
    for (const k of keys) w.write(0, `  ${k}:\t${String(list![k])}\n`);
  }
  const info = st.nodeInfo;
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info?.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info?.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
  if (info?.kubeProxyVersion) w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  const alloc = st.allocatable && Object.keys(st.allocatable).length ? st.allocatable : (st.capacity ?? {});
  const aCpu = milliCpu(String(alloc.cpu ?? '0'));
  const aMem = bytes(String(alloc.memory ?? '0'));
  const aEs = bytes(String(alloc['ephemeral-storage'] ?? '0'));
  const active = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  w.write(0, `Non-terminated Pods:\t(${active.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const tot = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0, esReq: 0, esLim: 0 };
  for (const p of active) {
    const r = podRequestsAndLimits(p);
    for (const k of Object.keys(tot) as (keyof typeof tot)[]) tot[k] += r[k];
    w.write(1, `${p.metadata!.namespace}\t${p.metadata!.name}\t\t${formatMilliCpu(r.cpuReq)} (${pct(r.cpuReq, aCpu)}%)\t${formatMilliCpu(r.cpuLim)} (${pct(r.cpuLim, aCpu)}%)\t${formatBytes(r.memReq)} (${pct(r.memReq, aMem)}%)\t${formatBytes(r.memLim)} (${pct(r.memLim, aMem)}%)\t${ageSince(p.metadata!.creationTimestamp, now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${formatMilliCpu(tot.cpuReq)} (${pct(tot.cpuReq, aCpu)}%)\t${formatMilliCpu(tot.cpuLim)} (${pct(tot.cpuLim, aCpu)}%)\n`);
  w.write(1, `memory\t${formatBytes(tot.memReq)} (${pct(tot.memReq, aMem)}%)\t${formatBytes(tot.memLim)} (${pct(tot.memLim, aMem)}%)\n`);
  w.write(1, `ephemeral-storage\t${formatBytes(tot.esReq)} (${pct(tot.esReq, aEs)}%)\t${formatBytes(tot.esLim)} (${pct(tot.esLim, aEs)}%)\n`);
  describeEvents(w, events, now);
  return w.toString();
}

function describePodTemplate(w: PrefixWriter, t: PodTemplateSpec | undefined): void {
  w.write(0, 'Pod Template:\n');
  if (!t) {
    w.write(1, '<unset>');
    return;
  }
  printLabels(w, 'Labels', t.metadata?.labels, '  ');
  if (Object.keys(t.metadata?.annotations ?? {}).length) printAnnotations(w, 'Annotations', t.metadata?.annotations, '  ');
  if (t.spec?.serviceAccountName) w.write(1, `Service Account:\t${t.spec.serviceAccountName}\n`);
  if (t.spec?.initContainers?.length) describeContainers(w, 'Init Containers', t.spec.initContainers, undefined, '  ');
  describeContainers(w, 'Containers', t.spec?.containers ?? [], undefined, '  ');
  describeVolumes(w, t.spec?.volumes, '  ');
  if (t.spec?.priorityClassName) w.write(0, `  Priority Class Name:\t${t.spec.priorityClassName}\n`);
  printLabels(w, 'Node-Selectors', t.spec?.nodeSelector, '  ');
  printTolerations(w, t.spec?.tolerations, '  ');
}

/** `kubectl describe replicaset`: `pods` are the pods it controls. */
export function describeReplicaSet(rs: ReplicaSet, pods: Pod[], events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = rs.metadata!;
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  const ctl = controllerOf(rs);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  w.write(0, `Pods Status:\t${podPhaseCounts(pods)}\n`);
  describePodTemplate(w, rs.spec?.template);
  if (rs.status?.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of rs.status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** The template without the pod-template-hash label, to find a Deployment's new ReplicaSet. */
export function templateKey(t: PodTemplateSpec | undefined): string {
  const labels = { ...(t?.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return JSON.stringify({ ...t, metadata: { ...t?.metadata, labels } }, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v);
}

/** `kubectl describe deployment`: `replicaSets` are the ReplicaSets it owns. */
export function describeDeployment(d: Deployment, replicaSets: ReplicaSet[], events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = d.metadata!;
  const s = d.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(d.spec?.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec?.replicas ?? 1} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable\n`);
  const strategy = d.spec?.strategy?.type ?? 'RollingUpdate';
  w.write(0, `StrategyType:\t${strategy}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  if (strategy === 'RollingUpdate') {
    const ru = d.spec?.strategy?.rollingUpdate;
    w.write(0, `RollingUpdateStrategy:\t${ru?.maxUnavailable ?? '25%'} max unavailable, ${ru?.maxSurge ?? '25%'} max surge\n`);
  }
  describePodTemplate(w, d.spec?.template);
  if (s.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of s.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  const key = templateKey(d.spec?.template);
  const newRS = replicaSets.filter((rs) => templateKey(rs.spec?.template) === key).sort((a, b) => (a.metadata!.creationTimestamp! < b.metadata!.creationTimestamp! ? -1 : 1))[0];
  const old = replicaSets.filter((rs) => rs !== newRS && (rs.spec?.replicas ?? 1) !== 0);
  const fmt = (list: ReplicaSet[]) => (list.length ? list.map((rs) => `${rs.metadata!.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ') : '<none>');
  w.write(0, `OldReplicaSets:\t${fmt(old)}\n`);
  w.write(0, `NewReplicaSet:\t${fmt(newRS ? [newRS] : [])}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/** A short describe for the other kinds: identity, labels, annotations, events. */
export function describeGeneric(obj: KObject, events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = obj.metadata!;
  w.write(0, `Name:\t${m.name}\n`);
  if (m.namespace) w.write(0, `Namespace:\t${m.namespace}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  const o = obj as { kind?: string; status?: { phase?: string }; data?: Record<string, string> };
  if (o.kind === 'Namespace') w.write(0, `Status:\t${o.status?.phase ?? ''}\n`);
  if (o.kind === 'ConfigMap') {
    w.write(0, '\nData\n====\n');
    for (const k of Object.keys(o.data ?? {}).sort()) w.write(0, `${k}:\n----\n${o.data![k]}\n\n`);
    w.write(0, '\nBinaryData\n====\n');
    const bin = (obj as { binaryData?: Record<string, string> }).binaryData ?? {};
    for (const k of Object.keys(bin).sort()) w.write(0, `${k}: ${Math.floor((bin[k].length * 3) / 4)} bytes\n`);
    w.write(0, '\n');
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** Endpoints of one service port from its EndpointSlices: ready addresses as `ip:port`, at most 3. */
function serviceEndpoints(slices: EndpointSlice[], portName: string): string {
  const list: string[] = [];
  let count = 0;
  for (const es of slices) {
    const port = (es.ports ?? []).find((p) => (p.name ?? '') === portName)?.port;
    if (port === undefined || port === null) continue;
    for (const e of es.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses) {
        if (list.length < 3) list.push(`${a}:${port}`);
        count++;
      }
    }
  }
  if (!list.length) return '<none>';
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

/** `kubectl describe service`: `slices` are the EndpointSlices labelled with its name. */
export function describeService(svc: Service, slices: EndpointSlice[], events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = svc.metadata!;
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${Object.keys(spec.selector ?? {}).sort().map((k) => `${k}=${spec.selector![k]}`).join(',') || '<none>'}\n`);
  w.write(0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  if (spec.ipFamilies?.length) w.write(0, `IP Families:\t${spec.ipFamilies.join(',')}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  if (spec.clusterIPs?.length) w.write(0, `IPs:\t${spec.clusterIPs.join(',')}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean);
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${serviceEndpoints(slices, p.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

function podPhaseCounts(pods: Pod[]): string {
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}

/** `kubectl describe job`. */
export function describeJob(job: Job, events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = job.metadata!;
  const spec = job.spec;
  const st = job.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec?.selector).replace('<none>', '')}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  const ctl = controllerOf(job);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (spec?.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec?.completions ?? '<unset>'}\n`);
  if (spec?.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec?.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec?.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec?.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(toVirtualMs(st.completionTime) - toVirtualMs(st.startTime))}\n`);
  if (spec?.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  w.write(0, st.ready === undefined
    ? `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`
    : `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  describePodTemplate(w, spec?.template);
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe daemonset`: `pods` are the pods it controls. */
export function describeDaemonSet(ds: DaemonSet, pods: Pod[], events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = ds.metadata!;
  const st = ds.status;
  w.write(0, `Name:\t${m.name}\n`);
  // kubectl's DaemonSet describer prints no Namespace line.
  w.write(0, `Selector:\t${formatLabelSelector(ds.spec?.selector).replace('<none>', '')}\n`);
  w.write(0, `Node-Selector:\t${Object.keys(ds.spec?.template?.spec?.nodeSelector ?? {}).sort().map((k) => `${k}=${ds.spec!.template.spec!.nodeSelector![k]}`).join(',') || '<none>'}\n`);
  printLabels(w, 'Labels', m.labels);
  printAnnotations(w, 'Annotations', m.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st?.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podPhaseCounts(pods)}\n`);
  describePodTemplate(w, ds.spec?.template);
  describeEvents(w, events, now);
  return w.toString();
}

/**
 * `kubectl describe pdb` (describePodDisruptionBudgetV1): the budget that is set (minAvailable wins),
 * the selector (`<unset>` when missing), then the status counts and events.
 */
export function describePodDisruptionBudget(pdb: PodDisruptionBudget, events: Event[], now: number): string {
  const w = new PrefixWriter();
  const m = pdb.metadata!;
  const spec = pdb.spec ?? {};
  const st = pdb.status;
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  if (spec.minAvailable !== undefined) w.write(0, `Min available:\t${spec.minAvailable}\n`);
  else if (spec.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${spec.maxUnavailable}\n`);
  w.write(0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${st?.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${st?.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${st?.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${st?.expectedPods ?? 0}\n`);
  describeEvents(w, events, now);
  return w.toString();
}
