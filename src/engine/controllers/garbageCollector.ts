import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';

/** Placeholder: to be implemented. */
export class GarbageCollector implements Reconciler {
  readonly name = 'garbage-collector';
  constructor(readonly ctx: ClusterContext) {}
  hasWork(): boolean {
    return false;
  }
  runOnce(): void {}
}
