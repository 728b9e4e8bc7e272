import type { ClusterContext } from '../context';
import type { Container, Pod, Volume } from '../api/types';
import { bytes, milliCpu, parseQuantity } from '../api/quantity';
import { MemoryFileSystem } from '../world/fs';
import type { FileSystem } from '../world/process';

/** A pod volume as the kubelet set it up: one file system per volume, shared by the containers mounting it. */
export interface PodVolume {
  name: string;
  /** emptyDir, configMap, secret, downwardAPI, hostPath, projected, or the unsupported source's key. */
  type: string;
  fs: FileSystem;
  /** configMap, secret, downwardAPI and projected volumes are always mounted read-only. */
  readOnly: boolean;
}

/** What the pod-level lookups need beyond the pod. */
export interface PodFacts {
  podIP: string;
  hostIP: string;
  nodeName: string;
  /** Node allocatable (for resourceFieldRef without a limit). */
  allocatable: Record<string, string>;
}

/** Decode base64 (Secret data) without atob: the engine's lib is plain ES2022. */
export function decodeBase64(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let acc = 0;
  const bytesOut: number[] = [];
  for (const ch of s.replace(/[^A-Za-z0-9+/]/g, '')) {
    acc = (acc << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytesOut.push((acc >> bits) & 0xff);
    }
  }
  // UTF-8 by hand (no TextDecoder in the engine's lib): percent-encode, then decodeURIComponent.
  const pct = bytesOut.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  try {
    return decodeURIComponent(pct);
  } catch {
    return String.fromCharCode(...bytesOut);
  }
}

