import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Node, Pod, Service } from '../api/types';
import type { ServicePort } from 'kubernetes-types/core/v1';
import { Cluster } from '../cluster';
import { Session } from '../session';
import {
  ANNOTATION_TRIGGER_TIME,
  CONTROLLER_NAME,
  EndpointSliceController,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  endpointConditions,
  findPort,
  podToEndpoint,
  shouldPodBeInEndpoints,
} from './endpointSlice';
import { GarbageCollector } from './garbageCollector';
import { TestSim } from './testing/sim';

interface PodOpts {
  ip?: string;
  ready?: boolean;
  terminating?: boolean;
  phase?: string;
  labels?: Record<string, string>;
  node?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
}

function makePod(name: string, o: PodOpts = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: o.labels ?? { app: 'web' },
      ...(o.terminating ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
    },
    spec: {
      nodeName: o.node ?? 'node-1',
      containers: [{ name: 'c', image: 'nginx', ports: (o.ports ?? [{ name: 'http', containerPort: 80 }]).map((p) => ({ protocol: 'TCP', ...p })) }],
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip === undefined ? { podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }] } : o.ip ? { podIP: o.ip, podIPs: [{ ip: o.ip }] } : {}),
      conditions: [{ type: 'Ready', status: (o.ready ?? true) ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:05Z' }],
    },
  } as Pod;
}

function makeService(name = 'web', spec: Partial<Service['spec']> = {}, labels: Record<string, string> = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }], ...spec },
  };
}

describe('endpoint conditions (podToEndpoint, mirroring TestPodToEndpoint)', () => {
  const cases: { name: string; pod: PodOpts; publishNotReady?: boolean; want: { ready: boolean; serving: boolean; terminating: boolean } }[] = [
    { name: 'ready pod', pod: {}, want: { ready: true, serving: true, terminating: false } },
    { name: 'not ready pod', pod: { ready: false }, want: { ready: false, serving: false, terminating: false } },
    { name: 'not ready pod, publishNotReadyAddresses', pod: { ready: false }, publishNotReady: true, want: { ready: true, serving: false, terminating: false } },
    { name: 'ready, terminating pod', pod: { terminating: true }, want: { ready: false, serving: true, terminating: true } },
    { name: 'not ready, terminating pod', pod: { ready: false, terminating: true }, want: { ready: false, serving: false, terminating: true } },
    { name: 'ready, terminating pod, publishNotReadyAddresses', pod: { terminating: true }, publishNotReady: true, want: { ready: true, serving: true, terminating: true } },
  ];
  it.each(cases)('$name', ({ pod, publishNotReady, want }) => {
    const svc = makeService('web', publishNotReady ? { publishNotReadyAddresses: true } : {});
    expect(endpointConditions(makePod('p', pod), svc)).toEqual(want);
    expect(podToEndpoint(makePod('p', pod), undefined, svc).conditions).toEqual(want);
  });

  it('carries address, node, zone, targetRef, and a hostname only for the subdomain Service', () => {
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } };
    const ep = podToEndpoint(makePod('p', { ip: '10.244.2.7', node: 'node-2', hostname: 'db-0', subdomain: 'web' }), node, makeService());
    expect(ep).toEqual({
      addresses: ['10.244.2.7'],
      conditions: { ready: true, serving: true, terminating: false },
      hostname: 'db-0',
      nodeName: 'node-2',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'uid-p' },
      zone: 'zone-a',
    });
    expect(podToEndpoint(makePod('p', { hostname: 'db-0', subdomain: 'other' }), undefined, makeService()).hostname).toBeUndefined();
  });
});

