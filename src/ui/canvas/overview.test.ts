import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layout, NODE_W, podId, QUEUE_ID } from './layout';
import { dotsByParent } from './lod';
import { overviewScene, sceneBounds } from './overview';

const rows = () => 1;

describe('overview scene', () => {
  it('has the queue, then every node card in layout order, each with its pods as circles inside it', () => {
    const boxes = layout({
      nodeNames: ['node-1', 'node-2'],
      podsByNode: new Map([
        ['node-1', ['default/a', 'default/b', 'default/c']],
        ['node-2', []],
        ['', ['default/q']],
      ]),
      podRows: rows,
      services: ['default/web'],
      owners: [],
    });
    const scene = overviewScene(boxes, dotsByParent(boxes));
    expect(scene.cards.map((c) => [c.id, c.name, c.pods.map((p) => p.key)])).toEqual([
      [QUEUE_ID, '', ['default/q']],
      ['node:node-1', 'node-1', ['default/a', 'default/b', 'default/c']],
      ['node:node-2', 'node-2', []],
    ]);
    expect(scene.byId.get('node:node-1')?.name).toBe('node-1');
    // Services are side cards (flow nodes), not part of the overview.
    expect(scene.cards.some((c) => c.id.startsWith('svc:'))).toBe(false);
    // A pod's circle is centred in its card box, as wide as the box is tall or wide (whichever is less).
    const box = boxes.get(podId('default/a'))!;
    const card = scene.byId.get('node:node-1')!;
    const a = card.pods[0];
    expect(a.cx).toBe(card.x + box.x + box.w / 2);
    expect(a.cy).toBe(card.y + box.y + box.h / 2);
    expect(a.r).toBe(Math.min(box.w, box.h) / 2);
  });

  it('every circle lies inside its card, and the bounds hold every card (any cluster)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(12), { minLength: 0, maxLength: 12 }), fc.nat(5), (perNode, queued) => {
        const nodeNames = perNode.map((_, i) => `node-${i}`);
        const podsByNode = new Map<string, string[]>(perNode.map((n, i) => [`node-${i}`, Array.from({ length: n }, (_, j) => `default/p-${i}-${j}`)]));
        podsByNode.set('', Array.from({ length: queued }, (_, j) => `default/q-${j}`));
        const boxes = layout({ nodeNames, podsByNode, podRows: rows, services: [], owners: [] });
        const scene = overviewScene(boxes, dotsByParent(boxes));
        const b = sceneBounds(scene);
        let pods = 0;
        for (const c of scene.cards) {
          expect(c.x >= b.x && c.y >= b.y && c.x + c.w <= b.x + b.w && c.y + c.h <= b.y + b.h).toBe(true);
          for (const p of c.pods) {
            pods++;
            expect(p.cx - p.r >= c.x && p.cx + p.r <= c.x + c.w && p.cy - p.r >= c.y && p.cy + p.r <= c.y + c.h).toBe(true);
          }
        }
        expect(pods).toBe(perNode.reduce((s, n) => s + n, 0) + queued);
        expect(scene.cards.filter((c) => c.name).map((c) => c.w)).toEqual(nodeNames.map(() => NODE_W));
      }),
    );
  });

  it('an empty scene has a unit box at the origin (the SVG keeps a size)', () => {
    expect(sceneBounds({ cards: [], byId: new Map() })).toEqual({ x: 0, y: 0, w: 1, h: 1 });
  });
});
