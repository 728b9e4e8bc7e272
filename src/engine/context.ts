import { Clock } from './clock';
import { Rng } from './rng';
import { ApiStore } from './api/store';
import { ApiServer } from './api/server';
import { EventRecorder } from './api/events';
import { NodeFaults } from './world/faults';

/** What every part of the simulated cluster shares: time, randomness, the API, events and the world. */
export interface ClusterContext {
  readonly clock: Clock;
  readonly rng: Rng;
  /** Reads (get/list/watch) and low-level writes. */
  readonly store: ApiStore;
  /** Writes that go through defaulting, validation and admission, and deletions by the registry's rules. */
  readonly api: ApiServer;
  readonly recorder: EventRecorder;
  readonly faults: NodeFaults;
}

/**
 * A fresh {@link ClusterContext}: one virtual clock, the PRNG seeded with `seed`, an empty store, the
 * API server and the event recorder over it, and no node faults. The cluster and the controllers'
 * test sim build on it, each adding its namespaces and control loops.
 */
export class ClusterContextBase implements ClusterContext {
  readonly clock = new Clock();
  readonly rng: Rng;
  readonly store: ApiStore;
  readonly api: ApiServer;
  readonly recorder: EventRecorder;
  readonly faults = new NodeFaults();

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.store = new ApiStore(this.clock, this.rng);
    this.api = new ApiServer(this.store, this.clock, this.rng);
    this.recorder = new EventRecorder(this.clock, this.store);
  }
}
