/**
 * Level of detail. Zoomed out, a pod card's text is unreadable and a thousand of them cost a
 * thousand React Flow nodes, so below {@link LOD_ZOOM} node cards and their pods are drawn by the
 * overview (OverviewLayer: one SVG, a pod a coloured dot), without containers, volumes, lanes or trails.
 */

/** Below this zoom the canvas draws the summary (node cards: header only; pods: dots). */
export const LOD_ZOOM = 0.45;

/** True when a zoom level is drawn as the summary. */
export function isLod(zoom: number): boolean {
  return zoom < LOD_ZOOM;
}

/**
 * React Flow store selector for the level of detail. It returns a boolean, so a component that uses
 * it re-renders when the zoom crosses {@link LOD_ZOOM}, not on every zoom or pan step.
 */
export function selectLod(s: { transform: readonly [number, number, number] }): boolean {
  return isLod(s.transform[2]);
}

/** Below this zoom even a dot's icon is a few pixels: the overview draws no text (plain colour). */
export const FAR_ZOOM = 0.2;

/** How much a zoom level draws: cards in full, the summary (dots), or the summary without icons. */
export type ZoomLevel = 'detail' | 'summary' | 'far';

export function zoomLevel(zoom: number): ZoomLevel {
  return zoom < FAR_ZOOM ? 'far' : isLod(zoom) ? 'summary' : 'detail';
}

/** React Flow store selector for {@link zoomLevel}: changes only when a threshold is crossed. */
export function selectZoomLevel(s: { transform: readonly [number, number, number] }): ZoomLevel {
  return zoomLevel(s.transform[2]);
}

/** Where a dot is drawn in its box: a circle as tall as the card, centred (as the card was). */
export function dotCircle(d: { x: number; y: number; w: number; h: number }): { left: number; top: number; size: number } {
  const size = Math.min(d.w, d.h);
  return { left: d.x + (d.w - size) / 2, top: d.y + (d.h - size) / 2, size };
}
