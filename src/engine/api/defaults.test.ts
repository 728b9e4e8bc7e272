import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults, imageTag } from './defaults';
import type { DaemonSet, Deployment, Job, Pod, ReplicaSet, Service } from './types';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('applyDefaults: Pod (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe)', () => {
  const input: Pod = deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: {
      volumes: [{ name: 'scratch' }],
      containers: [
        {
          name: 'web',
          image: 'nginx',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '250m' } },
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
        },
      ],
    },
  });

  it('fills every omitted field that has a default, exactly as the API server does', () => {
    expect(applyDefaults('Pod', input)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        volumes: [{ name: 'scratch', emptyDir: {} }],
        containers: [
          {
            name: 'web',
            image: 'nginx',
            imagePullPolicy: 'Always',
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            resources: { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '250m', memory: '128Mi' } },
            livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
            readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
          },
        ],
        enableServiceLinks: true,
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
        schedulerName: 'default-scheduler',
      },
    });
  });

  it('never mutates its input (the input is deeply frozen) and keeps explicit values', () => {
    const out = applyDefaults('Pod', { ...input, spec: { ...input.spec!, restartPolicy: 'Never', terminationGracePeriodSeconds: 0 } });
    expect(out.spec!.restartPolicy).toBe('Never');
    expect(out.spec!.terminationGracePeriodSeconds).toBe(0);
    expect(input.spec!.restartPolicy).toBeUndefined();
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry.local:5000/team/app', 'Always'],
    ['registry.local:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123abcd', 'IfNotPresent'],
  ])('image %s gets imagePullPolicy %s', (image, policy) => {
    const p = applyDefaults('Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image }] } });
    expect(p.spec!.containers[0].imagePullPolicy).toBe(policy);
  });

  it('is idempotent (property)', () => {
    const image = fc.constantFrom('nginx', 'nginx:1.27', 'busybox:latest', 'a/b@sha256:00');
    const container = fc.record({ name: fc.constantFrom('a', 'b'), image }, { requiredKeys: ['name'] });
    fc.assert(
      fc.property(fc.array(container, { minLength: 1, maxLength: 3 }), fc.option(fc.constantFrom('Always', 'Never', 'OnFailure'), { nil: undefined }), (containers, restartPolicy) => {
        const p: Pod = { metadata: { name: 'p' }, spec: { containers, ...(restartPolicy ? { restartPolicy } : {}) } };
        const once = applyDefaults('Pod', p);
        expect(applyDefaults('Pod', once)).toEqual(once);
      }),
    );
  });
});

describe('applyDefaults: workloads (apps/v1, batch/v1)', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };

  it('Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, template defaults', () => {
    const d = applyDefaults('Deployment', deepFreeze({ metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } }) as Deployment);
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec!.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
    // SetDefaults_Pod's fields do not materialise in templates.
    expect(d.spec!.template.spec!.enableServiceLinks).toBeUndefined();
  });

  it('Deployment with Recreate gets no rollingUpdate', () => {
    const d = applyDefaults('Deployment', { metadata: { name: 'web' }, spec: { selector: {}, template, strategy: { type: 'Recreate' } } } as Deployment);
    expect(d.spec!.strategy).toEqual({ type: 'Recreate' });
  });

  it('ReplicaSet: replicas 1', () => {
    const rs = applyDefaults('ReplicaSet', { metadata: { name: 'web' }, spec: { selector: {}, template } } as ReplicaSet);
    expect(rs.spec!.replicas).toBe(1);
  });

  it('DaemonSet: RollingUpdate maxUnavailable 1, maxSurge 0, revisionHistoryLimit 10', () => {
    const ds = applyDefaults('DaemonSet', { metadata: { name: 'agent' }, spec: { selector: {}, template } } as DaemonSet);
    expect(ds.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
  });

  it.each([
    [{}, { completions: 1, parallelism: 1 }],
    [{ parallelism: 3 }, { parallelism: 3 }],
    [{ completions: 5 }, { completions: 5, parallelism: 1 }],
  ])('Job %j: completions/parallelism %j, backoffLimit 6, NonIndexed', (given, expected) => {
    const job = applyDefaults('Job', { metadata: { name: 'pi' }, spec: { template, ...given } } as Job);
    expect(job.spec).toMatchObject({ ...expected, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
    if (!('completions' in expected)) expect(job.spec!.completions).toBeUndefined();
    expect(job.metadata!.labels).toEqual({ app: 'web' });
  });

  it('Service: ClusterIP, sessionAffinity None, TCP ports with targetPort = port', () => {
    const svc = applyDefaults('Service', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } } as Service);
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      selector: { app: 'web' },
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
    });
  });

  it('Namespace: the kubernetes.io/metadata.name label', () => {
    const ns = applyDefaults('Namespace', { metadata: { name: 'shop' } });
    expect(ns.metadata!.labels).toEqual({ 'kubernetes.io/metadata.name': 'shop' });
    expect(ns.status).toEqual({ phase: 'Active' });
  });
});

describe('imageTag', () => {
  it('reads the tag after the last path segment only', () => {
    expect(imageTag('localhost:5000/app')).toBe('latest');
    expect(imageTag('localhost:5000/app:1.0')).toBe('1.0');
  });
});

describe('applyDefaults: host network', () => {
  it('makes every container port a host port', () => {
    const p = applyDefaults('Pod', { metadata: { name: 'h' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }, { containerPort: 53, hostPort: 5353 }] }] } });
    expect(p.spec!.containers[0].ports!.map((x) => x.hostPort)).toEqual([8080, 5353]);
  });
});
