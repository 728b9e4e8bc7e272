/**
 * One zustand store per playground instance, fed by the engine worker's diffs.
 *
 * Maps are replaced, never mutated, so selectors that pick one record by id re-render only that
 * record's component. Derived lists (pods per node) keep their identity when their content is
 * unchanged, so a node card does not re-render because a pod on another node changed.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Deployment, EndpointSlice, Node, Pod, ReplicaSet, Service } from '../engine/api/types';
import { nodeStatusText } from '../engine/kubectl/printers';
import { podKey, podStatus } from './model';
import { bytes, milliCpu } from '../engine/api/quantity';
import type { CompactEvent, DiffMessage, LogEntry, NodeWorld, RuntimeView } from '../worker/protocol';

/** A replacement pod's link to the predecessor it replaced (drawn as a trail). */
export interface Trail {
  from: string;
  to: string;
  /** Virtual ms when the replacement appeared. */
  at: number;
}

/** What a node's pods request, against what it can allocate. */
export interface NodeUsage {
  cpuRequested: number;
  cpuAllocatable: number;
  memRequested: number;
  memAllocatable: number;
  pods: number;
  podsAllocatable: number;
}

export type Selection = { kind: 'Pod' | 'Node' | 'Deployment' | 'Service' | 'ReplicaSet'; key: string } | null;

export interface PlaygroundState {
  /** True once the first snapshot arrived. */
  ready: boolean;
  now: number;
  /** Highest virtual time seen on this branch (the timeline's end). */
  end: number;
  playing: boolean;
  speed: number;
  nodes: Map<string, Node>;
  pods: Map<string, Pod>;
  services: Map<string, Service>;
  deployments: Map<string, Deployment>;
  replicasets: Map<string, ReplicaSet>;
  endpointslices: Map<string, EndpointSlice>;
  runtime: Map<string, RuntimeView>;
  world: Map<string, NodeWorld>;
  /** Node names, control plane first, then by name (natural order: node-2 before node-10). */
  nodeNames: string[];
  /** Pod keys per node name; `''` holds pods not yet scheduled. */
  podsByNode: Map<string, string[]>;
  /**
   * The pod objects of each {@link podsByNode} list, in the same order. A node's array is rebuilt
   * only when one of its pods changed, so a node card selects it by name with no comparison.
   */
  nodePods: Map<string, Pod[]>;
  usage: Map<string, NodeUsage>;
  /** Newest last, capped. */
  events: CompactEvent[];
  log: LogEntry[];
  trails: Trail[];
  /** The latest sentence for the ARIA live region. */
  announcement: string;
  selected: Selection;
  showOwners: boolean;
  applyDiff(diff: DiffMessage): void;
  /** Apply several diffs with one store update (one React render), oldest first. */
  applyDiffs(diffs: readonly DiffMessage[]): void;
  select(sel: Selection): void;
  setShowOwners(v: boolean): void;
}

export type PlaygroundStore = StoreApi<PlaygroundState>;

const MAX_EVENTS = 500;
/** A trail is drawn for this long (virtual ms) after the replacement appeared. */
export const TRAIL_MS = 90_000;

/** Natural order: control-plane first, then `node-2` before `node-10`. */
export function compareNodeNames(a: string, b: string): number {
  const cp = (n: string) => (n.includes('control-plane') ? 0 : 1);
  if (cp(a) !== cp(b)) return cp(a) - cp(b);
  return nameCollator.compare(a, b);
}

/** Natural order (`node-2` before `node-10`); one collator, not one per comparison. */
const nameCollator = new Intl.Collator('en', { numeric: true });

function kindMap(state: PlaygroundState, kind: string): keyof PlaygroundState | undefined {
  switch (kind) {
    case 'Node':
      return 'nodes';
    case 'Pod':
      return 'pods';
    case 'Service':
      return 'services';
    case 'Deployment':
      return 'deployments';
    case 'ReplicaSet':
      return 'replicasets';
    case 'EndpointSlice':
      return 'endpointslices';
  }
  void state;
  return undefined;
}

