/** logs, exec, top, explain, version, api-resources, cluster-info. */
import { ApiError } from '../api/errors';
import { selectorFromLabelSelector } from '../api/labels';
import { KINDS, type Kind, type Pod } from '../api/types';
import { KUBERNETES_VERSION } from '../config';
import type { ExecResult } from '../world/process';
import { flagBool, flagString, type FlagSpecs, type ParsedArgs } from './args';
import { CommandError, type Invocation, mustGet, namespaceOf, resolveTargets } from './common';
import { kindGroup as kindGroupOf, pluralGroup } from './output';
import { eventPrinter } from './printers';
import { printTable } from './tabwriter';

/** Options of a container log read, as `kubectl logs` passes them. */
export interface LogOptions {
  previous: boolean;
  tail: number | undefined;
  timestamps: boolean;
}

/**
 * The part of a kubelet kubectl needs (its read-only server: containerLogs and exec). Kept narrow so
 * kubectl does not depend on the kubelet's internals.
 */
export interface KubeletServer {
  logs?(namespace: string, pod: string, container: string | undefined, opts: LogOptions): string;
  exec?(namespace: string, pod: string, container: string | undefined, argv: string[]): ExecResult;
}

export const LOGS_FLAGS: FlagSpecs = {
  container: { type: 'string', short: 'c' },
  previous: { type: 'bool', short: 'p' },
  tail: { type: 'int' },
  timestamps: { type: 'bool' },
  follow: { type: 'bool', short: 'f' },
  'all-containers': { type: 'bool' },
  selector: { type: 'string', short: 'l' },
  since: { type: 'string' },
  prefix: { type: 'bool' },
};

/** Find the pod a `logs`/`exec` argument names: `web`, `pod/web`, `deploy/web` (first pod, as kubectl picks). */
function podFor(inv: Invocation, arg: string, ns: string): Pod {
  if (!arg.includes('/')) return mustGet(inv.cluster, 'Pod', ns, arg) as Pod;
  const g = resolveTargets([arg]).groups[0];
  const name = g.names![0];
  if (g.kind === 'Pod') return mustGet(inv.cluster, 'Pod', ns, name) as Pod;
  const owner = mustGet(inv.cluster, g.kind, ns, name) as { spec?: { selector?: import('../api/types').LabelSelector } };
  const sel = selectorFromLabelSelector(owner.spec?.selector);
  const pods = inv.cluster.store.list('Pod', ns).filter((p) => sel.matches(p.metadata?.labels));
  if (!pods.length) throw new CommandError(`error: timed out waiting for the condition`);
  // kubectl sorts by how "alive" a pod is (ActivePods order); ours: running and ready first, then by age.
  const rank = (p: Pod) => (p.status?.phase === 'Running' ? 0 : 1);
  pods.sort((a, b) => rank(a) - rank(b) || (a.metadata!.creationTimestamp! < b.metadata!.creationTimestamp! ? -1 : 1));
  if (pods.length > 1) inv.out.err(`Found ${pods.length} pods, using pod/${pods[0].metadata!.name}`);
  return pods[0];
}

/** Which container to read: `-c`, the default-container annotation, else the first (with kubectl's note). */
function containerFor(inv: Invocation, pod: Pod, requested: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (requested) {
    if (!names.includes(requested) && !inits.includes(requested)) {
      throw new ApiError('BadRequest', `container ${requested} is not valid for pod ${pod.metadata!.name}`);
    }
    return requested;
  }
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  if (names.length + inits.length > 1) {
    inv.out.err(`Defaulted container "${names[0]}" out of: ${[...names, ...inits.map((n) => `${n} (init)`)].join(', ')}`);
  }
  return names[0];
}

function kubeletOf(inv: Invocation, pod: Pod): KubeletServer | undefined {
  const node = pod.spec?.nodeName;
  return node ? (inv.cluster.kubelets.get(node) as unknown as KubeletServer | undefined) : undefined;
}

/** The API server's refusal for a container that has not started yet. */
function waitingError(pod: Pod, container: string): ApiError | undefined {
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
  if (st?.state?.running || st?.state?.terminated || st?.lastState?.terminated) return undefined;
  const reason = st?.state?.waiting?.reason ?? 'ContainerCreating';
  return new ApiError('BadRequest', `container "${container}" in pod "${pod.metadata!.name}" is waiting to start: ${reason}`);
}

