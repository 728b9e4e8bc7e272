/**
 * The canvas' two moving edges, drawn with framer-motion:
 * - a Service → endpoint line carries traffic dots from the Service to the pod while the endpoint
 *   is ready (one dot per line, so a Service with a few pods reads as "requests flow here");
 * - a replacement trail draws itself from the evicted pod's place to its replacement, and a dot
 *   travels it once.
 * Motion is for a few edges at a time: {@link motionFor} turns it off past {@link MAX_MOVING_EDGES}
 * (a storm replaces pods by the hundred) and under reduced motion, where the lines stay still.
 */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, getStraightPath, type Edge, type EdgeProps } from '@xyflow/react';
import { motion, useReducedMotion } from 'framer-motion';

/** Edges that move at once, at most: past it every line is drawn still. */
export const MAX_MOVING_EDGES = 40;

export interface MotionEdgeData extends Record<string, unknown> {
  /** Draw the motion (dots, draw-in); false: a still line. */
  moving: boolean;
  label?: string;
}

/** Which edges move: all of them when they are few, none in a storm. */
export function motionFor(count: number): boolean {
  return count <= MAX_MOVING_EDGES;
}

/** Seconds a dot runs from the Service to the pod. */
const TRAFFIC_PERIOD_S = 1.6;

/** A stable start offset per line, so a Service's dots do not all leave at once. */
function stagger(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return ((h >>> 0) % 1000) / 1000 * TRAFFIC_PERIOD_S;
}

/** A Service → ready endpoint line with a dot running along it (traffic). */
export function TrafficEdge({ id, sourceX, sourceY, targetX, targetY, data, markerEnd, style }: EdgeProps<Edge<MotionEdgeData>>) {
  const reduced = useReducedMotion();
  const [path] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const moving = !!data?.moving && !reduced;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      {moving && (
        <motion.circle
          className="traffic-dot"
          r={4}
          data-testid={`traffic-${id}`}
          style={{ offsetPath: `path('${path}')`, offsetRotate: '0deg' }}
          initial={{ offsetDistance: '0%' }}
          animate={{ offsetDistance: '100%' }}
          transition={{ duration: TRAFFIC_PERIOD_S, ease: 'linear', repeat: Infinity, delay: stagger(id) }}
        />
      )}
    </>
  );
}

/** An evicted pod → its replacement: the line draws itself, then a dot travels it once. */
export function TrailEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd }: EdgeProps<Edge<MotionEdgeData>>) {
  const reduced = useReducedMotion();
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const moving = !!data?.moving && !reduced;
  return (
    <>
      {moving ? (
        <motion.path
          id={id}
          className="react-flow__edge-path"
          d={path}
          fill="none"
          markerEnd={markerEnd}
          initial={{ pathLength: 0 }}
          animate={{ pathLength: 1 }}
          transition={{ duration: 0.9, ease: 'easeOut' }}
        />
      ) : (
        <BaseEdge id={id} path={path} markerEnd={markerEnd} />
      )}
      {moving && (
        <motion.circle
          className="trail-dot"
          r={5}
          style={{ offsetPath: `path('${path}')`, offsetRotate: '0deg' }}
          initial={{ offsetDistance: '0%', opacity: 1 }}
          animate={{ offsetDistance: '100%', opacity: 0 }}
          transition={{ duration: 1.4, ease: 'easeInOut', delay: 0.6 }}
        />
      )}
      {data?.label && (
        <EdgeLabelRenderer>
          <div className="edge-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, zIndex: 1001 }}>
            {data.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** At module scope so React Flow never sees a new object. */
export const edgeTypes = { traffic: TrafficEdge, trail: TrailEdge };
