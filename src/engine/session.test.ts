/**
 * The console interpreter: `sim` commands, bad input (a clear one-line error, nothing changed), and
 * the simulation envelope (refused like a ResourceQuota, and the engine keeps running).
 */
import { describe, expect, it } from 'vitest';
import { Session } from './session';

/** Everything a user could observe: every object's kind/name/resourceVersion, and the clock. */
function snapshot(s: Session): string {
  const c = s.cluster;
  return JSON.stringify({ rv: c.store.resourceVersion(), now: c.clock.now(), nodes: c.store.list('Node').map((n) => n.metadata!.name) });
}

describe('Session', () => {
  it('builds the default cluster: a tainted control plane and three workers', () => {
    const s = new Session();
    expect(s.cluster.store.list('Node').map((n) => n.metadata!.name)).toEqual(['control-plane', 'node-1', 'node-2', 'node-3']);
    expect(s.cluster.store.get('Node', undefined, 'control-plane')!.spec!.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });

  it.each([
    ['sim frobnicate', /^error: unknown command "sim frobnicate"/],
    ['frobnicate', /^error: unknown command "frobnicate": lines start with "kubectl" or "sim"/],
    ['sim advance soon', /^error: invalid duration "soon"/],
    ['sim advance 25h', /^error: sim advance is limited to 24h at a time/],
    ['sim cluster --nodes 6000', /^error: --nodes must be a whole number from 0 to 5000, got "6000"/],
    ['sim cluster --nodes -1', /^error: --nodes must be a whole number from 0 to 5000/],
    ['sim cluster --max-pods 500', /^error: --max-pods must be a whole number from 1 to 110/],
    ['sim kill-node node-9', /^Error from server \(NotFound\): nodes "node-9" not found/],
    ['sim kill-node', /^error: sim kill-node: a node name is required/],
    ['sim add-node node-1', /^Error from server \(AlreadyExists\): nodes "node-1" already exists/],
    ['sim add-node x --labels =v', /^error: invalid label "=v"/],
    ['sim seed many', /^error: sim seed takes a whole number/],
    ['kubectl frobnicate', /^error: unknown command "frobnicate" for "kubectl"/],
    ['kubectl scale deployment web --replicas=10000000', /exceeded quota: simulation-envelope/],
  ])('%s → a clear error, and nothing changes', (line, message) => {
    const s = new Session({ seed: 5 });
    s.exec('kubectl create deployment web --image=nginx --replicas=2');
    const before = snapshot(s);
    const r = s.exec(line);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(message);
    expect(r.output.trim().split('\n')[0].length).toBeGreaterThan(0);
    expect(snapshot(s)).toBe(before);
  });

  it('keeps running after an envelope refusal', () => {
    const s = new Session({ seed: 5 });
    s.exec('kubectl create deployment web --image=nginx --replicas=2');
    s.exec('kubectl scale deployment web --replicas=10000000');
    s.exec('sim advance 30s');
    expect(s.exec('kubectl get deployment web').output).toMatch(/^web\s+2\/2\s+2\s+2\s+30s$/m);
  });

  it('feeds heredocs to apply -f - in scripts, and skips comments', () => {
    const s = new Session({ seed: 2 });
    const out = s.runScript(['# a comment', 'kubectl apply -f - <<EOF', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: solo}', 'spec: {containers: [{name: c, image: nginx}]}', 'EOF', 'kubectl get pod solo -o name'].join('\n'));
    expect(out).toBe('$ kubectl apply -f -\npod/solo created\n$ kubectl get pod solo -o name\npod/solo\n');
  });

  it('sim seed changes the random names; the same seed repeats them', () => {
    const names = (seed: number) => {
      const s = new Session({ seed: 1 });
      s.exec(`sim seed ${seed}`);
      s.exec('kubectl create deployment web --image=nginx --replicas=3');
      return s.cluster.store.list('Pod').map((p) => p.metadata!.name).join(' ');
    };
    expect(names(7)).toBe(names(7));
    expect(names(7)).not.toBe(names(8));
  });

  it('partition keeps containers running while the node goes NotReady; heal brings it back', () => {
    const s = new Session({ seed: 4 });
    s.exec('kubectl create deployment web --image=nginx --replicas=3');
    s.exec('sim advance 30s');
    s.exec('sim partition-node node-1');
    s.exec('sim advance 90s');
    expect(s.exec('kubectl get node node-1').output).toMatch(/node-1\s+NotReady/);
    s.exec('sim heal-node node-1');
    s.exec('sim advance 20s');
    expect(s.exec('kubectl get node node-1').output).toMatch(/node-1\s+Ready/);
  });
});

describe('Session output order', () => {
  it('interleaves stderr and stdout as a terminal shows them: `Defaulted container` comes before the logs', () => {
    const s = new Session({ seed: 3 });
    s.exec(`kubectl apply -f -`, [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: two}',
      'spec:',
      '  containers:',
      '  - {name: app, image: busybox, command: [sh, -c, "echo from-app; sleep 3600"]}',
      '  - {name: side, image: busybox, command: [sh, -c, "sleep 3600"]}',
    ].join('\n'));
    s.exec('sim advance 30s');
    const r = s.exec('kubectl logs two');
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('Defaulted container "app" out of: app, side\nfrom-app\n');
  });

  it('keeps an error after the output printed before it', () => {
    const s = new Session({ seed: 3 });
    s.exec('kubectl create deployment web --image=nginx --replicas=1');
    const r = s.exec('kubectl get deployment web nope');
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/^NAME +READY[^\n]*\nweb +[^\n]*\nError from server \(NotFound\): deployments.apps "nope" not found\n$/);
  });
});
