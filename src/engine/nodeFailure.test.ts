/**
 * A node dies under a Deployment, checked against the real timings (K8S.md "A node dies"):
 * lease renewed every 10s, NotReady once the lease is more than 50s old (checked every 5s), the
 * NoExecute taint, 300s of default toleration, then Terminating pods that stay so while the node is
 * gone, replacements elsewhere, and a clean-up when the node returns.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from './api/types';
import { Session } from './session';

const manifest = readFileSync(resolve(import.meta.dirname, '../../scenarios/web-deployment.yaml'), 'utf8');

function ready(obj: Node | Pod): string | undefined {
  return (obj.status?.conditions as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready')?.status;
}

describe('node failure with real timings', () => {
  it('goes NotReady at the grace period, evicts after 300s, and cleans up when the node returns', () => {
    const s = new Session({ seed: 1 });
    const c = () => s.cluster;
    expect(s.exec('sim cluster --nodes 3').exitCode).toBe(0);
    expect(s.exec('kubectl apply -f -', manifest).exitCode).toBe(0);
    s.exec('sim advance 30s');
    const onNode2 = () => c().store.podsOnNode('node-2');
    const victims = onNode2().map((p) => p.metadata!.name!);
    expect(victims.length).toBeGreaterThan(0);
    expect(onNode2().every((p) => p.status?.phase === 'Running' && ready(p) === 'True')).toBe(true);

    s.exec('sim kill-node node-2'); // t = 30s; the last lease renewal was at t = 30s
    s.exec('sim advance 50s'); // t = 80s: the lease is at most 50s old
    expect(ready(c().store.get('Node', undefined, 'node-2')!)).toBe('True');

    // The controller checks every 5s (node-monitor-period) and measures the grace from when it
    // observed the last renewal, so it turns the node Unknown 50-60s after the kill.
    s.exec('sim advance 10s'); // t = 90s
    let node = c().store.get('Node', undefined, 'node-2')!;
    expect(ready(node)).toBe('Unknown');
    expect(node.spec!.taints?.map((t) => `${t.key}:${t.effect}`)).toContain('node.kubernetes.io/unreachable:NoSchedule');
    // The NoExecute taint goes through the rate-limited eviction queue: the first node at once (burst 1).
    for (let i = 0; i < 10 && !node.spec!.taints!.some((t) => t.effect === 'NoExecute'); i++) {
      s.exec('sim advance 1s');
      node = c().store.get('Node', undefined, 'node-2')!;
    }
    expect(node.status!.conditions!.find((k) => k.type === 'Ready')!.reason).toBe('NodeStatusUnknown');
    expect(node.spec!.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(
      expect.arrayContaining(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']),
    );
    // Pods keep phase Running but are no longer Ready (READY 0/1).
    for (const p of onNode2()) {
      expect(p.status!.phase).toBe('Running');
      expect(ready(p)).toBe('False');
      expect(p.metadata!.deletionTimestamp).toBeUndefined();
    }

    const noExecute = node.spec!.taints!.find((t) => t.effect === 'NoExecute')!;
    const taintedAt = Date.parse(noExecute.timeAdded!) - Date.parse('2026-01-01T00:00:00Z');
    c().advance(taintedAt + 299_000 - c().clock.now()); // tolerationSeconds 300 not yet over
    for (const p of onNode2()) expect(p.metadata!.deletionTimestamp).toBeUndefined();
    c().advance(1_000); // exactly 300s after the taint: evicted
    for (const p of onNode2()) {
      expect(p.metadata!.deletionTimestamp).toBeDefined();
      expect(p.status!.conditions!.find((k) => k.type === 'DisruptionTarget')?.reason).toBe('DeletionByTaintManager');
    }
    expect(s.exec('kubectl get pods').output).toMatch(/Terminating/);

    s.exec('sim advance 60s');
    // Still Terminating: no kubelet confirms while the node is down.
    expect(onNode2().map((p) => p.metadata!.name).sort()).toEqual([...victims].sort());
    const replacements = c().store.list('Pod', 'default').filter((p) => !p.metadata!.deletionTimestamp);
    expect(replacements).toHaveLength(6);
    for (const p of replacements) {
      expect(p.spec!.nodeName).not.toBe('node-2');
      expect(p.status!.phase).toBe('Running');
      expect(ready(p)).toBe('True');
    }

    s.exec('sim start-node node-2');
    s.exec('sim advance 30s');
    expect(onNode2()).toHaveLength(0);
    const back = c().store.get('Node', undefined, 'node-2')!;
    expect(ready(back)).toBe('True');
    expect(back.spec!.taints ?? []).toEqual([]);
    expect(c().store.list('Pod', 'default')).toHaveLength(6);
  });

  it('a bare Pod on a dead node is gone for good: nothing replaces it', () => {
    const s = new Session({ seed: 3 });
    s.exec('sim cluster --nodes 1');
    s.exec('kubectl run solo --image=nginx');
    s.exec('sim advance 20s');
    expect(s.cluster.store.get('Pod', 'default', 'solo')!.spec!.nodeName).toBe('node-1');
    s.exec('sim kill-node node-1');
    s.exec('sim advance 10m');
    expect(s.cluster.store.get('Pod', 'default', 'solo')!.metadata!.deletionTimestamp).toBeDefined();
    s.exec('sim start-node node-1');
    s.exec('sim advance 1m');
    expect(s.cluster.store.get('Pod', 'default', 'solo')).toBeUndefined();
    expect(s.cluster.store.list('Pod', 'default')).toHaveLength(0);
  });
});

describe('the NotReady countdown', () => {
  it.each([1, 2, 3])('notReadyAt predicts the instant the node turns Unknown (seed %i, kill at an odd time)', (seed) => {
    const s = new Session({ seed });
    s.exec('sim cluster --nodes 2');
    s.exec(`sim advance ${20 + seed * 7}s`);
    s.exec('sim kill-node node-1');
    s.exec('sim advance 20s');
    const predicted = s.cluster.nodeLifecycle.notReadyAt('node-1')!;
    expect(predicted).toBeGreaterThan(s.cluster.clock.now());
    const readyOf = () => s.cluster.store.get('Node', undefined, 'node-1')!.status!.conditions!.find((c) => c.type === 'Ready')!.status;
    while (readyOf() === 'True' && s.cluster.clock.now() < predicted + 60_000) s.cluster.advance(500);
    expect(readyOf()).toBe('Unknown');
    expect(s.cluster.clock.now() - predicted).toBeLessThan(500);
    expect(s.cluster.clock.now() - predicted).toBeGreaterThanOrEqual(0);
  });
});