function sortedKV(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}="${m![k]}"`)
    .join('\n');
}

/** A downward API field (`metadata.name`, `metadata.labels['app']`, `status.podIP`, …). */
export function fieldValue(pod: Pod, path: string, facts: PodFacts): string | undefined {
  const meta = pod.metadata ?? {};
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? meta.labels : meta.annotations)?.[sub[2]] ?? '';
  switch (path) {
    case 'metadata.name': return meta.name;
    case 'metadata.namespace': return meta.namespace;
    case 'metadata.uid': return meta.uid;
    case 'metadata.labels': return sortedKV(meta.labels);
    case 'metadata.annotations': return sortedKV(meta.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? facts.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP': case 'status.hostIPs': return facts.hostIP;
    case 'status.podIP': case 'status.podIPs': return facts.podIP;
    default: return undefined;
  }
}

/** A resourceFieldRef value: `limits.cpu` rounds up to whole divisors; no limit falls back to node allocatable. */
export function resourceValue(pod: Pod, containerName: string | undefined, resource: string, divisor: string | undefined, facts: PodFacts): string {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === containerName);
  const [kind, res] = resource.split('.') as ['limits' | 'requests', string];
  let q = kind === 'limits' ? c?.resources?.limits?.[res] : (c?.resources?.requests?.[res] ?? c?.resources?.limits?.[res]);
  if (q === undefined) q = kind === 'limits' ? facts.allocatable[res] : '0';
  const div = parseQuantity(divisor ?? '1') || 1;
  if (res === 'cpu') return String(Math.ceil(milliCpu(q) / 1000 / div - 1e-9));
  return String(Math.ceil(bytes(q) / div - 1e-9));
}

/** Result of building one volume: its files, or the FailedMount message the kubelet reports. */
type Built = { ok: true; files: Record<string, string> } | { ok: false; error: string };

function keyFiles(data: Record<string, string>, items: { key: string; path: string }[] | undefined, kind: string, ns: string, name: string): Built {
  if (!items) return { ok: true, files: { ...data } };
  const files: Record<string, string> = {};
  for (const it of items) {
    if (!(it.key in data)) return { ok: false, error: `configmap references non-existent config key: ${it.key}`.replace('configmap', kind === 'Secret' ? 'secret' : 'configmap') };
    files[it.path] = data[it.key];
  }
  void ns;
  void name;
  return { ok: true, files };
}

function configMapFiles(ctx: ClusterContext, ns: string, src: { name?: string; items?: { key: string; path: string }[]; optional?: boolean }): Built {
  const cm = ctx.store.get('ConfigMap', ns, src.name ?? '');
  if (!cm) {
    // Why: the kube-root-ca.crt ConfigMap is published by a controller we do not run; serve a fixed CA.
    if (src.name === 'kube-root-ca.crt') return { ok: true, files: { 'ca.crt': SIMULATED_CA } };
    return src.optional ? { ok: true, files: {} } : { ok: false, error: `configmap "${src.name}" not found` };
  }
  return keyFiles({ ...(cm.data ?? {}) }, src.items, 'ConfigMap', ns, src.name ?? '');
}

function secretFiles(ctx: ClusterContext, ns: string, name: string | undefined, items: { key: string; path: string }[] | undefined, optional: boolean | undefined): Built {
  const s = ctx.store.get('Secret', ns, name ?? '');
  if (!s) return optional ? { ok: true, files: {} } : { ok: false, error: `secret "${name}" not found` };
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) data[k] = decodeBase64(v);
  for (const [k, v] of Object.entries(s.stringData ?? {})) data[k] = v;
  return keyFiles(data, items, 'Secret', ns, name ?? '');
}

function downwardFiles(pod: Pod, items: { path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { containerName?: string; resource: string; divisor?: string } }[] | undefined, facts: PodFacts): Built {
  const files: Record<string, string> = {};
  for (const it of items ?? []) {
    if (it.fieldRef) files[it.path] = fieldValue(pod, it.fieldRef.fieldPath, facts) ?? '';
    else if (it.resourceFieldRef) files[it.path] = resourceValue(pod, it.resourceFieldRef.containerName, it.resourceFieldRef.resource, it.resourceFieldRef.divisor as string | undefined, facts);
  }
  return { ok: true, files };
}

/** A fixed, obviously fake CA certificate for kube-api-access volumes. */
export const SIMULATED_CA = '-----BEGIN CERTIFICATE-----\nU0lNVUxBVEVELUNBLUZPUi1QT0QtUExBWUdST1VORA==\n-----END CERTIFICATE-----\n';

/** A service account token: JWT-shaped, deterministic from the pod's identity, not a real credential. */
export function simulatedToken(pod: Pod): string {
  const enc = (s: string) => s.split('').map((c) => c.charCodeAt(0).toString(16)).join('');
  return `eyJhbGciOiJSUzI1NiJ9.${enc(`system:serviceaccount:${pod.metadata?.namespace}:${pod.spec?.serviceAccountName ?? 'default'}`)}.${enc(pod.metadata?.uid ?? '')}`;
}

function buildFiles(ctx: ClusterContext, pod: Pod, v: Volume, facts: PodFacts): Built {
  const ns = pod.metadata!.namespace!;
  if (v.configMap) return configMapFiles(ctx, ns, v.configMap as never);
  if (v.secret) return secretFiles(ctx, ns, v.secret.secretName, v.secret.items as never, v.secret.optional);
  if (v.downwardAPI) return downwardFiles(pod, v.downwardAPI.items as never, facts);
  if (v.projected) {
    const files: Record<string, string> = {};
    for (const s of v.projected.sources ?? []) {
      let b: Built = { ok: true, files: {} };
      if (s.configMap) b = configMapFiles(ctx, ns, s.configMap as never);
      else if (s.secret) b = secretFiles(ctx, ns, s.secret.name, s.secret.items as never, s.secret.optional);
      else if (s.downwardAPI) b = downwardFiles(pod, s.downwardAPI.items as never, facts);
      else if (s.serviceAccountToken) b = { ok: true, files: { [s.serviceAccountToken.path]: simulatedToken(pod) } };
      if (!b.ok) return b;
      Object.assign(files, b.files);
    }
    return { ok: true, files };
  }
  return { ok: true, files: {} };
}

function volumeType(v: Volume): string {
  for (const k of Object.keys(v)) if (k !== 'name') return k;
  return 'emptyDir';
}

/**
 * Set up (or refresh) a pod's volumes. emptyDir volumes are created once and kept in `existing`
 * (they survive container restarts and die with the pod); hostPath volumes come from the node's
 * own map (they live with the node); configMap/secret/downwardAPI/projected volumes are written
 * from the objects as they are now. Why no later refresh: the real kubelet re-projects changed
 * ConfigMaps within about a minute; we only project at pod start (a documented simplification).
 * Returns the FailedMount message of the first volume that cannot be set up.
 */
export function setupVolumes(
  ctx: ClusterContext,
  pod: Pod,
  facts: PodFacts,
  existing: Map<string, PodVolume>,
  hostPaths: Map<string, FileSystem>,
): string | undefined {
  for (const v of pod.spec?.volumes ?? []) {
    if (existing.has(v.name)) continue;
    const type = volumeType(v);
    if (v.hostPath) {
      let fs = hostPaths.get(v.hostPath.path);
      if (!fs) hostPaths.set(v.hostPath.path, (fs = new MemoryFileSystem()));
      existing.set(v.name, { name: v.name, type, fs, readOnly: false });
      continue;
    }
    if (v.emptyDir || type === 'emptyDir' || type === 'persistentVolumeClaim' || type === 'ephemeral') {
      // Why PVCs become emptyDirs: there is no storage layer; data lives as long as the pod does.
      existing.set(v.name, { name: v.name, type, fs: new MemoryFileSystem(), readOnly: false });
      continue;
    }
    const built = buildFiles(ctx, pod, v, facts);
    if (!built.ok) return `MountVolume.SetUp failed for volume "${v.name}" : ${built.error}`;
    const fs = new MemoryFileSystem();
    for (const [p, content] of Object.entries(built.files)) fs.write(`/${p}`, content);
    existing.set(v.name, { name: v.name, type, fs, readOnly: true });
  }
  return undefined;
}

/** Result of resolving a container's environment: the variables, or the CreateContainerConfigError message. */
export type EnvResult = { ok: true; env: Record<string, string> } | { ok: false; error: string };

/** `$(VAR)` expansion as the kubelet does it for env values, command and args; `$$(VAR)` escapes. */
export function expandVars(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && name in env ? env[name] : m;
  });
}

function serviceEnv(ctx: ClusterContext, ns: string): Record<string, string> {
  const env: Record<string, string> = {};
  const add = (name: string, ip: string, ports: { port: number; protocol?: string; name?: string }[]) => {
    const n = name.toUpperCase().replace(/-/g, '_');
    if (!ports.length || !ip || ip === 'None') return;
    const first = ports[0];
    env[`${n}_SERVICE_HOST`] = ip;
    env[`${n}_SERVICE_PORT`] = String(first.port);
    for (const p of ports) if (p.name) env[`${n}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
    env[`${n}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const pre = `${n}_PORT_${p.port}_${proto}`;
      env[pre] = `${proto.toLowerCase()}://${ip}:${p.port}`;
      env[`${pre}_PROTO`] = proto.toLowerCase();
      env[`${pre}_PORT`] = String(p.port);
      env[`${pre}_ADDR`] = ip;
    }
  };
  for (const s of ctx.store.list('Service', ns)) add(s.metadata!.name!, s.spec?.clusterIP ?? '', s.spec?.ports ?? []);
  // The kubelet always adds the master service's variables, in every namespace.
  add('kubernetes', '10.96.0.1', [{ port: 443, protocol: 'TCP', name: 'https' }]);
  return env;
}

