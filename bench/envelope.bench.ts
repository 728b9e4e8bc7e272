/**
 * Kubernetes' own envelope, headless: 5,000 nodes and 150,000 pods (30 per node), created by
 * Deployments and run by the kubelets; then one more pod past the limit, refused like a ResourceQuota.
 * Slow (minutes): run it alone with `npx tsx bench/envelope.bench.ts`. Figures → bench/results/envelope.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Cluster } from '../src/engine/cluster';
import { nginxDeployment } from '../src/engine/testing/builders';

const heapMb = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);
/** The heap after a full collection (what the cluster holds), when run with --expose-gc (npm run bench does). */
const liveHeapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return heapMb();
};
const c = new Cluster({ seed: 42, recordEvents: false });
const t0 = performance.now();
for (let i = 1; i <= 5000; i++) c.addNode(`node-${i}`, { cpu: '32', memory: '128Gi', labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` } });
const nodesMs = performance.now() - t0;
console.log(`5,000 nodes registered in ${Math.round(nodesMs)} ms, heap ${heapMb()} MB`);
const t1 = performance.now();
for (let d = 0; d < 15; d++) {
  c.api.create('Deployment', nginxDeployment(`web-${d}`, 10_000, { cpu: '100m', memory: '128Mi' }));
  c.settle();
  console.log(`… ${(d + 1) * 10_000} pods, ${Math.round((performance.now() - t1) / 1000)} s, heap ${heapMb()} MB`);
}
c.advance(30_000);
let running = 0;
for (const p of c.store.values('Pod')) if (p.status?.phase === 'Running') running++;
const podsMs = performance.now() - t1;
let refusal = '';
try {
  c.api.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one-too-many', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
} catch (e) {
  refusal = (e as Error).message;
}
const liveMb = liveHeapMb();
const limitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
console.log(`150,000 pods: ${running} Running after ${Math.round(podsMs / 1000)} s wall, heap ${liveMb} MB after GC (limit ${limitMb} MB)`);
console.log(`one more pod: ${refusal || 'NOT refused'}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/envelope.json', import.meta.url), JSON.stringify({ nodesMs: Math.round(nodesMs), podsMs: Math.round(podsMs), running, heapMb: liveMb, heapLimitMb: limitMb, refusal }, null, 2) + '\n');
