import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';

/** Placeholder: to be implemented. */
export class NodeLifecycleController implements Reconciler {
  readonly name = 'node-lifecycle-controller';
  constructor(readonly ctx: ClusterContext) {}
  hasWork(): boolean {
    return false;
  }
  runOnce(): void {}
}
