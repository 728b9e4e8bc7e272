import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';

/** Placeholder: to be implemented. */
export class Kubelet implements Reconciler {
  readonly name: string;
  constructor(
    readonly ctx: ClusterContext,
    readonly nodeName: string,
  ) {
    this.name = `kubelet/${nodeName}`;
  }
  start(): void {}
  hasWork(): boolean {
    return false;
  }
  runOnce(): void {}
}
