import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';

/** Placeholder: to be implemented. */
export class TaintEvictionController implements Reconciler {
  readonly name = 'taint-eviction-controller';
  constructor(readonly ctx: ClusterContext) {}
  hasWork(): boolean {
    return false;
  }
  runOnce(): void {}
}