/** `kubectl logs POD [-c C] [--previous] [--tail N] [--timestamps]`. `-f` prints what is there now. */
export function runLogs(inv: Invocation, p: ParsedArgs): void {
  const arg = p.positional[0];
  if (!arg) throw new CommandError(`error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples`);
  const ns = namespaceOf(p);
  const pod = podFor(inv, arg, ns);
  const requested = flagString(p, 'container') ?? p.positional[1];
  const containers = flagBool(p, 'all-containers') ? (pod.spec?.containers ?? []).map((c) => c.name) : [containerFor(inv, pod, requested)];
  const tailText = flagString(p, 'tail');
  const opts: LogOptions = {
    previous: flagBool(p, 'previous'),
    tail: tailText !== undefined && Number(tailText) >= 0 ? Number(tailText) : undefined,
    timestamps: flagBool(p, 'timestamps'),
  };
  for (const c of containers) {
    if (!opts.previous) {
      const w = waitingError(pod, c);
      if (w) throw w;
    }
    const kubelet = kubeletOf(inv, pod);
    if (!kubelet?.logs) throw new CommandError('error: logs are not available: the node has no kubelet serving logs in this simulation yet');
    const text = kubelet.logs(pod.metadata!.namespace!, pod.metadata!.name!, c, opts);
    const prefixed = flagBool(p, 'prefix') ? text.split('\n').filter(Boolean).map((l) => `[pod/${pod.metadata!.name}/${c}] ${l}\n`).join('') : text;
    inv.out.raw(prefixed);
  }
}

export const EXEC_FLAGS: FlagSpecs = {
  container: { type: 'string', short: 'c' },
  stdin: { type: 'bool', short: 'i' },
  tty: { type: 'bool', short: 't' },
  quiet: { type: 'bool', short: 'q' },
};

