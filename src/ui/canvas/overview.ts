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

/** A pod's dot, in flow coordinates (a circle: centre and radius). */
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
 * the layout's order (the queue first, then nodes row by row); pods in their card's order.
 */
export function overviewScene(boxes: ReadonlyMap<string, Box>, dots: ReadonlyMap<string, readonly Dot[]>): OverviewScene {
  const cards: OverviewCard[] = [];
  const byId = new Map<string, OverviewCard>();
  for (const [id, box] of boxes) {
    const isQueue = id === QUEUE_ID;
    if (!isQueue && !id.startsWith('node:')) continue;
    const pods: OverviewPod[] = [];
    for (const d of dots.get(id) ?? []) {
      const { left, top, size } = dotCircle(d);
      pods.push({ key: d.key, cx: box.x + left + size / 2, cy: box.y + top + size / 2, r: size / 2 });
    }
    const card: OverviewCard = { id, name: isQueue ? '' : id.slice('node:'.length), x: box.x, y: box.y, w: box.w, h: box.h, pods };
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
