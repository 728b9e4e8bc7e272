/**
 * A binary min-heap ordered by `before(a, b)`. The clock's event queue and the scheduler's active
 * queue both use it, so the sift logic lives in one place.
 *
 * @example
 * const h = new BinaryHeap<number>((a, b) => a < b);
 * h.push(3); h.push(1); h.pop(); // 1
 */
export class BinaryHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i], h[parent])) break;
      const t = h[i];
      h[i] = h[parent];
      h[parent] = t;
      i = parent;
    }
  }

  pop(): T | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Remove one item (by identity). O(n): for rare removals, not the hot path. */
  remove(item: T): boolean {
    const i = this.items.indexOf(item);
    if (i < 0) return false;
    this.items.splice(i, 1);
    this.reorder();
    return true;
  }

  /** Restore the heap order after items' keys changed in place. */
  reorder(): void {
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** The items in heap (not sorted) order. */
  values(): readonly T[] {
    return this.items;
  }

  private siftDown(start: number): void {
    const h = this.items;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l], h[m])) m = l;
      if (r < h.length && this.before(h[r], h[m])) m = r;
      if (m === i) return;
      const t = h[i];
      h[i] = h[m];
      h[m] = t;
      i = m;
    }
  }
}
