/**
 * Object builders for tests and benchmarks (not part of the engine build: see src/engine/tsconfig.json).
 */
import type { Deployment } from '../api/types';

/**
 * A Deployment in `default` whose pods (labelled `app: <name>`) run one `nginx:1.25` container named
 * `app` with the given resource requests.
 */
export function nginxDeployment(name: string, replicas: number, requests: { cpu: string; memory: string }): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests } }] },
      },
    },
  };
}
