/**
 * The zoomed-out overview's geometry (drawn by OverviewLayer): where each card (a Kubernetes node or
 * the scheduling queue) and each pod's dot is, in flow coordinates, in reading order.
 */
import { QUEUE_ID, type Box } from './layout';
import { dotCircle } from './lod';

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
  /**
   * Pods by their layout box, handed from scene to scene: the layout reuses a node's boxes while its
   * pods are unchanged, so most pods are found here without a look at their geometry.
   */
  podByBox?: WeakMap<Box, OverviewPod>;
}

function podFor(podByBox: WeakMap<Box, OverviewPod>, id: string, box: Box, old: OverviewPod | undefined): OverviewPod {
  let pod = podByBox.get(box);
  if (pod) return pod;
  const { left, top, size } = dotCircle(box);
  const key = id.slice('pod:'.length);
  const cx = left + size / 2;
  const cy = top + size / 2;
  const r = size / 2;
  // A box made afresh (the queue's are) for a pod that did not move keeps the pod's object.
  pod = old && old.key === key && old.cx === cx && old.cy === cy && old.r === r ? old : { key, cx, cy, r };
  podByBox.set(box, pod);
  return pod;
}

/**
 * The scene from the layout's boxes (a card's pods follow it, boxes relative to it). Cards in the
 * layout's order (the queue first, then nodes row by row); pods in their card's order, placed
 * relative to their card.
 *
 * With `prev` (the scene drawn before), an unchanged card, and an unchanged pod in a changed card,
 * keep their objects: the drawing memoises on them, so a pod coming or going redraws its own card
 * and not the thousand dots elsewhere.
 */
export function overviewScene(boxes: ReadonlyMap<string, Box>, prev?: OverviewScene): OverviewScene {
  const podByBox = prev?.podByBox ?? new WeakMap<Box, OverviewPod>();
  const order: [string, Box][] = [];
  const podsOf = new Map<string, OverviewPod[]>();
  for (const [id, box] of boxes) {
    if (box.parent) {
      const list = podsOf.get(box.parent);
      if (!list || !id.startsWith('pod:')) continue;
      const before = prev?.byId.get(box.parent);
      list.push(podFor(podByBox, id, box, before?.pods[list.length]));
    } else if (id === QUEUE_ID || id.startsWith('node:')) {
      order.push([id, box]);
      podsOf.set(id, []);
    }
  }
  const cards: OverviewCard[] = [];
  const byId = new Map<string, OverviewCard>();
  for (const [id, box] of order) {
    const pods = podsOf.get(id)!;
    const old = prev?.byId.get(id);
    // (A card that only moved gets a new object but keeps its pods' objects.)
    const same = old !== undefined && old.x === box.x && old.y === box.y && old.w === box.w && old.h === box.h && old.pods.length === pods.length && pods.every((p, i) => p === old.pods[i]);
    const card: OverviewCard = same ? old : { id, name: id === QUEUE_ID ? '' : id.slice('node:'.length), x: box.x, y: box.y, w: box.w, h: box.h, pods };
    cards.push(card);
    byId.set(id, card);
  }
  return { cards, byId, podByBox };
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
