/**
 * Defaulting as the API server does it when it decodes a request: pkg/apis/core/v1/defaults.go,
 * pkg/apis/apps/v1/defaults.go and pkg/apis/batch/v1/defaults.go of Kubernetes v1.34.
 */
import type {
  Container, DaemonSet, Deployment, Job, Kind, KindMap, Namespace, Pod, PodSpec, PodTemplateSpec, Probe, ReplicaSet,
  Secret, Service, Volume,
} from './types';

/** The image's tag as parsers.ParseImageName sees it: `latest` when neither tag nor digest is given. */
export function imageTag(image: string): string | undefined {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) return name.slice(colon + 1);
  return at >= 0 ? undefined : 'latest';
}

function defaultProbe(p: Probe | undefined): Probe | undefined {
  if (!p) return p;
  const out: Probe = {
    ...p,
    timeoutSeconds: p.timeoutSeconds || 1,
    periodSeconds: p.periodSeconds || 10,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
  if (p.httpGet) out.httpGet = { ...p.httpGet, path: p.httpGet.path || '/', scheme: p.httpGet.scheme || 'HTTP' };
  return out;
}

function defaultContainer(c: Container): Container {
  const out: Container = {
    ...c,
    imagePullPolicy: c.imagePullPolicy || (imageTag(c.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent'),
    terminationMessagePath: c.terminationMessagePath || '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy || 'File',
  };
  if (c.ports) out.ports = c.ports.map((p) => ({ ...p, protocol: p.protocol || 'TCP' }));
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (c[k]) out[k] = defaultProbe(c[k]);
  }
  if (c.env) {
    out.env = c.env.map((e) =>
      e.valueFrom?.fieldRef && !e.valueFrom.fieldRef.apiVersion
        ? { ...e, valueFrom: { ...e.valueFrom, fieldRef: { ...e.valueFrom.fieldRef, apiVersion: 'v1' } } }
        : e,
    );
  }
  return out;
}

function defaultVolume(v: Volume): Volume {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) return { ...v, emptyDir: {} };
  if (v.secret && v.secret.defaultMode === undefined) return { ...v, secret: { ...v.secret, defaultMode: 0o644 } };
  if (v.configMap && v.configMap.defaultMode === undefined) return { ...v, configMap: { ...v.configMap, defaultMode: 0o644 } };
  if (v.projected && v.projected.defaultMode === undefined) return { ...v, projected: { ...v.projected, defaultMode: 0o644 } };
  if (v.downwardAPI && v.downwardAPI.defaultMode === undefined) return { ...v, downwardAPI: { ...v.downwardAPI, defaultMode: 0o644 } };
  if (v.hostPath && v.hostPath.type === undefined) return { ...v, hostPath: { ...v.hostPath, type: '' } };
  return v;
}

/** SetDefaults_PodSpec and the defaults of what it contains; applies to Pods and to pod templates alike. */
export function defaultPodSpec(spec: PodSpec | undefined): PodSpec | undefined {
  if (!spec) return spec;
  const out: PodSpec = {
    ...spec,
    dnsPolicy: spec.dnsPolicy || 'ClusterFirst',
    restartPolicy: spec.restartPolicy || 'Always',
    securityContext: spec.securityContext ?? {},
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
    schedulerName: spec.schedulerName || 'default-scheduler',
  };
  if (spec.containers) out.containers = spec.containers.map(defaultContainer);
  if (spec.initContainers) out.initContainers = spec.initContainers.map(defaultContainer);
  if (spec.volumes) out.volumes = spec.volumes.map(defaultVolume);
  return out;
}

function defaultTemplate(t: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!t) return t;
  return t.spec ? { ...t, spec: defaultPodSpec(t.spec) } : t;
}

/** SetDefaults_Pod: requests default to limits, enableServiceLinks true; then the PodSpec defaults. */
function defaultPod(pod: Pod): Pod {
  if (!pod.spec) return pod;
  const withRequests = (c: Container): Container => {
    const limits = c.resources?.limits;
    if (!limits) return c;
    return { ...c, resources: { ...c.resources, requests: { ...limits, ...(c.resources?.requests ?? {}) } } };
  };
  let spec: PodSpec = { ...pod.spec };
  if (spec.containers) spec.containers = spec.containers.map(withRequests);
  if (spec.initContainers) spec.initContainers = spec.initContainers.map(withRequests);
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.hostNetwork) {
    // defaultHostNetworkPorts: with host networking every container port is also a host port.
    const hostPorts = (c: Container): Container =>
      c.ports ? { ...c, ports: c.ports.map((p) => (p.hostPort ? p : { ...p, hostPort: p.containerPort })) } : c;
    spec.containers = spec.containers?.map(hostPorts);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(hostPorts);
  }
  spec = defaultPodSpec(spec)!;
  return { ...pod, spec };
}

function defaultReplicaSet(rs: ReplicaSet): ReplicaSet {
  const spec = rs.spec ?? { selector: {} };
  return { ...rs, spec: { ...spec, replicas: spec.replicas ?? 1, template: defaultTemplate(spec.template) } };
}

