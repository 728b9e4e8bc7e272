import type { ChangeLog, NodeInfo } from './nodeInfo';

/** An empty node list (a table indexed by no list yet). */
export const NO_NODES: readonly NodeInfo[] = Object.freeze([]);

/**
 * Entries kept per position in one node list (the cache's nodeList() array, by identity), each
 * valid until its node changes: the cache's change log says which nodes did, and a rebuilt list
 * (another array) drops every entry. Subclasses hold the entries (typed arrays, as a rule).
 *
 * Why per list position rather than on or per node: the scheduler walks ~420 of 1,000 nodes per
 * pod; reading a few dense arrays stays in cache, where reading each scattered NodeInfo (to compare
 * a generation) did not. A node itself is only looked at again once its entry was forgotten.
 */
export abstract class NodeListTable {
  /** The node list the entries are indexed by. */
  list: readonly NodeInfo[] = NO_NODES;
  /** The change-log position (change number) the entries are current to. */
  cursor = 0;

  /** Forget every entry, with room for `n` of them. */
  protected abstract clear(n: number): void;

  /** Forget the entry at `index` (its node changed). */
  protected abstract forget(index: number): void;

  /** Index by `list` from now on, current to the end of `log`. */
  sync(list: readonly NodeInfo[], log: ChangeLog): void {
    if (this.list !== list) this.reset(list, log.base + log.entries.length);
    else this.catchUp(log);
  }

  /** Forget everything and index by `list` from now on. */
  reset(list: readonly NodeInfo[], cursor: number): void {
    this.list = list;
    this.cursor = cursor;
    this.clear(list.length);
  }

  /** Bring the entries up to `log`'s end: those of the nodes changed since `cursor` are forgotten. */
  catchUp(log: ChangeLog): void {
    const head = log.base + log.entries.length;
    if (this.cursor === head) return;
    const list = this.list;
    const n = list.length;
    const from = this.cursor - log.base;
    // Fell off the log's start, or more changes than nodes: forgetting everything is as right and cheaper.
    if (from < 0 || head - this.cursor > n) {
      this.reset(list, head);
      return;
    }
    const entries = log.entries;
    for (let i = from; i < entries.length; i++) {
      const node = entries[i];
      const x = node.listIndex;
      // A node no longer in this list (e.g. node-less, keeping its pods' accounting) has no entry here.
      if (x >= 0 && x < n && list[x] === node) this.forget(x);
    }
    this.cursor = head;
  }
}

/** Room for `n` entries and a little slack, so a cluster gaining nodes one by one does not reallocate every time. */
export function tableSize(n: number): number {
  return n + (n >> 3) + 8;
}
