/**
 * Commands that change the cluster: apply, create, run, delete, scale, label, annotate, taint,
 * cordon, uncordon, drain. Every write goes through the simulated API server (defaulting,
 * validation, admission), exactly as kubectl's requests would.
 */
import { semanticEqual } from '../api/equality';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../api/errors';
import { evictPod as apiEvictPod } from '../api/eviction';
import { parseSelector } from '../api/labels';
import { parseManifests, type ParsedManifests } from '../api/manifest';
import type { PropagationPolicy } from '../api/server';
import { isKind, KINDS, type Deployment, type Kind, type KindMap, type KObject, type Namespace, type Node, type Pod, type Taint } from '../api/types';
import { Clock, parseDuration } from '../clock';
import { goDuration } from '../kubelet/backoff';
import { flagBool, flagString, flagStrings, type FlagSpecs, type ParsedArgs } from './args';
import { allNamespaces, CommandError, type Invocation, listKind, mustGet, namespaceOf, notFound, resolveTargets } from './common';
import { buildPodDisruptionBudget } from './generate';
import { kindGroup, objectName, pluralGroup, sortKeys, toJson, toYaml } from './output';

/** The annotation `kubectl apply` keeps the last applied configuration in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const APPLY_FLAGS: FlagSpecs = {
  filename: { type: 'strings', short: 'f' },
  'dry-run': { type: 'string' },
  output: { type: 'string', short: 'o' },
  'server-side': { type: 'bool' },
  validate: { type: 'string' },
  'field-manager': { type: 'string' },
  'save-config': { type: 'bool' },
};

interface LoadedObject {
  object: KObject;
  source: string;
  /** The server's refusal to decode it (unknown field, wrong type), printed when kubectl reaches it. */
  decodeError?: string;
}

/** Read `-f` sources (a path, or `-` for stdin) and parse their documents; parse errors are printed. */
function loadManifests(inv: Invocation, files: string[]): LoadedObject[] {
  const docs: LoadedObject[] = [];
  for (const file of files) {
    const text = file === '-' ? inv.stdin : inv.readFile(file);
    if (text === undefined) {
      inv.out.fail(file === '-' ? 'error: no objects passed to apply' : `error: the path "${file}" does not exist`);
      continue;
    }
    const parsed: ParsedManifests = (parseManifests as (t: string, f?: string) => ParsedManifests)(text, file === '-' ? 'STDIN' : file);
    for (const e of parsed.errors) inv.out.fail(e.message.startsWith('error') || e.message.startsWith('Error') ? e.message : `error: ${e.message}`);
    for (const d of parsed.documents) docs.push({ object: d.object, source: file === '-' ? 'STDIN' : file, decodeError: d.decodeError });
  }
  return docs;
}

/** Work out the kind and namespace of a manifest object the way kubectl's resource builder does. */
function identify(inv: Invocation, p: ParsedArgs, d: LoadedObject): { kind: Kind; namespace: string | undefined; object: KObject } {
  const obj = d.object as KObject & { kind?: string; apiVersion?: string };
  const name = obj.metadata?.name ?? '';
  const kind = obj.kind;
  if (!kind || !isKind(kind) || (obj.apiVersion && obj.apiVersion !== KINDS[kind].apiVersion)) {
    throw new CommandError(`error: resource mapping not found for name: "${name}" namespace: "${obj.metadata?.namespace ?? ''}" from "${d.source}": no matches for kind "${kind ?? ''}" in version "${obj.apiVersion ?? ''}"\nensure CRDs are installed first`);
  }
  if (!KINDS[kind].namespaced) return { kind, namespace: undefined, object: obj };
  const flagNs = flagString(p, 'namespace');
  const docNs = obj.metadata?.namespace;
  if (flagNs && docNs && flagNs !== docNs) {
    throw new CommandError(`error: the namespace from the provided object "${docNs}" does not match the namespace "${flagNs}". You must pass '--namespace=${docNs}' to perform this operation.`);
  }
  const namespace = docNs ?? flagNs ?? 'default';
  return { kind, namespace, object: { ...obj, metadata: { ...obj.metadata, namespace } } as KObject };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Merge keys of the lists kubectl's strategic merge patch merges item by item (patchMergeKey in the
 * API types); other lists are replaced whole.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', env: 'name',
  volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', hostAliases: 'ip',
  readinessGates: 'conditionType', resourceClaims: 'name', topologySpreadConstraints: 'topologyKey',
};

function mergeList(key: string, live: unknown[], last: unknown[] | undefined, desired: unknown[]): unknown[] {
  const id = (x: unknown) => (isPlainObject(x) ? JSON.stringify(x[key]) : undefined);
  const liveBy = new Map(live.map((x) => [id(x), x]));
  const lastBy = new Map((last ?? []).map((x) => [id(x), x]));
  const desiredIds = new Set(desired.map(id));
  const out = desired.map((d) => (liveBy.has(id(d)) ? threeWayMerge(liveBy.get(id(d)), lastBy.get(id(d)), d) : d));
  // Items someone else added (admission, controllers) stay; items the last apply set and this one dropped go.
  for (const l of live) if (!desiredIds.has(id(l)) && !lastBy.has(id(l))) out.push(l);
  return out;
}

/**
 * A three-way merge as `kubectl apply` computes it: set what the new configuration says, delete what
 * the last applied configuration had and the new one dropped, keep what others (controllers,
 * defaulting, admission) wrote. Lists with a merge key (containers by name, volumeMounts by
 * mountPath, …) merge item by item as a strategic merge patch does; other lists are replaced.
 * Why simplified: no `$patch` directives or retainKeys strategies.
 */
