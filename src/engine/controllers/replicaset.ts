import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';

/** Placeholder: to be implemented. */
export class ReplicaSetController implements Reconciler {
  readonly name = 'replicaset-controller';
  constructor(readonly ctx: ClusterContext) {}
  hasWork(): boolean {
    return false;
  }
  runOnce(): void {}
}
