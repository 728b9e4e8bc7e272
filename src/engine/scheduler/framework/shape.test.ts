import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod, PodSpec, Toleration } from '../../api/types';
import { podShapeKey, sameShape } from './shape';

const pod = (spec: PodSpec): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });

const base = (): PodSpec => ({
  containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
  tolerations: [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ],
});

describe('sameShape', () => {
  // Each case: a change to a fresh copy of `base`, and whether the shape stays the same.
  const cases: [string, (s: PodSpec) => PodSpec, boolean][] = [
    ['a copy by value', (s) => s, true],
    ['another name, image and env', (s) => ({ ...s, containers: [{ ...s.containers[0], name: 'x', image: 'busybox', env: [{ name: 'A', value: '1' }] }] }), true],
    ['volumes and service account', (s) => ({ ...s, volumes: [{ name: 'v', emptyDir: {} }], serviceAccountName: 'robot' }), true],
    ['another cpu request', (s) => ({ ...s, containers: [{ ...s.containers[0], resources: { requests: { cpu: '200m', memory: '128Mi' } } }] }), false],
    ['requests in another key order', (s) => ({ ...s, containers: [{ ...s.containers[0], resources: { requests: { memory: '128Mi', cpu: '100m' } } }] }), false],
    ['a host port', (s) => ({ ...s, containers: [{ ...s.containers[0], ports: [{ containerPort: 80, hostPort: 80 }] }] }), false],
    ['a restart policy', (s) => ({ ...s, containers: [{ ...s.containers[0], restartPolicy: 'Always' }] }), false],
    ['a second container', (s) => ({ ...s, containers: [...s.containers, { name: 'side', image: 'busybox' }] }), false],
    ['empty init containers', (s) => ({ ...s, initContainers: [] }), false],
    ['overhead', (s) => ({ ...s, overhead: { cpu: '10m' } }), false],
    ['nodeName', (s) => ({ ...s, nodeName: 'node-1' }), false],
    ['nodeSelector', (s) => ({ ...s, nodeSelector: { disk: 'ssd' } }), false],
    ['node affinity', (s) => ({ ...s, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } } }), false],
    ['pod affinity only (not read by node-local plugins)', (s) => ({ ...s, affinity: { podAffinity: {} } }), true],
    ['another toleration second count', (s) => ({ ...s, tolerations: s.tolerations!.map((t, i) => (i ? { ...t, tolerationSeconds: 60 } : t)) }), false],
    ['one toleration fewer', (s) => ({ ...s, tolerations: s.tolerations!.slice(1) }), false],
    ['no tolerations', (s) => ({ ...s, tolerations: undefined }), false],
  ];
  it.each(cases)('%s', (_, change, same) => {
    const a = base();
    const b = change(base());
    expect(sameShape(a, b)).toBe(same);
    expect(sameShape(b, a)).toBe(same);
    // The contract: the same shape means the same key. (Key order is the one case where the keys
    // differ for specs that are the same by meaning: sameShape answers "different", a memo miss.)
    expect(podShapeKey(pod(a)) === podShapeKey(pod(b))).toBe(same);
  });

  it('says the same shape exactly when the shape keys are equal (random specs from a small vocabulary)', () => {
    const requests = fc.constantFrom<Record<string, string> | undefined>(undefined, { cpu: '100m' }, { cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '128Mi' });
    const container: fc.Arbitrary<Container> = fc
      .record({
        name: fc.constantFrom('a', 'b'),
        requests,
        hostPort: fc.constantFrom(0, 0, 80),
        restart: fc.constantFrom(undefined, undefined, 'Always'),
      })
      .map(({ name, requests, hostPort, restart }) => ({
        name,
        image: 'img',
        ...(requests ? { resources: { requests } } : {}),
        ...(hostPort ? { ports: [{ containerPort: 8080, hostPort }] } : {}),
        ...(restart ? { restartPolicy: restart } : {}),
      }));
    const toleration: fc.Arbitrary<Toleration> = fc.record({ key: fc.constantFrom('x', 'y'), operator: fc.constant('Exists'), effect: fc.constantFrom('NoSchedule', 'NoExecute') });
    const spec: fc.Arbitrary<PodSpec> = fc
      .record({
        containers: fc.array(container, { minLength: 1, maxLength: 2 }),
        initContainers: fc.option(fc.array(container, { maxLength: 1 }), { nil: undefined }),
        nodeSelector: fc.option(fc.constantFrom<Record<string, string>>({ disk: 'ssd' }, { zone: 'a' }), { nil: undefined }),
        tolerations: fc.option(fc.array(toleration, { maxLength: 2 }), { nil: undefined }),
        nodeName: fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined }),
      })
      .map((r) => {
        const s: PodSpec = { containers: r.containers };
        if (r.initContainers) s.initContainers = r.initContainers;
        if (r.nodeSelector) s.nodeSelector = r.nodeSelector;
        if (r.tolerations) s.tolerations = r.tolerations;
        if (r.nodeName) s.nodeName = r.nodeName;
        return s;
      });
    fc.assert(
      fc.property(spec, spec, (a, b) => {
        // Fresh copies: no part is shared by identity.
        const a2 = structuredClone(a);
        const b2 = structuredClone(b);
        expect(sameShape(a2, b2)).toBe(podShapeKey(pod(a2)) === podShapeKey(pod(b2)));
        expect(sameShape(a2, structuredClone(a))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
