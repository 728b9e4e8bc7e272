import type { ChangeLog, NodeInfo } from './nodeInfo';
import { NO_NODES, NodeListTable, tableSize } from './nodeListTable';
import type { Status } from './status';

/** A node's filter verdict in a {@link ShapeView}: not known (compute it), feasible, or rejected. */
export const VERDICT_UNKNOWN = 0;
export const VERDICT_FEASIBLE = 1;
export const VERDICT_INFEASIBLE = 2;

/** How many pod shapes keep a view (the least recently used one is dropped beyond that). */
export const DEFAULT_VIEW_CAPACITY = 16;

/**
 * What the framework knows about one pod shape (see podShapeKey) on every node of one node list:
 * per list index a filter verdict, the rejection of a rejected node, and the raw scores of the
 * node-local score plugins. Two pods of one shape get the same verdict and raw scores on an
 * unchanged node (Plugin.nodeLocal), so an entry holds until its node changes.
 */
export class ShapeView extends NodeListTable {
  /** Per list index: VERDICT_UNKNOWN, VERDICT_FEASIBLE or VERDICT_INFEASIBLE. */
  verdict = new Uint8Array(0);
  /** Per list index: the rejection, where the verdict is VERDICT_INFEASIBLE (stale elsewhere). */
  status: (Status | null)[] = [];
  /** Per list index: 1 when `scores` holds the node's raw node-local scores. */
  scored = new Uint8Array(0);
  /** Raw scores: row = list index (`stride` columns), column = the plugin's index in the framework's scorePlugins. */
  scores = new Int32Array(0);
  /**
   * The node-local score plugins the stored scores cover (bit = index in scorePlugins), -1 before
   * any. A cycle scoring another set forgets them (pods of one shape skip the same plugins, so
   * this is a safeguard rather than a case that happens).
   */
  scoreMask = -1;

  constructor(
    /** The pod shape (an id from the scheduler); a recycled view takes another one. */
    public shape: number,
    /** Columns per row of `scores` (the framework's number of score plugins). */
    readonly stride: number,
  ) {
    super();
  }

  protected clear(n: number): void {
    if (this.verdict.length < n) {
      const size = tableSize(n);
      this.verdict = new Uint8Array(size);
      this.scored = new Uint8Array(size);
      this.scores = new Int32Array(size * this.stride);
      this.status = new Array<Status | null>(size).fill(null);
    } else {
      this.verdict.fill(VERDICT_UNKNOWN, 0, n);
      this.scored.fill(0, 0, n);
    }
  }

  protected forget(index: number): void {
    this.verdict[index] = VERDICT_UNKNOWN;
    this.scored[index] = 0;
  }
}

/**
 * A few {@link ShapeView}s, the least recently used dropped beyond `capacity` (memory stays at
 * capacity × nodes × (a few bytes + a row of scores), whatever the number of shapes seen).
 */
export class ShapeViews {
  private readonly views = new Map<number, ShapeView>();
  private last: ShapeView | undefined;

  constructor(
    /** Columns per row of scores (the framework's number of score plugins). */
    private readonly stride: number,
    /** Most views kept (tests make it small to have views evicted and recycled). */
    public capacity = DEFAULT_VIEW_CAPACITY,
  ) {}

  /** Views currently kept. */
  get size(): number {
    return this.views.size;
  }

  /** The view of `shape` over `list`, current to the end of `log` (made, or reset, as needed). */
  get(shape: number, list: readonly NodeInfo[], log: ChangeLog): ShapeView {
    let view = this.last;
    if (view === undefined || view.shape !== shape) {
      view = this.views.get(shape);
      if (view) {
        // Most recently used last (a Map iterates in insertion order).
        this.views.delete(shape);
      } else {
        const capacity = Math.max(1, this.capacity);
        if (this.views.size >= capacity) {
          // The least recently used views are dropped; the last one's arrays serve the new shape (reset below).
          do {
            const oldest = this.views.keys().next().value as number;
            view = this.views.get(oldest)!;
            this.views.delete(oldest);
          } while (this.views.size >= capacity);
          view.shape = shape;
          view.list = NO_NODES;
        } else {
          view = new ShapeView(shape, this.stride);
        }
      }
      this.views.set(shape, view);
      this.last = view;
    }
    view.sync(list, log);
    return view;
  }

  /** Drop every view. */
  clear(): void {
    this.views.clear();
    this.last = undefined;
  }
}
