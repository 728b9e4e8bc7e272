import { describe, expect, it } from 'vitest';
import type { Endpoint } from 'kubernetes-types/discovery/v1';
import type { Service } from '../api/types';
import { TestSim } from '../controllers/testing/sim';
import { Session } from '../session';
import { ServiceNetwork, routeToService, serviceNetworkOf } from './serviceNetwork';

const client = { namespace: 'default', node: 'node-1', ip: '10.244.1.100' };

function ep(ip: string, cond: Endpoint['conditions'] = { ready: true, serving: true, terminating: false }, nodeName = 'node-1'): Endpoint {
  return { addresses: [ip], conditions: cond, nodeName };
}

/** A context with Services and hand-written EndpointSlices (no controller: the slices say what kube-proxy sees). */
function world(seed = 1) {
  const sim = new TestSim(seed);
  sim.store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const service = (name: string, spec: Service['spec'] = {}, ns = 'default') =>
    sim.api.create('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec } });
  const slice = (svc: string, endpoints: Endpoint[], port = 8080, ns = 'default', portName = 'http') =>
    sim.store.create('EndpointSlice', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${svc}-${sim.rng.suffix(5)}`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: portName, port, protocol: 'TCP' }],
    });
  const route = (host: string, port = 80, from = client) => routeToService(sim, from, host, port);
  return { sim, service, slice, route };
}

describe('DNS search path (resolv.conf: search NS.svc.cluster.local svc.cluster.local cluster.local, ndots:5)', () => {
  const cases: [string, string[]][] = [
    ['web', ['web.shop.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']],
    ['web.default', ['web.default.shop.svc.cluster.local', 'web.default.svc.cluster.local', 'web.default.cluster.local', 'web.default']],
    ['Web.Default.svc.cluster.local', ['web.default.svc.cluster.local.shop.svc.cluster.local', 'web.default.svc.cluster.local.svc.cluster.local', 'web.default.svc.cluster.local.cluster.local', 'web.default.svc.cluster.local']],
    ['web.default.svc.cluster.local.', ['web.default.svc.cluster.local']],
    ['a.b.c.d.e.f', ['a.b.c.d.e.f', 'a.b.c.d.e.f.shop.svc.cluster.local', 'a.b.c.d.e.f.svc.cluster.local', 'a.b.c.d.e.f.cluster.local']],
  ];
  it.each(cases)('%s', (name, want) => expect(ServiceNetwork.candidates(name, 'shop')).toEqual(want));
});

describe('routeToService', () => {
  it('resolves every spelling of a Service name and its cluster IP to an endpoint, port translated', () => {
    const { service, slice, route } = world();
    const svc = service('web');
    slice('web', [ep('10.244.1.2')]);
    const want = { ok: true, ip: '10.244.1.2', port: 8080 };
    for (const host of ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local', 'web.default.svc.cluster.local.', 'WEB', svc.spec!.clusterIP!]) {
      expect(route(host), host).toEqual(want);
    }
  });

  it('finds a Service in another namespace only by a qualified name', () => {
    const { service, slice, route } = world();
    service('db', {}, 'shop');
    slice('db', [ep('10.244.2.9')], 8080, 'shop');
    expect(route('db')).toEqual({ ok: false, error: 'unresolved' });
    expect(route('db.shop')).toEqual({ ok: true, ip: '10.244.2.9', port: 8080 });
    expect(route('db', 80, { ...client, namespace: 'shop' })).toEqual({ ok: true, ip: '10.244.2.9', port: 8080 });
  });

  it('fails as the tools report it: unknown name, unknown address, missing port, no endpoints', () => {
    const { service, slice, route } = world();
    const svc = service('web');
    service('empty');
    slice('web', [ep('10.244.1.2')]);
    expect(route('nosuch')).toEqual({ ok: false, error: 'unresolved' });
    expect(route('web.nosuchns')).toEqual({ ok: false, error: 'unresolved' });
    expect(route('example.com')).toEqual({ ok: false, error: 'unresolved' });
    expect(route('10.96.7.7')).toEqual({ ok: false, error: 'timeout' });
    expect(route('192.168.1.1')).toEqual({ ok: false, error: 'timeout' });
    // iptables has no rule for a port the Service lacks: the packets go nowhere.
    expect(route('web', 8080)).toEqual({ ok: false, error: 'timeout' });
    expect(route(svc.spec!.clusterIP!, 443)).toEqual({ ok: false, error: 'timeout' });
    // A Service without endpoints: REJECT.
    expect(route('empty')).toEqual({ ok: false, error: 'refused' });
  });

  const conditionCases: { name: string; endpoints: Endpoint[]; want: string | undefined }[] = [
    { name: 'ready endpoint', endpoints: [ep('10.244.1.2')], want: '10.244.1.2' },
    { name: 'unset conditions count as ready', endpoints: [{ addresses: ['10.244.1.2'] }], want: '10.244.1.2' },
    { name: 'not ready endpoint only', endpoints: [ep('10.244.1.2', { ready: false, serving: false, terminating: false })], want: undefined },
    { name: 'ready wins over serving-terminating', endpoints: [ep('10.244.1.2', { ready: false, serving: true, terminating: true }), ep('10.244.1.3')], want: '10.244.1.3' },
    { name: 'only serving-terminating: used (KEP-1669)', endpoints: [ep('10.244.1.2', { ready: false, serving: true, terminating: true })], want: '10.244.1.2' },
    { name: 'terminating, not serving: not used', endpoints: [ep('10.244.1.2', { ready: false, serving: false, terminating: true })], want: undefined },
  ];
  it.each(conditionCases)('kube-proxy endpoint choice: $name', ({ endpoints, want }) => {
    const { service, slice, route } = world();
    service('web');
    slice('web', endpoints);
    expect(route('web')).toEqual(want ? { ok: true, ip: want, port: 8080 } : { ok: false, error: 'refused' });
  });

  it('picks endpoints at random from the seeded PRNG: every one is used, and a seed replays the same picks', () => {
    const picks = (seed: number) => {
      const { service, slice, route } = world(seed);
      service('web');
      slice('web', [ep('10.244.1.2'), ep('10.244.2.2')]);
      slice('web', [ep('10.244.3.2')]);
      return Array.from({ length: 60 }, () => {
        const r = route('web');
        return r.ok ? r.ip : r.error;
      });
    };
    const a = picks(7);
    expect(new Set(a)).toEqual(new Set(['10.244.1.2', '10.244.2.2', '10.244.3.2']));
    expect(picks(7)).toEqual(a);
    expect(picks(8)).not.toEqual(a);
  });

  it('sessionAffinity ClientIP keeps a client on one endpoint while it stays ready', () => {
    const { sim, service, slice, route } = world();
    service('web', { sessionAffinity: 'ClientIP' });
    const s = slice('web', [ep('10.244.1.2'), ep('10.244.2.2'), ep('10.244.3.2')]);
    const first = route('web');
    for (let i = 0; i < 20; i++) expect(route('web')).toEqual(first);
    const chosen = (first as { ip: string }).ip;
    sim.store.update('EndpointSlice', { ...s, endpoints: s.endpoints.filter((e) => e.addresses[0] !== chosen) });
    const next = route('web');
    expect(next.ok && next.ip !== chosen).toBe(true);
  });

  it('internalTrafficPolicy Local: only the client node’s endpoints; none there → dropped', () => {
    const { service, slice, route } = world();
    service('web', { internalTrafficPolicy: 'Local' });
    slice('web', [ep('10.244.1.2', undefined, 'node-1'), ep('10.244.2.2', undefined, 'node-2')]);
    for (let i = 0; i < 10; i++) expect(route('web')).toEqual({ ok: true, ip: '10.244.1.2', port: 8080 });
    expect(route('web', 80, { ...client, node: 'node-3' })).toEqual({ ok: false, error: 'timeout' });
  });

  it('headless Services resolve to a ready pod IP (no port translation); ExternalName does not resolve', () => {
    const { sim, service, slice, route } = world();
    service('db', { clusterIP: 'None' });
    slice('db', [ep('10.244.1.5'), ep('10.244.1.6', { ready: false, serving: false, terminating: false })]);
    for (let i = 0; i < 5; i++) expect(route('db', 5432)).toEqual({ ok: true, ip: '10.244.1.5', port: 5432 });
    service('nopods', { clusterIP: 'None' });
    expect(route('nopods')).toEqual({ ok: false, error: 'unresolved' });
    sim.api.create('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    expect(route('ext')).toEqual({ ok: false, error: 'unresolved' });
  });

  it('answers pod DNS records (10-244-1-5.default.pod.cluster.local)', () => {
    const { route } = world();
    expect(route('10-244-1-5.default.pod.cluster.local', 8080)).toEqual({ ok: true, ip: '10.244.1.5', port: 8080 });
    expect(route('10-244-1-5.default.pod', 8080)).toEqual({ ok: true, ip: '10.244.1.5', port: 8080 });
    expect(route('10-244-1-5.nosuchns.pod.cluster.local', 8080)).toEqual({ ok: false, error: 'unresolved' });
  });

  it('lookup: what nslookup prints (the answering name and its addresses)', () => {
    const { sim, service, slice } = world();
    const web = service('web');
    service('db', { clusterIP: 'None' });
    slice('db', [ep('10.244.2.5'), ep('10.244.1.5')]);
    sim.api.create('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    const net = serviceNetworkOf(sim);
    expect(net.lookup('default', 'web')).toEqual({ name: 'web.default.svc.cluster.local', addresses: [web.spec!.clusterIP] });
    expect(net.lookup('shop', 'web.default')).toEqual({ name: 'web.default.svc.cluster.local', addresses: [web.spec!.clusterIP] });
    expect(net.lookup('default', 'db')).toEqual({ name: 'db.default.svc.cluster.local', addresses: ['10.244.1.5', '10.244.2.5'] });
    expect(net.lookup('default', 'ext')).toEqual({ name: 'ext.default.svc.cluster.local', addresses: [], cname: 'db.example.com' });
    expect(net.lookup('default', 'nosuch')).toBeUndefined();
  });

  it('is one network per cluster', () => {
    const a = world().sim;
    const b = world().sim;
    expect(serviceNetworkOf(a)).toBe(serviceNetworkOf(a));
    expect(serviceNetworkOf(a)).not.toBe(serviceNetworkOf(b));
  });
});

describe('end to end: a client pod reaches nginx through the Service', () => {
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 8000, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - {name: curl, image: curlimages/curl:8.5.0, command: [sleep, "3600"]}
`;

  function start(): Session {
    const s = new Session({ seed: 1 });
    expect(s.exec('kubectl apply -f -', manifest).exitCode).toBe(0);
    s.exec('sim advance 30s');
    return s;
  }

  it('curl web:8000 gets the nginx page; the access logs show every pod served some', () => {
    const s = start();
    for (const host of ['web', 'web.default', 'web.default.svc.cluster.local']) {
      const out = s.exec(`kubectl exec client -- curl -s http://${host}:8000/`);
      expect(out.exitCode, host).toBe(0);
      expect(out.output).toContain('Welcome to nginx!');
    }
    for (let i = 0; i < 20; i++) s.exec('kubectl exec client -- curl -s http://web:8000/');
    const clientIP = s.cluster.store.get('Pod', 'default', 'client')!.status!.podIP!;
    const pods = s.cluster.store.list('Pod', 'default').filter((p) => p.metadata!.labels?.app === 'web');
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(s.exec(`kubectl logs ${p.metadata!.name}`).output).toContain(`${clientIP} - - [`);
  });

  it('scaled to zero: connection refused; an unknown name does not resolve', () => {
    const s = start();
    s.exec('kubectl scale deployment web --replicas=0');
    s.exec('sim advance 10s');
    const out = s.exec('kubectl exec client -- curl -sS http://web:8000/');
    expect(out.exitCode).toBe(7);
    expect(out.output).toContain("curl: (7) Failed to connect to web port 8000 after 0 ms: Couldn't connect to server");
    expect(s.exec('kubectl exec client -- curl -sS http://nosuch/').output).toContain('curl: (6) Could not resolve host: nosuch');
  });

  it('a dead node: connections sent to its pods time out until its endpoints turn not ready', () => {
    const s = start();
    const onNode2 = s.cluster.store.podsOnNode('node-2').filter((p) => p.metadata!.labels?.app === 'web').length;
    expect(onNode2).toBeGreaterThan(0);
    s.exec('sim kill-node node-2');
    s.exec('sim advance 5s');
    const codes = Array.from({ length: 12 }, () => s.exec('kubectl exec client -- curl -s -m 1 http://web:8000/').exitCode);
    expect(codes).toContain(28);
    expect(codes).toContain(0);
    s.exec('sim advance 60s');
    const after = Array.from({ length: 12 }, () => s.exec('kubectl exec client -- curl -s -m 1 http://web:8000/').exitCode);
    expect(after.every((c) => c === 0)).toBe(true);
  });
});