function sameArray(a: readonly string[] | undefined, b: readonly string[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const requestsCache = new WeakMap<Pod, { cpu: number; mem: number }>();
function podRequests(pod: Pod): { cpu: number; mem: number } {
  let r = requestsCache.get(pod);
  if (!r) {
    r = { cpu: 0, mem: 0 };
    for (const c of pod.spec?.containers ?? []) {
      r.cpu += milliCpu(c.resources?.requests?.cpu);
      r.mem += bytes(c.resources?.requests?.memory);
    }
    requestsCache.set(pod, r);
  }
  return r;
}

/** Sum of the pods' container requests on each node (what the scheduler counts as used). */
function computeUsage(nodes: Map<string, Node>, pods: Map<string, Pod>, podsByNode: Map<string, string[]>, prev: Map<string, NodeUsage>, dirty?: ReadonlySet<string>): Map<string, NodeUsage> {
  const out = new Map<string, NodeUsage>();
  for (const [name, node] of nodes) {
    // Only nodes whose own object or whose pods changed are summed again (a storm diff touches few).
    const kept = dirty && !dirty.has(name) ? prev.get(name) : undefined;
    if (kept) {
      out.set(name, kept);
      continue;
    }
    let cpu = 0;
    let mem = 0;
    let count = 0;
    for (const key of podsByNode.get(name) ?? []) {
      const pod = pods.get(key);
      if (!pod || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      count++;
      const r = podRequests(pod);
      cpu += r.cpu;
      mem += r.mem;
    }
    const alloc = node.status?.allocatable ?? {};
    const u: NodeUsage = {
      cpuRequested: cpu,
      cpuAllocatable: milliCpu(alloc.cpu),
      memRequested: mem,
      memAllocatable: bytes(alloc.memory),
      pods: count,
      podsAllocatable: Number(alloc.pods ?? 110),
    };
    const old = prev.get(name);
    const same = old && old.cpuRequested === u.cpuRequested && old.cpuAllocatable === u.cpuAllocatable && old.memRequested === u.memRequested && old.memAllocatable === u.memAllocatable && old.pods === u.pods && old.podsAllocatable === u.podsAllocatable;
    out.set(name, same ? old : u);
  }
  return out;
}

/** Pod keys in natural order (`web-2` before `web-10`). */
const comparePodKeys = (a: string, b: string) => nameCollator.compare(a, b);

/** Pod keys per node from scratch (a snapshot): `''` and every node get a list, even empty. */
function groupPodsByNode(nodes: Map<string, Node>, pods: Map<string, Pod>): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  grouped.set('', []);
  for (const name of nodes.keys()) grouped.set(name, []);
  for (const [key, pod] of pods) {
    const node = pod.spec?.nodeName ?? '';
    let list = grouped.get(node);
    if (!list) grouped.set(node, (list = []));
    list.push(key);
  }
  for (const keys of grouped.values()) keys.sort(comparePodKeys);
  return grouped;
}

/**
 * Pod keys per node after a diff, touching only the nodes the diff touched: a list whose pods came,
 * went or moved is rebuilt (a new array); every other list keeps its identity, so a card that
 * selects its node's list does not re-render. `dirty` names the nodes whose usage must be summed again.
 */
function regroupPods(prevLists: Map<string, string[]>, podBefore: ReadonlyMap<string, Pod | undefined>, nodes: Map<string, Node>, pods: Map<string, Pod>, diff: DiffMessage): { lists: Map<string, string[]>; dirty: Set<string>; podsChanged: Set<string> } {
  const dirty = new Set<string>();
  const gone = new Map<string, Set<string>>();
  const came = new Map<string, Set<string>>();
  const note = (m: Map<string, Set<string>>, node: string, key: string) => {
    let set = m.get(node);
    if (!set) m.set(node, (set = new Set()));
    set.add(key);
  };
  // Where each touched pod was before this diff and where it is after.
  for (const [key, before] of podBefore) {
    const after = pods.get(key);
    const from = before ? (before.spec?.nodeName ?? '') : undefined;
    const to = after ? (after.spec?.nodeName ?? '') : undefined;
    if (from !== undefined) dirty.add(from);
    if (to !== undefined) dirty.add(to);
    // A pod object replaced under the same key (deleted and created again) counts as gone and come.
    if (from === to && before?.metadata?.uid === after?.metadata?.uid) continue;
    if (from !== undefined) note(gone, from, key);
    if (to !== undefined) note(came, to, key);
  }
  const podsChanged = new Set(dirty);
  for (const u of diff.upserted) if (u.kind === 'Node') dirty.add(u.key);

  const lists = new Map<string, string[]>();
  lists.set('', prevLists.get('') ?? []);
  for (const name of nodes.keys()) lists.set(name, prevLists.get(name) ?? []);
  // Pods on a node not (or no longer) in the node map keep their own list.
  for (const [name, keys] of prevLists) if (!lists.has(name) && keys.length) lists.set(name, keys);
  for (const name of new Set([...gone.keys(), ...came.keys()])) {
    const out = gone.get(name);
    const kept = new Set((lists.get(name) ?? []).filter((k) => !out?.has(k)));
    for (const k of came.get(name) ?? []) kept.add(k);
    const next = [...kept].sort(comparePodKeys);
    lists.set(name, next);
  }
  for (const [name, keys] of lists) if (name !== '' && !keys.length && !nodes.has(name)) lists.delete(name);
  return { lists, dirty, podsChanged };
}

/** Pod objects per list; `changed` (when given) names the only lists whose objects may differ. */
function podObjects(lists: Map<string, string[]>, pods: Map<string, Pod>, prev: Map<string, Pod[]>, changed?: ReadonlySet<string>): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const [name, keys] of lists) {
    const kept = changed && !changed.has(name) ? prev.get(name) : undefined;
    if (kept) out.set(name, kept);
    else out.set(name, keys.map((k) => pods.get(k)).filter((p): p is Pod => p !== undefined));
  }
  return out;
}