/**
 * A container's environment (kubelet makeEnvironmentVariables): service links (if enabled), then
 * envFrom, then env with `$(VAR)` expansion and valueFrom (configMapKeyRef, secretKeyRef, fieldRef,
 * resourceFieldRef). HOSTNAME is the pod's hostname.
 */
export function resolveEnv(ctx: ClusterContext, pod: Pod, c: Container, facts: PodFacts): EnvResult {
  const ns = pod.metadata!.namespace!;
  const env: Record<string, string> = {};
  if (pod.spec?.enableServiceLinks !== false) Object.assign(env, serviceEnv(ctx, ns));
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = ctx.store.get('ConfigMap', ns, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        return { ok: false, error: `configmap "${from.configMapRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env[prefix + k] = v;
    } else if (from.secretRef) {
      const s = ctx.store.get('Secret', ns, from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        return { ok: false, error: `secret "${from.secretRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(s.data ?? {})) env[prefix + k] = decodeBase64(v);
      for (const [k, v] of Object.entries(s.stringData ?? {})) env[prefix + k] = v;
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env[e.name] = expandVars(e.value ?? '', env);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = ctx.store.get('ConfigMap', ns, ref.name ?? '');
      if (!cm) {
        if (ref.optional) continue;
        return { ok: false, error: `configmap "${ref.name}" not found` };
      }
      const v = cm.data?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        return { ok: false, error: `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` };
      }
      env[e.name] = v;
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = ctx.store.get('Secret', ns, ref.name ?? '');
      if (!s) {
        if (ref.optional) continue;
        return { ok: false, error: `secret "${ref.name}" not found` };
      }
      const raw = s.data?.[ref.key];
      const v = raw !== undefined ? decodeBase64(raw) : s.stringData?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        return { ok: false, error: `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` };
      }
      env[e.name] = v;
    } else if (vf.fieldRef) {
      env[e.name] = fieldValue(pod, vf.fieldRef.fieldPath, facts) ?? '';
    } else if (vf.resourceFieldRef) {
      const r = vf.resourceFieldRef;
      env[e.name] = resourceValue(pod, r.containerName ?? c.name, r.resource, r.divisor as string | undefined, facts);
    }
  }
  env.HOSTNAME = pod.spec?.hostname ?? pod.metadata!.name!;
  return { ok: true, env };
}

