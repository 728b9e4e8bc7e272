import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';

/** Placeholder: to be implemented. */
export class Scheduler implements Reconciler {
  readonly name = 'scheduler';
  constructor(readonly ctx: ClusterContext) {}
  hasWork(): boolean {
    return false;
  }
  runOnce(): void {}
}
