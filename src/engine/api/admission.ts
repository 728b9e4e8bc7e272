/**
 * The mutating admission plugins the simulated API server runs on create, in kube-apiserver's order:
 * ServiceAccount, Priority, DefaultTolerationSeconds (plugin/pkg/admission/*), plus what the
 * registries of Jobs and Services fill in on create (generated Job selector, Service cluster IP and
 * node ports), because they too need randomness and the store.
 */
import { deepFreeze } from './freeze';
import { defaults } from '../config';
import type { Rng } from '../rng';
import { ApiError } from './errors';
import type { ApiStore } from './store';
import type { Container, Job, Kind, KindMap, Pod, Service, Toleration, Volume } from './types';

/** What admission may read and draw on. */
export interface AdmissionContext {
  readonly rng: Rng;
  /** Read-only use: allocated cluster IPs and node ports. */
  readonly store: ApiStore;
  /** The uid the object will be stored with (the real API server fills it in before admission). */
  readonly uid?: string;
}

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** The built-in PriorityClasses (pkg/apis/scheduling SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/**
 * What admission adds to every pod is the same for all of them: one frozen copy, shared.
 * Why: stored objects are immutable values, so sharing is safe (freezing makes an in-place write
 * throw), and at Kubernetes' envelope (150,000 pods) one copy each would cost megabytes.
 */
/** The kube-api-access volume's projection: token, the cluster CA and the namespace. */
const KUBE_API_ACCESS_PROJECTION = deepFreeze<NonNullable<Volume['projected']>>({
  defaultMode: 420,
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
  ],
});

const NOT_READY_TOLERATION = deepFreeze<Toleration>({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaults.defaultNotReadyTolerationSeconds });
const UNREACHABLE_TOLERATION = deepFreeze<Toleration>({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaults.defaultUnreachableTolerationSeconds });
/** A pod without tolerations of its own gets exactly these two. */
const DEFAULT_TOLERATIONS = deepFreeze<Toleration[]>([NOT_READY_TOLERATION, UNREACHABLE_TOLERATION]);

/** ServiceAccount admission: `default` service account and the projected kube-api-access volume. */
function admitServiceAccount(pod: Pod, rng: Rng): Pod {
  const spec = pod.spec;
  if (!spec) return pod;
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return pod;
  const saName = spec.serviceAccountName || spec.serviceAccount || 'default';
  let out: Pod = { ...pod, spec: { ...spec, serviceAccountName: saName, serviceAccount: saName } };
  if (spec.automountServiceAccountToken === false) return out;
  const hasMount = (c: Container) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH);
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (all.length > 0 && all.every(hasMount)) return out;
  const volumeName = `kube-api-access-${rng.suffix(5)}`;
  const volume: Volume = { name: volumeName, projected: KUBE_API_ACCESS_PROJECTION };
  const mount = (c: Container): Container =>
    hasMount(c) ? c : { ...c, volumeMounts: [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }] };
  out = {
    ...out,
    spec: {
      ...out.spec!,
      volumes: [...(spec.volumes ?? []), volume],
      ...(spec.initContainers ? { initContainers: spec.initContainers.map(mount) } : {}),
      ...(spec.containers ? { containers: spec.containers.map(mount) } : {}),
    },
  };
  return out;
}

