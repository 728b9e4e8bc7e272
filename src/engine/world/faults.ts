/**
 * What is not Kubernetes: the machines under the nodes. A node can be powered off (its kubelet and
 * containers stop) or cut off from the control plane by a network partition (its kubelet and
 * containers keep running, but nothing it sends reaches the API server).
 */
export type PowerState = 'On' | 'Off';

export class NodeFaults {
  private readonly power = new Map<string, PowerState>();
  private readonly partitioned = new Set<string>();
  private readonly listeners = new Set<(node: string) => void>();

  powerOf(node: string): PowerState {
    return this.power.get(node) ?? 'On';
  }

  isPartitioned(node: string): boolean {
    return this.partitioned.has(node);
  }

  /** The kubelet on `node` can talk to the API server (powered on and not partitioned). */
  reachesControlPlane(node: string): boolean {
    return this.powerOf(node) === 'On' && !this.partitioned.has(node);
  }

  setPower(node: string, state: PowerState): void {
    this.power.set(node, state);
    this.notify(node);
  }

  setPartitioned(node: string, cut: boolean): void {
    if (cut) this.partitioned.add(node);
    else this.partitioned.delete(node);
    this.notify(node);
  }

  forget(node: string): void {
    this.power.delete(node);
    this.partitioned.delete(node);
  }

  /** Be told when a node's power or network changes (the node's kubelet listens). */
  onChange(listener: (node: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(node: string): void {
    for (const l of this.listeners) l(node);
  }
}