/** apps/v1 SetDefaults_Deployment. */
function defaultDeployment(d: Deployment): Deployment {
  const spec = d.spec ?? { selector: {}, template: {} };
  let strategy = spec.strategy ?? {};
  if (!strategy.type) strategy = { ...strategy, type: 'RollingUpdate' };
  if (strategy.type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    strategy = { ...strategy, rollingUpdate: { ...ru, maxUnavailable: ru.maxUnavailable ?? '25%', maxSurge: ru.maxSurge ?? '25%' } };
  }
  return {
    ...d,
    spec: {
      ...spec,
      replicas: spec.replicas ?? 1,
      strategy,
      revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
      template: defaultTemplate(spec.template)!,
    },
  };
}

/** apps/v1 SetDefaults_DaemonSet. */
function defaultDaemonSet(ds: DaemonSet): DaemonSet {
  const spec = ds.spec ?? { selector: {}, template: {} };
  let updateStrategy = spec.updateStrategy ?? {};
  if (!updateStrategy.type) updateStrategy = { ...updateStrategy, type: 'RollingUpdate' };
  if (updateStrategy.type === 'RollingUpdate') {
    const ru = updateStrategy.rollingUpdate ?? {};
    updateStrategy = { ...updateStrategy, rollingUpdate: { ...ru, maxUnavailable: ru.maxUnavailable ?? 1, maxSurge: ru.maxSurge ?? 0 } };
  }
  return {
    ...ds,
    spec: { ...spec, updateStrategy, revisionHistoryLimit: spec.revisionHistoryLimit ?? 10, template: defaultTemplate(spec.template)! },
  };
}

/** batch/v1 SetDefaults_Job. */
function defaultJob(job: Job): Job {
  const spec = job.spec ?? { template: {} };
  let { completions, parallelism } = spec;
  if (completions === undefined && parallelism === undefined) {
    completions = 1;
    parallelism = 1;
  }
  const templateLabels = spec.template?.metadata?.labels;
  const labels = job.metadata?.labels && Object.keys(job.metadata.labels).length ? job.metadata.labels : templateLabels;
  return {
    ...job,
    metadata: labels ? { ...job.metadata, labels } : job.metadata,
    spec: {
      ...spec,
      ...(completions !== undefined ? { completions } : {}),
      parallelism: parallelism ?? 1,
      backoffLimit: spec.backoffLimit ?? (spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6),
      completionMode: spec.completionMode ?? 'NonIndexed',
      suspend: spec.suspend ?? false,
      podReplacementPolicy: spec.podReplacementPolicy ?? (spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed'),
      template: defaultTemplate(spec.template)!,
    },
  };
}

/** SetDefaults_Service: type ClusterIP, sessionAffinity None, ports TCP with targetPort = port. */
function defaultService(svc: Service): Service {
  const spec = svc.spec ?? {};
  const type = spec.type || 'ClusterIP';
  const out = {
    ...spec,
    type,
    sessionAffinity: spec.sessionAffinity || 'None',
    ...(spec.ports ? { ports: spec.ports.map((p) => ({ ...p, protocol: p.protocol || 'TCP', targetPort: p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '' ? p.port : p.targetPort })) } : {}),
  };
  if (out.sessionAffinity === 'None') delete out.sessionAffinityConfig;
  if ((type === 'NodePort' || type === 'LoadBalancer') && !out.externalTrafficPolicy) out.externalTrafficPolicy = 'Cluster';
  if (type !== 'ExternalName' && !out.internalTrafficPolicy) out.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer' && out.allocateLoadBalancerNodePorts === undefined) out.allocateLoadBalancerNodePorts = true;
  return { ...svc, spec: out };
}

/**
 * Returns a new object with every omitted field that has a default filled in. Never mutates its input.
 * @example applyDefaults('Pod', pod).spec.restartPolicy // 'Always'
 */
export function applyDefaults<K extends Kind>(kind: K, obj: KindMap[K]): KindMap[K] {
  switch (kind) {
    case 'Pod':
      return defaultPod(obj as Pod) as KindMap[K];
    case 'ReplicaSet':
      return defaultReplicaSet(obj as ReplicaSet) as KindMap[K];
    case 'Deployment':
      return defaultDeployment(obj as Deployment) as KindMap[K];
    case 'DaemonSet':
      return defaultDaemonSet(obj as DaemonSet) as KindMap[K];
    case 'Job':
      return defaultJob(obj as Job) as KindMap[K];
    case 'Service':
      return defaultService(obj as Service) as KindMap[K];
    case 'Secret': {
      const s = obj as Secret;
      return (s.type ? s : { ...s, type: 'Opaque' }) as KindMap[K];
    }
    case 'Namespace': {
      const ns = obj as Namespace;
      const name = ns.metadata?.name;
      if (!name) return obj;
      return {
        ...ns,
        metadata: { ...ns.metadata, labels: { ...(ns.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name } },
        spec: ns.spec ?? { finalizers: ['kubernetes'] },
        status: ns.status?.phase ? ns.status : { ...(ns.status ?? {}), phase: 'Active' },
      } satisfies Namespace as unknown as KindMap[K];
    }
    default:
      return obj;
  }
}
