import type { Clock } from './clock';
import type { Rng } from './rng';
import type { ApiStore } from './api/store';
import type { ApiServer } from './api/server';
import type { EventRecorder } from './api/events';
import type { NodeFaults } from './world/faults';

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