/**
 * Create the store of one playground. `initial` lets tests and the embed preset fields.
 *
 * @example
 * const store = createPlaygroundStore();
 * client = new EngineClient({}, (d) => store.getState().applyDiff(d));
 */
export function createPlaygroundStore(initial: Partial<PlaygroundState> = {}): PlaygroundStore {
  return createStore<PlaygroundState>()((set, get) => ({
    ready: false,
    now: 0,
    end: 0,
    playing: true,
    speed: 1,
    nodes: new Map(),
    pods: new Map(),
    services: new Map(),
    deployments: new Map(),
    replicasets: new Map(),
    endpointslices: new Map(),
    runtime: new Map(),
    world: new Map(),
    nodeNames: [],
    podsByNode: new Map(),
    nodePods: new Map(),
    usage: new Map(),
    events: [],
    log: [],
    trails: [],
    announcement: '',
    selected: null,
    showOwners: false,
    ...initial,
    applyDiff(diff) {
      set(reduceDiff(get(), diff));
    },
    applyDiffs(diffs) {
      let st = get();
      // Maps copied for this batch are updated in place by the later diffs of the same batch: one
      // copy of the pods map per frame, not one per diff (the copies were most of a storm's garbage).
      const owned = new Set<Map<string, unknown>>();
      for (const d of diffs) st = { ...st, ...reduceDiff(st, d, owned) };
      set(st);
    },
    select(selected) {
      set({ selected });
    },
    setShowOwners(showOwners) {
      set({ showOwners });
    },
  }));
}

/**
 * The reducer behind {@link PlaygroundState.applyDiff}: returns the fields that change. Pure, except
 * for maps listed in `owned`: those were copied earlier in the same batch (never published), so they
 * are updated in place; every map it copies is added to `owned`.
 */
