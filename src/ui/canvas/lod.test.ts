import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createStore } from 'zustand/vanilla';
import { FAR_ZOOM, LOD_ZOOM, isLod, selectLod, selectZoomLevel, zoomLevel, type ZoomLevel } from './lod';

describe('level of detail threshold', () => {
  it.each([
    [2, false],
    [1, false],
    [LOD_ZOOM, false],
    [LOD_ZOOM - 0.001, true],
    [0.1, true],
    [0.05, true],
  ])('zoom %f → summary %s', (zoom, lod) => expect(isLod(zoom)).toBe(lod));

  it('a subscriber to the selector is told only when the zoom crosses the threshold, not on every step', () => {
    const flow = createStore<{ transform: [number, number, number] }>()(() => ({ transform: [0, 0, 1] }));
    const seen: boolean[] = [];
    let last = selectLod(flow.getState());
    flow.subscribe((s) => {
      const v = selectLod(s);
      if (v !== last) seen.push((last = v));
    });
    for (const z of [0.9, 0.8, 0.6, 0.5, 0.46, 0.44, 0.3, 0.1, 0.07, 0.2, 0.44, 0.45, 0.7, 1.1]) flow.setState({ transform: [10, 20, z] });
    // Pans (x, y) change nothing either.
    flow.setState({ transform: [500, -300, 1.1] });
    expect(seen).toEqual([true, false]);
  });
});

describe('zoom levels', () => {
  it.each<[number, ZoomLevel]>([
    [1.1, 'detail'],
    [LOD_ZOOM, 'detail'],
    [LOD_ZOOM - 0.01, 'summary'],
    [FAR_ZOOM, 'summary'],
    [FAR_ZOOM - 0.01, 'far'],
    [0.05, 'far'],
  ])('zoom %f draws %s', (zoom, level) => expect(zoomLevel(zoom)).toBe(level));

  it('the level selector changes once per threshold crossed, whatever the steps between', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { maxLength: 40 }), (zooms) => {
        let last = selectZoomLevel({ transform: [0, 0, 1] });
        let changes = 0;
        let crossings = 0;
        let prevZoom = 1;
        for (const z of zooms) {
          const next = selectZoomLevel({ transform: [0, 0, z] });
          if (next !== last) changes++;
          last = next;
          for (const t of [LOD_ZOOM, FAR_ZOOM]) if (prevZoom < t !== z < t) crossings++;
          prevZoom = z;
        }
        // One step can cross both thresholds (one change); a change always means a crossing.
        expect(changes).toBeLessThanOrEqual(crossings);
        if (crossings > 0) expect(changes).toBeGreaterThan(0);
      }),
    );
  });
});

describe('canvas box', () => {
  it('the box the canvas refits to changes on a resize of 40 px or more, not on a pixel', async () => {
    const { selectBox } = await import('./Canvas');
    expect(selectBox({ width: 800, height: 600 })).toBe(selectBox({ width: 805, height: 601 }));
    expect(selectBox({ width: 800, height: 600 })).not.toBe(selectBox({ width: 1000, height: 600 }));
    expect(selectBox({ width: 800, height: 600 })).not.toBe(selectBox({ width: 800, height: 420 }));
  });
});