/** `kubectl exec POD [-c C] -- CMD ARGS…`: `command terminated with exit code N` on failure. */
export function runExec(inv: Invocation, p: ParsedArgs): void {
  const arg = p.positional[0];
  if (!arg) throw new CommandError(`error: pod, type/name or --filename must be specified`);
  if (p.positional.length > 1) {
    throw new CommandError(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`);
  }
  const argv = p.rest ?? [];
  if (!argv.length) throw new CommandError('error: you must specify at least one command for the container');
  const pod = podFor(inv, arg, namespaceOf(p));
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CommandError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = containerFor(inv, pod, flagString(p, 'container'));
  // A running sidecar (an init container with restartPolicy: Always) takes exec like any container.
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
  if (!st?.state?.running) throw new CommandError(`error: unable to upgrade connection: container not found ("${container}")`);
  const kubelet = kubeletOf(inv, pod);
  if (!kubelet?.exec) throw new CommandError('error: exec is not available: the node has no kubelet serving exec in this simulation yet');
  const r = kubelet.exec(pod.metadata!.namespace!, pod.metadata!.name!, container, argv);
  inv.out.raw(r.stdout);
  if (r.stderr) inv.out.rawErr(r.stderr);
  if (r.exitCode !== 0) {
    inv.out.err(`command terminated with exit code ${r.exitCode}`);
    inv.out.exitCode = r.exitCode;
  }
}

/** `kubectl top`: the simulation has no metrics-server, so it answers as a cluster without one. */
export function runTop(): never {
  throw new CommandError('error: Metrics API not available');
}

/** `kubectl version`. */
export function runVersion(inv: Invocation, p: ParsedArgs): void {
  const client = `Client Version: ${KUBERNETES_VERSION}\nKustomize Version: v5.7.1`;
  inv.out.out(flagBool(p, 'client') ? client : `${client}\nServer Version: ${KUBERNETES_VERSION}`);
}

/** `kubectl api-resources`: the kinds the simulated API server serves, core group first. */
export function runApiResources(inv: Invocation, p: ParsedArgs): void {
  const kinds = Object.keys(KINDS) as Kind[];
  const groupOf = (k: Kind) => (KINDS[k].apiVersion.includes('/') ? KINDS[k].apiVersion.split('/')[0] : '');
  kinds.sort((a, b) => {
    const ga = groupOf(a);
    const gb = groupOf(b);
    if (ga !== gb) return ga === '' ? -1 : gb === '' ? 1 : ga < gb ? -1 : 1;
    return KINDS[a].plural < KINDS[b].plural ? -1 : 1;
  });
  const nsFilter = flagString(p, 'namespaced');
  const selected = kinds.filter((k) => nsFilter === undefined || String(KINDS[k].namespaced) === nsFilter);
  if (flagString(p, 'output') === 'name') {
    inv.out.out(selected.map((k) => (groupOf(k) ? `${KINDS[k].plural}.${groupOf(k)}` : KINDS[k].plural)).join('\n'));
    return;
  }
  const rows = [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']];
  for (const k of selected) rows.push([KINDS[k].plural, (KINDS[k].short as readonly string[]).join(','), KINDS[k].apiVersion, String(KINDS[k].namespaced), k]);
  inv.out.out(printTable(rows));
}

/** `kubectl cluster-info`. */
export function runClusterInfo(inv: Invocation): void {
  let text = 'Kubernetes control plane is running at https://127.0.0.1:6443\n';
  if (inv.cluster.store.get('Service', 'kube-system', 'kube-dns')) {
    text += 'CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n';
  }
  text += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
  inv.out.out(text);
}

interface FieldDoc {
  type: string;
  doc: string;
  fields?: Record<string, FieldDoc>;
}

const CONTAINER_DOC: FieldDoc = {
  type: 'Container',
  doc: 'A single application container that you want to run within a pod.',
  fields: {
    args: { type: '[]string', doc: 'Arguments to the entrypoint. The image\'s CMD is used if this is not provided.' },
    command: { type: '[]string', doc: 'Entrypoint array. The image\'s ENTRYPOINT is used if this is not provided.' },
    env: { type: '[]EnvVar', doc: 'List of environment variables to set in the container.' },
    image: { type: 'string', doc: 'Container image name.' },
    imagePullPolicy: { type: 'string', doc: 'Image pull policy: Always, Never or IfNotPresent. Defaults to Always if the :latest tag is used, IfNotPresent otherwise.' },
    livenessProbe: { type: 'Probe', doc: 'Periodic probe of container liveness. The container is restarted if the probe fails.' },
    name: { type: 'string', doc: 'Name of the container, unique within the pod (a DNS label). -required-' },
    ports: { type: '[]ContainerPort', doc: 'List of ports to expose from the container. Informational: any port the process listens on is reachable.' },
    readinessProbe: { type: 'Probe', doc: 'Periodic probe of container service readiness. The container is removed from service endpoints if the probe fails.' },
    resources: { type: 'ResourceRequirements', doc: 'Compute resources (requests and limits) required by this container.' },
    restartPolicy: { type: 'string', doc: 'Only "Always" is allowed, on init containers: it makes the init container a sidecar.' },
    startupProbe: { type: 'Probe', doc: 'Indicates that the Pod has successfully initialized; other probes wait until it succeeds.' },
    volumeMounts: { type: '[]VolumeMount', doc: 'Pod volumes to mount into the container\'s filesystem.' },
  },
};

const POD_SPEC_DOC: FieldDoc = {
  type: 'PodSpec',
  doc: 'Specification of the desired behavior of the pod.',
  fields: {
    affinity: { type: 'Affinity', doc: 'If specified, the pod\'s scheduling constraints.' },
    containers: CONTAINER_DOC,
    initContainers: { ...CONTAINER_DOC, doc: 'Containers run in order before the app containers start; each must exit successfully before the next starts.' },
    nodeName: { type: 'string', doc: 'Request to schedule this pod onto a specific node; set by the scheduler when the pod is bound.' },
    nodeSelector: { type: 'map[string]string', doc: 'Labels a node must have for the pod to be scheduled on it.' },
    restartPolicy: { type: 'string', doc: 'Restart policy for all containers within the pod: Always, OnFailure or Never. Default Always.' },
    terminationGracePeriodSeconds: { type: 'integer', doc: 'Seconds the pod needs to terminate gracefully after SIGTERM before it is killed. Default 30.' },
    tolerations: { type: '[]Toleration', doc: 'The pod\'s tolerations of node taints.' },
    volumes: { type: '[]Volume', doc: 'List of volumes that can be mounted by containers of this pod.' },
  },
};

const META_FIELDS: Record<string, FieldDoc> = {
  apiVersion: { type: 'string', doc: 'The versioned schema of this representation of an object.' },
  kind: { type: 'string', doc: 'The REST resource this object represents.' },
  metadata: { type: 'ObjectMeta', doc: 'Standard object\'s metadata: name, namespace, labels, annotations, ownerReferences.' },
};

const EXPLAIN: Partial<Record<Kind, FieldDoc>> = {
  Pod: {
    type: 'Pod',
    doc: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    fields: { ...META_FIELDS, spec: POD_SPEC_DOC, status: { type: 'PodStatus', doc: 'Most recently observed status of the pod: phase, conditions, container statuses.' } },
  },
  Deployment: {
    type: 'Deployment',
    doc: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    fields: {
      ...META_FIELDS,
      spec: {
        type: 'DeploymentSpec',
        doc: 'Specification of the desired behavior of the Deployment.',
        fields: {
          minReadySeconds: { type: 'integer', doc: 'Seconds a new pod must be ready without crashing to count as available. Default 0.' },
          paused: { type: 'boolean', doc: 'Indicates that the deployment is paused.' },
          replicas: { type: 'integer', doc: 'Number of desired pods. Default 1.' },
          revisionHistoryLimit: { type: 'integer', doc: 'Number of old ReplicaSets to retain to allow rollback. Default 10.' },
          selector: { type: 'LabelSelector', doc: 'Label selector for pods. It must match the pod template\'s labels. -required-' },
          strategy: { type: 'DeploymentStrategy', doc: 'The deployment strategy used to replace existing pods with new ones: RollingUpdate (default, 25% max unavailable, 25% max surge) or Recreate.' },
          template: { type: 'PodTemplateSpec', doc: 'Template describes the pods that will be created. -required-' },
        },
      },
      status: { type: 'DeploymentStatus', doc: 'Most recently observed status of the Deployment.' },
    },
  },
  Node: {
    type: 'Node',
    doc: 'Node is a worker node in Kubernetes. Each node has a unique name.',
    fields: { ...META_FIELDS, spec: { type: 'NodeSpec', doc: 'Spec defines the behavior of a node: podCIDR, taints, unschedulable.' }, status: { type: 'NodeStatus', doc: 'Most recently observed status of the node: capacity, conditions, addresses.' } },
  },
  Service: {
    type: 'Service',
    doc: 'Service is a named abstraction of a software service: a local port that the proxy listens on, and the selector that picks the pods that answer requests sent through it.',
    fields: { ...META_FIELDS, spec: { type: 'ServiceSpec', doc: 'Spec defines the behavior of a service: selector, ports, type, clusterIP.' }, status: { type: 'ServiceStatus', doc: 'Most recently observed status of the service.' } },
  },
};

function wrap(text: string, indent: string): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > 76) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.map((l) => `${indent}${l}`).join('\n');
}

/** `kubectl explain pods.spec.containers`: a short field documentation for the common paths. */
export function runExplain(inv: Invocation, p: ParsedArgs): void {
  const path = p.positional[0];
  if (!path) throw new CommandError(`error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n`);
  const [resource, ...fieldPath] = path.split('.');
  const kind = resolveTargets([resource]).groups[0].kind;
  const root = EXPLAIN[kind];
  let node: FieldDoc | undefined = root ?? { type: kind, doc: `${kind} (${pluralGroup(kind)}) as the simulation stores it.`, fields: META_FIELDS };
  let fieldName: string | undefined;
  for (const f of fieldPath) {
    const next: FieldDoc | undefined = node?.fields?.[f];
    if (!next) throw new CommandError(`error: field "${f}" does not exist`);
    node = next;
    fieldName = f;
  }
  const [group, version] = KINDS[kind].apiVersion.includes('/') ? KINDS[kind].apiVersion.split('/') : ['', KINDS[kind].apiVersion];
  let text = group ? `GROUP:      ${group}\nKIND:       ${kind}\nVERSION:    ${version}\n\n` : `KIND:       ${kind}\nVERSION:    ${version}\n\n`;
  if (fieldName) text += `FIELD: ${fieldName} <${node!.type}>\n\n`;
  text += `DESCRIPTION:\n${wrap(node!.doc, '    ')}\n    \n`;
  if (node!.fields) {
    text += 'FIELDS:\n';
    for (const [name, f] of Object.entries(node!.fields).sort(([a], [b]) => (a < b ? -1 : 1))) {
      text += `  ${name}\t<${f.type}>\n${wrap(f.doc, '    ')}\n\n`;
    }
  }
  inv.out.out(text.replace(/\n\n$/, '\n\n'));
}

export const EVENTS_FLAGS: FlagSpecs = {
  'all-namespaces': { type: 'bool', short: 'A' },
  for: { type: 'string' },
  types: { type: 'string' },
  watch: { type: 'bool', short: 'w' },
  output: { type: 'string', short: 'o' },
  'no-headers': { type: 'bool' },
};

/** `kubectl events [--for TYPE/NAME] [--types Warning]`: the events table, oldest first (unlike `get events`). */
export function runEvents(inv: Invocation, p: ParsedArgs): void {
  if (flagBool(p, 'watch')) throw new CommandError('error: --watch (-w) is not supported in Pod Playground: time is virtual, so use the time controls (or `sim advance`) and run events again');
  const all = flagBool(p, 'all-namespaces');
  const ns = all ? undefined : namespaceOf(p);
  let events = inv.cluster.store.list('Event', ns);
  const forText = flagString(p, 'for');
  if (forText) {
    const g = resolveTargets([forText.includes('/') ? forText : `pod/${forText}`]).groups[0];
    events = events.filter((e) => e.involvedObject.kind === g.kind && e.involvedObject.name === g.names![0]);
  }
  const types = flagString(p, 'types');
  if (types) {
    const wanted = types.split(',');
    events = events.filter((e) => wanted.includes(e.type ?? ''));
  }
  if (!events.length) {
    inv.out.err(ns ? `No events found in ${ns} namespace.` : 'No events found.');
    return;
  }
  const ts = (e: (typeof events)[number]) => e.lastTimestamp ?? e.firstTimestamp ?? '';
  events = [...events].sort((a, b) => (ts(a) < ts(b) ? -1 : ts(a) > ts(b) ? 1 : 0));
  const rows: string[][] = flagBool(p, 'no-headers') ? [] : [[...(all ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']];
  for (const e of events) {
    const cells = eventPrinter.row(e, inv.now, { wide: false });
    rows.push([...(all ? [e.metadata!.namespace ?? ''] : []), ...cells]);
  }
  inv.out.out(printTable(rows));
}

export const WAIT_FLAGS: FlagSpecs = {
  for: { type: 'string' },
  timeout: { type: 'string' },
  selector: { type: 'string', short: 'l' },
  all: { type: 'bool' },
};

/**
 * `kubectl wait --for=condition=Ready pod/web` or `--for=delete`. Why we differ: virtual time does not
 * move inside a command, so the condition is checked once, now: met → `pod/web condition met`,
 * else the timeout error kubectl prints after waiting. Advance time and wait again.
 */
export function runWait(inv: Invocation, p: ParsedArgs): void {
  const forText = flagString(p, 'for');
  if (!forText) throw new CommandError(`error: --for must be set`);
  const ns = namespaceOf(p);
  const { groups } = resolveTargets(p.positional);
  const cond = /^condition=([^=]+)(?:=(.*))?$/.exec(forText);
  if (!cond && forText !== 'delete') throw new CommandError(`error: unrecognized condition: "${forText}"`);
  for (const g of groups) {
    for (const name of g.names ?? []) {
      const obj = inv.cluster.store.get(g.kind, KINDS[g.kind].namespaced ? ns : undefined, name);
      const id = `${KINDS[g.kind].plural}/${name}`;
      if (forText === 'delete') {
        if (obj) inv.out.fail(`error: timed out waiting for the condition on ${id}`);
        continue;
      }
      if (!obj) {
        inv.out.fail(`Error from server (NotFound): ${pluralGroup(g.kind)} "${name}" not found`);
        continue;
      }
      const want = (cond![2] ?? 'true').toLowerCase();
      const conditions = (obj as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      const met = conditions.some((c) => c.type.toLowerCase() === cond![1].toLowerCase() && c.status.toLowerCase() === want);
      if (met) inv.out.out(`${kindGroupOf(g.kind)}/${name} condition met`);
      else inv.out.fail(`error: timed out waiting for the condition on ${id}`);
    }
  }
}
