/**
 * Engine benchmarks (headless, Node): scheduling throughput at several cluster sizes, and the wall time
 * to converge after killing 10% of the nodes of a 1,000-node cluster running 10,000 pods.
 * Figures are printed and written to bench/results/engine.json. No assertions: figures, not tests.
 * Each figure is given in wall time and in this process's CPU time (user + system): the machine may
 * be shared, and then wall time measures the neighbours as much as the engine.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Cluster } from '../src/engine/cluster';
import type { Deployment, Pod } from '../src/engine/api/types';
import { nginxDeployment } from '../src/engine/testing/builders';

function deployment(name: string, replicas: number): Deployment {
  return nginxDeployment(name, replicas, { cpu: '100m', memory: '128Mi' });
}

function buildCluster(nodes: number): Cluster {
  const c = new Cluster({ seed: 42, recordEvents: false });
  for (let i = 1; i <= nodes; i++) c.addNode(`node-${i}`, { cpu: '16', memory: '64Gi', labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` } });
  return c;
}

function runningReady(c: Cluster): number {
  let n = 0;
  for (const p of c.store.values('Pod') as IterableIterator<Pod>) {
    if (p.metadata?.deletionTimestamp || p.status?.phase !== 'Running') continue;
    if (p.status.conditions?.some((k) => k.type === 'Ready' && k.status === 'True')) n++;
  }
  return n;
}

/** Advance virtual time in steps until `done` or `maxMs` of virtual time; returns virtual ms taken. */
function advanceUntil(c: Cluster, done: () => boolean, stepMs: number, maxMs: number): number {
  const start = c.clock.now();
  while (!done() && c.clock.now() - start < maxMs) c.advance(stepMs);
  return c.clock.now() - start;
}

const results: Record<string, unknown> = {};
/** CPU ms (user + system) since `since`. */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const heapMb = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);

// 1. Scale curve: create N*10 pods (a Deployment) and measure wall time until all are bound.
for (const nodes of [10, 100, 1000, 5000]) {
  const pods = nodes * 10;
  const c = buildCluster(nodes);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  c.api.create('Deployment', deployment('web', pods));
  c.settle();
  const cpu = cpuMs(c0);
  const ms = performance.now() - t0;
  const bound = [...c.store.values('Pod')].filter((p) => (p as Pod).spec?.nodeName).length;
  const perCpu = Math.round((bound / cpu) * 1000);
  results[`create+schedule ${pods} pods on ${nodes} nodes`] = {
    wallMs: Math.round(ms),
    cpuMs: Math.round(cpu),
    bound,
    podsPerSecond: Math.round((bound / ms) * 1000),
    podsPerCpuSecond: perCpu,
    heapMb: heapMb(),
  };
  console.log(
    `scale: ${nodes} nodes, ${pods} pods: ${bound} bound in ${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU (${Math.round((bound / ms) * 1000)} pods/s wall, ${perCpu} pods/s CPU, incl. controllers), heap ${heapMb()} MB`,
  );
}

// 2. Kill 10% of a 1,000-node cluster running 10,000 pods and converge.
{
  const c = buildCluster(1000);
  c.api.create('Deployment', deployment('web', 10_000));
  const tStart = performance.now();
  const vStart = advanceUntil(c, () => runningReady(c) >= 10_000, 5_000, 10 * 60_000);
  const startWall = performance.now() - tStart;
  console.log(`converge: 10,000 pods running+ready after ${vStart / 1000}s virtual, ${startWall.toFixed(0)} ms wall`);
  for (let i = 1; i <= 100; i++) c.faults.setPower(`node-${i * 10}`, 'Off');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const deadNodes = new Set(Array.from({ length: 100 }, (_, i) => `node-${(i + 1) * 10}`));
  const healthy = () => {
    let n = 0;
    for (const p of c.store.values('Pod') as IterableIterator<Pod>) {
      if (!p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && !deadNodes.has(p.spec?.nodeName ?? '') && p.status.conditions?.some((k) => k.type === 'Ready' && k.status === 'True')) n++;
    }
    return n;
  };
  const virtualMs = advanceUntil(c, () => healthy() >= 10_000, 10_000, 30 * 60_000);
  const wall = performance.now() - t0;
  const cpu = cpuMs(c0);
  results['kill 10% of 1,000 nodes (10,000 pods) and converge'] = {
    wallMs: Math.round(wall),
    cpuMs: Math.round(cpu),
    virtualSeconds: virtualMs / 1000,
    healthyPods: healthy(),
    heapMb: heapMb(),
  };
  console.log(`kill 100/1000 nodes: converged=${healthy() >= 10_000} after ${virtualMs / 1000}s virtual in ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU, heap ${heapMb()} MB`);
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/engine.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
