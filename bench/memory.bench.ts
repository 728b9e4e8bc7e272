/**
 * Memory per pod (`npx tsx --expose-gc bench/memory.bench.ts`, or `npm run bench`): the heap a
 * cluster of 100 nodes grows by for 3,000 nginx pods, once they are created and bound, and once
 * their kubelets run them. It is what decides whether the engine holds Kubernetes' envelope
 * (150,000 pods) inside a browser worker's heap (about 4 GB). Figures → bench/results/memory.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Cluster } from '../src/engine/cluster';
import { nginxDeployment } from '../src/engine/testing/builders';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench does)');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const PODS = 3000;
const NODES = 100;
const c = new Cluster({ seed: 42, recordEvents: false });
for (let i = 1; i <= NODES; i++) c.addNode(`node-${i}`, { cpu: '32', memory: '128Gi', labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` } });
c.settle();
const before = heap();
c.api.create('Deployment', nginxDeployment('web', PODS, { cpu: '100m', memory: '128Mi' }));
c.settle();
const bound = heap();
c.advance(30_000);
const running = heap();
let ready = 0;
for (const p of c.store.values('Pod')) if (p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) ready++;
if (ready !== PODS) throw new Error(`only ${ready} of ${PODS} pods became ready`);
const kb = (b: number) => Math.round((b / PODS / 1024) * 10) / 10;
const result = { pods: PODS, nodes: NODES, perPodCreatedAndBoundKB: kb(bound - before), perPodRunningKB: kb(running - before) };
console.log(`${PODS} pods on ${NODES} nodes: ${result.perPodCreatedAndBoundKB} KB per pod created and bound, ${result.perPodRunningKB} KB per running pod (heap after GC)`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/memory.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2) + '\n');
