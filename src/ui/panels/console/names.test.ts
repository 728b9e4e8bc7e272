import { describe, expect, it } from 'vitest';
import { namesForLine } from './names';

const src = { pods: ['web-1', 'web-2'], nodes: ['node-1', 'control-plane'], deployments: ['web'], namespaces: ['default', 'kube-system'] };

describe('namesForLine', () => {
  it.each([
    ['kubectl get pods ', ['web-1', 'web-2']],
    ['kubectl get po w', ['web-1', 'web-2']],
    ['k describe node ', ['node-1', 'control-plane']],
    ['kubectl get deploy ', ['web']],
    ['kubectl logs ', ['web-1', 'web-2']],
    ['kubectl logs -f ', ['web-1', 'web-2']],
    ['kubectl drain ', ['node-1', 'control-plane']],
    ['sim kill-node ', ['node-1', 'control-plane']],
    ['sim advance ', []],
    ['kubectl rollout status deployment/w', ['deployment/web']],
    ['kubectl get pods -n ', ['default', 'kube-system']],
    ['kubectl get ', []],
    ['kubectl ', []],
    ['echo ', []],
  ])('%j', (line, names) => expect(namesForLine(line, src)).toEqual(names));
});
