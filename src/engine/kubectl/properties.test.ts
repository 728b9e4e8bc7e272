/** Invariants checked over generated input (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KINDS, type Kind } from '../api/types';
import { Cluster } from '../cluster';
import { Kubectl, splitCommandLine } from './kubectl';
import { goldenCluster } from './testing/scenario';

/** Quote a word for a POSIX shell: single quotes, with embedded ones as '\''. */
const shellQuote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

describe('properties', () => {
  it('splitCommandLine inverts shell quoting of any words', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 6 }), (words) => {
      expect(splitCommandLine(words.map(shellQuote).join(' '))).toEqual(words);
    }));
  });

  it('apply is idempotent: the same manifest a second time is unchanged and writes nothing', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    fc.assert(fc.property(fc.dictionary(label, label, { maxKeys: 3 }), fc.integer({ min: 0, max: 5 }), fc.constantFrom('nginx:1.27', 'busybox:1.37'), (labels, replicas, image) => {
      const manifest = JSON.stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'p', labels },
        spec: { replicas, selector: { matchLabels: { app: 'p' } }, template: { metadata: { labels: { app: 'p' } }, spec: { containers: [{ name: 'c', image, ports: [{ containerPort: 80 }] }] } } },
      });
      const h = goldenCluster();
      const k = new Kubectl(h.asCluster(), () => manifest);
      expect(k.run(['apply', '-f', 'm.json']).stdout).toBe('deployment.apps/p created\n');
      const rv = h.store.resourceVersion();
      expect(k.run(['apply', '-f', 'm.json']).stdout).toBe('deployment.apps/p unchanged\n');
      expect(h.store.resourceVersion()).toBe(rv);
    }), { numRuns: 25 });
  });

  it('read-only commands never change the store', () => {
    const line = fc.constantFrom('get pods', 'get all -A', 'describe pods', 'describe nodes', 'get events -o wide', 'get deploy -o yaml', 'describe deploy web', 'rollout status deploy/web', 'rollout history deploy/web', 'api-resources', 'explain pods.spec', 'get nodes -o json');
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
      const h = goldenCluster();
      const snap = () => JSON.stringify([h.store.resourceVersion(), ...(Object.keys(KINDS) as Kind[]).map((kind) => h.store.list(kind))]);
      const before = snap();
      const k = new Kubectl(h.asCluster());
      for (const l of lines) expect(k.run(splitCommandLine(l)).exitCode).toBe(0);
      expect(snap()).toBe(before);
    }), { numRuns: 20 });
  });

  it('any combination of verbs, words and flags answers in kubectl words, never with an internal error', () => {
    const verbs = ['get', 'describe', 'delete', 'scale', 'label', 'annotate', 'taint', 'cordon', 'drain', 'logs', 'exec', 'rollout', 'apply', 'create', 'run', 'expose', 'set', 'patch', 'events', 'wait', 'explain'];
    const words = ['pods', 'nodes', 'node-1', 'deploy', 'deployment/web', 'web', 'rs', 'svc', 'all', 'crashy', 'big', 'status', 'undo', 'image', 'web=nginx:2', 'a=b', 'a-', '--all', '-A', '-o', 'wide', 'yaml', 'name', '-l', 'app=web', '--replicas=2', '--force', '--grace-period=0', '-n', 'kube-system', '--', 'ls', '-c', '--port=80', '--image=nginx', 'x:NoSchedule', '--for=condition=Ready', '-p', '{"spec":{}}', '-f', '-', '--type=json', '[]'];
    fc.assert(fc.property(fc.constantFrom(...verbs), fc.array(fc.constantFrom(...words), { maxLength: 5 }), (verb, rest) => {
      const k = new Kubectl(goldenCluster().asCluster());
      const r = k.run([verb, ...rest], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n');
      expect(r.stdout + r.stderr).not.toMatch(/Cannot read|is not a function|undefined|NaN|\[object Object\]|is not iterable/);
      expect([0, 1]).toContain(r.exitCode);
    }), { numRuns: 150 });
  });

  it('is deterministic: the same seed and commands give byte-identical output', () => {
    const script = ['create deployment web --image=nginx:1.27 --replicas=3', 'get pods -o wide', 'scale deployment web --replicas=1', 'get all', 'describe deployment web', 'get events'];
    const runAll = () => {
      const c = new Cluster({ seed: 11 });
      c.addNode('node-1');
      c.addNode('node-2');
      const k = new Kubectl(c);
      return script.map((l) => {
        c.advance(15_000);
        const r = k.run(splitCommandLine(l));
        return r.stdout + r.stderr;
      }).join('\n');
    };
    expect(runAll()).toBe(runAll());
  });
});
