import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createStore } from 'zustand/vanilla';
import { layout, podId, QUEUE_ID, type Box } from './layout';
import { FAR_ZOOM, LOD_ZOOM, dotCircle, dotsByParent, isLod, selectLod, selectZoomLevel, zoomLevel, type ZoomLevel } from './lod';

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

describe('dots', () => {
  const input = (perNode: number[], queued = 0) => ({
    nodeNames: perNode.map((_, i) => `node-${i + 1}`),
    podsByNode: new Map<string, string[]>([['', Array.from({ length: queued }, (_, j) => `default/q-${j}`)], ...perNode.map((n, i) => [`node-${i + 1}`, Array.from({ length: n }, (_, j) => `default/p-${i}-${j}`)] as [string, string[]])]),
    podRows: (k: string) => (k.endsWith('-1') ? 3 : 1),
    services: [],
    owners: [],
  });

  it('every pod with a card to sit in becomes one dot of that card, at its card box', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 9 }), fc.integer({ min: 0, max: 5 }), (perNode, queued) => {
        const boxes = layout(input(perNode, queued));
        const dots = dotsByParent(boxes);
        perNode.forEach((n, i) => expect(dots.get(`node:node-${i + 1}`)?.length ?? 0).toBe(n));
        expect(dots.get(QUEUE_ID)?.length ?? 0).toBe(queued);
        for (const [parent, list] of dots) {
          for (const d of list) {
            const b = boxes.get(podId(d.key))!;
            expect(b.parent).toBe(parent);
            expect([d.x, d.y, d.w, d.h]).toEqual([b.x, b.y, b.w, b.h]);
            // The circle stays inside the card's box and inside the parent card.
            const c = dotCircle(d);
            const card = boxes.get(parent)!;
            expect(c.left).toBeGreaterThanOrEqual(d.x);
            expect(c.left + c.size).toBeLessThanOrEqual(d.x + d.w);
            expect(c.top + c.size).toBeLessThanOrEqual(card.h);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('pods with no card (their node is gone) are not dots: they stay flow nodes of their own', () => {
    const boxes = new Map<string, Box>([
      ['node:a', { x: 0, y: 0, w: 500, h: 400 }],
      [podId('default/on-a'), { x: 12, y: 190, w: 236, h: 130, parent: 'node:a' }],
      [podId('default/floating'), { x: 0, y: 600, w: 236, h: 130 }],
    ]);
    expect([...dotsByParent(boxes)]).toEqual([['node:a', [{ key: 'default/on-a', x: 12, y: 190, w: 236, h: 130 }]]]);
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
