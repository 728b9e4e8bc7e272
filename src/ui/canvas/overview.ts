/**
 * The zoomed-out overview's geometry (drawn by OverviewLayer): where each card (a Kubernetes node or
 * the scheduling queue) and each pod's dot is, in flow coordinates, in reading order.
 */
import { QUEUE_ID, type Box } from './layout';
import { dotCircle, type Dot } from './lod';

/** A card: a Kubernetes node (`name` set) or the scheduling queue (`name` empty). */
export interface OverviewCard {
  id: string;
  /** The node's name; '' for the queue. */
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  pods: OverviewPod[];
}

/**
 * A pod's dot: a circle, its centre relative to its card's corner (so that a card that moves, when
 * a row above it grows, moves as one and its pods keep their objects).
 */
export interface OverviewPod {
  key: string;
  cx: number;
  cy: number;
  r: number;
}

export interface OverviewScene {
  cards: OverviewCard[];
  /** Card by flow id, for lookups by selection. */
  byId: Map<string, OverviewCard>;
}

/**
 * The scene from the layout's boxes and the dots grouped by card (lod.ts `dotsByParent`). Cards in
 * the layout's order (the queue first, then nodes row by row); pods in their card's order, placed
 * relative to their card.
 *
 * With `prev` (the scene drawn before), an unchanged card, and an unchanged pod in a changed card,
 * keep their objects: the drawing memoises on them, so a pod coming or going redraws its own card
 * and not the thousand dots elsewhere.
 */
export function overviewScene(boxes: ReadonlyMap<string, Box>, dots: ReadonlyMap<string, readonly Dot[]>, prev?: OverviewScene): OverviewScene {
  const cards: OverviewCard[] = [];
  const byId = new Map<string, OverviewCard>();
  for (const [id, box] of boxes) {
    const isQueue = id === QUEUE_ID;
    if (!isQueue && !id.startsWith('node:')) continue;
    const old = prev?.byId.get(id);
    // The previous pod at the same index is usually the same pod; a map only when it is not.
    let oldPods: Map<string, OverviewPod> | undefined;
    const pods: OverviewPod[] = [];
    let same = old !== undefined && old.x === box.x && old.y === box.y && old.w === box.w && old.h === box.h;
    // (A card that only moved gets a new object but keeps its pods' objects.)
    for (const d of dots.get(id) ?? []) {
      const { left, top, size } = dotCircle(d);
      const cx = left + size / 2;
      const cy = top + size / 2;
      const r = size / 2;
      let o = old?.pods[pods.length];
      if (o && o.key !== d.key) o = (oldPods ??= new Map(old!.pods.map((p) => [p.key, p]))).get(d.key);
      const pod = o && o.cx === cx && o.cy === cy && o.r === r ? o : { key: d.key, cx, cy, r };
      if (same && old!.pods[pods.length] !== pod) same = false;
      pods.push(pod);
    }
    const card: OverviewCard = same && old!.pods.length === pods.length ? old! : { id, name: isQueue ? '' : id.slice('node:'.length), x: box.x, y: box.y, w: box.w, h: box.h, pods };
    cards.push(card);
    byId.set(id, card);
  }
  return { cards, byId };
}

/** The rectangle holding every card (an empty scene: a unit box at the origin). */
export function sceneBounds(scene: OverviewScene): { x: number; y: number; w: number; h: number } {
  if (!scene.cards.length) return { x: 0, y: 0, w: 1, h: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const c of scene.cards) {
    minX = Math.min(minX, c.x);
    minY = Math.min(minY, c.y);
    maxX = Math.max(maxX, c.x + c.w);
    maxY = Math.max(maxY, c.y + c.h);
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}