export function threeWayMerge(live: unknown, last: unknown, desired: unknown, field = ''): unknown {
  if (Array.isArray(desired) && Array.isArray(live) && MERGE_KEYS[field] && desired.every(isPlainObject)) {
    return mergeList(MERGE_KEYS[field], live, Array.isArray(last) ? last : undefined, desired);
  }
  if (!isPlainObject(desired) || !isPlainObject(live)) return desired;
  const out: Record<string, unknown> = { ...live };
  for (const [k, v] of Object.entries(desired)) {
    // A null in a patch deletes the field (JSON merge patch semantics).
    if (v === null) delete out[k];
    else out[k] = threeWayMerge(live[k], isPlainObject(last) ? last[k] : undefined, v, k);
  }
  if (isPlainObject(last)) for (const k of Object.keys(last)) if (!(k in desired)) delete out[k];
  return out;
}

function lastAppliedOf(obj: KObject): string {
  const ann = { ...(obj.metadata?.annotations ?? {}) };
  delete ann[LAST_APPLIED];
  const metadata = { ...obj.metadata, annotations: Object.keys(ann).length ? ann : undefined };
  return JSON.stringify(sortKeys({ ...obj, metadata })) + '\n';
}

function withAnnotation<T extends KObject>(obj: T, key: string, value: string): T {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [key]: value } } };
}

const dryRunSuffix = (p: ParsedArgs): string => {
  const d = flagString(p, 'dry-run');
  if (d === undefined || d === 'none') return '';
  if (d === 'client' || d === 'server') return ` (${d} dry run)`;
  throw new CommandError(`error: Invalid dry-run value (${d}). Must be "none", "server", or "client".`);
};

/**
 * What a generator command (`run`, `create deployment|namespace|configmap`) prints: `pod/web created`,
 * or with `-o yaml|json|name` the object itself (`--dry-run=client -o yaml` is the classic way to write
 * a manifest). A client dry run prints the object as kubectl built it, before any server defaulting.
 */
function printGenerated(inv: Invocation, p: ParsedArgs, kind: Kind, built: KObject): void {
  const dry = dryRunSuffix(p);
  const output = flagString(p, 'output');
  if (output !== undefined && !['yaml', 'json', 'name'].includes(output)) {
    throw new CommandError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  }
  const clientDry = flagString(p, 'dry-run') === 'client';
  let obj = built;
  if (!clientDry) obj = inv.cluster.api.create(kind, built as KindMap[typeof kind], { dryRun: !!dry });
  else if (flagString(p, 'namespace') === undefined && obj.metadata?.namespace) {
    const { namespace: _ns, ...metadata } = obj.metadata;
    obj = { ...obj, metadata } as KObject;
  }
  if (output === 'yaml') inv.out.out(toYaml(obj));
  else if (output === 'json') inv.out.out(toJson(obj));
  else if (output === 'name') inv.out.out(objectName(obj));
  else inv.out.out(`${objectName(obj)} created${dry}`);
}

/** `kubectl apply -f FILE|-`: `pod/web created`, `configured` or `unchanged` per document. */
export function runApply(inv: Invocation, p: ParsedArgs): void {
  const files = flagStrings(p, 'filename');
  if (!files.length) throw new CommandError(`error: must specify one of -f and -k`);
  const dry = dryRunSuffix(p);
  const { cluster, out } = inv;
  for (const d of loadManifests(inv, files)) {
    try {
      if (d.decodeError) throw new CommandError(d.decodeError);
      const { kind, namespace, object } = identify(inv, p, d);
      const name = object.metadata?.name;
      const config = lastAppliedOf(object);
      const desired = withAnnotation(object, LAST_APPLIED, config);
      const live = name ? cluster.store.get(kind, namespace, name) : undefined;
      if (!live) {
        const created = cluster.api.create(kind, desired as KindMap[typeof kind], { dryRun: !!dry });
        out.out(`${objectName(created)} created${dry}`);
        continue;
      }
      const previous = live.metadata?.annotations?.[LAST_APPLIED];
      const last = previous ? (JSON.parse(previous) as unknown) : undefined;
      const { status: _s, ...desiredNoStatus } = desired as KObject & { status?: unknown };
      const merged = threeWayMerge(live, last, desiredNoStatus) as KObject;
      if (semanticEqual(merged, live)) {
        out.out(`${objectName(live)} unchanged${dry}`);
        continue;
      }
      cluster.api.update(kind, merged as KindMap[typeof kind], { dryRun: !!dry });
      out.out(`${objectName(live)} configured${dry}`);
    } catch (e) {
      out.fail(e);
    }
  }
}

export const CREATE_FLAGS: FlagSpecs = {
  filename: { type: 'strings', short: 'f' },
  image: { type: 'strings' },
  replicas: { type: 'int', short: 'r' },
  port: { type: 'int' },
  'dry-run': { type: 'string' },
  output: { type: 'string', short: 'o' },
  'save-config': { type: 'bool' },
  'from-literal': { type: 'strings' },
  selector: { type: 'string' },
  'min-available': { type: 'string' },
  'max-unavailable': { type: 'string' },
};

