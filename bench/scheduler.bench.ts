/**
 * Scheduler throughput: pods/s placed by `settle()` on 100 and 1,000 nodes, headless.
 * Run: npx tsx bench/scheduler.bench.ts [--events]
 * Events are off by default (as a headless benchmark of the scheduler itself); --events keeps them.
 */
import { performance } from 'node:perf_hooks';
import { Cluster } from '../src/engine/cluster';
import type { Pod } from '../src/engine/api/types';

const withEvents = process.argv.includes('--events');

function pod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
    spec: {
      containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
    },
  };
}

/**
 * Throughput is measured on this process's CPU time (user + system), not on the wall clock: the
 * machine may be shared, and CPU time is what the engine itself costs. Wall time is printed too.
 */
function run(nodes: number, pods: number): { podsPerSecond: number; bound: number; ms: number; wallMs: number } {
  const cluster = new Cluster({ seed: 42, recordEvents: withEvents });
  for (let i = 1; i <= nodes; i++) {
    cluster.api.create('Node', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
      spec: {},
      status: { capacity: { cpu: '32', memory: '128Gi', pods: '110' }, allocatable: { cpu: '32', memory: '128Gi', pods: '110' } },
    });
  }
  cluster.settle();
  for (let i = 0; i < pods; i++) cluster.api.create('Pod', pod(i));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  cluster.settle();
  const c1 = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  const ms = (c1.user + c1.system) / 1000;
  let bound = 0;
  for (const p of cluster.store.values('Pod')) if (p.spec?.nodeName) bound++;
  return { podsPerSecond: Math.round((bound / ms) * 1000), bound, ms: Math.round(ms), wallMs: Math.round(wallMs) };
}

run(100, 2000); // warm-up (JIT)
for (const [nodes, pods] of [
  [100, 10_000],
  [1000, 20_000],
] as const) {
  const r = run(nodes, pods);
  console.log(`scheduler: ${nodes} nodes, ${r.bound}/${pods} pods bound in ${r.ms} ms CPU (${r.wallMs} ms wall) → ${r.podsPerSecond} pods/s${withEvents ? ' (events on)' : ''}`);
}
