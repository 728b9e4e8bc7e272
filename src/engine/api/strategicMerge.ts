/**
 * `kubectl apply`'s three-way strategic merge (k8s.io/apimachinery/pkg/util/strategicpatch), reduced
 * to what the kinds we serve need: maps merge key by key; lists of objects that carry a
 * `patchMergeKey` in k8s.io/api (containers by `name`, volumeMounts by `mountPath`, ...) merge item by
 * item; other lists are replaced. A field is removed only when the last applied configuration had it
 * and the new one does not, so what the server added (the kube-api-access volume and its mounts, the
 * default tolerations) survives a re-apply, as it does on a real cluster.
 */

/** The patchMergeKey of each list field (by field name; `ports` is keyed per item shape). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  schedulingGates: 'name',
  resourceClaims: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  ownerReferences: 'uid',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    // ContainerPort merges on containerPort, ServicePort on port.
    return items.some((i) => isPlainObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

function mergeList(field: string, live: unknown[], last: unknown, desired: unknown[]): unknown[] {
  const key = mergeKeyFor(field, [...desired, ...live]);
  if (!key || !desired.every(isPlainObject) || !live.every(isPlainObject)) return desired;
  const id = (o: Record<string, unknown>) => JSON.stringify(o[key]);
  const desiredById = new Map(desired.map((d) => [id(d as Record<string, unknown>), d as Record<string, unknown>]));
  const lastById = new Map(
    (Array.isArray(last) ? last : []).filter(isPlainObject).map((l) => [id(l), l] as const),
  );
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const item of live as Record<string, unknown>[]) {
    const k = id(item);
    const want = desiredById.get(k);
    if (want) {
      out.push(threeWayMerge(item, lastById.get(k), want));
      seen.add(k);
    } else if (!lastById.has(k)) {
      out.push(item);
    }
  }
  for (const d of desired as Record<string, unknown>[]) if (!seen.has(id(d))) out.push(d);
  return out;
}

/**
 * Merge the new configuration `desired` onto the `live` object, given the `last` applied configuration.
 * Never mutates its inputs.
 * @example threeWayMerge(livePod, lastApplied, manifest) // keeps the server's volumes and tolerations
 */
export function threeWayMerge(live: unknown, last: unknown, desired: unknown): unknown {
  if (!isPlainObject(desired) || !isPlainObject(live)) return desired;
  const out: Record<string, unknown> = { ...live };
  const prev = isPlainObject(last) ? last : undefined;
  for (const [k, v] of Object.entries(desired)) {
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(live[k])) out[k] = threeWayMerge(live[k], prev?.[k], v);
    else if (Array.isArray(v) && Array.isArray(live[k])) out[k] = mergeList(k, live[k] as unknown[], prev?.[k], v);
    else out[k] = v;
  }
  if (prev) for (const k of Object.keys(prev)) if (!(k in desired)) delete out[k];
  return out;
}
