/**
 * `kubectl drain` under a PodDisruptionBudget (scenarios/drain-pdb.txt, checked line by line here):
 * three nginx pods, minAvailable 2, a node holding two of them. The Eviction API lets one go,
 * refuses the other with kubectl's retry line, and the same drain succeeds once the replacement is
 * Ready elsewhere.
 */
import { describe, expect, it } from 'vitest';
import type { PodDisruptionBudget } from './api/types';
import { Session } from './session';

const REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

function setup(): Session {
  const s = new Session({ seed: 1 });
  expect(s.exec('sim cluster --nodes 3').exitCode).toBe(0);
  s.exec('kubectl cordon node-3');
  expect(s.exec('kubectl create deployment web --image=nginx:1.27 --replicas=3').exitCode).toBe(0);
  expect(s.exec('kubectl create poddisruptionbudget web-pdb --selector=app=web --min-available=2').output).toBe('poddisruptionbudget.policy/web-pdb created\n');
  s.exec('sim advance 30s');
  s.exec('kubectl uncordon node-3');
  return s;
}

const pdb = (s: Session): PodDisruptionBudget => s.cluster.store.get('PodDisruptionBudget', 'default', 'web-pdb')!;
const webPods = (s: Session) => s.cluster.store.list('Pod', 'default').filter((p) => p.metadata?.labels?.app === 'web');

describe('drain with a PodDisruptionBudget (minAvailable 2 of 3)', () => {
  it('evicts one pod, refuses the second, then succeeds once the replacement is Ready', () => {
    const s = setup();
    const byNode = new Map<string, string[]>();
    for (const p of webPods(s)) byNode.set(p.spec!.nodeName!, [...(byNode.get(p.spec!.nodeName!) ?? []), p.metadata!.name!]);
    const [node, names] = [...byNode].find(([, n]) => n.length === 2)!;
    expect(node).toBeDefined();
    expect(pdb(s).status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });

    const first = s.exec(`kubectl drain ${node}`);
    const [evicted, refused] = names.sort();
    expect(first.exitCode).toBe(1);
    expect(first.output).toBe([
      `node/${node} cordoned`,
      `evicting pod default/${evicted}`,
      `evicting pod default/${refused}`,
      `pod/${evicted} evicted`,
      `error when evicting pods/"${refused}" -n "default" (will retry after 5s): ${REFUSED}`,
      `error: unable to drain node "${node}" due to error: error when evicting pods/"${refused}" -n "default": ${REFUSED}, continuing command...`,
      'There are pending nodes to be drained:',
      ` ${node}`,
      `error when evicting pods/"${refused}" -n "default": ${REFUSED}`,
      '',
    ].join('\n'));
    // The refused pod still runs; the evicted one is going; the budget is spent.
    expect(s.cluster.store.get('Pod', 'default', refused)?.metadata?.deletionTimestamp).toBeUndefined();
    expect(s.cluster.store.get('Pod', 'default', evicted)?.metadata?.deletionTimestamp ?? 'gone').toBeTruthy();
    expect(pdb(s).status).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(pdb(s).status!.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' })]);

    // Time moves: the ReplicaSet's replacement is scheduled off the cordoned node and becomes Ready.
    s.exec('sim advance 30s');
    const replacement = webPods(s).find((p) => !names.includes(p.metadata!.name!))!;
    expect(replacement.spec!.nodeName).not.toBe(node);
    expect(replacement.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(pdb(s).status).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 1 });
    expect(s.exec('kubectl get pdb').output).toMatch(/^web-pdb {3}2 {15}N\/A {15}1 {21}60s$/m);

    const second = s.exec(`kubectl drain ${node}`);
    expect(second.exitCode).toBe(0);
    expect(second.output).toBe(`node/${node} already cordoned\nevicting pod default/${refused}\npod/${refused} evicted\nnode/${node} drained\n`);
    expect(pdb(s).status!.disruptionsAllowed).toBe(0);
  });

  it('with --timeout, ends with the global-timeout wording', () => {
    const s = setup();
    const node = webPods(s).map((p) => p.spec!.nodeName!).find((n, _, all) => all.filter((x) => x === n).length === 2)!;
    const r = s.exec(`kubectl drain ${node} --timeout=30s`);
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/error: unable to drain node "node-\d" due to error: error when evicting pods\/"web-[a-z0-9-]+" -n "default": global timeout reached: 30s, continuing command\.\.\./);
  });

  it('--disable-eviction deletes without asking the budget', () => {
    const s = setup();
    const node = webPods(s).map((p) => p.spec!.nodeName!).find((n, _, all) => all.filter((x) => x === n).length === 2)!;
    const r = s.exec(`kubectl drain ${node} --disable-eviction`);
    expect(r.exitCode).toBe(0);
    expect(r.output).not.toContain('disruption budget');
    expect(r.output).toContain(`node/${node} drained`);
    // A plain DELETE neither takes a disruption nor records the pods.
    expect(pdb(s).status!.disruptedPods).toBeUndefined();
  });
});
