/**
 * The known fields of the kinds the simulated API server serves, with their Go types, so that a
 * manifest can be decoded the way kube-apiserver decodes it: strict field validation
 * (`strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"`) and Go's JSON type
 * errors (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`).
 *
 * Why a hand-written table: the real server walks the Go structs of k8s.io/api. We list the fields
 * of k8s.io/api v0.34 for the objects learners write; deep, rarely written sub-objects (affinity
 * terms, security contexts, CSI sources, status) are typed `any` so a real manifest is never
 * refused for a field we did not list. Unknown fields inside those are not reported.
 */

/** A field type, named as Go prints it in decoding errors. */
export type FieldType =
  | { t: 'string' | 'int32' | 'int64' | 'bool' | 'float64' | 'quantity' | 'intOrString' | 'any' }
  | { t: 'map'; go: string; of: FieldType }
  | { t: 'list'; go: string; of: FieldType }
  | { t: 'struct'; go: string; fields: Record<string, FieldType> };

const str: FieldType = { t: 'string' };
const i32: FieldType = { t: 'int32' };
const i64: FieldType = { t: 'int64' };
const bool: FieldType = { t: 'bool' };
const qty: FieldType = { t: 'quantity' };
const ios: FieldType = { t: 'intOrString' };
const any: FieldType = { t: 'any' };
const strMap: FieldType = { t: 'map', go: 'map[string]string', of: str };
const strList: FieldType = { t: 'list', go: '[]string', of: str };
const resourceList: FieldType = { t: 'map', go: 'v1.ResourceList', of: qty };

function struct(go: string, fields: Record<string, FieldType>): FieldType {
  return { t: 'struct', go, fields };
}
function list(of: FieldType): FieldType {
  return { t: 'list', go: `[]${of.t === 'struct' ? of.go : of.t}`, of };
}

const objectMeta = struct('v1.ObjectMeta', {
  name: str, generateName: str, namespace: str, selfLink: str, uid: str, resourceVersion: str,
  generation: i64, creationTimestamp: any, deletionTimestamp: any, deletionGracePeriodSeconds: i64,
  labels: strMap, annotations: strMap,
  ownerReferences: list(struct('v1.OwnerReference', {
    apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool,
  })),
  finalizers: strList, managedFields: any,
});

const labelSelector = struct('v1.LabelSelector', {
  matchLabels: strMap,
  matchExpressions: list(struct('v1.LabelSelectorRequirement', { key: str, operator: str, values: strList })),
});

const localObjectReference = struct('v1.LocalObjectReference', { name: str });
const keyToPath = list(struct('v1.KeyToPath', { key: str, path: str, mode: i32 }));

const execAction = struct('v1.ExecAction', { command: strList });
const httpGetAction = struct('v1.HTTPGetAction', {
  path: str, port: ios, host: str, scheme: str,
  httpHeaders: list(struct('v1.HTTPHeader', { name: str, value: str })),
});
const tcpSocketAction = struct('v1.TCPSocketAction', { port: ios, host: str });
const grpcAction = struct('v1.GRPCAction', { port: i32, service: str });

const probe = struct('v1.Probe', {
  exec: execAction, httpGet: httpGetAction, tcpSocket: tcpSocketAction, grpc: grpcAction,
  initialDelaySeconds: i32, timeoutSeconds: i32, periodSeconds: i32, successThreshold: i32,
  failureThreshold: i32, terminationGracePeriodSeconds: i64,
});

const lifecycleHandler = struct('v1.LifecycleHandler', {
  exec: execAction, httpGet: httpGetAction, tcpSocket: tcpSocketAction,
  sleep: struct('v1.SleepAction', { seconds: i64 }),
});

const keySelector = (go: string) => struct(go, { name: str, key: str, optional: bool });

const envVar = struct('v1.EnvVar', {
  name: str, value: str,
  valueFrom: struct('v1.EnvVarSource', {
    fieldRef: struct('v1.ObjectFieldSelector', { apiVersion: str, fieldPath: str }),
    resourceFieldRef: struct('v1.ResourceFieldSelector', { containerName: str, resource: str, divisor: qty }),
    configMapKeyRef: keySelector('v1.ConfigMapKeySelector'),
    secretKeyRef: keySelector('v1.SecretKeySelector'),
    fileKeyRef: any,
  }),
});

