/** `kubectl get` and `kubectl describe`. */
import { formatLabels, parseSelector, selectorFromLabelSelector, type Selector } from '../api/labels';
import {
  KINDS, type DaemonSet, type Deployment, type Event, type Job, type Kind, type KObject, type Lease, type Node, type Pod, type PodDisruptionBudget,
  type ReplicaSet, type Service,
} from '../api/types';
import { flagBool, flagString, flagStrings, type FlagSpecs, type ParsedArgs } from './args';
import {
  allNamespaces, CommandError, type Invocation, listKind, mustGet, namespaceOf, noResources, notFound, resolveTargets,
} from './common';
import {
  describeDaemonSet, describeDeployment, describeGeneric, describeJob, describeNode, describePod, describePodDisruptionBudget, describeReplicaSet,
  describeService,
} from './describe';
import { asList, customColumns, jsonPath, kindGroup, objectName, toJson, toYaml } from './output';
import { printerFor } from './printers';
import { printTable } from './tabwriter';

export const GET_FLAGS: FlagSpecs = {
  'all-namespaces': { type: 'bool', short: 'A' },
  output: { type: 'string', short: 'o' },
  selector: { type: 'string', short: 'l' },
  'show-labels': { type: 'bool' },
  watch: { type: 'bool', short: 'w' },
  'sort-by': { type: 'string' },
  'ignore-not-found': { type: 'bool' },
  'no-headers': { type: 'bool' },
  'field-selector': { type: 'string' },
  'show-kind': { type: 'bool' },
  'label-columns': { type: 'strings', short: 'L' },
};

export const DESCRIBE_FLAGS: FlagSpecs = {
  'all-namespaces': { type: 'bool', short: 'A' },
  selector: { type: 'string', short: 'l' },
  'show-events': { type: 'bool' },
};

function selectorOf(p: ParsedArgs): Selector | undefined {
  const text = flagString(p, 'selector');
  if (text === undefined) return undefined;
  try {
    return parseSelector(text);
  } catch (e) {
    throw new CommandError(`error: ${(e as Error).message}`);
  }
}

/** Minimal `--field-selector`: `metadata.name=x`, `metadata.namespace=x`, `spec.nodeName=x`, `status.phase=x` (`=`, `==`, `!=`). */
function fieldFilter(p: ParsedArgs): ((o: KObject) => boolean) | undefined {
  const text = flagString(p, 'field-selector');
  if (!text) return undefined;
  const reqs = text.split(',').map((r) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(r.trim());
    if (!m) throw new CommandError(`error: invalid selector: '${text}'; can't understand '${r}'`);
    return { path: m[1].split('.'), neg: m[2] === '!=', value: m[3] };
  });
  return (o) => reqs.every((r) => {
    let v: unknown = o;
    for (const k of r.path) v = (v as Record<string, unknown> | undefined)?.[k];
    return (String(v ?? '') === r.value) !== r.neg;
  });
}