/** Priority admission: priority from the PriorityClass (0 without one), preemptionPolicy PreemptLowerPriority. */
function admitPriority(pod: Pod): Pod {
  const spec = pod.spec;
  if (!spec) return pod;
  const name = pod.metadata?.name ?? '';
  let priority = 0;
  if (spec.priorityClassName) {
    const p = SYSTEM_PRIORITY_CLASSES[spec.priorityClassName];
    // Why: the simulation serves no PriorityClass objects, so only the two built-in classes exist.
    if (p === undefined) throw new ApiError('Forbidden', `pods "${name}" is forbidden: no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = p;
  }
  if (spec.priority !== undefined && spec.priority !== priority) {
    throw new ApiError('Forbidden', `pods "${name}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  return { ...pod, spec: { ...spec, priority, preemptionPolicy: spec.preemptionPolicy ?? 'PreemptLowerPriority' } };
}

/** DefaultTolerationSeconds: tolerate not-ready and unreachable NoExecute taints for 300s unless already tolerated. */
function admitDefaultTolerationSeconds(pod: Pod): Pod {
  const spec = pod.spec;
  if (!spec) return pod;
  if (!spec.tolerations?.length) return { ...pod, spec: { ...spec, tolerations: DEFAULT_TOLERATIONS } };
  const tolerations = spec.tolerations;
  const tolerates = (key: string) =>
    tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const added: Toleration[] = [];
  if (!tolerates(TAINT_NODE_NOT_READY)) {
    added.push(NOT_READY_TOLERATION);
  }
  if (!tolerates(TAINT_NODE_UNREACHABLE)) {
    added.push(UNREACHABLE_TOLERATION);
  }
  if (!added.length) return pod;
  return { ...pod, spec: { ...spec, tolerations: [...tolerations, ...added] } };
}

/**
 * The Job registry's generateSelector: without `manualSelector: true`, the Job selects its pods by
 * `batch.kubernetes.io/controller-uid`, and the template gets that label and the job-name labels.
 */
function admitJob(job: Job, uid: string | undefined): Job {
  const spec = job.spec;
  if (!spec || spec.manualSelector || !uid) return job;
  const name = job.metadata?.name ?? '';
  const generated = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const template = spec.template ?? {};
  return {
    ...job,
    spec: {
      ...spec,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: { ...template, metadata: { ...template.metadata, labels: { ...generated, ...(template.metadata?.labels ?? {}) } } },
    },
  };
}

const SERVICE_CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0/16
const SERVICE_CIDR_SIZE = 1 << 16;
/** The lower band of the range is kept for static IPs (KEP-3070): min(max(16, size/16), 256) addresses. */
const STATIC_BAND = Math.min(Math.max(16, SERVICE_CIDR_SIZE / 16), 256);

function ipString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** The Service registry's allocators: a cluster IP from 10.96.0.0/16 and node ports from 30000-32767. */
function admitService(svc: Service, ctx: AdmissionContext): Service {
  const spec = svc.spec ?? {};
  const name = svc.metadata?.name ?? '';
  if (spec.type === 'ExternalName') return svc;
  const used = new Set<string>();
  const usedPorts = new Set<number>();
  for (const s of ctx.store.values('Service')) {
    if (s.spec?.clusterIP) used.add(s.spec.clusterIP);
    for (const p of s.spec?.ports ?? []) if (p.nodePort) usedPorts.add(p.nodePort);
  }
  let clusterIP = spec.clusterIP;
  if (clusterIP && clusterIP !== 'None') {
    const n = ipNumber(clusterIP);
    if (n === undefined || ((n - SERVICE_CIDR_BASE) >>> 0) >= SERVICE_CIDR_SIZE) {
      throw ApiError.invalid('Service', name, [`spec.clusterIPs: Invalid value: []string{"${clusterIP}"}: failed to allocate IP ${clusterIP}: the provided IP (${clusterIP}) is not in the valid range. The range of valid IPs is 10.96.0.0/16`]);
    }
    if (used.has(clusterIP)) {
      throw ApiError.invalid('Service', name, [`spec.clusterIPs: Invalid value: []string{"${clusterIP}"}: failed to allocate IP ${clusterIP}: provided IP is already allocated`]);
    }
  } else if (!clusterIP) {
    // Dynamic allocation draws from above the static band, skipping the network address.
    for (let tries = 0; tries < SERVICE_CIDR_SIZE; tries++) {
      const candidate = ipString((SERVICE_CIDR_BASE + STATIC_BAND + ctx.rng.int(SERVICE_CIDR_SIZE - STATIC_BAND - 1)) >>> 0);
      if (!used.has(candidate)) {
        clusterIP = candidate;
        break;
      }
    }
  }
  let ports = spec.ports;
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && ports) {
    ports = ports.map((p) => {
      if (p.nodePort) return p;
      let port = 30000 + ctx.rng.int(2768);
      while (usedPorts.has(port)) port = 30000 + ((port - 30000 + 1) % 2768);
      usedPorts.add(port);
      return { ...p, nodePort: port };
    });
  }
  return {
    ...svc,
    spec: {
      ...spec,
      clusterIP,
      ...(clusterIP ? { clusterIPs: [clusterIP] } : {}),
      ipFamilies: spec.ipFamilies ?? ['IPv4'],
      ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
      ...(ports ? { ports } : {}),
    },
  };
}

/**
 * Run the mutating admission plugins on a create request. Returns a new object; throws an ApiError
 * (Forbidden, Invalid) when a plugin refuses the request.
 * @example admit('Pod', pod, { rng, store }).spec.tolerations // [..., not-ready 300s, unreachable 300s]
 */
export function admit<K extends Kind>(kind: K, obj: KindMap[K], ctx: AdmissionContext): KindMap[K] {
  switch (kind) {
    case 'Pod': {
      let pod = obj as Pod;
      pod = admitServiceAccount(pod, ctx.rng);
      pod = admitPriority(pod);
      pod = admitDefaultTolerationSeconds(pod);
      return pod as KindMap[K];
    }
    case 'Job':
      return admitJob(obj as Job, ctx.uid) as KindMap[K];
    case 'Service':
      return admitService(obj as Service, ctx) as KindMap[K];
    default:
      return obj;
  }
}
