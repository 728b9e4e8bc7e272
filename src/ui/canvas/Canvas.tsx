import { useCallback, useEffect, useMemo, useRef, type RefObject } from 'react';
import { Background, Controls, MiniMap, Position, ReactFlow, ReactFlowProvider, useReactFlow, useStore as useFlowStore, type Edge, type Node as FlowNode, type NodeHandle, type NodeMouseHandler, type OnNodesChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { Pod } from '../../engine/api/types';
import { usePlayground, usePlaygroundStore } from '../context';
import { drawnContainers, drawnVolumes } from '../model';
import { layout, nodeId, podId, QUEUE_ID, type Box, type NodePlacement } from './layout';
import { selectZoomLevel } from './lod';
import { overviewScene, sceneBounds, type OverviewScene } from './overview';
import { OverviewLayer } from './OverviewLayer';
import { trailEdges } from './trails';
import { edgeTypes, motionFor } from './MotionEdges';
import { NodeCard } from './NodeCard';
import { PodCard } from './PodCard';
import { OwnerCard, QueueCard, ServiceCard } from './SideCards';

/** At module scope so React Flow never sees a new object (which would remount every node). */
const nodeTypes = { k8sNode: NodeCard, pod: PodCard, service: ServiceCard, owner: OwnerCard, queue: QueueCard };
// The hidden node standing for the overview (zoomed out) counts for the fit.
const fitViewOptions = { padding: 0.08, maxZoom: 1.1, includeHiddenNodes: true };
const proOptions = { hideAttribution: true };
const EMPTY: string[] = [];
const NO_SCENE: OverviewScene = { cards: [], byId: new Map() };
/** Zoomed out, the one (hidden) flow node that stands for the overview's extent. */
const OVERVIEW_ID = 'overview';

/** How long the drawing's extent must stay put before the view refits to it (real ms). */
export const EXTENT_SETTLE_MS = 1000;

/**
 * Refit the view when the frame changes (nodes added or removed, owners or Services shown, the
 * canvas' own box resized), and when
 * the drawing's extent changes (a node's card grew, the scheduling queue appeared) and then stays
 * put for {@link EXTENT_SETTLE_MS}, unless the person has panned or zoomed since: then their view
 * stays. During a storm the queue comes and goes within a second; refitting (an animated zoom that
 * redraws the whole canvas every frame) on each change made the slowest frames.
 *
 * A frame change is animated (400 ms); an extent change is not: it comes from the cluster, not the
 * person, often mid-storm (replacements make cards a row taller), and an animated zoom then redraws
 * the whole drawing at a new scale every frame, which made a burst of late frames. Under
 * prefers-reduced-motion nothing is animated.
 */
function FitOnChange({ frame, extent, userMoved }: { frame: string; extent: string; userMoved: RefObject<boolean> }) {
  const { fitView } = useReactFlow();
  // The canvas' own box, to the nearest 40 px: presenter mode, a window resize or the panels
  // stacking on a narrow screen change it, and the drawing should fill the new box.
  const box = useFlowStore(selectBox);
  const fitted = useRef({ frame, extent, box });
  useEffect(() => {
    const before = fitted.current;
    const moved = userMoved.current;
    if (before.frame === frame && (before.extent === extent || moved) && (before.box === box || moved)) return;
    const fit = (animate: boolean) => {
      fitted.current = { frame, extent, box };
      const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
      void fitView({ ...fitViewOptions, duration: animate && !reduced ? 400 : 0 });
    };
    if (before.frame !== frame || before.box !== box) {
      const h = requestAnimationFrame(() => fit(true));
      return () => cancelAnimationFrame(h);
    }
    const t = setTimeout(() => fit(false), EXTENT_SETTLE_MS);
    return () => clearTimeout(t);
  }, [frame, extent, box, fitView, userMoved]);
  return null;
}

/** The pane's size rounded to 40 px (a string, so the selector only changes when the box does). */
export function selectBox(s: { width: number; height: number }): string {
  return `${Math.round(s.width / 40)}x${Math.round(s.height / 40)}`;
}

/** Rows a pod card needs; cached per pod object (objects are immutable, identity = change). */
const rowsCache = new WeakMap<Pod, number>();
function podRows(pod: Pod | undefined): number {
  if (!pod) return 1;
  let r = rowsCache.get(pod);
  if (r === undefined) {
    r = Math.max(drawnContainers(pod, undefined).length, drawnVolumes(pod, undefined).length, 1);
    rowsCache.set(pod, r);
  }
  return r;
}

/**
 * A card's edge handles, as its component draws them (hidden, see .hidden-handle), at mid-height:
 * a Service's lines leave on its left (it stands right of the nodes, its endpoints are to its left);
 * every other card takes edges in on the left and sends them out on the right.
 */
function cardHandles(type: string, box: Box): NodeHandle[] {
  const left = { position: Position.Left, x: 0, y: box.h / 2, width: 1, height: 1 };
  if (type === 'svc') return [{ ...left, type: 'source' }];
  return [
    { ...left, type: 'target' },
    { type: 'source', position: Position.Right, x: box.w - 1, y: box.h / 2, width: 1, height: 1 },
  ];
}

function sameBox(a: FlowNode, b: Box, hidden: boolean): boolean {
  return a.position.x === b.x && a.position.y === b.y && a.width === b.w && a.height === b.h && a.parentId === b.parent && (a.hidden ?? false) === hidden;
}

/** Same edges (ids, look, animation): the previous array is kept so React Flow does no work. */
function sameEdges(a: readonly Edge[], b: readonly Edge[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.id !== y.id || x.className !== y.className || x.animated !== y.animated || x.label !== y.label || x.data?.moving !== y.data?.moving || x.data?.label !== y.data?.label) return false;
  }
  return true;
}

