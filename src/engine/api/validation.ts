/**
 * Validation as the API server does it (pkg/apis/core/validation, pkg/apis/apps/validation,
 * pkg/apis/batch/validation): the causes in the API's words, in the order the real validators find
 * them. ApiServer turns them into `The Pod "web" is invalid: ...` (ApiError.invalid).
 *
 * Why a subset: we check what a learner can get wrong in the fields the simulation models (names,
 * labels, containers, ports, probes, volumes, resources, tolerations, selectors, strategies, update
 * rules). Deep sub-objects the simulation does not model (affinity terms, security contexts) are not
 * validated field by field.
 */
import { fieldError as E, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateLabels } from './fieldErrors';
import { selectorFromLabelSelector } from './labels';
import { parseQuantity } from './quantity';
import { QUANTITY_FORMAT_ERROR } from './schema';
import type {
  ConfigMap, Container, DaemonSet, Deployment, Job, Kind, KindMap, KObject, LabelSelector, Pod, PodSpec, PodTemplateSpec,
  PodDisruptionBudget, Probe, ReplicaSet, Secret, Service, Toleration, Volume,
} from './types';

type NameCheck = (name: string) => string[];

/** Which name rule each kind uses (the registry's ValidateXName). */
const NAME_RULES: Partial<Record<Kind, NameCheck>> = {
  Namespace: isDNS1123Label,
  Service: isDNS1035Label,
  Node: isDNS1123Subdomain,
};

