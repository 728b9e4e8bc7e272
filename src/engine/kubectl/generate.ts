/** `kubectl expose`, `kubectl set image` and `kubectl create poddisruptionbudget`: small generators. */
import { semanticEqual } from '../api/equality';
import { ApiError } from '../api/errors';
import { parseSelector, splitTopLevel } from '../api/labels';
import type { Deployment, Kind, KindMap, KObject, LabelSelector, PodDisruptionBudget, PodTemplateSpec, Service } from '../api/types';
import { flagString, type FlagSpecs, type ParsedArgs } from './args';
import { CommandError, type Invocation, mustGet, namespaceOf, resolveTargets } from './common';
import { kindGroup, objectName, toJson, toYaml } from './output';

export const EXPOSE_FLAGS: FlagSpecs = {
  port: { type: 'string' },
  'target-port': { type: 'string' },
  type: { type: 'string' },
  name: { type: 'string' },
  protocol: { type: 'string' },
  selector: { type: 'string' },
  'dry-run': { type: 'string' },
  output: { type: 'string', short: 'o' },
};

interface WithTemplate {
  spec?: { selector?: LabelSelector; template?: PodTemplateSpec };
}

/** `kubectl expose deployment web --port=80 [--target-port] [--type=NodePort]` → `service/web exposed`. */
export function runExpose(inv: Invocation, p: ParsedArgs): void {
  if (!p.positional.length) {
    throw new CommandError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  }
  const g = resolveTargets(p.positional).groups[0];
  const name = g.names?.[0];
  if (!name) throw new CommandError(`error: resource(s) were provided, but no name was specified`);
  const ns = namespaceOf(p);
  const obj = mustGet(inv.cluster, g.kind, ns, name) as KObject;
  let selector: Record<string, string> | undefined;
  let ports: { containerPort: number; protocol?: string }[] = [];
  if (g.kind === 'Pod') {
    selector = obj.metadata?.labels;
    ports = ((obj as KindMap['Pod']).spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  } else if (g.kind === 'Deployment' || g.kind === 'ReplicaSet' || g.kind === 'DaemonSet') {
    const w = obj as WithTemplate;
    if (w.spec?.selector?.matchExpressions?.length) {
      throw new CommandError(`error: couldn't convert expressions - "${w.spec.selector.matchExpressions[0].key}" to map-based selector format`);
    }
    selector = w.spec?.selector?.matchLabels;
    ports = (w.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  } else if (g.kind === 'Service') {
    selector = (obj as Service).spec?.selector;
    ports = ((obj as Service).spec?.ports ?? []).map((sp) => ({ containerPort: sp.port, protocol: sp.protocol }));
  } else {
    throw new CommandError(`error: cannot expose a ${g.kind}`);
  }
  const selText = flagString(p, 'selector');
  if (selText) selector = Object.fromEntries(selText.split(',').map((kv) => kv.split('=') as [string, string]));
  if (!selector || !Object.keys(selector).length) {
    throw new CommandError(`error: couldn't retrieve selectors via --selector flag or introspection: the ${kindGroup(g.kind).split('.')[0]} has no labels\nSee 'kubectl expose -h' for help and examples`);
  }
  const portText = flagString(p, 'port');
  const protocol = (flagString(p, 'protocol') ?? 'TCP') as 'TCP';
  let servicePorts: NonNullable<Service['spec']>['ports'];
  if (portText) {
    const target = flagString(p, 'target-port');
    servicePorts = portText.split(',').map((pt, i, all) => ({
      ...(all.length > 1 ? { name: `port-${i + 1}` } : {}),
      port: Number(pt),
      protocol,
      targetPort: target ? (/^\d+$/.test(target) ? Number(target) : target) : Number(pt),
    }));
  } else if (ports.length) {
    servicePorts = ports.map((cp, i) => ({
      ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}),
      port: cp.containerPort,
      protocol: (cp.protocol ?? 'TCP') as 'TCP',
      targetPort: flagString(p, 'target-port') ?? cp.containerPort,
    }));
  } else {
    throw new CommandError(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`);
  }
  const type = flagString(p, 'type');
  if (type && !['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
    throw new CommandError(`error: invalid service type: ${type}`);
  }
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: flagString(p, 'name') ?? name, namespace: ns, ...(obj.metadata?.labels ? { labels: obj.metadata.labels } : {}) },
    spec: { ports: servicePorts, selector, ...(type ? { type: type as 'ClusterIP' } : {}) },
    status: { loadBalancer: {} },
  };
  const dry = flagString(p, 'dry-run');
  const output = flagString(p, 'output');
  // A client dry run prints the object as kubectl built it (no namespace unless -n was given).
  const clientView: Service = flagString(p, 'namespace') === undefined ? { ...svc, metadata: { ...svc.metadata, namespace: undefined } } : svc;
  const created = dry === 'client' ? clientView : inv.cluster.api.create('Service', svc, { dryRun: dry === 'server' });
  if (output === 'yaml') inv.out.out(toYaml(created));
  else if (output === 'json') inv.out.out(toJson(created));
  else inv.out.out(`${objectName(created)} exposed${dry === 'client' || dry === 'server' ? ` (${dry} dry run)` : ''}`);
}

export const SET_FLAGS: FlagSpecs = {
  all: { type: 'bool' },
  selector: { type: 'string', short: 'l' },
  'dry-run': { type: 'string' },
};

/** `kubectl set image deployment/web web=nginx:1.28 [*=img]` → `deployment.apps/web image updated`. */
export function runSet(inv: Invocation, p: ParsedArgs): void {
  const [sub, ...rest] = p.positional;
  if (sub !== 'image') throw new CommandError(sub ? `error: unknown command "${sub}" for "kubectl set"` : `error: must specify one of: image`);
  const resources = rest.filter((a) => !a.includes('='));
  const pairs = rest.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const);
  if (!pairs.length) throw new CommandError(`error: at least one image update is required\nSee 'kubectl set image -h' for help and examples`);
  if (!resources.length) throw new CommandError(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl set image -h' for help and examples`);
  const ns = namespaceOf(p);
  for (const g of resolveTargets(resources).groups) {
    for (const name of g.names ?? []) {
      try {
        if (!['Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'Pod'].includes(g.kind)) throw new CommandError(`error: cannot set image on ${kindGroup(g.kind)}`);
        const obj = mustGet(inv.cluster, g.kind, ns, name) as KObject;
        const spec = g.kind === 'Pod' ? (obj as KindMap['Pod']).spec! : (obj as Deployment).spec!.template.spec!;
        let containers = [...(spec.containers ?? [])];
        let inits = [...(spec.initContainers ?? [])];
        for (const [cname, image] of pairs) {
          let found = false;
          const swap = <C extends { name: string; image?: string }>(list: C[]) => list.map((c) => (cname === '*' || c.name === cname ? ((found = true), { ...c, image }) : c));
          containers = swap(containers);
          inits = swap(inits);
          if (!found) throw new CommandError(`error: unable to find container named "${cname}"`);
        }
        const newSpec = { ...spec, containers, ...(spec.initContainers ? { initContainers: inits } : {}) };
        const updated = g.kind === 'Pod'
          ? { ...obj, spec: newSpec }
          : { ...obj, spec: { ...(obj as Deployment).spec!, template: { ...(obj as Deployment).spec!.template, spec: newSpec } } };
        if (semanticEqual(updated, obj)) {
          inv.out.out(`${objectName(obj)} image updated`);
          continue;
        }
        if (flagString(p, 'dry-run') === undefined) inv.cluster.api.update(g.kind as Kind, updated as KindMap[Kind]);
        inv.out.out(`${objectName(obj)} image updated`);
      } catch (e) {
        if (e instanceof ApiError || e instanceof CommandError) inv.out.fail(e);
        else throw e;
      }
    }
  }
}

/**
 * metav1.ParseToLabelSelector: `a=b` requirements become matchLabels, `in`, `notin`, `k` and `!k`
 * become matchExpressions (values sorted); `!=` has no LabelSelector form.
 */
export function parseToLabelSelector(text: string): LabelSelector {
  parseSelector(text); // kubectl's parse errors first
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  for (const raw of splitTopLevel(text).map((x) => x.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw))) {
      const values = m[3].split(',').map((v) => v.trim()).filter(Boolean).sort();
      matchExpressions.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if (/^([\w./-]+)\s*!=/.test(raw)) {
      throw new CommandError('error: "!=" is not a valid label selector operator');
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(raw))) {
      matchLabels[m[1]] = m[2];
    } else if ((m = /^!([\w./-]+)$/.exec(raw))) {
      matchExpressions.push({ key: m[1], operator: 'DoesNotExist' });
    } else {
      matchExpressions.push({ key: raw, operator: 'Exists' });
    }
  }
  // ParseToRequirements sorts the requirements by key.
  matchExpressions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { matchLabels, ...(matchExpressions.length ? { matchExpressions } : {}) };
}

/**
 * `kubectl create poddisruptionbudget NAME --selector=SEL --min-available=N|--max-unavailable=N`
 * (create_pdb.go): the object kubectl builds, after its own checks in its own words.
 */
export function buildPodDisruptionBudget(p: ParsedArgs, name: string | undefined, namespace: string | undefined): PodDisruptionBudget {
  if (!name) throw new CommandError(`error: exactly one NAME is required, got 0\nSee 'kubectl create poddisruptionbudget -h' for help and examples`);
  const selector = flagString(p, 'selector') ?? '';
  const minAvailable = flagString(p, 'min-available') ?? '';
  const maxUnavailable = flagString(p, 'max-unavailable') ?? '';
  if (!selector) throw new CommandError('error: a selector must be specified');
  if (!maxUnavailable && !minAvailable) throw new CommandError('error: one of min-available or max-unavailable must be specified');
  if (maxUnavailable && minAvailable) throw new CommandError('error: min-available and max-unavailable cannot be both specified');
  // kubectl accepts a number or a percentage (`10`, `30%`), never `10Gb` or `-1`.
  const format = /^[0-9]+%?$/;
  if (minAvailable && !format.test(minAvailable)) throw new CommandError('error: invalid format specified for min-available');
  if (maxUnavailable && !format.test(maxUnavailable)) throw new CommandError('error: invalid format specified for max-unavailable');
  let sel: LabelSelector;
  try {
    sel = parseToLabelSelector(selector);
  } catch (e) {
    if (e instanceof CommandError) throw e;
    throw new CommandError(`error: ${e instanceof Error ? e.message : String(e)}`);
  }
  // intstr.Parse: digits are an int, anything else a string.
  const intOrString = (v: string): number | string => (/^\d+$/.test(v) ? Number(v) : v);
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      ...(minAvailable ? { minAvailable: intOrString(minAvailable) } : {}),
      ...(maxUnavailable ? { maxUnavailable: intOrString(maxUnavailable) } : {}),
      selector: sel,
    },
    status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 },
  };
}
