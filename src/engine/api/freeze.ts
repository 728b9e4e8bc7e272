/**
 * Freeze a value and everything inside it. Stored API objects are immutable values, so parts of
 * them can be shared (admission's defaults, a ReplicaSet's template); freezing makes any in-place
 * write throw instead of silently changing every object that shares the part.
 */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