describe('which pods are endpoints (ShouldPodBeInEndpoints with includeTerminating)', () => {
  const cases: { name: string; pod: PodOpts; want: boolean }[] = [
    { name: 'running with an IP', pod: {}, want: true },
    { name: 'no IP yet', pod: { ip: '' }, want: false },
    { name: 'Succeeded', pod: { phase: 'Succeeded' }, want: false },
    { name: 'Failed', pod: { phase: 'Failed' }, want: false },
    { name: 'Pending with an IP', pod: { phase: 'Pending', ready: false }, want: true },
    { name: 'terminating', pod: { terminating: true }, want: true },
  ];
  it.each(cases)('$name → $want', ({ pod, want }) => {
    expect(shouldPodBeInEndpoints(makePod('p', pod))).toBe(want);
  });
});

describe('FindPort', () => {
  const pod = makePod('p', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  const cases: { name: string; sp: ServicePort; want: number | undefined }[] = [
    { name: 'numeric target port', sp: { port: 80, targetPort: 9376, protocol: 'TCP' }, want: 9376 },
    { name: 'no target port: the port', sp: { port: 80, protocol: 'TCP' }, want: 80 },
    { name: 'named port', sp: { port: 80, targetPort: 'http', protocol: 'TCP' }, want: 8080 },
    { name: 'named port, other protocol', sp: { port: 53, targetPort: 'dns', protocol: 'TCP' }, want: undefined },
    { name: 'named port, same protocol', sp: { port: 53, targetPort: 'dns', protocol: 'UDP' }, want: 53 },
    { name: 'unknown name', sp: { port: 80, targetPort: 'nope', protocol: 'TCP' }, want: undefined },
  ];
  it.each(cases)('$name', ({ sp, want }) => expect(findPort(pod, sp)).toBe(want));

  it('finds a named port on a sidecar, not on a plain init container', () => {
    const p = makePod('p', { ports: [] });
    p.spec!.initContainers = [
      { name: 'init', image: 'x', ports: [{ name: 'a', containerPort: 1 }] },
      { name: 'side', image: 'x', restartPolicy: 'Always', ports: [{ name: 'b', containerPort: 2 }] },
    ];
    expect(findPort(p, { port: 80, targetPort: 'a', protocol: 'TCP' })).toBeUndefined();
    expect(findPort(p, { port: 80, targetPort: 'b', protocol: 'TCP' })).toBe(2);
  });
});

/** A sim with the controller (and the garbage collector) and one node. */
function setup(max?: number) {
  const sim = new TestSim();
  const ctl = sim.add(new EndpointSliceController(sim, max));
  sim.add(new GarbageCollector(sim));
  for (const n of ['node-1', 'node-2']) sim.addNode(n);
  const slices = (svc = 'web') => sim.store.list('EndpointSlice', 'default').filter((s) => s.metadata?.labels?.[LABEL_SERVICE_NAME] === svc);
  const ips = (svc = 'web') => slices(svc).flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)).sort();
  return { sim, ctl, slices, ips };
}