function nonNegative(value: number | undefined, path: string): string[] {
  return value !== undefined && value < 0 ? [E.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** ValidateObjectMeta: name (or generateName), namespace, labels, annotations. */
function validateObjectMeta(kind: Kind, obj: KObject, namespaced: boolean): string[] {
  const errs: string[] = [];
  const meta = obj.metadata ?? {};
  const nameRule = NAME_RULES[kind] ?? isDNS1123Subdomain;
  if (!meta.name) {
    if (!meta.generateName) errs.push(E.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const m of nameRule(meta.name)) errs.push(E.invalid('metadata.name', meta.name, m));
  }
  if (meta.generateName && !meta.name) {
    for (const m of nameRule(meta.generateName.replace(/-$/, 'a'))) errs.push(E.invalid('metadata.generateName', meta.generateName, m));
  }
  if (namespaced) {
    if (!meta.namespace) errs.push(E.required('metadata.namespace', ''));
    else for (const m of isDNS1123Label(meta.namespace)) errs.push(E.invalid('metadata.namespace', meta.namespace, m));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  for (const k of Object.keys(meta.annotations ?? {})) {
    // ValidateAnnotations checks the lower-cased key against the qualified-name rule of label keys.
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(E.invalid('metadata.annotations', k, m));
  }
  return errs;
}

function validateProbe(p: Probe | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): string[] {
  if (!p) return [];
  const errs: string[] = [];
  const handlers = (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((h) => p[h]);
  if (handlers.length === 0) errs.push(E.required(path, 'must specify a handler type'));
  if (handlers.length > 1) errs.push(E.forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type'));
  errs.push(...nonNegative(p.initialDelaySeconds, `${path}.initialDelaySeconds`));
  errs.push(...nonNegative(p.timeoutSeconds, `${path}.timeoutSeconds`));
  errs.push(...nonNegative(p.periodSeconds, `${path}.periodSeconds`));
  errs.push(...nonNegative(p.successThreshold, `${path}.successThreshold`));
  errs.push(...nonNegative(p.failureThreshold, `${path}.failureThreshold`));
  if ((kind === 'liveness' || kind === 'startup') && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(E.invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  const port = p.httpGet?.port ?? p.tcpSocket?.port;
  if (port !== undefined) errs.push(...validatePortNumOrName(port, `${path}.${p.httpGet ? 'httpGet' : 'tcpSocket'}.port`));
  if (p.httpGet?.scheme && p.httpGet.scheme !== 'HTTP' && p.httpGet.scheme !== 'HTTPS') {
    errs.push(E.notSupported(`${path}.httpGet.scheme`, p.httpGet.scheme, ['HTTP', 'HTTPS']));
  }
  return errs;
}

function validatePortNumOrName(port: number | string, path: string): string[] {
  if (typeof port === 'number') {
    return port < 1 || port > 65535 ? [E.invalid(path, port, 'must be between 1 and 65535, inclusive')] : [];
  }
  // IsValidPortName (an IANA_SVC_NAME).
  const msgs: string[] = [];
  if (port.length < 1 || port.length > 15) msgs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) msgs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (port.includes('--')) msgs.push('must not contain consecutive hyphens');
  if (port.length > 0 && !/[a-z]/.test(port)) msgs.push('must contain at least one letter (a-z)');
  if (port.startsWith('-') || port.endsWith('-')) msgs.push('must not begin or end with a hyphen');
  return msgs.map((m) => E.invalid(path, port, m));
}

function validateResources(c: Container, path: string): string[] {
  const errs: string[] = [];
  const { limits = {}, requests = {} } = c.resources ?? {};
  for (const [which, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, q] of Object.entries(list)) {
      const p = `${path}.resources.${which}[${name}]`;
      const v = parseQuantity(q as string | number);
      // A malformed quantity never reaches validation on the real server (it fails decoding with this
      // message); objects built in code can still carry one, so we report it here in the same words.
      if (v === undefined) errs.push(E.invalid(p, q, QUANTITY_FORMAT_ERROR));
      else if (v < 0) errs.push(E.invalid(p, String(q), 'must be greater than or equal to 0'));
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const lim = limits[name];
    if (lim === undefined) continue;
    const r = parseQuantity(q as string | number);
    const l = parseQuantity(lim as string | number);
    if (r !== undefined && l !== undefined && r > l) {
      errs.push(E.invalid(`${path}.resources.requests`, String(q), `must be less than or equal to ${name} limit of ${String(lim)}`));
    }
  }
  return errs;
}

function validateContainers(
  containers: Container[] | undefined,
  volumes: Set<string>,
  path: string,
  seen: Set<string>,
  init: boolean,
): string[] {
  const errs: string[] = [];
  (containers ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c.name) errs.push(E.required(`${p}.name`, ''));
    else {
      for (const m of isDNS1123Label(c.name)) errs.push(E.invalid(`${p}.name`, c.name, m));
      if (seen.has(c.name)) errs.push(E.duplicate(`${p}.name`, c.name));
      seen.add(c.name);
    }
    if (!c.image) errs.push(E.required(`${p}.image`, ''));
    if (c.terminationMessagePolicy && c.terminationMessagePolicy !== 'File' && c.terminationMessagePolicy !== 'FallbackToLogsOnError') {
      errs.push(E.notSupported(`${p}.terminationMessagePolicy`, c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
    }
    const portNames = new Set<string>();
    (c.ports ?? []).forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (port.name) {
        errs.push(...validatePortNumOrName(port.name, `${pp}.name`));
        if (portNames.has(port.name)) errs.push(E.duplicate(`${pp}.name`, port.name));
        portNames.add(port.name);
      }
      if (!port.containerPort) errs.push(E.required(`${pp}.containerPort`, ''));
      else errs.push(...validatePortNumOrName(port.containerPort, `${pp}.containerPort`));
      if (port.hostPort) errs.push(...validatePortNumOrName(port.hostPort, `${pp}.hostPort`));
      if (!port.protocol) errs.push(E.required(`${pp}.protocol`, ''));
      else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(E.notSupported(`${pp}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
    });
    (c.env ?? []).forEach((e, j) => {
      if (!e.name) errs.push(E.required(`${p}.env[${j}].name`, ''));
      if (e.value && e.valueFrom) {
        errs.push(E.invalid(`${p}.env[${j}].valueFrom`, '', 'may not be specified when `value` is not empty'));
      }
    });
    const mountPaths = new Set<string>();
    (c.volumeMounts ?? []).forEach((m, j) => {
      const mp = `${p}.volumeMounts[${j}]`;
      if (!m.name) errs.push(E.required(`${mp}.name`, ''));
      else if (!volumes.has(m.name)) errs.push(E.notFound(`${mp}.name`, m.name));
      if (!m.mountPath) errs.push(E.required(`${mp}.mountPath`, ''));
      else if (mountPaths.has(m.mountPath)) errs.push(E.invalid(`${mp}.mountPath`, m.mountPath, 'must be unique'));
      if (m.mountPath) mountPaths.add(m.mountPath);
    });
    if (c.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
      errs.push(E.notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
    }
    errs.push(...validateResources(c, p));
    if (init) {
      if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') errs.push(E.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      // Regular init containers may not have probes; sidecars (restartPolicy Always) may.
      if (c.restartPolicy !== 'Always') {
        if (c.livenessProbe) errs.push(E.forbidden(`${p}.livenessProbe`, 'may not be set for init containers without restartPolicy=Always'));
        if (c.readinessProbe) errs.push(E.forbidden(`${p}.readinessProbe`, 'may not be set for init containers without restartPolicy=Always'));
        if (c.startupProbe) errs.push(E.forbidden(`${p}.startupProbe`, 'may not be set for init containers without restartPolicy=Always'));
      }
    } else if (c.restartPolicy !== undefined) {
      errs.push(E.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
    }
    errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`, 'startup'));
  });
  return errs;
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'secret', 'configMap', 'persistentVolumeClaim', 'projected', 'downwardAPI', 'image', 'nfs',
  'iscsi', 'csi', 'ephemeral', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'azureDisk', 'vsphereVolume', 'quobyte', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
] as const;

function validateVolumes(volumes: Volume[] | undefined, path: string): { errs: string[]; names: Set<string> } {
  const errs: string[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const p = `${path}[${i}]`;
    if (!v.name) errs.push(E.required(`${p}.name`, ''));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(E.invalid(`${p}.name`, v.name, m));
      if (names.has(v.name)) errs.push(E.duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => (v as unknown as Record<string, unknown>)[s] !== undefined);
    if (sources.length === 0) errs.push(E.required(p, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(E.forbidden(`${p}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (v.configMap && !v.configMap.name) errs.push(E.required(`${p}.configMap.name`, ''));
    if (v.secret && !v.secret.secretName) errs.push(E.required(`${p}.secret.secretName`, ''));
    if (v.hostPath && !v.hostPath.path) errs.push(E.required(`${p}.hostPath.path`, ''));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(E.required(`${p}.persistentVolumeClaim.claimName`, ''));
  });
  return { errs, names };
}

function validateTolerations(tolerations: Toleration[] | undefined, path: string): string[] {
  const errs: string[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...validateLabels({ [t.key]: '' }, `${p}.key`));
    if (!t.key && t.operator !== 'Exists') errs.push(E.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(E.invalid(`${p}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    switch (t.operator ?? 'Equal') {
      case 'Equal':
        if (t.value) errs.push(...validateLabels({ k: t.value }, `${p}.value`));
        break;
      case 'Exists':
        if (t.value) errs.push(E.invalid(`${p}.operator`, t.operator, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(E.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(E.notSupported(`${p}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** ValidatePodSpec: volumes, containers, init containers, restart policy, DNS policy, and the rest. */
export function validatePodSpec(spec: PodSpec | undefined, path: string): string[] {
  const errs: string[] = [];
  const s = spec ?? ({} as PodSpec);
  const { errs: volErrs, names } = validateVolumes(s.volumes, `${path}.volumes`);
  errs.push(...volErrs);
  const seen = new Set<string>();
  if (!s.containers || s.containers.length === 0) errs.push(E.required(`${path}.containers`, ''));
  // Regular containers first: an init container named like one of them is the duplicate.
  errs.push(...validateContainers(s.containers, names, `${path}.containers`, seen, false));
  errs.push(...validateContainers(s.initContainers, names, `${path}.initContainers`, seen, true));
  if (!s.restartPolicy) errs.push(E.required(`${path}.restartPolicy`, ''));
  else if (!['Always', 'OnFailure', 'Never'].includes(s.restartPolicy)) {
    errs.push(E.notSupported(`${path}.restartPolicy`, s.restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
  if (!s.dnsPolicy) errs.push(E.required(`${path}.dnsPolicy`, ''));
  else if (!['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(s.dnsPolicy)) {
    errs.push(E.notSupported(`${path}.dnsPolicy`, s.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  if (s.serviceAccountName) for (const m of isDNS1123Subdomain(s.serviceAccountName)) errs.push(E.invalid(`${path}.serviceAccountName`, s.serviceAccountName, m));
  if (s.nodeName) for (const m of isDNS1123Subdomain(s.nodeName)) errs.push(E.invalid(`${path}.nodeName`, s.nodeName, m));
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > 2147483647)) {
    errs.push(E.invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  if (s.hostname) for (const m of isDNS1123Label(s.hostname)) errs.push(E.invalid(`${path}.hostname`, s.hostname, m));
  if (s.subdomain) for (const m of isDNS1123Label(s.subdomain)) errs.push(E.invalid(`${path}.subdomain`, s.subdomain, m));
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.preemptionPolicy && s.preemptionPolicy !== 'PreemptLowerPriority' && s.preemptionPolicy !== 'Never') {
    errs.push(E.notSupported(`${path}.preemptionPolicy`, s.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  return errs;
}

function validatePod(pod: Pod): string[] {
  return validatePodSpec(pod.spec, 'spec');
}

/** The labels of a template must be selected by the controller's selector (ValidatePodTemplateSpecForReplicaSet). */
function validateTemplateForSelector(
  template: PodTemplateSpec | undefined,
  selector: LabelSelector | undefined,
  path: string,
  allowedRestart: string[],
): string[] {
  const errs: string[] = [];
  if (!template) return [E.required(path, '')];
  const labels = template.metadata?.labels;
  // A missing selector selects nothing (labels.Nothing()), so a missing selector also reports a mismatch.
  const sel = selector ? selectorFromLabelSelector(selector) : undefined;
  if (!sel || (!sel.empty && !sel.matches(labels))) {
    errs.push(labels ? E.invalid(`${path}.metadata.labels`, labels, '`selector` does not match template `labels`') : E.invalidRaw(`${path}.metadata.labels`, 'map[string]string(nil)', '`selector` does not match template `labels`'));
  }
  errs.push(...validateLabels(labels, `${path}.metadata.labels`));
  errs.push(...validatePodSpec(template.spec, `${path}.spec`));
  const rp = template.spec?.restartPolicy;
  if (rp && !allowedRestart.includes(rp)) errs.push(E.notSupported(`${path}.spec.restartPolicy`, rp, allowedRestart));
  if (allowedRestart.length === 1 && template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(E.forbidden(`${path}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/**
 * A *metav1.LabelSelector as field.Error prints it: through its generated String() method
 * (`&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}`).
 */
function goSelector(sel: LabelSelector | undefined): string {
  if (!sel) return 'null';
  const ml = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}: ${v},`).join('');
  const me = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${ml}},MatchExpressions:[]LabelSelectorRequirement{${me}},}`;
}

function validateSelector(selector: LabelSelector | undefined, path: string, kindWord: string): string[] {
  if (!selector) return [E.required(path, '')];
  const errs: string[] = [];
  errs.push(...validateLabels(selector.matchLabels, `${path}.matchLabels`));
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) errs.push(E.invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
    if ((e.operator === 'In' || e.operator === 'NotIn') && !e.values?.length) errs.push(E.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && e.values?.length) errs.push(E.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
  });
  if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) {
    errs.push(E.invalidRaw(path, goSelector(selector), `empty selector is invalid for ${kindWord}`));
  }
  return errs;
}

/** intstr.IntOrString as field.Error prints it (its String()): `0`, `25%`. */
function intOrPercent(v: number | string | undefined, path: string): { errs: string[]; value: number; percent: boolean } {
  if (v === undefined) return { errs: [], value: 0, percent: false };
  if (typeof v === 'number') return { errs: nonNegative(v, path), value: v, percent: false };
  const m = /^(\d+)%$/.exec(v);
  if (!m) return { errs: [E.invalidRaw(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")], value: 0, percent: true };
  return { errs: [], value: Number(m[1]), percent: true };
}

function validateRollingUpdate(ru: { maxUnavailable?: number | string; maxSurge?: number | string }, path: string): string[] {
  const errs: string[] = [];
  const mu = intOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`);
  const ms = intOrPercent(ru.maxSurge, `${path}.maxSurge`);
  errs.push(...mu.errs, ...ms.errs);
  if (mu.value === 0 && ms.value === 0) errs.push(E.invalidRaw(`${path}.maxUnavailable`, String(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  if (mu.percent && mu.value > 100) errs.push(E.invalidRaw(`${path}.maxUnavailable`, String(ru.maxUnavailable), 'must not be greater than 100%'));
  return errs;
}

/**
 * A policy.PodDisruptionBudgetSpec as field.Invalid prints it (Go's %#v of the struct). Why fixed
 * addresses: Go prints the pointers' heap addresses, which differ on every request; we print stable
 * ones so the same commands give the same output.
 */
function goPdbSpec(spec: NonNullable<PodDisruptionBudget['spec']>): string {
  const ptr = (set: boolean, type: string, addr: string) => `(*${type})(${set ? addr : 'nil'})`;
  return `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr(spec.minAvailable !== undefined, 'intstr.IntOrString', '0xc000a1e2a0')}, `
    + `Selector:${ptr(spec.selector !== undefined, 'v1.LabelSelector', '0xc000a1e2c0')}, `
    + `MaxUnavailable:${ptr(spec.maxUnavailable !== undefined, 'intstr.IntOrString', '0xc000a1e2e0')}, `
    + `UnhealthyPodEvictionPolicy:${ptr(spec.unhealthyPodEvictionPolicy !== undefined, 'policy.UnhealthyPodEvictionPolicyType', '0xc000a1e300')}}`;
}

/** ValidateLabelSelector (metav1 validation): requirements and label values; an empty selector is allowed. */
function validateLabelSelector(selector: LabelSelector | undefined, path: string): string[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, `${path}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (!e.values?.length) errs.push(E.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (e.values?.length) errs.push(E.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    } else errs.push(E.invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
    for (const m of isQualifiedName(e.key ?? '')) errs.push(E.invalid(`${p}.key`, e.key ?? '', m));
    (e.values ?? []).forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(E.invalid(`${p}.values[${j}]`, v, m));
    });
  });
  return errs;
}

/** The values policy/v1 accepts for spec.unhealthyPodEvictionPolicy. */
export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** ValidatePodDisruptionBudgetSpec (pkg/apis/policy/validation). */
function validatePodDisruptionBudget(pdb: PodDisruptionBudget): string[] {
  const spec = pdb.spec ?? {};
  const errs: string[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(E.invalidRaw('spec', goPdbSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const [field, v] of [['minAvailable', spec.minAvailable], ['maxUnavailable', spec.maxUnavailable]] as const) {
    if (v === undefined) continue;
    const r = intOrPercent(v, `spec.${field}`);
    errs.push(...r.errs);
    if (r.percent && r.value > 100) errs.push(E.invalidRaw(`spec.${field}`, String(v), 'must not be greater than 100%'));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !UNHEALTHY_POD_EVICTION_POLICIES.includes(policy)) {
    errs.push(E.notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

function validateReplicaSet(rs: ReplicaSet): string[] {
  const spec = rs.spec;
  const errs: string[] = [];
  errs.push(...nonNegative(spec?.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelector(spec?.selector, 'spec.selector', 'deployment'));
  errs.push(...validateTemplateForSelector(spec?.template, spec?.selector, 'spec.template', ['Always']));
  return errs;
}

function validateDeployment(d: Deployment): string[] {
  const spec = d.spec;
  const errs: string[] = [];
  errs.push(...nonNegative(spec?.replicas, 'spec.replicas'));
  errs.push(...validateSelector(spec?.selector, 'spec.selector', 'deployment'));
  errs.push(...validateTemplateForSelector(spec?.template, spec?.selector, 'spec.template', ['Always']));
  const strategy = spec?.strategy;
  if (strategy?.type === 'Recreate') {
    if (strategy.rollingUpdate) errs.push(E.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  } else if (strategy?.type === 'RollingUpdate') {
    if (!strategy.rollingUpdate) errs.push(E.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    else errs.push(...validateRollingUpdate(strategy.rollingUpdate, 'spec.strategy.rollingUpdate'));
  } else if (strategy) {
    errs.push(E.notSupported('spec.strategy', strategy.type ?? '', ['Recreate', 'RollingUpdate']));
  }
  errs.push(...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec?.progressDeadlineSeconds !== undefined) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(E.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

function validateDaemonSet(ds: DaemonSet): string[] {
  const spec = ds.spec;
  const errs: string[] = [];
  errs.push(...validateSelector(spec?.selector, 'spec.selector', 'daemonset'));
  errs.push(...validateTemplateForSelector(spec?.template, spec?.selector, 'spec.template', ['Always']));
  errs.push(...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const us = spec?.updateStrategy;
  if (us?.type === 'RollingUpdate' && us.rollingUpdate) {
    const ru = us.rollingUpdate;
    const mu = intOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable');
    const ms = intOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge');
    errs.push(...mu.errs, ...ms.errs);
    if (mu.value === 0 && ms.value === 0) {
      errs.push(E.invalidRaw('spec.updateStrategy.rollingUpdate.maxUnavailable', String(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
    }
  } else if (us?.type && us.type !== 'OnDelete' && us.type !== 'RollingUpdate') {
    errs.push(E.notSupported('spec.updateStrategy', us.type, ['OnDelete', 'RollingUpdate']));
  }
  return errs;
}

function validateJob(job: Job): string[] {
  const spec = job.spec;
  const errs: string[] = [];
  errs.push(...nonNegative(spec?.parallelism, 'spec.parallelism'));
  errs.push(...nonNegative(spec?.completions, 'spec.completions'));
  if (spec?.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errs.push(E.invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be greater than 0'));
  }
  errs.push(...nonNegative(spec?.backoffLimit, 'spec.backoffLimit'));
  errs.push(...nonNegative(spec?.ttlSecondsAfterFinished, 'spec.ttlSecondsAfterFinished'));
  if (spec?.completionMode && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
    errs.push(E.notSupported('spec.completionMode', spec.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (spec?.completionMode === 'Indexed' && spec.completions === undefined) {
    errs.push(E.required('spec.completions', "when completion mode is Indexed"));
  }
  if (!spec?.selector) errs.push(E.required('spec.selector', ''));
  else {
    errs.push(...validateSelector(spec.selector, 'spec.selector', 'job').filter((e) => !e.includes('empty selector')));
  }
  const template = spec?.template;
  if (spec?.selector && template) {
    const sel = selectorFromLabelSelector(spec.selector);
    if (!sel.matches(template.metadata?.labels)) {
      errs.push(E.invalid('spec.template.metadata.labels', template.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validatePodSpec(template?.spec, 'spec.template.spec'));
  const rp = template?.spec?.restartPolicy;
  if (rp !== 'OnFailure' && rp !== 'Never') errs.push(E.notSupported('spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
  return errs;
}

function validateService(svc: Service): string[] {
  const spec = svc.spec ?? {};
  const errs: string[] = [];
  const type = spec.type ?? 'ClusterIP';
  if (!['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'].includes(type)) {
    errs.push(E.notSupported('spec.type', type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
  }
  const ports = spec.ports ?? [];
  if (type !== 'ExternalName' && ports.length === 0 && spec.clusterIP !== 'None') errs.push(E.required('spec.ports', ''));
  if (type === 'ExternalName' && !spec.externalName) errs.push(E.required('spec.externalName', ''));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(E.required(`${pp}.name`, ''));
    if (p.name) {
      for (const m of isDNS1123Label(p.name)) errs.push(E.invalid(`${pp}.name`, p.name, m));
      if (names.has(p.name)) errs.push(E.duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    errs.push(...validatePortNumOrName(p.port, `${pp}.port`));
    if (p.protocol && !['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(E.notSupported(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    if (p.targetPort !== undefined) errs.push(...validatePortNumOrName(p.targetPort, `${pp}.targetPort`));
    if (p.nodePort !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(E.forbidden(`${pp}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
    }
  });
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (spec.sessionAffinity && spec.sessionAffinity !== 'None' && spec.sessionAffinity !== 'ClientIP') {
    errs.push(E.notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  }
  return errs;
}

function validateData(data: Record<string, string> | undefined, path: string): string[] {
  const errs: string[] = [];
  for (const k of Object.keys(data ?? {})) for (const m of isConfigMapKey(k)) errs.push(E.invalid(`${path}[${k}]`, k, m));
  return errs;
}

function specOf(obj: KObject): unknown {
  return (obj as { spec?: unknown }).spec;
}

/** JSON with object keys sorted, so that key order never counts as a change. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** ValidatePodUpdate: only images, activeDeadlineSeconds and added tolerations may change. */
function validatePodUpdate(pod: Pod, old: Pod): string[] {
  const errs: string[] = [];
  const ns = pod.spec ?? ({} as PodSpec);
  const os = old.spec ?? ({} as PodSpec);
  for (const field of ['containers', 'initContainers'] as const) {
    if ((ns[field] ?? []).length !== (os[field] ?? []).length) {
      return [...errs, E.forbidden(`spec.${field}`, 'pod updates may not add or remove containers')];
    }
  }
  if (ns.activeDeadlineSeconds === undefined && os.activeDeadlineSeconds !== undefined) {
    errs.push(E.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  } else if (ns.activeDeadlineSeconds !== undefined && os.activeDeadlineSeconds !== undefined && ns.activeDeadlineSeconds > os.activeDeadlineSeconds) {
    errs.push(E.invalid('spec.activeDeadlineSeconds', ns.activeDeadlineSeconds, 'must be less than or equal to previous value'));
  }
  for (const t of os.tolerations ?? []) {
    const found = (ns.tolerations ?? []).some((n) => canonical({ ...t, tolerationSeconds: n.tolerationSeconds }) === canonical(n));
    if (!found) {
      errs.push(E.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  const munged: PodSpec = {
    ...ns,
    containers: ns.containers.map((c, i) => ({ ...c, image: os.containers[i].image })),
    ...(ns.initContainers ? { initContainers: ns.initContainers.map((c, i) => ({ ...c, image: os.initContainers![i].image })) } : {}),
    activeDeadlineSeconds: os.activeDeadlineSeconds,
    tolerations: os.tolerations,
    schedulingGates: os.schedulingGates,
  };
  if (canonical(munged) !== canonical(os)) {
    // Why not cmp.Diff: the real message appends a Go struct diff of core.PodSpec. We list the changed
    // top-level fields as JSON instead, which says the same thing to a reader.
    const keys = [...new Set([...Object.keys(os), ...Object.keys(munged)])].sort();
    const lines: string[] = ['  core.PodSpec{'];
    for (const k of keys) {
      const a = (os as unknown as Record<string, unknown>)[k];
      const b = (munged as unknown as Record<string, unknown>)[k];
      if (canonical(a) === canonical(b)) continue;
      const goName = k.charAt(0).toUpperCase() + k.slice(1);
      if (a !== undefined) lines.push(`- \t${goName}: ${JSON.stringify(a)},`);
      if (b !== undefined) lines.push(`+ \t${goName}: ${JSON.stringify(b)},`);
    }
    lines.push('  }');
    errs.push(E.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${lines.join('\n')}\n`));
  }
  return errs;
}

/** ValidateObjectMetaUpdate: name, namespace, uid and creationTimestamp never change. */
function validateMetaUpdate(obj: KObject, old: KObject): string[] {
  const errs: string[] = [];
  const m = obj.metadata ?? {};
  const o = old.metadata ?? {};
  if (m.name !== o.name) errs.push(E.invalid('metadata.name', m.name ?? '', 'field is immutable'));
  if ((m.namespace ?? '') !== (o.namespace ?? '')) errs.push(E.invalid('metadata.namespace', m.namespace ?? '', 'field is immutable'));
  if (m.uid && o.uid && m.uid !== o.uid) errs.push(E.invalid('metadata.uid', m.uid, 'field is immutable'));
  return errs;
}

function validateUpdate(kind: Kind, obj: KObject, old: KObject): string[] {
  const errs = validateMetaUpdate(obj, old);
  switch (kind) {
    case 'Pod':
      errs.push(...validatePodUpdate(obj as Pod, old as Pod));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet': {
      const sel = (specOf(obj) as { selector?: LabelSelector } | undefined)?.selector;
      const oldSel = (specOf(old) as { selector?: LabelSelector } | undefined)?.selector;
      if (canonical(sel) !== canonical(oldSel)) errs.push(E.invalidRaw('spec.selector', goSelector(sel), 'field is immutable'));
      break;
    }
    case 'Job': {
      const s = (obj as Job).spec;
      const o = (old as Job).spec;
      if (canonical(s?.selector) !== canonical(o?.selector)) errs.push(E.invalidRaw('spec.selector', goSelector(s?.selector), 'field is immutable'));
      if (canonical(s?.template) !== canonical(o?.template)) errs.push(E.invalidRaw('spec.template', 'core.PodTemplateSpec{...}', 'field is immutable'));
      if (s?.completions !== o?.completions) errs.push(E.invalid('spec.completions', s?.completions ?? null, 'field is immutable'));
      break;
    }
    case 'ConfigMap':
    case 'Secret': {
      const o = old as ConfigMap | Secret;
      const n = obj as ConfigMap | Secret;
      if (o.immutable) {
        if (!n.immutable) errs.push(E.forbidden('immutable', 'field is immutable when `immutable` is set'));
        if (canonical(n.data) !== canonical(o.data)) errs.push(E.forbidden('data', 'field is immutable when `immutable` is set'));
      }
      break;
    }
    case 'Service': {
      const o = (old as Service).spec;
      const n = (obj as Service).spec;
      if (o?.clusterIP && n?.clusterIP && o.clusterIP !== n.clusterIP) {
        errs.push(E.invalid('spec.clusterIPs[0]', n.clusterIP, 'may not change once set'));
      }
      break;
    }
  }
  return errs;
}

const NAMESPACED: Record<Kind, boolean> = {
  Namespace: false, Node: false, Pod: true, Event: true, ConfigMap: true, Secret: true, Service: true, ReplicaSet: true,
  Deployment: true, DaemonSet: true, Job: true, Lease: true, EndpointSlice: true, PodDisruptionBudget: true,
};

/**
 * Returns the causes in the API's words (`spec.containers[0].image: Required value`), empty when the
 * object is valid. With `old`, the update rules apply too (immutable fields, pod spec updates).
 * Duplicate causes are dropped, as field.ErrorList.ToAggregate does.
 * @example validateObject('Deployment', d, undefined) // ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']
 */
export function validateObject<K extends Kind>(kind: K, obj: KindMap[K], old: KindMap[K] | undefined): string[] {
  const errs = validateObjectMeta(kind, obj, NAMESPACED[kind]);
  switch (kind) {
    case 'Pod':
      errs.push(...validatePod(obj as Pod));
      break;
    case 'ReplicaSet':
      errs.push(...validateReplicaSet(obj as ReplicaSet));
      break;
    case 'Deployment':
      errs.push(...validateDeployment(obj as Deployment));
      break;
    case 'DaemonSet':
      errs.push(...validateDaemonSet(obj as DaemonSet));
      break;
    case 'Job':
      errs.push(...validateJob(obj as Job));
      break;
    case 'Service':
      errs.push(...validateService(obj as Service));
      break;
    case 'ConfigMap':
      errs.push(...validateData((obj as ConfigMap).data, 'data'), ...validateData((obj as ConfigMap).binaryData, 'binaryData'));
      break;
    case 'Secret':
      errs.push(...validateData((obj as Secret).data, 'data'), ...validateData((obj as Secret).stringData, 'stringData'));
      break;
    case 'PodDisruptionBudget':
      errs.push(...validatePodDisruptionBudget(obj as PodDisruptionBudget));
      break;
  }
  if (old) errs.push(...validateUpdate(kind, obj, old));
  return [...new Set(errs)];
}