const envFromSource = struct('v1.EnvFromSource', {
  prefix: str,
  configMapRef: struct('v1.ConfigMapEnvSource', { name: str, optional: bool }),
  secretRef: struct('v1.SecretEnvSource', { name: str, optional: bool }),
});

const container = struct('v1.Container', {
  name: str, image: str, command: strList, args: strList, workingDir: str,
  ports: list(struct('v1.ContainerPort', { name: str, hostPort: i32, containerPort: i32, protocol: str, hostIP: str })),
  envFrom: list(envFromSource), env: list(envVar),
  resources: struct('v1.ResourceRequirements', {
    limits: resourceList, requests: resourceList,
    claims: list(struct('v1.ResourceClaim', { name: str, request: str })),
  }),
  resizePolicy: list(struct('v1.ContainerResizePolicy', { resourceName: str, restartPolicy: str })),
  restartPolicy: str, restartPolicyRules: any,
  volumeMounts: list(struct('v1.VolumeMount', {
    name: str, readOnly: bool, recursiveReadOnly: str, mountPath: str, subPath: str, mountPropagation: str, subPathExpr: str,
  })),
  volumeDevices: list(struct('v1.VolumeDevice', { name: str, devicePath: str })),
  livenessProbe: probe, readinessProbe: probe, startupProbe: probe,
  lifecycle: struct('v1.Lifecycle', { postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: str }),
  terminationMessagePath: str, terminationMessagePolicy: str, imagePullPolicy: str,
  securityContext: any, stdin: bool, stdinOnce: bool, tty: bool,
});

const volume = struct('v1.Volume', {
  name: str,
  hostPath: struct('v1.HostPathVolumeSource', { path: str, type: str }),
  emptyDir: struct('v1.EmptyDirVolumeSource', { medium: str, sizeLimit: qty }),
  secret: struct('v1.SecretVolumeSource', { secretName: str, items: keyToPath, defaultMode: i32, optional: bool }),
  configMap: struct('v1.ConfigMapVolumeSource', { name: str, items: keyToPath, defaultMode: i32, optional: bool }),
  persistentVolumeClaim: struct('v1.PersistentVolumeClaimVolumeSource', { claimName: str, readOnly: bool }),
  projected: struct('v1.ProjectedVolumeSource', { sources: any, defaultMode: i32 }),
  downwardAPI: struct('v1.DownwardAPIVolumeSource', { items: any, defaultMode: i32 }),
  image: struct('v1.ImageVolumeSource', { reference: str, pullPolicy: str }),
  // Rarely written sources: accepted, not checked field by field.
  nfs: any, iscsi: any, csi: any, ephemeral: any, gcePersistentDisk: any, awsElasticBlockStore: any,
  gitRepo: any, glusterfs: any, rbd: any, flexVolume: any, cinder: any, cephfs: any, flocker: any, fc: any,
  azureFile: any, azureDisk: any, vsphereVolume: any, quobyte: any, photonPersistentDisk: any,
  portworxVolume: any, scaleIO: any, storageos: any,
});

const toleration = struct('v1.Toleration', { key: str, operator: str, value: str, effect: str, tolerationSeconds: i64 });

const podSpec = struct('v1.PodSpec', {
  volumes: list(volume), initContainers: list(container), containers: list(container), ephemeralContainers: any,
  restartPolicy: str, terminationGracePeriodSeconds: i64, activeDeadlineSeconds: i64, dnsPolicy: str,
  nodeSelector: strMap, serviceAccountName: str, serviceAccount: str, automountServiceAccountToken: bool,
  nodeName: str, hostNetwork: bool, hostPID: bool, hostIPC: bool, shareProcessNamespace: bool,
  securityContext: any, imagePullSecrets: list(localObjectReference), hostname: str, subdomain: str,
  affinity: any, schedulerName: str, tolerations: list(toleration),
  hostAliases: list(struct('v1.HostAlias', { ip: str, hostnames: strList })),
  priorityClassName: str, priority: i32, dnsConfig: any,
  readinessGates: list(struct('v1.PodReadinessGate', { conditionType: str })),
  runtimeClassName: str, enableServiceLinks: bool, preemptionPolicy: str, overhead: resourceList,
  topologySpreadConstraints: list(struct('v1.TopologySpreadConstraint', {
    maxSkew: i32, topologyKey: str, whenUnsatisfiable: str, labelSelector, minDomains: i32,
    nodeAffinityPolicy: str, nodeTaintsPolicy: str, matchLabelKeys: strList,
  })),
  setHostnameAsFQDN: bool, os: struct('v1.PodOS', { name: str }), hostUsers: bool,
  schedulingGates: list(struct('v1.PodSchedulingGate', { name: str })), resourceClaims: any,
  resources: struct('v1.ResourceRequirements', { limits: resourceList, requests: resourceList, claims: any }),
  hostnameOverride: str,
});

