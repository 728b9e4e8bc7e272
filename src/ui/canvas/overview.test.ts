import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layout, NODE_W, podId, QUEUE_ID } from './layout';
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
    const scene = overviewScene(boxes);
    expect(scene.cards.map((c) => [c.id, c.name, c.pods.map((p) => p.key)])).toEqual([
      [QUEUE_ID, '', ['default/q']],
      ['node:node-1', 'node-1', ['default/a', 'default/b', 'default/c']],
      ['node:node-2', 'node-2', []],
    ]);
    expect(scene.byId.get('node:node-1')?.name).toBe('node-1');
    // Services are side cards (flow nodes), not part of the overview.
    expect(scene.cards.some((c) => c.id.startsWith('svc:'))).toBe(false);
    // A pod's circle is centred in its card box (relative to the card), as wide as the box is tall or wide (whichever is less).
    const box = boxes.get(podId('default/a'))!;
    const card = scene.byId.get('node:node-1')!;
    const a = card.pods[0];
    expect(a.cx).toBe(box.x + box.w / 2);
    expect(a.cy).toBe(box.y + box.h / 2);
    expect(a.r).toBe(Math.min(box.w, box.h) / 2);
  });

  it('every circle lies inside its card, and the bounds hold every card (any cluster)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(12), { minLength: 0, maxLength: 12 }), fc.nat(5), (perNode, queued) => {
        const nodeNames = perNode.map((_, i) => `node-${i}`);
        const podsByNode = new Map<string, string[]>(perNode.map((n, i) => [`node-${i}`, Array.from({ length: n }, (_, j) => `default/p-${i}-${j}`)]));
        podsByNode.set('', Array.from({ length: queued }, (_, j) => `default/q-${j}`));
        const boxes = layout({ nodeNames, podsByNode, podRows: rows, services: [], owners: [] });
        const scene = overviewScene(boxes);
        const b = sceneBounds(scene);
        let pods = 0;
        for (const c of scene.cards) {
          expect(c.x >= b.x && c.y >= b.y && c.x + c.w <= b.x + b.w && c.y + c.h <= b.y + b.h).toBe(true);
          for (const p of c.pods) {
            pods++;
            expect(p.cx - p.r >= 0 && p.cx + p.r <= c.w && p.cy - p.r >= 0 && p.cy + p.r <= c.h).toBe(true);
          }
        }
        expect(pods).toBe(perNode.reduce((s, n) => s + n, 0) + queued);
        expect(scene.cards.filter((c) => c.name).map((c) => c.w)).toEqual(nodeNames.map(() => NODE_W));
      }),
    );
  });

  it('pods with no card (their node is gone) are not in the overview: they stay flow nodes of their own', () => {
    const boxes = layout({ nodeNames: ['node-1'], podsByNode: new Map([['node-1', ['default/a']], ['node-9', ['default/floating']]]), podRows: rows, services: [], owners: [] });
    const scene = overviewScene(boxes);
    expect(scene.cards.flatMap((c) => c.pods.map((p) => p.key))).toEqual(['default/a']);
    expect(boxes.get(podId('default/floating'))?.parent).toBeUndefined();
  });

  it('an empty scene has a unit box at the origin (the SVG keeps a size)', () => {
    expect(sceneBounds({ cards: [], byId: new Map() })).toEqual({ x: 0, y: 0, w: 1, h: 1 });
  });
});

describe('overview scene reuse', () => {
  const input = (podsByNode: Map<string, string[]>) => layout({ nodeNames: ['node-1', 'node-2'], podsByNode, podRows: rows, services: [], owners: [] });

  it('a card that moves keeps its pods as the same objects (they are placed relative to it)', () => {
    // Two rows of nodes: node-3 sits under the taller of node-1 and node-2.
    const grid = (n1: number) =>
      layout({ nodeNames: ['node-1', 'node-2', 'node-3'], podsByNode: new Map([['node-1', Array.from({ length: n1 }, (_, i) => `default/a-${i}`)], ['node-3', ['default/c']]]), podRows: rows, services: [], owners: [] });
    const before = grid(2);
    const s1 = overviewScene(before);
    const after = grid(8);
    const s2 = overviewScene(after, s1);
    const [c1, c2] = [s1.byId.get('node:node-3')!, s2.byId.get('node:node-3')!];
    expect(c2.y).toBeGreaterThan(c1.y);
    expect(c2).not.toBe(c1);
    expect(c2.pods[0]).toBe(c1.pods[0]);
  });

  it('a pod added on one node keeps the other card and the unmoved pods as the same objects', () => {
    const before = input(new Map([['node-1', ['default/a', 'default/b']], ['node-2', ['default/c']]]));
    const s1 = overviewScene(before);
    const after = input(new Map([['node-1', ['default/a', 'default/b']], ['node-2', ['default/c', 'default/d']]]));
    const s2 = overviewScene(after, s1);
    expect(s2.byId.get('node:node-1')).toBe(s1.byId.get('node:node-1'));
    const n2before = s1.byId.get('node:node-2')!;
    const n2after = s2.byId.get('node:node-2')!;
    expect(n2after).not.toBe(n2before);
    expect(n2after.pods.map((p) => p.key)).toEqual(['default/c', 'default/d']);
    expect(n2after.pods[0]).toBe(n2before.pods[0]);
  });

  it('a pod removed or moved gives its card a new object; a scene built with a previous one equals one built without', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1), fc.nat(6)), { maxLength: 8 }), fc.array(fc.tuple(fc.nat(1), fc.nat(6)), { maxLength: 8 }), (a, b) => {
        const map = (xs: [number, number][]) => {
          const m = new Map<string, string[]>([['node-1', []], ['node-2', []]]);
          const seen = new Set<string>();
          for (const [n, p] of xs) {
            const key = `default/p-${p}`;
            if (seen.has(key)) continue;
            seen.add(key);
            m.get(`node-${n + 1}`)!.push(key);
          }
          return m;
        };
        const b1 = input(map(a));
        const b2 = input(map(b));
        const s1 = overviewScene(b1);
        const fresh = overviewScene(b2);
        const reused = overviewScene(b2, s1);
        expect(JSON.stringify(reused.cards)).toBe(JSON.stringify(fresh.cards));
        for (const card of reused.cards) {
          const old = s1.byId.get(card.id)!;
          const samePods = JSON.stringify(old.pods) === JSON.stringify(card.pods) && old.x === card.x && old.y === card.y && old.h === card.h;
          expect(card === old).toBe(samePods);
        }
      }),
    );
  });
});

describe('overview strokes', () => {
  it('one screen pixel in flow units, to the nearest power of two: outlines keep about their width at any zoom', async () => {
    const { selectScreenPixel } = await import('./OverviewLayer');
    const at = (zoom: number) => selectScreenPixel({ transform: [0, 0, zoom] });
    expect(at(0.44)).toBe(2);
    expect(at(0.25)).toBe(4);
    expect(at(0.105)).toBe(8);
    expect(at(0.05)).toBe(16);
    expect(at(1)).toBe(1);
    expect(at(2)).toBe(1);
    // A stroke of n such pixels is between n/√2 and n·√2 screen pixels wide.
    for (const zoom of [0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.44]) {
      const screen = at(zoom) * zoom;
      expect(screen).toBeGreaterThan(Math.SQRT1_2 - 1e-9);
      expect(screen).toBeLessThan(Math.SQRT2 + 1e-9);
    }
  });
});
