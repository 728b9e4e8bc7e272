/**
 * Golden tests: exact kubectl output for a hand-built cluster (testing/scenario.ts). Each golden file
 * holds the command line, stdout, then stderr and the exit code when there are any.
 * Regenerate after a deliberate change with `UPDATE_GOLDEN=1 npx vitest run src/engine/kubectl/golden.test.ts`
 * and review the diff against real kubectl v1.34 output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kubectl, splitCommandLine } from './kubectl';
import type { Cluster } from '../cluster';
import { pdbCluster } from './testing/pdbScenario';
import { goldenCluster } from './testing/scenario';

const DIR = join(import.meta.dirname, '__golden__');

function transcript(line: string, cluster: () => Cluster = () => goldenCluster().asCluster()): string {
  const k = new Kubectl(cluster());
  const r = k.run(splitCommandLine(line));
  let text = `$ kubectl ${line}\n${r.stdout}`;
  if (r.stderr) text += `--- stderr\n${r.stderr}`;
  if (r.exitCode) text += `--- exit ${r.exitCode}\n`;
  return text;
}

const CASES: [string, string][] = [
  ['get-pods', 'get pods'],
  ['get-pods-wide', 'get pods -o wide'],
  ['get-pods-all-namespaces-labels', 'get pods -A --show-labels'],
  ['get-pods-label-columns', 'get pods -L app,pod-template-hash'],
  ['run-dry-run-yaml', 'run web --image=nginx --port=80 --dry-run=client -o yaml'],
  ['create-deployment-dry-run-yaml', 'create deployment web2 --image=nginx:1.27 --replicas=2 --dry-run=client -o yaml'],
  ['get-pods-selector', 'get pods -l app=web'],
  ['get-nodes', 'get nodes'],
  ['get-nodes-wide', 'get nodes -o wide'],
  ['get-deploy-rs-wide', 'get deploy,rs -o wide'],
  ['get-all', 'get all'],
  ['get-events', 'get events'],
  ['get-namespaces', 'get ns'],
  ['get-leases', 'get leases -n kube-node-lease'],
  ['get-workloads-all-namespaces', 'get svc,cm,secrets,jobs,ds,endpointslices -A'],
  ['get-svc-wide', 'get svc -o wide'],
  ['describe-node-unreachable', 'describe node node-2'],
  ['describe-service', 'describe svc web'],
  ['describe-job', 'describe job pi'],
  ['describe-daemonset', 'describe ds kindnet -n kube-system'],
  ['describe-configmap', 'describe configmap app-config'],
  ['get-two-pods', 'get pod crashy big'],
  ['get-pod-slash', 'get pod/crashy node/node-1'],
  ['get-pod-yaml', 'get pod web-7d9c4b8f6-x2k4p -o yaml'],
  ['get-pod-json', 'get pod big -o json'],
  ['get-pods-name', 'get pods -o name'],
  ['get-pods-jsonpath', `get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'`],
  ['get-nodes-jsonpath-filter', `get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'`],
  ['get-pods-custom-columns', 'get pods -A -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image'],
  ['describe-pod-crashy', 'describe pod crashy'],
  ['describe-pod-web', 'describe pod web-7d9c4b8f6-x2k4p'],
  ['describe-pod-init', 'describe pod init-demo'],
  ['describe-pod-nodelost', 'describe pod web-7d9c4b8f6-q8n5m'],
  ['describe-pod-pending', 'describe pod big'],
  ['describe-node', 'describe node node-1'],
  ['describe-deployment', 'describe deployment web'],
  ['describe-replicaset', 'describe rs web-7d9c4b8f6'],
  ['rollout-history', 'rollout history deployment/web'],
  ['api-resources', 'api-resources'],
];

/** PodDisruptionBudgets, on a cluster run by the real control loops (testing/pdbScenario.ts). */
const PDB_CASES: [string, string][] = [
  ['get-pdb', 'get pdb'],
  ['get-pdb-wide', 'get poddisruptionbudgets.policy -o wide'],
  ['get-pdb-yaml', 'get pdb web-pdb -o yaml'],
  ['describe-pdb', 'describe pdb web-pdb'],
  ['describe-pdb-max-unavailable', 'describe pdb api-pdb'],
  ['create-pdb-dry-run-yaml', 'create pdb my-pdb --selector=app=rails --min-available=1 --dry-run=client -o yaml'],
  ['create-pdb', 'create poddisruptionbudget api-pdb2 --selector="app=api,tier in (back,front)" --max-unavailable=50%'],
];

describe('kubectl golden output', () => {
  for (const [name, line, cluster] of [...CASES, ...PDB_CASES.map(([n, l]) => [n, l, pdbCluster] as const)]) {
    it(`${name}: kubectl ${line}`, () => {
      const file = join(DIR, `${name}.txt`);
      const text = transcript(line, cluster);
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
      expect(existsSync(file), `missing golden ${file}; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
});