const podTemplateSpec = struct('v1.PodTemplateSpec', { metadata: objectMeta, spec: podSpec });

const rollingUpdate = (go: string) => struct(go, { maxUnavailable: ios, maxSurge: ios });

const top = (go: string, fields: Record<string, FieldType>) =>
  struct(go, { apiVersion: str, kind: str, metadata: objectMeta, ...fields });

/** The decoding schema of each kind a manifest may carry. Kinds absent here are decoded without checks. */
export const SCHEMAS: Record<string, FieldType> = {
  Pod: top('v1.Pod', { spec: podSpec, status: any }),
  Namespace: top('v1.Namespace', { spec: struct('v1.NamespaceSpec', { finalizers: strList }), status: any }),
  ConfigMap: top('v1.ConfigMap', { data: strMap, binaryData: strMap, immutable: bool }),
  Secret: top('v1.Secret', { data: strMap, stringData: strMap, type: str, immutable: bool }),
  Service: top('v1.Service', {
    spec: struct('v1.ServiceSpec', {
      ports: list(struct('v1.ServicePort', { name: str, protocol: str, appProtocol: str, port: i32, targetPort: ios, nodePort: i32 })),
      selector: strMap, clusterIP: str, clusterIPs: strList, type: str, externalIPs: strList,
      sessionAffinity: str, loadBalancerIP: str, loadBalancerSourceRanges: strList, externalName: str,
      externalTrafficPolicy: str, healthCheckNodePort: i32, publishNotReadyAddresses: bool,
      sessionAffinityConfig: any, ipFamilies: strList, ipFamilyPolicy: str,
      allocateLoadBalancerNodePorts: bool, loadBalancerClass: str, internalTrafficPolicy: str, trafficDistribution: str,
    }),
    status: any,
  }),
  ReplicaSet: top('v1.ReplicaSet', {
    spec: struct('v1.ReplicaSetSpec', { replicas: i32, minReadySeconds: i32, selector: labelSelector, template: podTemplateSpec }),
    status: any,
  }),
  Deployment: top('v1.Deployment', {
    spec: struct('v1.DeploymentSpec', {
      replicas: i32, selector: labelSelector, template: podTemplateSpec,
      strategy: struct('v1.DeploymentStrategy', { type: str, rollingUpdate: rollingUpdate('v1.RollingUpdateDeployment') }),
      minReadySeconds: i32, revisionHistoryLimit: i32, paused: bool, progressDeadlineSeconds: i32,
    }),
    status: any,
  }),
  DaemonSet: top('v1.DaemonSet', {
    spec: struct('v1.DaemonSetSpec', {
      selector: labelSelector, template: podTemplateSpec,
      updateStrategy: struct('v1.DaemonSetUpdateStrategy', { type: str, rollingUpdate: rollingUpdate('v1.RollingUpdateDaemonSet') }),
      minReadySeconds: i32, revisionHistoryLimit: i32,
    }),
    status: any,
  }),
  Job: top('v1.Job', {
    spec: struct('v1.JobSpec', {
      parallelism: i32, completions: i32, activeDeadlineSeconds: i64, podFailurePolicy: any, successPolicy: any,
      backoffLimit: i32, backoffLimitPerIndex: i32, maxFailedIndexes: i32, selector: labelSelector,
      manualSelector: bool, template: podTemplateSpec, ttlSecondsAfterFinished: i32, completionMode: str,
      suspend: bool, podReplacementPolicy: str, managedBy: str,
    }),
    status: any,
  }),
  PodDisruptionBudget: top('v1.PodDisruptionBudget', {
    spec: struct('v1.PodDisruptionBudgetSpec', { minAvailable: ios, selector: labelSelector, maxUnavailable: ios, unhealthyPodEvictionPolicy: str }),
    status: any,
  }),
};