describe('EndpointSliceController', () => {
  it('writes one slice per Service: name, labels, owner, ports and endpoints', () => {
    const { sim, slices } = setup();
    sim.store.create('Pod', makePod('a', { ip: '10.244.1.2' }));
    sim.store.create('Pod', makePod('b', { ip: '10.244.2.2', node: 'node-2', ready: false }));
    sim.store.create('Pod', makePod('other', { ip: '10.244.1.3', labels: { app: 'db' } }));
    const svc = sim.api.create('Service', makeService('web', {}, { tier: 'front' }));
    sim.settle();
    const [s] = slices();
    expect(slices()).toHaveLength(1);
    expect(s.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.metadata!.generateName).toBe('web-');
    expect(s.metadata!.labels).toEqual({ tier: 'front', [LABEL_SERVICE_NAME]: 'web', [LABEL_MANAGED_BY]: CONTROLLER_NAME });
    expect(s.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(s.addressType).toBe('IPv4');
    expect(s.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(s.endpoints!.map((e) => [e.addresses[0], e.nodeName, e.conditions!.ready])).toEqual([
      ['10.244.1.2', 'node-1', true],
      ['10.244.2.2', 'node-2', false],
    ]);
    expect(s.metadata!.annotations?.[ANNOTATION_TRIGGER_TIME]).toBe('2026-01-01T00:00:00Z');
  });

  it('follows pod changes: readiness, termination, new pods, removal', () => {
    const { sim, slices, ips } = setup();
    sim.api.create('Service', makeService());
    sim.store.create('Pod', makePod('a', { ip: '10.244.1.2' }));
    sim.settle();
    const name = slices()[0].metadata!.name;
    const a = sim.store.get('Pod', 'default', 'a')!;
    sim.store.update('Pod', { ...a, status: { ...a.status, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:09Z' }] } });
    sim.settle();
    expect(slices()[0].endpoints![0].conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(slices()[0].metadata!.annotations?.[ANNOTATION_TRIGGER_TIME]).toBe('2026-01-01T00:00:09Z');
    sim.store.create('Pod', makePod('b', { ip: '10.244.2.2', node: 'node-2' }));
    sim.settle();
    expect(ips()).toEqual(['10.244.1.2', '10.244.2.2']);
    const b = sim.store.get('Pod', 'default', 'b')!;
    sim.store.update('Pod', { ...b, metadata: { ...b.metadata, deletionTimestamp: '2026-01-01T00:00:40Z' } });
    sim.settle();
    expect(slices()[0].endpoints!.find((e) => e.addresses[0] === '10.244.2.2')!.conditions).toEqual({ ready: false, serving: true, terminating: true });
    sim.store.remove('Pod', 'default', 'b');
    sim.store.update('Pod', { ...a, metadata: { ...a.metadata, labels: { app: 'moved' } } });
    sim.settle();
    // No pod left: the slice keeps its name as an empty placeholder.
    expect(slices()).toHaveLength(1);
    expect(slices()[0].metadata!.name).toBe(name);
    expect(slices()[0].endpoints).toBeNull();
    expect(slices()[0].ports).toBeNull();
  });

  it('follows a selector change and a port change of the Service', () => {
    const { sim, slices, ips } = setup();
    sim.store.create('Pod', makePod('a', { ip: '10.244.1.2' }));
    sim.store.create('Pod', makePod('d', { ip: '10.244.1.3', labels: { app: 'db' } }));
    const svc = sim.api.create('Service', makeService());
    sim.settle();
    expect(ips()).toEqual(['10.244.1.2']);
    const moved = sim.api.update('Service', { ...svc, spec: { ...svc.spec, selector: { app: 'db' } } });
    sim.settle();
    expect(ips()).toEqual(['10.244.1.3']);
    sim.api.update('Service', { ...moved, spec: { ...moved.spec, ports: [{ name: 'metrics', port: 9000, targetPort: 9100, protocol: 'TCP' }] } });
    sim.settle();
    expect(slices()).toHaveLength(1);
    expect(slices()[0].ports).toEqual([{ name: 'metrics', port: 9100, protocol: 'TCP' }]);
  });

  it('leaves out pods without an IP, terminal pods and pods on a node that does not exist', () => {
    const { sim, ips } = setup();
    sim.api.create('Service', makeService());
    sim.store.create('Pod', makePod('pending', { ip: '' }));
    sim.store.create('Pod', makePod('done', { ip: '10.244.1.9', phase: 'Succeeded' }));
    sim.store.create('Pod', makePod('ghost', { ip: '10.244.9.2', node: 'node-9' }));
    sim.store.create('Pod', makePod('ok', { ip: '10.244.1.2' }));
    sim.settle();
    expect(ips()).toEqual(['10.244.1.2']);
  });

  it('resolves a named target port per pod: different ports, different slices', () => {
    const { sim, slices } = setup();
    sim.api.create('Service', makeService());
    sim.store.create('Pod', makePod('a', { ip: '10.244.1.2', ports: [{ name: 'http', containerPort: 8080 }] }));
    sim.store.create('Pod', makePod('b', { ip: '10.244.1.3', ports: [{ name: 'http', containerPort: 9090 }] }));
    sim.store.create('Pod', makePod('c', { ip: '10.244.1.4', ports: [{ name: 'web', containerPort: 80 }] }));
    sim.settle();
    const byPorts = slices()
      /* an empty port list is stored as null */
      .map((s) => [JSON.stringify(s.ports ?? []), (s.endpoints ?? []).map((e) => e.addresses[0])])
      .sort();
    expect(byPorts).toEqual([
      ['[]', ['10.244.1.4']],
      [JSON.stringify([{ name: '', port: 8080, protocol: 'TCP' }]), ['10.244.1.2']],
      [JSON.stringify([{ name: '', port: 9090, protocol: 'TCP' }]), ['10.244.1.3']],
    ]);
  });

  it('puts at most maxEndpointsPerSlice endpoints in a slice (100 by default)', () => {
    const { sim, slices } = setup();
    sim.api.create('Service', makeService());
    for (let i = 0; i < 250; i++) sim.store.create('Pod', makePod(`p${String(i).padStart(3, '0')}`, { ip: `10.244.${1 + Math.floor(i / 200)}.${2 + (i % 200)}` }));
    sim.settle();
    expect(slices().map((s) => s.endpoints!.length).sort((x, y) => x - y)).toEqual([50, 100, 100]);
  });

  it('does nothing for a Service without a selector or of type ExternalName', () => {
    const { sim, slices } = setup();
    sim.store.create('Pod', makePod('a'));
    sim.api.create('Service', makeService('manual', { selector: undefined }));
    sim.api.create('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } } });
    sim.settle();
    expect(slices('manual')).toEqual([]);
    expect(slices('ext')).toEqual([]);
  });

  it('copies the Service labels, marks headless Services, and repairs a slice deleted by hand', () => {
    const { sim, slices } = setup();
    sim.store.create('Pod', makePod('a'));
    const svc = sim.api.create('Service', makeService('web', { clusterIP: 'None' }));
    sim.settle();
    expect(slices()[0].metadata!.labels!['service.kubernetes.io/headless']).toBe('');
    sim.api.update('Service', { ...svc, metadata: { ...svc.metadata, labels: { team: 'a' } } });
    sim.settle();
    expect(slices()[0].metadata!.labels!.team).toBe('a');
    sim.api.delete('EndpointSlice', 'default', slices()[0].metadata!.name!);
    sim.settle();
    expect(slices()).toHaveLength(1);
    expect(slices()[0].endpoints).toHaveLength(1);
  });

  it('slices go with their Service (garbage collector, via the owner reference)', () => {
    const { sim, slices } = setup();
    sim.store.create('Pod', makePod('a'));
    sim.api.create('Service', makeService());
    sim.settle();
    expect(slices()).toHaveLength(1);
    sim.api.delete('Service', 'default', 'web');
    sim.settle();
    expect(slices()).toEqual([]);
  });

  it('invariant: after any sequence of pod changes the slices list exactly the eligible pods, once each', () => {
    type Op = { kind: 'add'; i: number; ready: boolean; app: string } | { kind: 'ready'; i: number; ready: boolean } | { kind: 'terminate'; i: number } | { kind: 'remove'; i: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), i: fc.nat(30), ready: fc.boolean(), app: fc.constantFrom('web', 'db') }),
      fc.record({ kind: fc.constant('ready' as const), i: fc.nat(30), ready: fc.boolean() }),
      fc.record({ kind: fc.constant('terminate' as const), i: fc.nat(30) }),
      fc.record({ kind: fc.constant('remove' as const), i: fc.nat(30) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (ops, max) => {
        const { sim, slices } = setup(max);
        sim.api.create('Service', makeService());
        sim.settle();
        for (const o of ops) {
          const name = `p${o.i}`;
          const pod = sim.store.get('Pod', 'default', name);
          if (o.kind === 'add' && !pod) sim.store.create('Pod', makePod(name, { ip: `10.244.1.${o.i + 2}`, ready: o.ready, labels: { app: o.app } }));
          else if (o.kind === 'ready' && pod) sim.store.update('Pod', { ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }] } });
          else if (o.kind === 'terminate' && pod) sim.store.update('Pod', { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:01:00Z' } });
          else if (o.kind === 'remove' && pod) sim.store.remove('Pod', 'default', name);
          sim.settle();
        }
        const want = sim.store
          .list('Pod', 'default')
          .filter((p) => p.metadata!.labels!.app === 'web')
          .map((p) => `${p.status!.podIP} ${JSON.stringify(endpointConditions(p, makeService()))}`)
          .sort();
        const got: string[] = [];
        for (const s of slices() as EndpointSlice[]) {
          expect((s.endpoints ?? []).length).toBeLessThanOrEqual(max);
          for (const e of s.endpoints ?? []) got.push(`${e.addresses[0]} ${JSON.stringify(e.conditions)}`);
        }
        expect(got.sort()).toEqual(want);
        // Always a slice; an empty one only as the lone placeholder of a Service without endpoints.
        expect(slices().length).toBeGreaterThanOrEqual(1);
        if (want.length) expect(slices().every((s) => (s.endpoints ?? []).length > 0)).toBe(true);
        else expect(slices()).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
});

describe('in a whole cluster', () => {
  it('creates the kubernetes Service (10.96.0.1:443 → 6443) and its slice, and puts them back if deleted', () => {
    const cluster = new Cluster({ seed: 3 });
    cluster.addNode('control-plane', { controlPlane: true });
    cluster.addNode('node-1');
    const svc = cluster.store.get('Service', 'default', 'kubernetes')!;
    expect(svc.spec).toMatchObject({ clusterIP: '10.96.0.1', type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
    const slice = cluster.store.get('EndpointSlice', 'default', 'kubernetes')!;
    expect(slice.endpoints).toEqual([{ addresses: ['172.18.0.2'], conditions: { ready: true } }]);
    expect(slice.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);
    cluster.api.delete('Service', 'default', 'kubernetes');
    cluster.advance(5_000);
    expect(cluster.store.get('Service', 'default', 'kubernetes')).toBeUndefined();
    cluster.advance(5_000);
    expect(cluster.store.get('Service', 'default', 'kubernetes')!.spec!.clusterIP).toBe('10.96.0.1');
  });

  it("a dead node's endpoints turn not ready once its pods are marked Ready=False", () => {
    const s = new Session({ seed: 1, readFile: () => undefined });
    const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: nginx:1.25, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;
    expect(s.exec('kubectl apply -f -', manifest).exitCode).toBe(0);
    s.exec('sim advance 30s');
    const endpoints = () =>
      s.cluster.store
        .list('EndpointSlice', 'default')
        .filter((x) => x.metadata?.labels?.[LABEL_SERVICE_NAME] === 'web')
        .flatMap((x) => x.endpoints ?? []);
    expect(endpoints()).toHaveLength(6);
    expect(endpoints().every((e) => e.conditions?.ready)).toBe(true);
    const onNode2 = endpoints().filter((e) => e.nodeName === 'node-2').length;
    expect(onNode2).toBeGreaterThan(0);
    s.exec('sim kill-node node-2');
    s.exec('sim advance 45s');
    // The node lifecycle controller has not noticed yet: kube-proxy still sends traffic there.
    expect(endpoints().filter((e) => e.conditions?.ready)).toHaveLength(6);
    s.exec('sim advance 15s');
    const dead = endpoints().filter((e) => e.nodeName === 'node-2');
    expect(dead).toHaveLength(onNode2);
    expect(dead.every((e) => e.conditions?.ready === false && e.conditions.serving === false && e.conditions.terminating === false)).toBe(true);
    expect(endpoints().filter((e) => e.conditions?.ready)).toHaveLength(6 - onNode2);
  });
});