/** The container name `kubectl create deployment` derives from an image: `registry/x/nginx:1.27` → `nginx`. */
export function containerNameFromImage(image: string): string {
  let s = image.split('@')[0];
  s = s.slice(s.lastIndexOf('/') + 1);
  s = s.split(':')[0];
  return s.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** `kubectl create -f FILE`, `create deployment NAME --image=…`, `create namespace NAME`, `create configmap NAME --from-literal=k=v`. */
export function runCreate(inv: Invocation, p: ParsedArgs): void {
  const { cluster, out } = inv;
  const dry = dryRunSuffix(p);
  const files = flagStrings(p, 'filename');
  if (files.length) {
    for (const d of loadManifests(inv, files)) {
      try {
        if (d.decodeError) throw new CommandError(d.decodeError);
        const { kind, object } = identify(inv, p, d);
        const created = cluster.api.create(kind, (flagBool(p, 'save-config') ? withAnnotation(object, LAST_APPLIED, lastAppliedOf(object)) : object) as KindMap[typeof kind], { dryRun: !!dry });
        out.out(`${objectName(created)} created${dry}`);
      } catch (e) {
        out.fail(e);
      }
    }
    return;
  }
  const [sub, name, ...extra] = p.positional;
  if (!sub) throw new CommandError(`error: must specify one of -f and -k`);
  const ns = namespaceOf(p);
  if (sub === 'deployment' || sub === 'deploy') {
    if (!name) throw new CommandError(`error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples`);
    const images = flagStrings(p, 'image');
    if (!images.length) throw new CommandError(`error: required flag(s) "image" not set`);
    const replicas = Number(flagString(p, 'replicas') ?? '1');
    const port = flagString(p, 'port');
    const labels = { app: name };
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        strategy: {},
        template: {
          metadata: { labels },
          spec: {
            containers: images.map((image) => ({
              name: containerNameFromImage(image),
              image,
              resources: {},
              ...(port ? { ports: [{ containerPort: Number(port) }] } : {}),
            })),
          },
        },
      },
      status: {},
    };
    printGenerated(inv, p, 'Deployment', deployment);
    return;
  }
  if (sub === 'namespace' || sub === 'ns') {
    if (!name) throw new CommandError(`error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples`);
    const namespace: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {}, status: {} };
    printGenerated(inv, p, 'Namespace', namespace);
    // The namespace controller's part, done at once: a new namespace is Active and labelled with its name.
    const created = dry ? undefined : cluster.store.get('Namespace', undefined, name);
    if (created && !created.status?.phase) cluster.api.updateStatus('Namespace', { ...created, metadata: { ...created.metadata, labels: { 'kubernetes.io/metadata.name': name, ...created.metadata?.labels } }, status: { phase: 'Active' } });
    return;
  }
  if (sub === 'configmap' || sub === 'cm') {
    if (!name) throw new CommandError(`error: exactly one NAME is required, got 0\nSee 'kubectl create configmap -h' for help and examples`);
    const data: Record<string, string> = {};
    for (const lit of flagStrings(p, 'from-literal')) {
      const eq = lit.indexOf('=');
      if (eq <= 0) throw new CommandError(`error: invalid literal source ${lit}, expected key=value`);
      data[lit.slice(0, eq)] = lit.slice(eq + 1);
    }
    printGenerated(inv, p, 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
    return;
  }
  if (sub === 'poddisruptionbudget' || sub === 'pdb') {
    printGenerated(inv, p, 'PodDisruptionBudget', buildPodDisruptionBudget(p, name, ns));
    return;
  }
  void extra;
  throw new CommandError(`error: unknown command "${sub}" for "kubectl create"\n\nDid you mean this?\n\tdeployment\n\tnamespace\n\tconfigmap`);
}

export const RUN_FLAGS: FlagSpecs = {
  image: { type: 'string' },
  restart: { type: 'string' },
  port: { type: 'string' },
  labels: { type: 'string', short: 'l' },
  env: { type: 'strings' },
  command: { type: 'bool' },
  'dry-run': { type: 'string' },
  output: { type: 'string', short: 'o' },
  stdin: { type: 'bool', short: 'i' },
  tty: { type: 'bool', short: 't' },
  rm: { type: 'bool' },
};

/** `kubectl run NAME --image=IMG [--restart] [--port] [--labels] [--env] [-- ARGS]`: a bare Pod labelled run=NAME. */
export function runRun(inv: Invocation, p: ParsedArgs): void {
  const name = p.positional[0];
  if (!name) throw new CommandError(`error: NAME is required for run\nSee 'kubectl run -h' for help and examples`);
  const image = flagString(p, 'image');
  if (!image) throw new CommandError(`error: required flag(s) "image" not set`);
  const restart = flagString(p, 'restart') ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CommandError(`error: invalid restart policy: ${restart}`);
  const labels: Record<string, string> = {};
  const labelText = flagString(p, 'labels');
  if (labelText) {
    for (const kv of labelText.split(',')) {
      const [k, v] = kv.split('=');
      labels[k] = v ?? '';
    }
  } else labels.run = name;
  const env = flagStrings(p, 'env').map((kv) => ({ name: kv.slice(0, kv.indexOf('=') < 0 ? kv.length : kv.indexOf('=')), value: kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : '' }));
  const extra = [...p.positional.slice(1), ...(p.rest ?? [])];
  const port = flagString(p, 'port');
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: namespaceOf(p), labels },
    spec: {
      containers: [{
        name,
        image,
        resources: {},
        ...(extra.length ? (flagBool(p, 'command') ? { command: extra } : { args: extra }) : {}),
        ...(port ? { ports: [{ containerPort: Number(port) }] } : {}),
        ...(env.length ? { env } : {}),
      }],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: restart as 'Always',
    },
    status: {},
  };
  printGenerated(inv, p, 'Pod', pod);
}

export const DELETE_FLAGS: FlagSpecs = {
  filename: { type: 'strings', short: 'f' },
  selector: { type: 'string', short: 'l' },
  all: { type: 'bool' },
  'all-namespaces': { type: 'bool', short: 'A' },
  'grace-period': { type: 'int' },
  force: { type: 'bool' },
  now: { type: 'bool' },
  cascade: { type: 'string' },
  wait: { type: 'bool' },
  'ignore-not-found': { type: 'bool' },
  'dry-run': { type: 'string' },
  output: { type: 'string', short: 'o' },
};

/** The warning kubectl prints before a forced, immediate deletion. */
export const FORCE_DELETE_WARNING = 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.';