/**
 * The cluster drawn with React Flow (zoomed out, by the overview layer). Flow node objects are rebuilt
 * only when their box changes; each card selects its own record from the store by id, so a pod's status
 * change re-renders one card. The canvas itself re-renders when pods come, go or move, not when a
 * pod's status changes (it does not subscribe to the pods map).
 *
 * `large`: draw only the cards on screen from the start (a scenario known to be large); any cluster
 * past 300 cards gets that anyway, however it grew.
 */
export function Canvas(props: { large?: boolean; theme?: 'light' | 'dark' }) {
  return (
    <ReactFlowProvider>
      <CanvasFlow {...props} />
    </ReactFlowProvider>
  );
}

function CanvasFlow({ large, theme = 'light' }: { large?: boolean; theme?: 'light' | 'dark' }) {
  const store = usePlaygroundStore();
  const nodeNames = usePlayground((s) => s.nodeNames);
  const podsByNode = usePlayground((s) => s.podsByNode);
  const services = usePlayground((s) => s.services);
  const slices = usePlayground((s) => s.endpointslices);
  const deployments = usePlayground((s) => s.deployments);
  const replicasets = usePlayground((s) => s.replicasets);
  const showOwners = usePlayground((s) => s.showOwners);
  const trails = usePlayground((s) => s.trails);
  // detail / summary / far: this re-renders when the zoom crosses a threshold, not on every zoom step.
  const level = useFlowStore(selectZoomLevel);
  const lod = level !== 'detail';
  const prev = useRef(new Map<string, FlowNode>());
  const prevEdges = useRef<Edge[]>([]);
  const prevScene = useRef<OverviewScene>(NO_SCENE);
  const placements = useRef(new WeakMap<readonly string[], NodePlacement>());
  const userMoved = useRef(false);

  const ownerKeys = useMemo(() => (showOwners ? [...[...deployments.keys()].map((k) => `Deployment/${k}`), ...[...replicasets.keys()].map((k) => `ReplicaSet/${k}`)] : EMPTY), [showOwners, deployments, replicasets]);
  const serviceKeys = useMemo(() => [...services.keys()], [services]);

  // A pod's rows come from its spec (immutable), so the layout follows the pods-per-node lists only:
  // a list gets a new identity whenever a pod on it comes, goes or is replaced under the same name.
  const { nodes, extent, podCount, scene } = useMemo(() => {
    const pods = store.getState().pods;
    const boxes = layout({ nodeNames, podsByNode, podRows: (k) => podRows(pods.get(k)), services: serviceKeys, owners: ownerKeys, placements: placements.current });
    // Zoomed out, node cards, the queue and the pods in them are drawn by the overview layer. React
    // Flow gets one hidden node covering them (so that fitting the view still knows the drawing),
    // not one per card: a pod coming or going then changes nothing React Flow has to look at.
    const scene = lod ? overviewScene(boxes, prevScene.current) : NO_SCENE;
    prevScene.current = scene;
    if (lod && scene.cards.length) {
      const b = sceneBounds(scene);
      boxes.set(OVERVIEW_ID, { x: b.x, y: b.y, w: b.w, h: b.h });
    }
    const next = new Map<string, FlowNode>();
    const out: FlowNode[] = [];
    let minX = 0;
    let minY = 0;
    let maxX = 0;
    let maxY = 0;
    let count = 0;
    for (const [id, box] of boxes) {
      const colon = id.indexOf(':');
      const type = colon < 0 ? id : id.slice(0, colon);
      if (type === 'pod') count++;
      if (!box.parent) {
        minX = Math.min(minX, box.x);
        minY = Math.min(minY, box.y);
        maxX = Math.max(maxX, box.x + box.w);
        maxY = Math.max(maxY, box.y + box.h);
      }
      if (lod && (type === 'node' || id === QUEUE_ID || (type === 'pod' && box.parent))) continue;
      const hidden = id === OVERVIEW_ID;
      const old = prev.current.get(id);
      // A card's data is fixed by its id: a card that only moved (a row above it grew) is re-positioned
      // by React Flow but not re-rendered.
      let fn: FlowNode;
      if (old && sameBox(old, box, hidden)) fn = old;
      else {
        const key = colon < 0 ? '' : id.slice(colon + 1);
        const base = {
          id,
          position: { x: box.x, y: box.y },
          width: box.w,
          height: box.h,
          // Every card's size and handles are known from the layout. Told them, React Flow never has to
          // render a card only to measure it: without them a rebuilt node (a card that moved) or a new
          // one counts as unmeasured and is drawn even off screen, then removed a frame later, and a
          // storm seen zoomed in made frames of half a second doing that by the hundred.
          measured: { width: box.w, height: box.h },
          handles: cardHandles(type, box),
          ...(box.parent ? { parentId: box.parent, extent: 'parent' as const } : {}),
          draggable: false,
          selectable: type === 'pod' || type === 'node',
          ...(hidden ? { hidden } : {}),
        };
        if (id === OVERVIEW_ID) fn = { ...base, data: {} };
        else if (id === QUEUE_ID) fn = { ...base, type: 'queue', data: {}, zIndex: 0 };
        else if (type === 'node') fn = { ...base, type: 'k8sNode', data: { name: key } };
        else if (type === 'pod') fn = { ...base, type: 'pod', data: { podKey: key } };
        else if (type === 'svc') fn = { ...base, type: 'service', data: { objKey: key } };
        else {
          const [kind, ...k] = key.split('/');
          fn = { ...base, type: 'owner', data: { kind, objKey: k.join('/') } };
        }
        if (old) fn.data = old.data;
      }
      next.set(id, fn);
      out.push(fn);
    }
    prev.current = next;
    // Rounded, so a pod more or less on a node that does not change the drawing's size refits nothing.
    const r = (v: number) => Math.round(v / 100);
    return { nodes: out, extent: `${r(minX)},${r(minY)},${r(maxX)},${r(maxY)}`, podCount: count, scene };
  }, [nodeNames, podsByNode, serviceKeys, ownerKeys, lod, store]);

  const edges = useMemo(() => {
    void podsByNode;
    const out: Edge[] = [];
    const pods = store.getState().pods;
    // Zoomed out, pods are dots inside their cards: edges to them (endpoints, owners, trails) are not drawn.
    if (!lod) {
      // Service → ready endpoints (from EndpointSlices' targetRefs).
      for (const [key, slice] of slices) {
        const svc = slice.metadata?.labels?.['kubernetes.io/service-name'];
        const ns = slice.metadata?.namespace ?? 'default';
        if (!svc || !services.has(`${ns}/${svc}`)) continue;
        for (const ep of slice.endpoints ?? []) {
          const ref = ep.targetRef;
          if (ref?.kind !== 'Pod' || !pods.has(`${ns}/${ref.name}`)) continue;
          const ready = ep.conditions?.ready !== false;
          out.push({ id: `ep:${key}:${ref.name}`, source: `svc:${ns}/${svc}`, target: podId(`${ns}/${ref.name}`), className: ready ? 'edge-endpoint' : 'edge-endpoint not-ready', type: 'traffic', data: { moving: ready } });
        }
      }
      // Traffic dots for a few endpoints; in a storm the lines stay still.
      const moving = motionFor(out.length);
      if (!moving) for (let i = 0; i < out.length; i++) out[i] = { ...out[i], data: { moving: false } };
    }
    if (showOwners) {
      for (const [key, rs] of replicasets) {
        const owner = rs.metadata?.ownerReferences?.[0];
        if (owner?.kind === 'Deployment') out.push({ id: `own:${key}`, source: `own:Deployment/${rs.metadata?.namespace}/${owner.name}`, target: `own:ReplicaSet/${key}`, className: 'edge-owner' });
      }
      if (!lod) {
        for (const [key, pod] of pods) {
          const owner = pod.metadata?.ownerReferences?.[0];
          if (owner?.kind === 'ReplicaSet' && replicasets.has(`${pod.metadata?.namespace}/${owner.name}`)) out.push({ id: `own:${key}`, source: `own:ReplicaSet/${pod.metadata?.namespace}/${owner.name}`, target: podId(key), className: 'edge-owner' });
        }
      }
    }
    if (!lod) out.push(...trailEdges(trails));
    if (sameEdges(prevEdges.current, out)) return prevEdges.current;
    prevEdges.current = out;
    return out;
    // podsByNode stands for the pods' membership (edges read the same snapshot's pods map).
  }, [slices, services, podsByNode, replicasets, showOwners, trails, lod, store]);

  const onNodeClick: NodeMouseHandler = useCallback(
    (_e, n) => {
      if (n.type === 'pod') store.getState().select({ kind: 'Pod', key: (n.data as { podKey: string }).podKey });
      else if (n.type === 'k8sNode') store.getState().select({ kind: 'Node', key: (n.data as { name: string }).name });
    },
    [store],
  );

  // Keyboard: React Flow focuses cards with Tab and selects the focused one with Enter or Space.
  const onNodesChange: OnNodesChange = useCallback(
    (changes) => {
      for (const c of changes) {
        if (c.type !== 'select' || !c.selected) continue;
        if (c.id.startsWith('pod:')) store.getState().select({ kind: 'Pod', key: c.id.slice(4) });
        else if (c.id.startsWith('node:')) store.getState().select({ kind: 'Node', key: c.id.slice(5) });
      }
    },
    [store],
  );

  // Once someone pans or zooms (a move with an input event), growth alone no longer refits their view.
  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (event) userMoved.current = true;
  }, []);

  const ready = nodeNames.length > 0;
  return (
    <div className="canvas" data-testid="canvas" data-zoom={level} aria-label="Cluster canvas">
      {ready && (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView
          fitViewOptions={fitViewOptions}
          minZoom={0.05}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          onlyRenderVisibleElements={large === true || podCount + nodeNames.length > 300}
          onMoveStart={onMoveStart}
          onNodeClick={onNodeClick}
          onNodesChange={onNodesChange}
          proOptions={proOptions}
          colorMode={theme}
        >
          <FitOnChange frame={`${nodeNames.length}|${showOwners}|${serviceKeys.length}`} extent={extent} userMoved={userMoved} />
          <Background gap={24} />
          <Controls showInteractive={false} />
          {lod && <OverviewLayer scene={scene} level={level} />}
          {nodeNames.length > 8 && podCount + nodeNames.length < 600 && <MiniMap pannable zoomable ariaLabel="Cluster overview" />}
        </ReactFlow>
      )}
    </div>
  );
}

export { nodeId };
