import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import { applyDefaults } from './defaults';
import { ApiError } from './errors';
import { isDNS1123Label, isDNS1123Subdomain } from './fieldErrors';
import type { Deployment, Job, KObject, Pod, ReplicaSet, Service } from './types';
import { validateObject } from './validation';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function pod(mut: (p: Pod) => void = () => {}): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
  };
  mut(p);
  return applyDefaults('Pod', p);
}

function deployment(mut: (d: Deployment) => void = () => {}): Deployment {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
  mut(d);
  return applyDefaults('Deployment', d);
}

describe('validateObject: Pods', () => {
  const table: { name: string; pod: Pod; causes: string[] }[] = [
    { name: 'a valid pod', pod: pod(), causes: [] },
    {
      name: 'an uppercase name with an underscore',
      pod: pod((p) => (p.metadata!.name = 'Web_1')),
      causes: [`metadata.name: Invalid value: "Web_1": ${SUBDOMAIN_MSG}`],
    },
    {
      name: 'neither name nor generateName',
      pod: pod((p) => delete p.metadata!.name),
      causes: ['metadata.name: Required value: name or generateName is required'],
    },
    { name: 'no containers', pod: pod((p) => (p.spec!.containers = [])), causes: ['spec.containers: Required value'] },
    { name: 'a container without image', pod: pod((p) => delete p.spec!.containers[0].image), causes: ['spec.containers[0].image: Required value'] },
    {
      name: 'a container name that is not a DNS label',
      pod: pod((p) => (p.spec!.containers[0].name = 'Web')),
      causes: [`spec.containers[0].name: Invalid value: "Web": ${LABEL_MSG}`],
    },
    {
      name: 'duplicate container names',
      pod: pod((p) => p.spec!.containers.push({ name: 'web', image: 'busybox' })),
      causes: ['spec.containers[1].name: Duplicate value: "web"'],
    },
    {
      name: 'an init container named like a container',
      pod: pod((p) => (p.spec!.initContainers = [{ name: 'web', image: 'busybox' }])),
      causes: ['spec.initContainers[0].name: Duplicate value: "web"'],
    },
    {
      name: 'an unknown restartPolicy',
      pod: pod((p) => (p.spec!.restartPolicy = 'Sometimes')),
      causes: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    },
    {
      name: 'an unknown imagePullPolicy',
      pod: pod((p) => (p.spec!.containers[0].imagePullPolicy = 'Sometimes')),
      causes: ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    },
    {
      name: 'a port out of range and an unknown protocol',
      pod: pod((p) => (p.spec!.containers[0].ports = [{ containerPort: 70000, protocol: 'HTTP' }])),
      causes: [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    },
    {
      name: 'a malformed quantity',
      pod: pod((p) => (p.spec!.containers[0].resources = { requests: { cpu: 'lots' } })),
      causes: [
        `spec.containers[0].resources.requests[cpu]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ],
    },
    {
      name: 'a negative quantity',
      pod: pod((p) => (p.spec!.containers[0].resources = { requests: { memory: '-1Mi' } })),
      causes: ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0'],
    },
    {
      name: 'a request above its limit',
      pod: pod((p) => (p.spec!.containers[0].resources = { requests: { cpu: '2' }, limits: { cpu: '1' } })),
      causes: ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    },
    {
      name: 'a mount of a volume that does not exist',
      pod: pod((p) => (p.spec!.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }])),
      causes: ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    },
    {
      name: 'two volumes with one name',
      pod: pod((p) => (p.spec!.volumes = [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }])),
      causes: ['spec.volumes[1].name: Duplicate value: "data"'],
    },
    {
      name: 'a liveness probe with successThreshold 2',
      pod: pod((p) => (p.spec!.containers[0].livenessProbe = { httpGet: { port: 80 }, successThreshold: 2 })),
      causes: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    },
    {
      name: 'a probe without a handler',
      pod: pod((p) => (p.spec!.containers[0].readinessProbe = { periodSeconds: 5 })),
      causes: ['spec.containers[0].readinessProbe: Required value: must specify a handler type'],
    },
    {
      name: 'a toleration with seconds but not NoExecute',
      pod: pod((p) => (p.spec!.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }])),
      causes: ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"],
    },
    {
      name: 'a bad label value',
      pod: pod((p) => (p.metadata!.labels = { app: 'web site' })),
      causes: [
        "metadata.labels: Invalid value: \"web site\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    },
  ];
  it.each(table)('$name', ({ pod: p, causes }) => {
    expect(validateObject('Pod', p, undefined)).toEqual(causes);
  });
});

describe('validateObject: workloads', () => {
  const table: { name: string; kind: 'Deployment' | 'ReplicaSet' | 'Job'; obj: KObject; causes: string[] }[] = [
    { name: 'a valid deployment', kind: 'Deployment', obj: deployment(), causes: [] },
    {
      name: 'negative replicas',
      kind: 'Deployment',
      obj: deployment((d) => (d.spec!.replicas = -1)),
      causes: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'a selector that does not match the template',
      kind: 'Deployment',
      obj: deployment((d) => (d.spec!.template.metadata!.labels = { app: 'api' })),
      causes: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`'],
    },
    {
      name: 'no selector at all (it selects nothing, so the labels do not match either)',
      kind: 'Deployment',
      obj: deployment((d) => delete (d.spec as { selector?: unknown }).selector),
      causes: [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      ],
    },
    {
      name: 'a template restartPolicy other than Always',
      kind: 'Deployment',
      obj: deployment((d) => (d.spec!.template.spec!.restartPolicy = 'Never')),
      causes: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'maxUnavailable and maxSurge both 0',
      kind: 'Deployment',
      obj: deployment((d) => (d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } })),
      causes: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'a template container without image',
      kind: 'ReplicaSet',
      obj: applyDefaults('ReplicaSet', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web', namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web' }] } } },
      } satisfies ReplicaSet),
      causes: ['spec.template.spec.containers[0].image: Required value'],
    },
    {
      name: 'a Job whose pods would restart Always (the PodSpec default)',
      kind: 'Job',
      obj: applyDefaults('Job', {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'pi', namespace: 'default' },
        spec: {
          selector: { matchLabels: { 'job-name': 'pi' } },
          template: { metadata: { labels: { 'job-name': 'pi' } }, spec: { containers: [{ name: 'pi', image: 'perl' }] } },
        },
      } satisfies Job),
      causes: ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
    },
  ];
  it.each(table)('$name', ({ kind, obj, causes }) => {
    expect(validateObject(kind, obj as never, undefined)).toEqual(causes);
  });

  it('forbids changing a Deployment selector', () => {
    const old = deployment();
    const next = deployment((d) => {
      d.spec!.selector = { matchLabels: { app: 'api' } };
      d.spec!.template.metadata!.labels = { app: 'api' };
    });
    expect(validateObject('Deployment', next, old)).toEqual([
      'spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{app: api,},MatchExpressions:[]LabelSelectorRequirement{},}: field is immutable',
    ]);
  });

  it('checks Service names as DNS-1035 labels and requires ports', () => {
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web', namespace: 'default' }, spec: { selector: { app: 'web' } } };
    expect(validateObject('Service', applyDefaults('Service', svc), undefined)).toEqual([
      "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      'spec.ports: Required value',
    ]);
  });
});