/** The regular expression resource.ParseQuantity's error quotes. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** What strict decoding found: a fatal type error (reported alone, as the server does) or unknown fields. */
export interface DecodeResult {
  typeError?: string;
  unknownFields: string[];
  /** The object with JSON nulls dropped, as Go's decoder leaves those fields at their zero value. */
  value: unknown;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function goTypeName(ft: FieldType): string {
  switch (ft.t) {
    case 'map':
    case 'list':
    case 'struct':
      return ft.go;
    case 'quantity':
      return 'resource.Quantity';
    case 'intOrString':
      return 'intstr.IntOrString';
    default:
      return ft.t;
  }
}

const QUANTITY_SYNTAX = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/**
 * Decode `value` against `schema` as kube-apiserver's strict JSON decoder would.
 * @example decodeStrict(SCHEMAS.Pod, obj).unknownFields // ['spec.containers[0].imagePullPolicyy']
 */
export function decodeStrict(schema: FieldType, input: unknown): DecodeResult {
  const unknownFields: string[] = [];
  let typeError: string | undefined;
  let fatal: string | undefined;
  // Go's decoder saves the first type mismatch and goes on, but an error from a custom UnmarshalJSON
  // (Quantity, IntOrString) aborts decoding at once and is the one reported.
  const fail = (msg: string) => {
    typeError ??= msg;
  };
  const abort = (msg: string) => {
    fatal ??= msg;
  };
  // `path` keeps indices (strict errors); `goPath` is the dotted JSON path without them (type errors).
  const walk = (v: unknown, ft: FieldType, path: string, goPath: string, goStruct: string): unknown => {
    if (v === null || v === undefined) return undefined;
    const typeErr = () =>
      fail(`json: cannot unmarshal ${jsonKind(v)}${typeof v === 'number' && ft.t.startsWith('int') ? ` ${v}` : ''} into Go struct field ${goStruct}.${goPath} of type ${goTypeName(ft)}`);
    switch (ft.t) {
      case 'any':
        return v;
      case 'string':
        if (typeof v !== 'string') typeErr();
        return v;
      case 'bool':
        if (typeof v !== 'boolean') typeErr();
        return v;
      case 'float64':
        if (typeof v !== 'number') typeErr();
        return v;
      case 'int32':
      case 'int64':
        if (typeof v !== 'number') typeErr();
        else if (!Number.isInteger(v) || (ft.t === 'int32' && (v > 2147483647 || v < -2147483648))) {
          fail(`json: cannot unmarshal number ${v} into Go struct field ${goStruct}.${goPath} of type ${ft.t}`);
        }
        return v;
      case 'quantity':
        // resource.Quantity has its own UnmarshalJSON: its error carries no field path.
        if ((typeof v !== 'string' && typeof v !== 'number') || !QUANTITY_SYNTAX.test(String(v).trim())) abort(QUANTITY_FORMAT_ERROR);
        return v;
      case 'intOrString':
        if (typeof v === 'number') {
          if (!Number.isInteger(v)) abort(`json: cannot unmarshal number ${v} into Go value of type int32`);
        } else if (typeof v !== 'string') abort(`json: cannot unmarshal ${jsonKind(v)} into Go value of type int32`);
        return v;
      case 'list': {
        if (!Array.isArray(v)) {
          typeErr();
          return v;
        }
        return v.map((item, i) => walk(item, ft.of, `${path}[${i}]`, goPath, goStruct));
      }
      case 'map': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          typeErr();
          return v;
        }
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          // Go decodes a null map value as the element's zero value.
          out[k] = item === null ? (ft.of.t === 'string' ? '' : item) : walk(item, ft.of, `${path}[${k}]`, goPath, goStruct);
        }
        return out;
      }
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          typeErr();
          return v;
        }
        const name = ft.go.replace(/^.*\./, '');
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          const child = Object.prototype.hasOwnProperty.call(ft.fields, k) ? ft.fields[k] : undefined;
          const childPath = path ? `${path}.${k}` : k;
          if (!child) {
            unknownFields.push(childPath);
            continue;
          }
          const decoded = walk(item, child, childPath, goPath ? `${goPath}.${k}` : k, name);
          if (decoded !== undefined) out[k] = decoded;
        }
        return out;
      }
    }
  };
  const value = walk(input, schema, '', '', schema.t === 'struct' ? schema.go.replace(/^.*\./, '') : '');
  return { typeError: fatal ?? typeError, unknownFields, value };
}
