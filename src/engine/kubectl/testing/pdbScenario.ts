/**
 * A small cluster with PodDisruptionBudgets, built through the real control loops (so the goldens
 * show the status the disruption controller computes): two Deployments and a budget on each.
 */
import { Cluster } from '../../cluster';
import { Kubectl } from '../kubectl';

const BUDGETS = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-pdb
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: web
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api-pdb
spec:
  maxUnavailable: 25%
  selector:
    matchLabels:
      app: api
`;

/** Three workers, `web` (3 replicas, minAvailable 2) and `api` (4 replicas, maxUnavailable 25%), 90 s old. */
export function pdbCluster(): Cluster {
  const cluster = new Cluster({ seed: 7 });
  for (const n of ['node-1', 'node-2', 'node-3']) cluster.addNode(n);
  const k = new Kubectl(cluster);
  for (const line of [
    ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3'],
    ['create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=4'],
  ]) k.run(line);
  k.run(['apply', '-f', '-'], BUDGETS);
  cluster.advance(90_000);
  return cluster;
}