function cascadeOf(p: ParsedArgs): PropagationPolicy {
  const c = p.flags.get('cascade');
  if (c === undefined || c === 'background' || c === 'true' || c === true) return 'Background';
  if (c === 'foreground') return 'Foreground';
  if (c === 'orphan' || c === 'false') return 'Orphan';
  throw new CommandError(`error: invalid cascade value (${String(c)}). Must be "background", "foreground", or "orphan".`);
}

/**
 * `kubectl delete`. Why we differ: real kubectl waits (`--wait=true`) until the object is gone; virtual
 * time does not move inside one command, so a pod with a grace period is left `Terminating` and the
 * clock (time controls / `sim advance`) finishes it.
 */
export function runDelete(inv: Invocation, p: ParsedArgs): void {
  const { cluster, out } = inv;
  const force = flagBool(p, 'force');
  let grace = flagString(p, 'grace-period') !== undefined ? Number(flagString(p, 'grace-period')) : -1;
  if (flagBool(p, 'now')) {
    if (grace !== -1) throw new CommandError('error: --now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  const propagationPolicy = cascadeOf(p);
  const all = flagBool(p, 'all');
  const selText = flagString(p, 'selector');
  const sel = selText !== undefined ? parseSelector(selText) : undefined;
  const ns = allNamespaces(p) ? undefined : namespaceOf(p);
  const dry = dryRunSuffix(p);
  const files = flagStrings(p, 'filename');
  const targets: { kind: Kind; namespace: string | undefined; name: string }[] = [];
  if (files.length) {
    if (p.positional.length) throw new CommandError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
    for (const d of loadManifests(inv, files)) {
      try {
        const { kind, namespace, object } = identify(inv, p, d);
        targets.push({ kind, namespace, name: object.metadata!.name! });
      } catch (e) {
        out.fail(e);
      }
    }
  } else {
    if (!p.positional.length) {
      throw new CommandError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
    }
    const { groups } = resolveTargets(p.positional);
    for (const g of groups) {
      if (g.names) {
        if (all || sel) throw new CommandError(`error: name cannot be provided when a selector is specified`);
        for (const name of g.names) targets.push({ kind: g.kind, namespace: KINDS[g.kind].namespaced ? (ns ?? 'default') : undefined, name });
      } else {
        if (!all && !sel) throw new CommandError(`error: resource(s) were provided, but no name was specified`);
        let objs = listKind(cluster, g.kind, ns);
        if (sel) objs = objs.filter((o) => sel.matches(o.metadata?.labels));
        for (const o of objs) targets.push({ kind: g.kind, namespace: o.metadata!.namespace, name: o.metadata!.name! });
      }
    }
    if (!targets.length && (all || sel)) {
      out.out('No resources found');
      return;
    }
  }
  if (grace === 0 && force) out.err(FORCE_DELETE_WARNING);
  for (const t of targets) {
    try {
      if (!cluster.store.get(t.kind, t.namespace, t.name)) {
        if (flagBool(p, 'ignore-not-found')) continue;
        throw notFound(t.kind, t.name);
      }
      if (!dry) {
        cluster.api.delete(t.kind, t.namespace, t.name, {
          ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
          force,
          propagationPolicy,
        });
      }
      out.out(`${kindGroup(t.kind)} "${t.name}" ${grace === 0 && force ? 'force deleted' : 'deleted'}${dry}`);
    } catch (e) {
      out.fail(e);
    }
  }
}

export const SCALE_FLAGS: FlagSpecs = {
  replicas: { type: 'int' },
  'current-replicas': { type: 'int' },
  selector: { type: 'string', short: 'l' },
  all: { type: 'bool' },
  filename: { type: 'strings', short: 'f' },
  'dry-run': { type: 'string' },
  timeout: { type: 'string' },
};

/** `kubectl scale deployment/web --replicas=3` → `deployment.apps/web scaled`. */
export function runScale(inv: Invocation, p: ParsedArgs): void {
  const r = flagString(p, 'replicas');
  if (r === undefined) throw new CommandError(`error: required flag(s) "replicas" not set`);
  const replicas = Number(r);
  if (replicas < 0) throw new CommandError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (!p.positional.length) {
    throw new CommandError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  }
  const { groups } = resolveTargets(p.positional);
  const ns = namespaceOf(p);
  const current = flagString(p, 'current-replicas');
  for (const g of groups) {
    const objs = g.names ? g.names.map((n) => ({ name: n })) : flagBool(p, 'all') ? listKind(inv.cluster, g.kind, ns).map((o) => ({ name: o.metadata!.name! })) : [];
    if (!g.names && !flagBool(p, 'all')) throw new CommandError(`error: resource(s) were provided, but no name was specified`);
    for (const { name } of objs) {
      try {
        if (g.kind !== 'Deployment' && g.kind !== 'ReplicaSet') {
          throw new ApiError('NotFound', 'the server could not find the requested resource');
        }
        const obj = mustGet(inv.cluster, g.kind, ns, name) as KindMap['Deployment'] | KindMap['ReplicaSet'];
        if (current !== undefined && (obj.spec?.replicas ?? 1) !== Number(current)) {
          throw new CommandError(`error: Expected replicas to be ${current}, was ${obj.spec?.replicas ?? 1}`);
        }
        inv.cluster.api.update(g.kind, { ...obj, spec: { ...obj.spec!, replicas } } as KindMap[typeof g.kind]);
        inv.out.out(`${kindGroup(g.kind)}/${name} scaled`);
      } catch (e) {
        inv.out.fail(e);
      }
    }
  }
}

export const LABEL_FLAGS: FlagSpecs = {
  overwrite: { type: 'bool' },
  selector: { type: 'string', short: 'l' },
  all: { type: 'bool' },
  'all-namespaces': { type: 'bool', short: 'A' },
  list: { type: 'bool' },
  'dry-run': { type: 'string' },
  'resource-version': { type: 'string' },
};

/** Split `kubectl label` words into resource arguments and `key=value` / `key-` changes. */
function splitChanges(words: string[]): { resources: string[]; set: Map<string, string>; remove: string[] } {
  const resources: string[] = [];
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const w of words) {
    if (w.includes('=')) set.set(w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1));
    else if (w.endsWith('-') && resources.length) remove.push(w.slice(0, -1));
    else resources.push(w);
  }
  return { resources, set, remove };
}

