import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { layout, nodeId, NODE_W, podId, POD_W, QUEUE_ID, QUEUE_SHOWN, type Box, type NodePlacement } from './layout';

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('layout', () => {
  it('puts pods inside their node card, parents before children', () => {
    const boxes = layout({
      nodeNames: ['control-plane', 'node-1'],
      podsByNode: new Map([['node-1', ['default/a', 'default/b', 'default/c']], ['', ['default/q']]]),
      podRows: () => 1,
      services: ['default/web'],
      owners: [],
    });
    const ids = [...boxes.keys()];
    expect(ids.indexOf(nodeId('node-1'))).toBeLessThan(ids.indexOf(podId('default/a')));
    expect(ids.indexOf(QUEUE_ID)).toBeLessThan(ids.indexOf(podId('default/q')));
    expect(boxes.get(podId('default/a'))!.parent).toBe(nodeId('node-1'));
    expect(boxes.get(podId('default/q'))!.parent).toBe(QUEUE_ID);
    expect(boxes.get(QUEUE_ID)!.y).toBeLessThan(0);
    expect(boxes.get('svc:default/web')!.x).toBeGreaterThanOrEqual(NODE_W);
  });

  it('never overlaps cards and keeps every pod within its parent (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 12 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 40 }), (perNode, queued) => {
        const rows = new Map<string, number>();
        const podsByNode = new Map<string, string[]>();
        const nodeNames = perNode.map((_, i) => `node-${i + 1}`);
        perNode.forEach((pods, i) => podsByNode.set(`node-${i + 1}`, pods.map((r, j) => (rows.set(`ns/p${i}-${j}`, r), `ns/p${i}-${j}`))));
        podsByNode.set('', queued.map((r, j) => (rows.set(`ns/q${j}`, r), `ns/q${j}`)));
        const boxes = layout({ nodeNames, podsByNode, podRows: (k) => rows.get(k) ?? 1, services: [], owners: [] });
        const top = [...boxes.entries()].filter(([, b]) => !b.parent);
        for (let i = 0; i < top.length; i++) for (let j = i + 1; j < top.length; j++) expect(overlap(top[i][1], top[j][1])).toBe(false);
        const children = [...boxes.entries()].filter(([, b]) => b.parent);
        for (const [, b] of children) {
          const p = boxes.get(b.parent!)!;
          expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= p.w && b.y + b.h <= p.h).toBe(true);
          expect(b.w).toBe(POD_W);
        }
        for (let i = 0; i < children.length; i++)
          for (let j = i + 1; j < children.length; j++) if (children[i][1].parent === children[j][1].parent) expect(overlap(children[i][1], children[j][1])).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('the queue draws its oldest QUEUE_SHOWN pods; the rest wait undrawn (the card counts them)', () => {
    const queued = Array.from({ length: QUEUE_SHOWN + 5 }, (_, i) => `default/q-${i}`);
    const boxes = layout({ nodeNames: ['node-1'], podsByNode: new Map([['', queued]]), podRows: () => 1, services: [], owners: [] });
    const drawn = queued.filter((k) => boxes.has(podId(k)));
    expect(drawn).toEqual(queued.slice(0, QUEUE_SHOWN));
    const few = layout({ nodeNames: ['node-1'], podsByNode: new Map([['', queued.slice(0, 3)]]), podRows: () => 1, services: [], owners: [] });
    expect(queued.slice(0, 3).every((k) => few.get(podId(k))?.parent === QUEUE_ID)).toBe(true);
  });

  it('with a placement memo, a relayout after one node changed gives the same boxes as from scratch and reuses the others', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 9 }), fc.nat(), fc.integer({ min: 0, max: 6 }), (perNode, which, grown) => {
        const nodeNames = perNode.map((_, i) => `node-${i + 1}`);
        const list = (i: number, n: number) => Array.from({ length: n }, (_, j) => `default/p-${i}-${j}`);
        const podRows = (k: string) => 1 + (k.length % 3);
        const before = new Map(perNode.map((n, i) => [nodeNames[i], list(i, n)]));
        const placements = new WeakMap<readonly string[], NodePlacement>();
        layout({ nodeNames, podsByNode: before, podRows, services: [], owners: [], placements });
        // One node's list is replaced (a new array), the others keep their identity.
        const changed = which % nodeNames.length;
        const after = new Map(before);
        after.set(nodeNames[changed], list(changed, grown));
        const memo = layout({ nodeNames, podsByNode: after, podRows, services: [], owners: [], placements });
        const scratch = layout({ nodeNames, podsByNode: after, podRows, services: [], owners: [] });
        expect([...memo]).toEqual([...scratch]);
        nodeNames.forEach((name, i) => {
          if (i !== changed) expect(placements.get(after.get(name)!)).toBeDefined();
        });
        expect(placements.get(after.get(nodeNames[changed])!)?.boxes.length ?? 0).toBe(grown);
      }),
      { numRuns: 100 },
    );
  });
});
