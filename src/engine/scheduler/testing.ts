import type { Container, Node, Pod, Taint, Toleration } from '../api/types';
import type { NodeAffinity as NodeAffinitySpec } from 'kubernetes-types/core/v1';
import { CycleState, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from './framework/interface';
import { makePodEntry, NodeInfo } from './framework/nodeInfo';
import { Code, type Status } from './framework/status';

type ResourceMap = { cpu?: string; memory?: string; 'ephemeral-storage'?: string };

/**
 * Fluent pod builder for scheduler tests (like pkg/scheduler/testing's st.MakePod()).
 *
 * @example makePod('web').requests({ cpu: '500m' }).on('node-1').build()
 */
export class PodBuilder {
  private pod: Pod;
  constructor(name: string, namespace = 'default') {
    this.pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, uid: `uid-${namespace}-${name}` },
      spec: { containers: [] },
      status: { phase: 'Pending' },
    };
  }

  private spec(patch: Partial<NonNullable<Pod['spec']>>): this {
    this.pod = { ...this.pod, spec: { ...this.pod.spec!, ...patch } };
    return this;
  }

  /** Add a container with these requests (one container per call). */
  requests(req: ResourceMap): this {
    return this.container({ name: `c${this.pod.spec!.containers.length}`, image: 'nginx', resources: { requests: { ...req } } });
  }

  /** Add a container without requests (best effort). */
  noRequests(): this {
    return this.container({ name: `c${this.pod.spec!.containers.length}`, image: 'nginx' });
  }

  container(c: Container): this {
    return this.spec({ containers: [...this.pod.spec!.containers, c] });
  }

  initContainer(c: Container): this {
    return this.spec({ initContainers: [...(this.pod.spec!.initContainers ?? []), c] });
  }

  hostPort(hostPort: number, protocol = 'TCP', hostIP = ''): this {
    return this.container({
      name: `c${this.pod.spec!.containers.length}`,
      image: 'nginx',
      ports: [{ containerPort: hostPort, hostPort, protocol, ...(hostIP ? { hostIP } : {}) }],
    });
  }

  on(nodeName: string): this {
    return this.spec({ nodeName });
  }

  nodeSelector(sel: Record<string, string>): this {
    return this.spec({ nodeSelector: sel });
  }

  nodeAffinity(a: NodeAffinitySpec): this {
    return this.spec({ affinity: { ...this.pod.spec!.affinity, nodeAffinity: a } });
  }

  tolerations(...t: Toleration[]): this {
    return this.spec({ tolerations: [...(this.pod.spec!.tolerations ?? []), ...t] });
  }

  priority(p: number): this {
    return this.spec({ priority: p });
  }

  /** `spec.priorityClassName` (the API server's Priority admission fills in `spec.priority`). */
  priorityClass(name: string): this {
    return this.spec({ priorityClassName: name });
  }

  schedulerName(name: string): this {
    return this.spec({ schedulerName: name });
  }

  phase(phase: string): this {
    this.pod = { ...this.pod, status: { ...this.pod.status, phase } };
    return this;
  }

  build(): Pod {
    return this.pod;
  }
}

export function makePod(name: string, namespace = 'default'): PodBuilder {
  return new PodBuilder(name, namespace);
}

/**
 * Fluent node builder.
 * @example makeNode('node-1').capacity({ cpu: '4', memory: '8Gi' }).taint('dedicated', 'db', 'NoSchedule').build()
 */
export class NodeBuilder {
  private node: Node;
  constructor(name: string) {
    this.node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {},
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
    };
  }

  capacity(c: { cpu?: string; memory?: string; pods?: string | number; 'ephemeral-storage'?: string }): this {
    const alloc: Record<string, string> = { ...this.node.status!.allocatable };
    for (const [k, v] of Object.entries(c)) if (v !== undefined) alloc[k] = String(v);
    this.node = { ...this.node, status: { ...this.node.status, capacity: alloc, allocatable: alloc } };
    return this;
  }

  labels(l: Record<string, string>): this {
    this.node = { ...this.node, metadata: { ...this.node.metadata, labels: { ...this.node.metadata!.labels, ...l } } };
    return this;
  }

  taint(key: string, value: string | undefined, effect: Taint['effect']): this {
    const t: Taint = { key, effect, ...(value !== undefined ? { value } : {}) };
    this.node = { ...this.node, spec: { ...this.node.spec, taints: [...(this.node.spec!.taints ?? []), t] } };
    return this;
  }

  unschedulable(u = true): this {
    this.node = { ...this.node, spec: { ...this.node.spec, unschedulable: u } };
    return this;
  }

  build(): Node {
    return this.node;
  }
}

export function makeNode(name: string): NodeBuilder {
  return new NodeBuilder(name);
}

/** A NodeInfo for `node` with `pods` already assigned to it (framework.NewNodeInfo). */
export function nodeInfo(node: Node, ...pods: Pod[]): NodeInfo {
  const info = new NodeInfo(node.metadata!.name!);
  info.setNode(node);
  for (const p of pods) {
    const bound = p.spec?.nodeName ? p : { ...p, spec: { ...p.spec!, nodeName: info.name } };
    info.addPod(makePodEntry(`${p.metadata!.namespace}/${p.metadata!.name}`, bound));
  }
  return info;
}

/**
 * Run one plugin's PreScore, Score and NormalizeScore over `nodes` (as the framework would for a
 * single-plugin profile). Returns `'Skip'` when PreScore skipped the plugin.
 */
export function scoreWith(plugin: ScorePlugin & Partial<PreScorePlugin> & Partial<PreFilterPlugin>, pod: Pod, nodes: NodeInfo[]): number[] | 'Skip' {
  const state = new CycleState();
  plugin.preFilter?.(state, pod, nodes);
  const pre = plugin.preScore?.(state, pod, nodes);
  if (pre?.code === Code.Skip) return 'Skip';
  const scores = Int32Array.from(nodes.map((n) => plugin.score(state, pod, n)));
  if (plugin.scoreNodes) {
    // The batch form must agree with Score node by node (every score table test checks both).
    const batch = new Int32Array(nodes.length);
    plugin.scoreNodes(state, pod, nodes, batch);
    if (batch.join() !== scores.join()) throw new Error(`${plugin.name}: scoreNodes gave [${batch.join()}], score gave [${scores.join()}]`);
  }
  plugin.normalizeScore?.(state, pod, scores, nodes);
  return [...scores];
}

/** Run one plugin's PreFilter (if any) and Filter on a node. */
export function filterWith(plugin: FilterPlugin & Partial<PreFilterPlugin>, pod: Pod, node: NodeInfo): Status | null {
  const state = new CycleState();
  const pre = plugin.preFilter?.(state, pod, [node]);
  if (pre?.code === Code.Skip) return null;
  if (pre) return pre;
  return plugin.filter(state, pod, node);
}