/** `kubectl label` and `kubectl annotate`: `pod/web labeled`, `not labeled`, `unlabeled`. */
export function runLabelOrAnnotate(inv: Invocation, p: ParsedArgs, which: 'labels' | 'annotations'): void {
  const verb = which === 'labels' ? 'label' : 'annotate';
  const done = which === 'labels' ? 'labeled' : 'annotated';
  const { resources, set, remove } = splitChanges(p.positional);
  if (!resources.length) {
    throw new CommandError(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl ${verb} -h' for help and examples`);
  }
  if (!set.size && !remove.length && !flagBool(p, 'list')) throw new CommandError(`error: at least one ${which === 'labels' ? 'label' : 'annotation'} update is required`);
  for (const k of remove) if (set.has(k)) throw new CommandError(`error: can not both modify and remove ${which === 'labels' ? 'a label' : 'an annotation'} in the same command`);
  const { groups } = resolveTargets(resources);
  const ns = allNamespaces(p) ? undefined : namespaceOf(p);
  const selText = flagString(p, 'selector');
  const sel = selText !== undefined ? parseSelector(selText) : undefined;
  const overwrite = flagBool(p, 'overwrite');
  for (const g of groups) {
    let objs: KObject[];
    try {
      objs = g.names
        ? g.names.map((n) => mustGet(inv.cluster, g.kind, ns ?? 'default', n))
        : flagBool(p, 'all') || sel
          ? listKind(inv.cluster, g.kind, ns).filter((o) => !sel || sel.matches(o.metadata?.labels))
          : (() => {
            throw new CommandError(`error: resource(s) were provided, but no name was specified`);
          })();
    } catch (e) {
      inv.out.fail(e);
      continue;
    }
    for (const obj of objs) {
      const before = { ...(obj.metadata?.[which] ?? {}) };
      if (flagBool(p, 'list')) {
        for (const k of Object.keys(before).sort()) inv.out.out(`${k}=${before[k]}`);
        continue;
      }
      if (!overwrite) {
        const conflicts = [...set.entries()].filter(([k, v]) => k in before && before[k] !== v);
        if (conflicts.length) {
          inv.out.fail(which === 'labels'
            ? `error: '${conflicts[0][0]}' already has a value (${before[conflicts[0][0]]}), and --overwrite is false`
            : `error: --overwrite is false but found the following declared annotation(s): ${conflicts.map(([k]) => `'${k}' already has a value (${before[k]})`).join('; ')}`);
          continue;
        }
      }
      const after = { ...before };
      for (const k of remove) {
        if (!(k in after)) inv.out.out(`${which === 'labels' ? 'label' : 'annotation'} "${k}" not found.`);
        delete after[k];
      }
      for (const [k, v] of set) after[k] = v;
      const changed = !semanticEqual(before, after);
      let msg = `not ${done}`;
      if (changed) msg = !overwrite && Object.keys(after).length < Object.keys(before).length ? `un${done}` : done;
      if (changed && !dryRunSuffix(p)) {
        inv.cluster.api.update(obj.kind as Kind, { ...obj, metadata: { ...obj.metadata, [which]: after } } as KindMap[Kind]);
      }
      inv.out.out(`${objectName(obj)} ${msg}${dryRunSuffix(p)}`);
    }
  }
}

export const TAINT_FLAGS: FlagSpecs = {
  overwrite: { type: 'bool' },
  selector: { type: 'string', short: 'l' },
  all: { type: 'bool' },
  'dry-run': { type: 'string' },
};

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function parseTaint(spec: string): { taint?: Taint; removeKey?: string; removeEffect?: string } {
  const removal = spec.endsWith('-');
  const body = removal ? spec.slice(0, -1) : spec;
  const colon = body.lastIndexOf(':');
  const kv = colon >= 0 ? body.slice(0, colon) : body;
  const effect = colon >= 0 ? body.slice(colon + 1) : '';
  const [key, value] = kv.includes('=') ? [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] : [kv, undefined];
  if (!key) throw new CommandError(`error: invalid taint spec: ${spec}, unknown taint spec`);
  if (effect && !EFFECTS.includes(effect)) {
    throw new CommandError(`error: invalid taint effect: ${effect}, unsupported taint effect`);
  }
  if (removal) return { removeKey: key, removeEffect: effect || undefined };
  if (!effect) throw new CommandError(`error: unknown taint spec: ${spec}`);
  return { taint: { key, ...(value !== undefined ? { value } : {}), effect: effect as Taint['effect'] } };
}

/** `kubectl taint nodes NODE key=value:Effect` / `key:Effect-` / `key-`. */
export function runTaint(inv: Invocation, p: ParsedArgs, now: number): void {
  const [type, ...rest] = p.positional;
  if (!type) throw new CommandError(`error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples`);
  let nodes: string[];
  let specs: string[];
  if (type.includes('/')) {
    const kind = resolveTargets([type]).groups[0];
    if (kind.kind !== 'Node') throw new CommandError(`error: invalid resource type ${type.split('/')[0]}, only nodes are supported`);
    nodes = kind.names!;
    specs = rest;
  } else {
    const kind = resolveTargets([type]).groups[0].kind;
    if (kind !== 'Node') throw new CommandError(`error: invalid resource type ${type}, only nodes are supported`);
    const selText = flagString(p, 'selector');
    if (flagBool(p, 'all') || selText !== undefined) {
      const sel = selText !== undefined ? parseSelector(selText) : undefined;
      nodes = inv.cluster.store.list('Node').filter((n) => !sel || sel.matches(n.metadata?.labels)).map((n) => n.metadata!.name!);
      specs = rest;
    } else {
      nodes = rest.slice(0, 1);
      specs = rest.slice(1);
    }
  }
  if (!specs.length) throw new CommandError(`error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples`);
  const parsed = specs.map(parseTaint);
  for (const name of nodes) {
    try {
      const node = mustGet(inv.cluster, 'Node', '', name) as Node;
      let taints = [...(node.spec?.taints ?? [])];
      let added = false;
      let removed = false;
      let modified = false;
      for (const t of parsed) {
        if (t.removeKey !== undefined) {
          const keep = taints.filter((x) => !(x.key === t.removeKey && (!t.removeEffect || x.effect === t.removeEffect)));
          if (keep.length === taints.length) {
            throw new CommandError(`error: taint "${t.removeKey}${t.removeEffect ? `:${t.removeEffect}` : ''}" not found`);
          }
          taints = keep;
          removed = true;
        } else if (t.taint) {
          const i = taints.findIndex((x) => x.key === t.taint!.key && x.effect === t.taint!.effect);
          const taint: Taint = t.taint.effect === 'NoExecute' ? { ...t.taint, timeAdded: Clock.rfc3339(now) } : t.taint;
          if (i >= 0) {
            if (!flagBool(p, 'overwrite')) {
              throw new CommandError(`error: node ${name} already has ${t.taint.key} taint(s) with same effect(s) and --overwrite is false`);
            }
            taints[i] = taint;
            modified = true;
          } else {
            taints.push(taint);
            added = true;
          }
        }
      }
      const { taints: _old, ...specRest } = node.spec ?? {};
      if (!dryRunSuffix(p)) inv.cluster.api.update('Node', { ...node, spec: taints.length ? { ...specRest, taints } : specRest });
      inv.out.out(`node/${name} ${modified ? 'modified' : added || !removed ? 'tainted' : 'untainted'}`);
    } catch (e) {
      inv.out.fail(e);
    }
  }
}

/** cordon / uncordon: `node/node-1 cordoned`, `node/node-1 already cordoned`. */
export function setUnschedulable(inv: Invocation, name: string, unschedulable: boolean): void {
  const node = mustGet(inv.cluster, 'Node', '', name) as Node;
  const verb = unschedulable ? 'cordoned' : 'uncordoned';
  if ((node.spec?.unschedulable ?? false) === unschedulable) {
    inv.out.out(`node/${name} already ${verb}`);
    return;
  }
  const { unschedulable: _u, ...specRest } = node.spec ?? {};
  inv.cluster.api.update('Node', { ...node, spec: unschedulable ? { ...specRest, unschedulable: true } : specRest });
  inv.out.out(`node/${name} ${verb}`);
}

export const CORDON_FLAGS: FlagSpecs = { selector: { type: 'string', short: 'l' }, 'dry-run': { type: 'string' } };

export function runCordon(inv: Invocation, p: ParsedArgs, unschedulable: boolean): void {
  const names = p.positional.length ? p.positional.map((a) => a.replace(/^(node|nodes|no)\//, '')) : [];
  const selText = flagString(p, 'selector');
  if (selText !== undefined) {
    const sel = parseSelector(selText);
    names.push(...inv.cluster.store.list('Node').filter((n) => sel.matches(n.metadata?.labels)).map((n) => n.metadata!.name!));
  }
  if (!names.length) throw new CommandError(`error: USAGE: ${unschedulable ? 'cordon' : 'uncordon'} NODE [flags]\nSee 'kubectl ${unschedulable ? 'cordon' : 'uncordon'} -h' for help and examples`);
  for (const n of names) {
    try {
      setUnschedulable(inv, n, unschedulable);
    } catch (e) {
      inv.out.fail(e);
    }
  }
}

export const DRAIN_FLAGS: FlagSpecs = {
  'ignore-daemonsets': { type: 'bool' },
  force: { type: 'bool' },
  'delete-emptydir-data': { type: 'bool' },
  'delete-local-data': { type: 'bool' },
  'grace-period': { type: 'int' },
  timeout: { type: 'string' },
  'pod-selector': { type: 'string' },
  selector: { type: 'string', short: 'l' },
  'disable-eviction': { type: 'bool' },
  'skip-wait-for-delete-timeout': { type: 'int' },
  'dry-run': { type: 'string' },
};

/** The drain filters of k8s.io/kubectl/pkg/drain, in their order; the first refusal wins. */
function drainFilter(inv: Invocation, pod: Pod, p: ParsedArgs): { del: boolean; warn?: string; error?: string; skip?: boolean } {
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const ctl = pod.metadata?.ownerReferences?.find((r) => r.controller);
  let warn: string | undefined;
  if (ctl?.kind === 'DaemonSet' && !terminal) {
    if (!inv.cluster.store.get('DaemonSet', pod.metadata!.namespace, ctl.name)) {
      const msg = `daemonsets.apps "${ctl.name}" not found`;
      if (flagBool(p, 'force')) warn = msg;
      else return { del: false, error: msg };
    } else if (!flagBool(p, 'ignore-daemonsets')) return { del: false, error: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
    else return { del: false, warn: 'ignoring DaemonSet-managed Pods' };
  }
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { del: false, skip: true };
  if (!terminal && (pod.spec?.volumes ?? []).some((v) => v.emptyDir)) {
    if (!flagBool(p, 'delete-emptydir-data') && !flagBool(p, 'delete-local-data')) return { del: false, error: 'Pods with local storage (use --delete-emptydir-data to override)' };
    warn = 'deleting Pods with local storage';
  }
  if (!terminal && !ctl) {
    if (!flagBool(p, 'force')) return { del: false, error: 'cannot delete Pods that declare no controller (use --force to override)' };
    warn = 'deleting Pods that declare no controller';
  }
  return { del: true, warn };
}

/**
 * `kubectl drain NODE`: cordon, refuse (or warn about) pods the filters reject, then evict the rest.
 * Why we differ: real kubectl waits for each evicted pod to be gone before printing `pod/x evicted`;
 * virtual time does not move inside a command, so the evictions are requested (pods go
 * `Terminating`) and the lines are printed at once. Advance time to watch them finish.
 *
 * An eviction a PodDisruptionBudget refuses (429) prints kubectl's retry line once. Real kubectl then
 * sleeps 5s and tries again until the budget allows it or `--timeout` passes (the default, 0, waits
 * forever). Time cannot pass inside a command, so the drain ends here as it would when its timeout
 * runs out: `unable to drain node`, the node listed as pending, exit 1. With `--timeout` the error
 * is kubectl's own `global timeout reached: 30s`; without one (where real kubectl would still be
 * retrying) it is the server's refusal. Run the drain again once replacements are Ready.
 */
export function runDrain(inv: Invocation, p: ParsedArgs): void {
  const name = p.positional[0]?.replace(/^(node|nodes|no)\//, '');
  if (!name) throw new CommandError(`error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples`);
  const { cluster, out } = inv;
  mustGet(cluster, 'Node', '', name);
  setUnschedulable(inv, name, true);
  const podSel = flagString(p, 'pod-selector');
  const sel = podSel !== undefined ? parseSelector(podSel) : undefined;
  const pods = cluster.store.podsOnNode(name)
    .filter((pod) => !sel || sel.matches(pod.metadata?.labels))
    .sort((a, b) => (`${a.metadata!.namespace}/${a.metadata!.name}` < `${b.metadata!.namespace}/${b.metadata!.name}` ? -1 : 1));
  const errors = new Map<string, string[]>();
  const warnings = new Map<string, string[]>();
  const toEvict: Pod[] = [];
  for (const pod of pods) {
    const r = drainFilter(inv, pod, p);
    const id = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    if (r.error) errors.set(r.error, [...(errors.get(r.error) ?? []), id]);
    if (r.warn) warnings.set(r.warn, [...(warnings.get(r.warn) ?? []), id]);
    if (r.del) toEvict.push(pod);
  }
  if (errors.size) {
    const errs = [...errors.entries()].map(([msg, ids]) => `${msg.toLowerCase().startsWith('cannot delete') ? msg : `cannot delete ${msg}`}: ${ids.join(', ')}`);
    drainFailed(inv, name, errs);
    return;
  }
  if (warnings.size) out.err(`Warning: ${[...warnings.entries()].map(([m, ids]) => `${m}: ${ids.join(', ')}`).join('; ')}`);
  const graceText = flagString(p, 'grace-period');
  const grace = graceText !== undefined && Number(graceText) >= 0 ? Number(graceText) : undefined;
  const dry = dryRunSuffix(p);
  const timeoutText = flagString(p, 'timeout');
  const timeoutMs = timeoutText !== undefined ? parseDuration(timeoutText) : undefined;
  const disable = flagBool(p, 'disable-eviction');
  for (const pod of toEvict) out.out(`evicting pod ${pod.metadata!.namespace}/${pod.metadata!.name}${dry ? ' (server dry run)' : ''}`);
  const failed: string[] = [];
  for (const pod of toEvict) {
    if (dry) continue;
    const id = `pods/"${pod.metadata!.name}" -n "${pod.metadata!.namespace}"`;
    try {
      evictPod(inv, pod, grace, disable);
      out.out(`pod/${pod.metadata!.name} evicted`);
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'NotFound') continue;
      if (e instanceof ApiError && e.reason === 'TooManyRequests') {
        out.err(`error when evicting ${id} (will retry after 5s): ${e.message}`);
        failed.push(timeoutMs ? `error when evicting ${id}: global timeout reached: ${goDuration(timeoutMs)}` : `error when evicting ${id}: ${e.message}`);
      } else if (e instanceof ApiError) failed.push(`error when evicting ${id}: ${e.message}`);
      else throw e;
    }
  }
  if (failed.length) {
    drainFailed(inv, name, failed);
    return;
  }
  out.out(`node/${name} drained`);
}

/**
 * RunDrain's failure path: `unable to drain node`, the nodes left, then the aggregate error, which
 * kubectl prints without an `error: ` prefix (one line per error).
 */
function drainFailed(inv: Invocation, node: string, errs: string[]): void {
  inv.out.err(`error: unable to drain node "${node}" due to error: ${errs.length > 1 ? `[${errs.join(', ')}]` : errs[0]}, continuing command...`);
  inv.out.err(`There are pending nodes to be drained:\n ${node}`);
  for (const e of errs) inv.out.err(e);
  inv.out.exitCode = 1;
}

/**
 * Evict a pod through the Eviction API ({@link apiEvictPod}): PodDisruptionBudgets are checked and
 * a refusal is thrown as an ApiError (`TooManyRequests`). `plainDelete` is `--disable-eviction`: a
 * DELETE that bypasses the budgets, as real kubectl does.
 */
export function evictPod(inv: Invocation, pod: Pod, gracePeriodSeconds: number | undefined, plainDelete = false): void {
  const { cluster } = inv;
  const ns = pod.metadata!.namespace!;
  const podName = pod.metadata!.name!;
  if (plainDelete) {
    if (!cluster.store.get('Pod', ns, podName)) return;
    cluster.api.delete('Pod', ns, podName, gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {});
    return;
  }
  apiEvictPod(cluster, ns, podName, { gracePeriodSeconds });
}

/** Used by describe and rollout: `deployments.apps "web"`. */
export function quoted(kind: Kind, name: string): string {
  return `${pluralGroup(kind)} "${name}"`;
}


export const PATCH_FLAGS: FlagSpecs = {
  patch: { type: 'string', short: 'p' },
  type: { type: 'string' },
  'dry-run': { type: 'string' },
};

function applyJsonPatch(doc: unknown, ops: { op: string; path: string; value?: unknown }[]): unknown {
  const root = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    let parent: unknown = root;
    for (const part of parts) {
      parent = Array.isArray(parent) ? parent[Number(part)] : (parent as Record<string, unknown> | undefined)?.[part];
      if (parent === undefined || parent === null) throw new Error(`jsonpatch ${op.op} operation does not apply: doc is missing path: ${op.path}`);
    }
    if (last === undefined) throw new Error(`jsonpatch ${op.op} operation does not apply: empty path`);
    const container = parent as unknown[];
    const record = parent as Record<string, unknown>;
    const isArray = Array.isArray(container);
    const index = last === '-' ? container.length : Number(last);
    switch (op.op) {
      case 'add':
        if (isArray) container.splice(index, 0, op.value);
        else record[last] = op.value;
        break;
      case 'replace':
        if (isArray ? index >= container.length : !(last in record)) throw new Error(`jsonpatch replace operation does not apply: doc is missing key: ${op.path}`);
        if (isArray) container[index] = op.value;
        else record[last] = op.value;
        break;
      case 'remove':
        if (isArray ? index >= container.length : !(last in record)) throw new Error(`jsonpatch remove operation does not apply: doc is missing path: ${op.path}`);
        if (isArray) container.splice(index, 1);
        else delete record[last];
        break;
      default:
        throw new Error(`Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

/** `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]` → `deployment.apps/web patched`. */
export function runPatch(inv: Invocation, p: ParsedArgs): void {
  const text = flagString(p, 'patch');
  if (!text) throw new CommandError(`error: must specify -p to patch`);
  if (!p.positional.length) throw new CommandError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  const type = flagString(p, 'type') ?? 'strategic';
  if (!['strategic', 'merge', 'json'].includes(type)) throw new CommandError(`error: --type must be one of [json merge strategic], not "${type}"`);
  let patch: unknown;
  try {
    patch = parseYaml(text);
  } catch (e) {
    throw new CommandError(`error: unable to parse "${text}": ${(e as Error).message}`);
  }
  const ns = namespaceOf(p);
  for (const g of resolveTargets(p.positional).groups) {
    for (const name of g.names ?? []) {
      try {
        const live = mustGet(inv.cluster, g.kind, ns, name) as KObject;
        let next: unknown;
        if (type === 'json') {
          if (!Array.isArray(patch)) throw new CommandError('error: json patch must be a list of operations');
          next = applyJsonPatch(live, patch as { op: string; path: string; value?: unknown }[]);
        } else {
          if (!isPlainObject(patch)) throw new CommandError(`error: unable to parse "${text}": a patch must be an object`);
          // Why simplified: a merge patch replaces lists; strategic merges keyed lists, as apply does.
          next = type === 'merge' ? mergePatch(live, patch) : threeWayMerge(live, undefined, patch);
        }
        const dry = dryRunSuffix(p);
        if (semanticEqual(next, live)) {
          inv.out.out(`${objectName(live)} patched (no change)${dry}`);
          continue;
        }
        const { status: _s, ...withoutStatus } = next as KObject & { status?: unknown };
        inv.cluster.api.update(g.kind, (g.kind === 'Pod' || !('status' in (patch as object)) ? next : withoutStatus) as KindMap[typeof g.kind], { dryRun: !!dry });
        inv.out.out(`${objectName(live)} patched${dry}`);
      } catch (e) {
        inv.out.fail(e);
      }
    }
  }
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export const REPLACE_FLAGS: FlagSpecs = {
  filename: { type: 'strings', short: 'f' },
  force: { type: 'bool' },
  'dry-run': { type: 'string' },
  'save-config': { type: 'bool' },
};

/** `kubectl replace -f FILE` → `pod/web replaced`; `--force` deletes and re-creates. */
export function runReplace(inv: Invocation, p: ParsedArgs): void {
  const files = flagStrings(p, 'filename');
  if (!files.length) throw new CommandError(`error: must specify --filename to replace`);
  for (const d of loadManifests(inv, files)) {
    try {
      if (d.decodeError) throw new CommandError(d.decodeError);
      const { kind, namespace, object } = identify(inv, p, d);
      const name = object.metadata!.name!;
      const live = inv.cluster.store.get(kind, namespace, name);
      if (!live) throw new ApiError('NotFound', `error when replacing "${d.source}": ${pluralGroup(kind)} "${name}" not found`);
      if (flagBool(p, 'force')) {
        inv.cluster.api.delete(kind, namespace, name, { gracePeriodSeconds: 0, force: true });
        inv.out.out(`${kindGroup(kind)} "${name}" deleted`);
        const created = inv.cluster.api.create(kind, object as KindMap[typeof kind]);
        inv.out.out(`${objectName(created)} replaced`);
        continue;
      }
      const { status: _s, ...spec } = object as KObject & { status?: unknown };
      inv.cluster.api.update(kind, { ...spec, metadata: { ...object.metadata, uid: live.metadata!.uid } } as KindMap[typeof kind], { dryRun: !!dryRunSuffix(p) });
      inv.out.out(`${objectName(live)} replaced${dryRunSuffix(p)}`);
    } catch (e) {
      inv.out.fail(e);
    }
  }
}
