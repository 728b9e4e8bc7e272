import type { Kind, KindMap } from './types';

/** Mutating admission plugins that the simulation runs on create (e.g. DefaultTolerationSeconds). */
export function admit<K extends Kind>(_kind: K, obj: KindMap[K]): KindMap[K] {
  return obj;
}