describe('validateObject: pod updates', () => {
  it('allows a new image', () => {
    const old = pod((p) => (p.spec!.containers[0].image = 'nginx:1.27'));
    const next = pod((p) => (p.spec!.containers[0].image = 'nginx:1.28'));
    expect(validateObject('Pod', next, old)).toEqual([]);
  });

  it('allows added tolerations but not changed ones', () => {
    const old = pod((p) => (p.spec!.tolerations = [{ key: 'a', operator: 'Exists' }]));
    const added = pod((p) => (p.spec!.tolerations = [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }]));
    expect(validateObject('Pod', added, old)).toEqual([]);
    const changed = pod((p) => (p.spec!.tolerations = [{ key: 'c', operator: 'Exists' }]));
    expect(validateObject('Pod', changed, old)).toEqual(['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });

  it('forbids other spec changes with the real list of updatable fields', () => {
    const old = pod();
    const next = pod((p) => (p.spec!.restartPolicy = 'Never'));
    const [cause, ...rest] = validateObject('Pod', next, old);
    expect(rest).toEqual([]);
    expect(cause.startsWith(
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    )).toBe(true);
    expect(cause).toContain('- \tRestartPolicy: "Always",');
    expect(cause).toContain('+ \tRestartPolicy: "Never",');
  });

  it('forbids adding a container', () => {
    const old = pod();
    const next = pod((p) => p.spec!.containers.push({ name: 'side', image: 'busybox' }));
    expect(validateObject('Pod', next, old)).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });
});

describe('name rules (properties)', () => {
  it('accepts every DNS-1123 label built from the allowed alphabet, and every label is a subdomain', () => {
    const label = fc
      .tuple(fc.stringMatching(/^[a-z0-9]$/), fc.stringMatching(/^[-a-z0-9]{0,40}$/), fc.stringMatching(/^[a-z0-9]$/))
      .map(([a, b, c]) => a + b + c);
    fc.assert(
      fc.property(label, (l) => {
        expect(isDNS1123Label(l)).toEqual([]);
        expect(isDNS1123Subdomain(l)).toEqual([]);
      }),
    );
  });

  it('rejects any name with an uppercase letter or underscore', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /[A-Z_]/.test(s)), (s) => {
        expect(isDNS1123Label(s).length).toBeGreaterThan(0);
        expect(isDNS1123Subdomain(s).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('ApiServer: validation errors', () => {
  it('rejects an invalid object with the API message and leaves the store unchanged', () => {
    const cluster = new Cluster({ seed: 7 });
    const rvBefore = cluster.store.resourceVersion();
    const podsBefore = cluster.store.count('Pod');
    const events: string[] = [];
    cluster.store.watch('*', (e) => events.push(`${e.type} ${e.kind}`));
    const bad: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'web', image: '' }, { name: 'web', image: 'nginx' }] },
    };
    let err: unknown;
    try {
      cluster.api.create('Pod', bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).toKubectl()).toBe(
      'The Pod "web" is invalid: [spec.containers[0].image: Required value, spec.containers[1].name: Duplicate value: "web"]',
    );
    expect(cluster.store.resourceVersion()).toBe(rvBefore);
    expect(cluster.store.count('Pod')).toBe(podsBefore);
    expect(cluster.store.get('Pod', 'default', 'web')).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('rejects an invalid update and keeps the stored object', () => {
    const cluster = new Cluster({ seed: 7 });
    const created = cluster.api.create('Deployment', deployment());
    expect(() => cluster.api.update('Deployment', { ...created, spec: { ...created.spec!, replicas: -1 } })).toThrow(
      'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(cluster.store.get('Deployment', 'default', 'web')).toBe(created);
  });
});

describe('validateObject: port names and annotations', () => {
  it.each([
    ['http', []],
    ['a-very-long-port-name', ['must be no more than 15 characters']],
    ['web--1', ['must not contain consecutive hyphens']],
    ['8080', ['must contain at least one letter (a-z)']],
    ['Http', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
    ['-web', ['must not begin or end with a hyphen']],
  ])('container port name %s', (name, msgs) => {
    const p = pod((x) => (x.spec!.containers[0].ports = [{ name, containerPort: 80 }]));
    expect(validateObject('Pod', p, undefined)).toEqual(msgs.map((m) => `spec.containers[0].ports[0].name: Invalid value: "${name}": ${m}`));
  });

  it('accepts an annotation key with an uppercase prefix (it is checked lower-cased)', () => {
    expect(validateObject('Pod', pod((x) => (x.metadata!.annotations = { 'Example.com/Owner': 'me' })), undefined)).toEqual([]);
  });
});