export function reduceDiff(s: PlaygroundState, diff: DiffMessage, owned?: Set<Map<string, unknown>>): Partial<PlaygroundState> {
  const reset = diff.reset;
  const maps: Record<string, Map<string, unknown>> = {};
  const fresh = <V>(cur: Map<string, V>): Map<string, V> => {
    if (owned?.has(cur as Map<string, unknown>)) return cur;
    const m = new Map(cur);
    owned?.add(m as Map<string, unknown>);
    return m;
  };
  const mapFor = (kind: string): Map<string, unknown> | undefined => {
    const field = kindMap(s, kind);
    if (!field) return undefined;
    if (!maps[field]) maps[field] = reset ? new Map() : fresh(s[field] as Map<string, unknown>);
    return maps[field];
  };
  if (reset) for (const k of ['Node', 'Pod', 'Service', 'Deployment', 'ReplicaSet', 'EndpointSlice']) mapFor(k);

  const announcements: string[] = [];
  const oldPods = s.pods;
  const addedPods: Pod[] = [];
  // Each touched pod as it was before this diff (read before the map, maybe owned, is changed).
  const podBefore = new Map<string, Pod | undefined>();
  for (const u of diff.upserted) {
    const m = mapFor(u.kind)!;
    if (u.kind === 'Pod' && !podBefore.has(u.key)) podBefore.set(u.key, oldPods.get(u.key));
    if (!reset && u.kind === 'Node') {
      const before = s.nodes.get(u.key);
      const a = before ? nodeStatusText(before) : undefined;
      const b = nodeStatusText(u.object);
      if (a !== b) announcements.push(`Node ${u.key} is ${b}`);
    }
    if (!reset && u.kind === 'Pod') {
      const before = oldPods.get(u.key);
      if (!before) addedPods.push(u.object);
      else if (podStatus(before) !== podStatus(u.object)) announcements.push(`Pod ${u.object.metadata?.name} is ${podStatus(u.object)}`);
    }
    m.set(u.key, u.object);
  }
  for (const r of diff.removed) {
    if (r.kind === 'Pod' && !podBefore.has(r.key)) podBefore.set(r.key, oldPods.get(r.key));
    mapFor(r.kind)?.delete(r.key);
    if (r.kind === 'Pod' && !reset) announcements.push(`Pod ${r.key.split('/').pop()} was removed`);
  }
  if (addedPods.length) announcements.push(addedPods.length === 1 ? `Pod ${addedPods[0].metadata?.name} was created` : `${addedPods.length} pods were created`);

  const out: Partial<PlaygroundState> = {
    ready: true,
    now: diff.now,
    end: reset ? diff.now : Math.max(s.end, diff.now),
    playing: diff.playing,
    speed: diff.speed,
  };
  for (const [field, m] of Object.entries(maps)) (out as Record<string, unknown>)[field] = m;
  const pods = (out.pods ?? s.pods) as Map<string, Pod>;
  const nodes = (out.nodes ?? s.nodes) as Map<string, Node>;

  if (out.nodes) {
    const names = [...nodes.keys()].sort(compareNodeNames);
    out.nodeNames = sameArray(s.nodeNames, names) ? s.nodeNames : names;
  }
  if (out.pods || out.nodes) {
    if (reset) {
      out.podsByNode = groupPodsByNode(nodes, pods);
      out.nodePods = podObjects(out.podsByNode, pods, new Map());
      out.usage = computeUsage(nodes, pods, out.podsByNode, new Map());
    } else {
      const byNode = regroupPods(s.podsByNode, podBefore, nodes, pods, diff);
      out.podsByNode = byNode.lists;
      out.nodePods = podObjects(byNode.lists, pods, s.nodePods, byNode.podsChanged);
      out.usage = computeUsage(nodes, pods, byNode.lists, s.usage, byNode.dirty);
    }
  }

  if (reset || diff.runtime.length) {
    const rt = reset ? new Map<string, RuntimeView>() : fresh(s.runtime);
    for (const r of diff.runtime) {
      if (r.view) rt.set(r.key, r.view);
      else rt.delete(r.key);
    }
    out.runtime = rt;
  }
  if (reset || diff.world.length) {
    const w = reset ? new Map<string, NodeWorld>() : fresh(s.world);
    for (const x of diff.world) {
      const before = w.get(x.node);
      if (!reset && before && before.power !== x.state.power) announcements.push(`Node ${x.node} powered ${x.state.power === 'On' ? 'on' : 'off'}`);
      if (!reset && before && before.partitioned !== x.state.partitioned) announcements.push(`Node ${x.node} ${x.state.partitioned ? 'cut off from the network' : 'reconnected'}`);
      w.set(x.node, x.state);
    }
    out.world = w;
  }
  if (reset || diff.events.length) {
    // An event key seen again is the same Event with a bumped count: replace it in place of order.
    const byKey = new Map<string, CompactEvent>();
    for (const e of reset ? [] : s.events) byKey.set(e.key, e);
    for (const e of diff.events) {
      byKey.delete(e.key);
      byKey.set(e.key, e);
      if (!reset && e.type === 'Warning') announcements.push(`Warning ${e.reason}: ${e.object} ${e.message}`);
    }
    out.events = [...byKey.values()].slice(-MAX_EVENTS);
  }
  if (reset || diff.log.length) out.log = reset ? diff.log : [...s.log, ...diff.log];

  // Trails: a new pod of the same owner as a terminating one is its replacement. This is drawing,
  // not scheduling: the controllers decided; we only connect the two on screen.
  let trails = reset ? [] : s.trails;
  if (addedPods.length) {
    const used = new Set(trails.map((t) => t.from));
    trails = [...trails];
    // Terminating pods by owner, in map order, indexed once (a burst adds a hundred pods at once).
    const terminating = new Map<string, string[]>();
    for (const [key, other] of pods) {
      const uid = other.metadata?.ownerReferences?.[0]?.uid;
      if (!uid || !other.metadata?.deletionTimestamp || used.has(key)) continue;
      let list = terminating.get(uid);
      if (!list) terminating.set(uid, (list = []));
      list.push(key);
    }
    for (const pod of addedPods) {
      const owner = pod.metadata?.ownerReferences?.[0]?.uid;
      const from = owner ? terminating.get(owner)?.shift() : undefined;
      if (from === undefined) continue;
      trails.push({ from, to: podKey(pod), at: diff.now });
      used.add(from);
    }
  }
  const live = trails.filter((t) => pods.has(t.from) && pods.has(t.to) && diff.now - t.at < TRAIL_MS);
  out.trails = live.length === s.trails.length && live.every((t, i) => t === s.trails[i]) ? s.trails : live;

  if (announcements.length) {
    out.announcement = announcements.length > 3 ? `${announcements.slice(0, 3).join('. ')}. And ${announcements.length - 3} more changes.` : announcements.join('. ');
  }
  return out;
}

/** `t = 5m30s`-style clock text for virtual ms (h/m/s, always whole seconds). */
export function formatClock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`;
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** A countdown as people read it: `12s`, `4:48`. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
