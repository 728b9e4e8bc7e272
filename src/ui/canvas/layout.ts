/**
 * Where things go on the canvas: a pure, deterministic layout (the same cluster always looks the
 * same). Nodes are cards in a grid; pods sit inside their node's card in two columns; pods not yet
 * scheduled wait in a queue card above; Services stand to the right; owners (on demand) to the left.
 */

export const POD_W = 236;
export const POD_GAP = 12;
export const POD_COLS = 2;
export const NODE_HEADER = 190;
export const NODE_W = POD_GAP + POD_COLS * (POD_W + POD_GAP);
export const NODE_MIN_H = NODE_HEADER + 70;
export const NODE_GAP = 40;
export const SIDE_W = 220;
export const SIDE_H = 96;

/** Height of a pod card with `rows` container/volume rows. */
export function podHeight(rows: number): number {
  return 100 + 30 * Math.max(1, rows);
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Parent flow node id (positions are then relative to it). */
  parent?: string;
}

export interface LayoutInput {
  nodeNames: readonly string[];
  /** Pod keys per node name; `''` = not scheduled. */
  podsByNode: ReadonlyMap<string, readonly string[]>;
  /** Container/volume rows of a pod (its card height follows). */
  podRows(key: string): number;
  services: readonly string[];
  /** Deployments and ReplicaSets, drawn only when owners are shown. */
  owners: readonly string[];
  /**
   * Optional memo of each node's pod placement, by the identity of its pod-key list. Only for callers
   * whose `podRows` never changes for a given list (the canvas: rows come from the immutable spec, and
   * the store gives a list a new identity whenever its pods change); then a relayout after a change
   * on one node places only that node's pods again.
   */
  placements?: WeakMap<readonly string[], NodePlacement>;
}

/** A node's pods placed inside its card: boxes relative to the card, and the card's height. */
export interface NodePlacement {
  parent: string;
  boxes: [string, Box][];
  height: number;
}

export const nodeId = (name: string) => `node:${name}`;
export const podId = (key: string) => `pod:${key}`;
export const QUEUE_ID = 'queue';

/**
 * Pods the queue card draws, the oldest first; its header counts them all. Why a cap: in a storm a
 * hundred replacements pass through the queue within a second of real time, and drawing each (a
 * card, zoomed in) only to remove it a frame later made frames of half a second; a person reads the
 * first few and the count.
 */
export const QUEUE_SHOWN = 24;

/** The queue card's title, counting every queued pod and saying when only the first are drawn. */
export function queueTitle(count: number): string {
  return `Scheduling queue · ${count} pod${count === 1 ? '' : 's'} not yet on a node${count > QUEUE_SHOWN ? ` (the first ${QUEUE_SHOWN} shown)` : ''}`;
}

/** Place pods in rows of {@link POD_COLS} under a header; returns the container's height. */
function placePods(keys: readonly string[], rows: (k: string) => number, parent: string, header: number, cols: number, out: Map<string, Box>): number {
  let y = header;
  for (let i = 0; i < keys.length; i += cols) {
    const row = keys.slice(i, i + cols);
    const h = Math.max(...row.map((k) => podHeight(rows(k))));
    row.forEach((k, j) => out.set(podId(k), { x: POD_GAP + j * (POD_W + POD_GAP), y, w: POD_W, h: podHeight(rows(k)), parent }));
    y += h + POD_GAP;
  }
  return y;
}

const NO_KEYS: readonly string[] = [];

/** One node's pods inside its card, from the memo when the list is one already placed. */
function placeNode(name: string, input: LayoutInput): NodePlacement {
  const keys = input.podsByNode.get(name) ?? NO_KEYS;
  const parent = nodeId(name);
  const cached = input.placements?.get(keys);
  if (cached && cached.parent === parent) return cached;
  const tmp = new Map<string, Box>();
  const height = Math.max(placePods(keys, input.podRows, parent, NODE_HEADER, POD_COLS, tmp), NODE_MIN_H);
  const p: NodePlacement = { parent, boxes: [...tmp], height };
  if (keys !== NO_KEYS) input.placements?.set(keys, p);
  return p;
}

/**
 * Compute every box. Parents come before their children in the returned map's order, as React
 * Flow requires.
 */
export function layout(input: LayoutInput): Map<string, Box> {
  const out = new Map<string, Box>();
  const n = input.nodeNames.length;
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)));

  // The queue of unscheduled pods, above the grid: the first QUEUE_SHOWN of them (its card counts all).
  const all = input.podsByNode.get('') ?? [];
  const queued = all.length > QUEUE_SHOWN ? all.slice(0, QUEUE_SHOWN) : all;
  if (queued.length) {
    const qCols = Math.max(POD_COLS, Math.min(cols * POD_COLS, 8));
    const tmp = new Map<string, Box>();
    const h = Math.max(placePods(queued, input.podRows, QUEUE_ID, 44, qCols, tmp), 44 + podHeight(1) + POD_GAP);
    out.set(QUEUE_ID, { x: 0, y: -h - NODE_GAP, w: POD_GAP + qCols * (POD_W + POD_GAP), h });
    for (const [k, b] of tmp) out.set(k, b);
  }

  // Node cards in a grid; each grid row is as tall as its tallest card.
  const placed = input.nodeNames.map((name) => placeNode(name, input));
  const heights = placed.map((p) => p.height);
  let y = 0;
  for (let r = 0; r * cols < n; r++) {
    const rowNames = input.nodeNames.slice(r * cols, r * cols + cols);
    const rowH = Math.max(...rowNames.map((_, j) => heights[r * cols + j]));
    rowNames.forEach((name, j) => {
      const id = nodeId(name);
      out.set(id, { x: j * (NODE_W + NODE_GAP), y, w: NODE_W, h: heights[r * cols + j] });
      for (const [k, b] of placed[r * cols + j].boxes) out.set(k, b);
    });
    y += rowH + NODE_GAP;
  }

  // Pods on a node not (yet) in the node list (e.g. a node deleted under them) float below.
  for (const [name, keys] of input.podsByNode) {
    if (name === '' || input.nodeNames.includes(name)) continue;
    keys.forEach((k, i) => out.set(podId(k), { x: i * (POD_W + POD_GAP), y, w: POD_W, h: podHeight(input.podRows(k)) }));
    y += 200;
  }

  const gridW = Math.min(cols, Math.max(n, 1)) * (NODE_W + NODE_GAP);
  input.services.forEach((k, i) => out.set(`svc:${k}`, { x: gridW + 40, y: i * (SIDE_H + 24), w: SIDE_W, h: SIDE_H }));
  input.owners.forEach((k, i) => out.set(`own:${k}`, { x: -SIDE_W - 120, y: i * (SIDE_H + 24), w: SIDE_W, h: SIDE_H }));
  return out;
}
