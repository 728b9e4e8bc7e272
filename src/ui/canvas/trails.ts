import type { Edge } from '@xyflow/react';
import type { Trail } from '../store';
import { podId } from './layout';

/** Trails drawn animated and labelled up to this many; past it, unlabelled and still. */
export const FEW_TRAILS = 6;
/** The newest trails drawn at most (a storm replaces pods by the hundred). */
export const MAX_TRAILS = 24;

/**
 * Edges for "replaced by" trails (oldest first, as the store keeps them). A few replacements read
 * as labelled, animated arrows; a storm's hundred would cross the whole canvas, each animated and
 * labelled (measured and repainted every frame). Past {@link FEW_TRAILS}: unlabelled and still;
 * past {@link MAX_TRAILS}: the newest only.
 */
export function trailEdges(trails: readonly Trail[]): Edge[] {
  const few = trails.length <= FEW_TRAILS;
  return trails.slice(-MAX_TRAILS).map((t) => ({ id: `trail:${t.from}>${t.to}`, source: podId(t.from), target: podId(t.to), className: 'edge-trail', type: 'trail', data: { moving: few, ...(few ? { label: 'replaced by' } : {}) } }));
}