/** `kubectl get`. */
export function runGet(inv: Invocation, p: ParsedArgs): void {
  if (flagBool(p, 'watch')) {
    throw new CommandError('error: --watch (-w) is not supported in Pod Playground: time is virtual, so use the time controls (or `sim advance`) and run get again');
  }
  if (!p.positional.length) {
    throw new CommandError(`You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples`);
  }
  const output = flagString(p, 'output') ?? '';
  if (!/^(|wide|yaml|json|name|jsonpath=.*|jsonpath-as-json=.*|custom-columns=.*)$/.test(output)) {
    throw new CommandError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,json,jsonpath,jsonpath-as-json,jsonpath-file,name,yaml,wide`);
  }
  const { groups, multi } = resolveTargets(p.positional);
  const all = allNamespaces(p);
  if (all && groups.some((g) => g.names && KINDS[g.kind].namespaced)) {
    throw new CommandError('error: a resource cannot be retrieved by name across all namespaces');
  }
  const ns = all ? undefined : namespaceOf(p);
  const sel = selectorOf(p);
  const fields = fieldFilter(p);
  const ignoreNotFound = flagBool(p, 'ignore-not-found');
  const { cluster, now, out } = inv;
  // Collect [kind, objects] in request order; a named lookup is one object.
  const found: { kind: Kind; objects: KObject[] }[] = [];
  let singleNamed = groups.length === 1 && groups[0].names?.length === 1;
  for (const g of groups) {
    if (g.names) {
      if (sel) throw new CommandError('error: selectors and the all flag cannot be used when passing resource/name arguments');
      const objs: KObject[] = [];
      for (const name of g.names) {
        try {
          objs.push(mustGet(cluster, g.kind, ns ?? 'default', name));
        } catch (e) {
          if (!ignoreNotFound) out.fail(e);
          singleNamed = false;
        }
      }
      if (objs.length) found.push({ kind: g.kind, objects: objs });
    } else {
      let objs = listKind(cluster, g.kind, ns);
      if (sel) objs = objs.filter((o) => sel.matches(o.metadata?.labels));
      if (fields) objs = objs.filter(fields);
      if (objs.length) found.push({ kind: g.kind, objects: objs });
    }
  }
  const sortBy = flagString(p, 'sort-by');
  if (sortBy) {
    const expr = sortBy.startsWith('{') ? sortBy : `{${sortBy}}`;
    for (const f of found) {
      f.objects = [...f.objects].sort((a, b) => {
        const x = jsonPath(expr, a);
        const y = jsonPath(expr, b);
        const nx = Number(x);
        const ny = Number(y);
        if (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
  }
  const objects = found.flatMap((f) => f.objects);
  if (!objects.length) {
    if (out.exitCode === 0 && !groups.some((g) => g.names)) {
      if (output === 'yaml') out.out(toYaml(asList([])));
      else if (output === 'json') out.out(toJson(asList([])));
      else out.err(noResources(groups.map((g) => g.kind), ns));
    }
    return;
  }
  if (output === 'yaml' || output === 'json') {
    const data = singleNamed ? objects[0] : asList(objects);
    out.out(output === 'yaml' ? toYaml(data) : toJson(data));
    return;
  }
  if (output === 'name') {
    for (const o of objects) out.out(objectName(o));
    return;
  }
  if (output.startsWith('jsonpath')) {
    const tpl = output.slice(output.indexOf('=') + 1).replace(/^'(.*)'$/, '$1');
    const data = singleNamed ? objects[0] : asList(objects);
    out.raw(jsonPath(tpl, JSON.parse(JSON.stringify(data))));
    return;
  }
  if (output.startsWith('custom-columns=')) {
    const rows = customColumns(output.slice('custom-columns='.length), objects.map((o) => JSON.parse(JSON.stringify(o)) as unknown));
    out.out(printTable(flagBool(p, 'no-headers') ? rows.slice(1) : rows));
    return;
  }
  const wide = output === 'wide';
  const showLabels = flagBool(p, 'show-labels');
  // -L app,tier: one column per label key, headed by the key's last path segment in capitals.
  const labelColumns = flagStrings(p, 'label-columns').flatMap((v) => v.split(',')).filter(Boolean);
  const labelHeaders = labelColumns.map((k) => k.slice(k.lastIndexOf('/') + 1).toUpperCase());
  const withKind = multi || flagBool(p, 'show-kind');
  const tables: string[] = [];
  for (const f of found) {
    const printer = printerFor(f.kind);
    const namespaced = KINDS[f.kind].namespaced;
    const header = printer.header({ wide });
    const rows: string[][] = [];
    if (!flagBool(p, 'no-headers')) rows.push([...(all && namespaced ? ['NAMESPACE'] : []), ...header, ...labelHeaders, ...(showLabels ? ['LABELS'] : [])]);
    for (const o of f.objects) {
      const row = printer.row(o, now, { wide });
      if (withKind) row[0] = `${kindGroup(f.kind)}/${row[0]}`;
      const labelCells = labelColumns.map((k) => o.metadata?.labels?.[k] ?? '');
      rows.push([...(all && namespaced ? [o.metadata!.namespace!] : []), ...row, ...labelCells, ...(showLabels ? [formatLabels(o.metadata?.labels)] : [])]);
    }
    tables.push(printTable(rows));
  }
  out.out(tables.join('\n'));
}

function eventsFor(inv: Invocation, obj: KObject): Event[] {
  const uid = obj.metadata?.uid;
  const out: Event[] = [];
  for (const e of inv.cluster.store.values('Event')) {
    const io = e.involvedObject;
    if (uid ? io.uid === uid : io.kind === obj.kind && io.name === obj.metadata?.name && io.namespace === obj.metadata?.namespace) out.push(e);
  }
  return out;
}

/** Text of `kubectl describe` for one object. */
export function describeObject(inv: Invocation, obj: KObject): string {
  const { cluster, now } = inv;
  const events = eventsFor(inv, obj);
  switch (obj.kind) {
    case 'Pod':
      return describePod(obj as Pod, events, now);
    case 'Node': {
      const node = obj as Node;
      const lease = cluster.store.get('Lease', 'kube-node-lease', node.metadata!.name!) as Lease | undefined;
      return describeNode(node, cluster.store.podsOnNode(node.metadata!.name!).sort((a, b) => (`${a.metadata!.namespace}/${a.metadata!.name}` < `${b.metadata!.namespace}/${b.metadata!.name}` ? -1 : 1)), lease, events, now);
    }
    case 'ReplicaSet': {
      const rs = obj as ReplicaSet;
      const sel = selectorFromLabelSelector(rs.spec?.selector);
      const pods = cluster.store.list('Pod', rs.metadata!.namespace).filter((p) => sel.matches(p.metadata?.labels) && p.metadata?.ownerReferences?.some((r) => r.uid === rs.metadata!.uid));
      return describeReplicaSet(rs, pods, events, now);
    }
    case 'Deployment': {
      const d = obj as Deployment;
      const rss = cluster.store.list('ReplicaSet', d.metadata!.namespace).filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.uid === d.metadata!.uid && r.controller));
      return describeDeployment(d, rss, events, now);
    }
    case 'Job':
      return describeJob(obj as Job, events, now);
    case 'DaemonSet': {
      const ds = obj as DaemonSet;
      const pods = cluster.store.list('Pod', ds.metadata!.namespace).filter((p) => p.metadata?.ownerReferences?.some((r) => r.uid === ds.metadata!.uid && r.controller));
      return describeDaemonSet(ds, pods, events, now);
    }
    case 'Service': {
      const svc = obj as Service;
      const slices = cluster.store.list('EndpointSlice', svc.metadata!.namespace).filter((es) => es.metadata?.labels?.['kubernetes.io/service-name'] === svc.metadata!.name);
      return describeService(svc, slices, events, now);
    }
    case 'PodDisruptionBudget':
      return describePodDisruptionBudget(obj as PodDisruptionBudget, events, now);
    default:
      return describeGeneric(obj, events, now);
  }
}

/** `kubectl describe TYPE [NAME…|-l sel]`: name prefixes match, as kubectl does. */
export function runDescribe(inv: Invocation, p: ParsedArgs): void {
  if (!p.positional.length) {
    throw new CommandError(`You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl describe -h' for help and examples`);
  }
  const { groups } = resolveTargets(p.positional);
  const all = allNamespaces(p);
  const ns = all ? undefined : namespaceOf(p);
  const sel = selectorOf(p);
  const texts: string[] = [];
  for (const g of groups) {
    if (g.names) {
      for (const name of g.names) {
        const exact = inv.cluster.store.get(g.kind, KINDS[g.kind].namespaced ? (ns ?? 'default') : undefined, name);
        if (exact) {
          texts.push(describeObject(inv, exact));
          continue;
        }
        // describe falls back to every object whose name starts with the argument.
        const prefixed = listKind(inv.cluster, g.kind, ns ?? 'default').filter((o) => o.metadata!.name!.startsWith(name));
        if (!prefixed.length) {
          inv.out.fail(notFound(g.kind, name));
          continue;
        }
        for (const o of prefixed) texts.push(describeObject(inv, o));
      }
    } else {
      let objs = listKind(inv.cluster, g.kind, ns);
      if (sel) objs = objs.filter((o) => sel.matches(o.metadata?.labels));
      for (const o of objs) texts.push(describeObject(inv, o));
    }
  }
  if (!texts.length && inv.out.exitCode === 0) {
    inv.out.err(noResources(groups.map((g) => g.kind), ns));
    return;
  }
  // kubectl separates described objects by a blank line.
  inv.out.out(texts.join('\n\n'));
}