/** The ConfigMaps and Secrets a pod's volumes project (`ConfigMap/name`, `Secret/name`). */
export function projectedRefs(pod: Pod): string[] {
  const out = new Set<string>();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) out.add(`ConfigMap/${v.configMap.name}`);
    if (v.secret?.secretName) out.add(`Secret/${v.secret.secretName}`);
    for (const src of v.projected?.sources ?? []) {
      if (src.configMap?.name) out.add(`ConfigMap/${src.configMap.name}`);
      if (src.secret?.name) out.add(`Secret/${src.secret.name}`);
    }
  }
  return [...out];
}

/**
 * Re-project configMap/secret/projected volumes from the objects as they are now, as the kubelet's
 * periodic sync does (env variables, by contrast, never change in a running container). Files whose
 * key disappeared are removed. A volume whose object is gone keeps its last content, as in Kubernetes.
 */
export function refreshVolumes(ctx: ClusterContext, pod: Pod, facts: PodFacts, existing: Map<string, PodVolume>): void {
  for (const v of pod.spec?.volumes ?? []) {
    if (!v.configMap && !v.secret && !v.projected) continue;
    const vol = existing.get(v.name);
    if (!vol) continue;
    const built = buildFiles(ctx, pod, v, facts);
    if (!built.ok) continue;
    const stale = (dir: string): string[] =>
      vol.fs.list(dir).flatMap((name) => {
        const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
        return vol.fs.isDir(path) ? stale(path) : [path];
      });
    for (const path of stale('/')) if (!(path.slice(1) in built.files)) vol.fs.remove(path);
    for (const [path, content] of Object.entries(built.files)) if (vol.fs.read(`/${path}`) !== content) vol.fs.write(`/${path}`, content);
  }
}
